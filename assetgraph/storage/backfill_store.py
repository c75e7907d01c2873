"""Stored backfills: one row each, its target and progress kept as partition ranges.

The storage layer knows a backfill as a record with an opaque JSON ``state`` (what
``automation.backfills`` reads and writes: per asset the target, done and failed
partitions as key ranges, and the runs in flight). A cancel requested while the daemon
works on a backfill is never overwritten: ``save`` keeps ``canceling`` once it is set.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, case, insert, select, update

from assetgraph.errors import StorageError, UsageError
from assetgraph.storage import schema

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage

STATE_VERSION = 1


class BulkActionStatus(StrEnum):
    """Where a backfill is (Dagster's names): ``requested`` while the daemon carries it
    out, ``canceling`` until its started runs end after a cancel, then ``canceled``;
    ``completed_success`` or ``completed_failed`` (some partitions failed) when nothing
    remains; ``failed`` when the backfill itself could not go on (its error says why)."""

    REQUESTED = "requested"
    CANCELING = "canceling"
    CANCELED = "canceled"
    COMPLETED_SUCCESS = "completed_success"
    COMPLETED_FAILED = "completed_failed"
    FAILED = "failed"

    @property
    def is_active(self) -> bool:
        """True while the daemon still has work for it."""
        return self in (BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING)


@dataclass(frozen=True, slots=True)
class PartitionBackfill:
    """One stored backfill: which partitions of which assets it builds, and how far it is.

    ``state`` is the JSON the automation layer keeps (see ``automation.backfills``).
    """

    backfill_id: str
    status: BulkActionStatus
    created_at: float
    updated_at: float
    selection: str
    tags: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


class BackfillStore:
    """Reads and writes the ``backfills`` table."""

    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage

    def add(self, backfill: PartitionBackfill) -> None:
        row = {
            "backfill_id": backfill.backfill_id,
            "status": backfill.status.value,
            "created_at": backfill.created_at,
            "updated_at": backfill.updated_at,
            "selection": backfill.selection,
            "tags": json.dumps(backfill.tags),
            "state": _dump_state(backfill.state),
            "error": backfill.error,
        }
        self.storage.write(lambda conn: conn.execute(insert(schema.backfills), [row]))

    def get(self, backfill_id: str) -> PartitionBackfill | None:
        """The backfill with this id, or with this unique prefix (at least 4 characters)."""
        table = schema.backfills

        def work(conn: Connection) -> list[Any]:
            rows = conn.execute(select(table).where(table.c.backfill_id == backfill_id)).all()
            if rows or len(backfill_id) < 4:
                return list(rows)
            pattern = backfill_id.replace("\\", "").replace("%", "").replace("_", "") + "%"
            return list(
                conn.execute(select(table).where(table.c.backfill_id.like(pattern)).limit(2))
            )

        rows = self.storage.read(work)
        if len(rows) > 1:
            raise UsageError(
                f"Backfill id prefix '{backfill_id}' matches several backfills: give more "
                "characters."
            )
        return _record(rows[0]._mapping) if rows else None

    def list(
        self, statuses: Sequence[BulkActionStatus] | None = None, limit: int | None = 20
    ) -> list[PartitionBackfill]:
        """Backfills, newest first, optionally only those with one of ``statuses``."""
        table = schema.backfills
        query = select(table).order_by(table.c.created_at.desc(), table.c.backfill_id)
        if statuses:
            query = query.where(table.c.status.in_([s.value for s in statuses]))
        if limit is not None:
            query = query.limit(limit)
        rows = self.storage.read(lambda conn: conn.execute(query).all())
        return [_record(row._mapping) for row in rows]

    def save(
        self,
        backfill_id: str,
        *,
        status: BulkActionStatus,
        state: dict[str, Any],
        now: float,
        error: str | None = None,
    ) -> BulkActionStatus:
        """Store a new state and status; a ``canceling`` set meanwhile by a cancel is kept
        (unless ``status`` ends the cancel). Returns the status stored."""
        table = schema.backfills
        ends_cancel = status in (BulkActionStatus.CANCELED, BulkActionStatus.FAILED)
        new_status: Any = (
            status.value
            if ends_cancel
            else case(
                (table.c.status == BulkActionStatus.CANCELING.value, table.c.status),
                else_=status.value,
            )
        )

        def work(conn: Connection) -> str:
            conn.execute(
                update(table)
                .where(table.c.backfill_id == backfill_id)
                .values(status=new_status, state=_dump_state(state), updated_at=now, error=error)
            )
            stored: str = conn.execute(
                select(table.c.status).where(table.c.backfill_id == backfill_id)
            ).scalar_one()
            return stored

        return BulkActionStatus(self.storage.write(work))

    def set_status(
        self,
        backfill_id: str,
        status: BulkActionStatus,
        now: float,
        *,
        only_from: Sequence[BulkActionStatus],
        state: dict[str, Any] | None = None,
    ) -> bool:
        """Move a backfill to ``status`` if it is in one of ``only_from``; False if not."""
        table = schema.backfills
        values: dict[str, Any] = {"status": status.value, "updated_at": now, "error": None}
        if state is not None:
            values["state"] = _dump_state(state)
        statement = (
            update(table)
            .where(table.c.backfill_id == backfill_id)
            .where(table.c.status.in_([s.value for s in only_from]))
            .values(**values)
        )
        changed: int = self.storage.write(lambda conn: conn.execute(statement).rowcount)
        return bool(changed)


def _dump_state(state: dict[str, Any]) -> str:
    return json.dumps({**state, "v": STATE_VERSION}, separators=(",", ":"))


def _record(row: Any) -> PartitionBackfill:
    state = json.loads(row["state"])
    version = state.get("v")
    if version != STATE_VERSION:
        raise StorageError(
            f"Backfill {row['backfill_id']} was stored in format version {version!r}; this "
            f"assetgraph reads version {STATE_VERSION}: upgrade assetgraph."
        )
    return PartitionBackfill(
        backfill_id=row["backfill_id"],
        status=BulkActionStatus(row["status"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        selection=row["selection"],
        tags=json.loads(row["tags"]),
        state=state,
        error=row["error"],
    )
