"""The run queue: runs recorded as ``queued`` that wait for a free run slot.

``enqueue`` records a run (status ``queued``, with its tags) and its queue entry in one
transaction. The daemon reads ``queued`` in order (higher priority first, then first in),
and ``take`` removes the entry of a run it is about to launch, stamping the run's heartbeat
so that a launch that never starts is reaped as dead (``coordination.reconcile_runs``) like
any silent run. ``in_progress`` lists the runs that count against the limits: those started,
and those taken off the queue but not started yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from assetgraph.storage import schema
from assetgraph.storage.chunking import rows_in
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.storage.sql_storage import MAX_INDEXED_TAG_LENGTH

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage


@dataclass(frozen=True, slots=True)
class QueuedRun:
    """A run waiting in the queue: its request (what the launcher is given) and tags."""

    run_id: str
    priority: int
    enqueued_at: float
    payload: dict[str, Any]
    tags: dict[str, str]


class RunQueueStore:
    """Reads and writes the ``run_queue`` table (and the ``runs`` rows it points at)."""

    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage

    def enqueue(self, run: RunRecord, payload: Mapping[str, Any], priority: int = 0) -> None:
        """Record ``run`` as queued, with its queue entry, in one transaction."""
        self.enqueue_many([(run, payload, priority)])

    def enqueue_many(self, items: Sequence[tuple[RunRecord, Mapping[str, Any], int]]) -> None:
        """Record each run as queued, with its queue entry, all in one transaction."""
        if not items:
            return
        rows: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        for run, payload, priority in items:
            rows.append(
                {
                    "run_id": run.run_id,
                    "status": RunStatus.QUEUED.value,
                    "created_at": run.created_at,
                    "selection": run.selection,
                    "asset_keys": json.dumps(list(run.asset_keys)),
                    "run_config": json.dumps(run.run_config),
                    "tags": json.dumps(run.tags),
                }
            )
            tags.extend(
                {"run_id": run.run_id, "key": key, "value": value}
                for key, value in run.tags.items()
                if len(value) <= MAX_INDEXED_TAG_LENGTH
            )
            entries.append(
                {
                    "run_id": run.run_id,
                    "priority": priority,
                    "enqueued_at": run.created_at,
                    "payload": json.dumps(dict(payload), separators=(",", ":")),
                }
            )

        def work(conn: Connection) -> None:
            conn.execute(insert(schema.runs), rows)
            if tags:
                conn.execute(insert(schema.run_tags), tags)
            conn.execute(insert(schema.run_queue), entries)

        self.storage.write(work)

    def queued(self, limit: int | None = None) -> list[QueuedRun]:
        """The runs waiting, in launch order: higher priority first, then first in."""
        queue, runs = schema.run_queue, schema.runs
        query = (
            select(queue, runs.c.tags)
            .join(runs, runs.c.run_id == queue.c.run_id)
            .where(runs.c.status == RunStatus.QUEUED.value)
            .order_by(queue.c.priority.desc(), queue.c.id)
        )
        if limit is not None:
            query = query.limit(limit)
        rows = self.storage.read(lambda conn: conn.execute(query).all())
        return [
            QueuedRun(
                row.run_id,
                row.priority,
                row.enqueued_at,
                json.loads(row.payload),
                json.loads(row.tags),
            )
            for row in rows
        ]

    def count(self) -> int:
        """How many runs wait in the queue."""
        queue, runs = schema.run_queue, schema.runs
        query = (
            select(queue.c.id)
            .join(runs, runs.c.run_id == queue.c.run_id)
            .where(runs.c.status == RunStatus.QUEUED.value)
        )
        return len(self.storage.read(lambda conn: conn.execute(query).all()))

    def take(self, run_id: str, now: float) -> bool:
        """Take ``run_id`` off the queue to launch it; False when it is gone (another
        daemon took it, or it was canceled)."""
        queue, runs = schema.run_queue, schema.runs

        def work(conn: Connection) -> bool:
            removed = conn.execute(delete(queue).where(queue.c.run_id == run_id)).rowcount
            if not removed:
                return False
            started = conn.execute(
                update(runs)
                .where(and_(runs.c.run_id == run_id, runs.c.status == RunStatus.QUEUED.value))
                .values(heartbeat_at=now)
            ).rowcount
            return bool(started)

        taken: bool = self.storage.write(work)
        return taken

    def cancel(self, run_ids: Iterable[str], now: float, reason: str) -> list[str]:
        """Cancel the runs of ``run_ids`` still waiting in the queue; returns those canceled.

        A run already taken off the queue is left alone (it is starting or running)."""
        queue, runs = schema.run_queue, schema.runs
        wanted = list(dict.fromkeys(run_ids))

        def work(conn: Connection) -> list[str]:
            rows = rows_in(conn, select(queue.c.run_id), queue.c.run_id, wanted)
            found = [row.run_id for row in rows]
            for run_id in found:
                conn.execute(delete(queue).where(queue.c.run_id == run_id))
                conn.execute(
                    update(runs)
                    .where(and_(runs.c.run_id == run_id, runs.c.status == RunStatus.QUEUED.value))
                    .values(status=RunStatus.CANCELED.value, ended_at=now, error=reason)
                )
            return found

        canceled: list[str] = self.storage.write(work)
        if canceled:
            self.storage.store_events(
                [
                    EventRecord(run_id, EventType.RUN_CANCELED, now, message=reason)
                    for run_id in canceled
                ]
            )
        return canceled

    def prune(self) -> int:
        """Drop the entries of runs no longer queued (canceled with ``runs cancel``)."""
        queue, runs = schema.run_queue, schema.runs
        gone = (
            select(queue.c.run_id)
            .join(runs, runs.c.run_id == queue.c.run_id, isouter=True)
            .where((runs.c.run_id.is_(None)) | (runs.c.status != RunStatus.QUEUED.value))
        )

        def work(conn: Connection) -> int:
            ids = [row.run_id for row in conn.execute(gone).all()]
            for run_id in ids:
                conn.execute(delete(queue).where(queue.c.run_id == run_id))
            return len(ids)

        pruned: int = self.storage.write(work)
        return pruned

    def in_progress(self) -> dict[str, dict[str, str]]:
        """Run id -> tags of every run that holds a run slot: started, or queued and
        already taken off the queue (starting)."""
        queue, runs = schema.run_queue, schema.runs
        waiting = select(queue.c.run_id)
        query = select(runs.c.run_id, runs.c.tags).where(
            (runs.c.status == RunStatus.STARTED.value)
            | ((runs.c.status == RunStatus.QUEUED.value) & runs.c.run_id.not_in(waiting))
        )
        rows = self.storage.read(lambda conn: conn.execute(query).all())
        return {row.run_id: json.loads(row.tags) for row in rows}

    def run_statuses(self, run_ids: Iterable[str]) -> dict[str, RunStatus]:
        """Run id -> status, for the runs of ``run_ids`` that exist."""
        runs = schema.runs
        wanted = list(dict.fromkeys(run_ids))

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, select(runs.c.run_id, runs.c.status), runs.c.run_id, wanted)

        return {row.run_id: RunStatus(row.status) for row in self.storage.read(work)}
