"""What automation reads and writes in the metadata database: ticks, cursors, the daemon
lease, and the narrow reads of the event log, runs and the materialization index that a
tick needs.

``AutomationStore`` wraps a storage (``AutomationBackend``: ``SqlStorage``) and runs
SQLAlchemy Core on its connections; each
method answers one question in one query (``IN`` lists chunked), so a tick costs a few
queries whatever the size of the graph.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from assetgraph.errors import StorageError
from assetgraph.storage import schema
from assetgraph.storage.chunking import IN_CHUNK, chunked, driver_rows_in, rows_in
from assetgraph.storage.events import StepFailed
from assetgraph.storage.interface import AutomationBackend
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.storage.tick_summary import summarize_tick

TICK_PAYLOAD_VERSION = 1

T = TypeVar("T")

_CHANGE_EVENTS = (
    EventType.ASSET_MATERIALIZATION.value,
    EventType.ASSET_OBSERVATION.value,
    EventType.STEP_FAILURE.value,
)


class IndexRow(NamedTuple):
    """The index entry of one (asset, partition): its latest materialization and failure.

    A named tuple: a tick over many partitioned assets reads hundreds of thousands."""

    asset_key: str
    partition_key: str | None
    event_id: int | None
    run_id: str | None
    timestamp: float | None
    data_version: str | None
    data_version_event_id: int | None
    failure_event_id: int | None
    failure_run_id: str | None


@dataclass(frozen=True, slots=True)
class MaterializationEvent:
    """One materialization (or observation) event from the log."""

    event_id: int
    asset_key: str
    partition_key: str | None
    run_id: str
    timestamp: float


class StepFailure(NamedTuple):
    """One failed attempt of an (asset, partition): its event id and time."""

    event_id: int
    timestamp: float


@dataclass(frozen=True, slots=True)
class TickRow:
    """One stored automation tick."""

    tick_id: int
    evaluated_at: float
    started_at: float
    ended_at: float | None
    status: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TickSummaryRow:
    """One stored automation tick with its summary (``tick_summary.summarize_tick``)
    instead of its payload."""

    tick_id: int
    evaluated_at: float
    started_at: float
    ended_at: float | None
    status: str
    summary: dict[str, Any]


_INDEX = schema.asset_partitions
_INDEX_QUERY = select(
    _INDEX.c.asset_key,
    _INDEX.c.partition_key,
    _INDEX.c.materialization_event_id,
    _INDEX.c.materialization_run_id,
    _INDEX.c.materialized_at,
    _INDEX.c.data_version,
    _INDEX.c.data_version_event_id,
    _INDEX.c.failure_event_id,
    _INDEX.c.failure_run_id,
)
"""The columns of an ``IndexRow``, in its order."""
_INDEX_SQL = (
    f"SELECT {', '.join(column.name for column in _INDEX_QUERY.selected_columns)} "
    f"FROM {_INDEX.name}"
)
"""``_INDEX_QUERY`` written out for the driver (``driver_rows_in``)."""


def _index_rows(rows: Iterable[Any]) -> dict[str, list[IndexRow]]:
    """Index rows by asset key (the unpartitioned pseudo-key read as None)."""
    found: dict[str, list[IndexRow]] = {}
    make = IndexRow._make
    none = schema.NO_PARTITION
    for row in rows:
        listed = found.get(row[0])
        if listed is None:
            listed = found[row[0]] = []
        listed.append(make(row) if row[1] != none else make((row[0], None, *row[2:])))
    return found


class AutomationStore:
    """Automation's reads and writes on one metadata database."""

    def __init__(self, storage: AutomationBackend) -> None:
        self.storage = storage

    def _read(self, work: Callable[[Connection], T]) -> T:
        return self.storage.read(work)

    def _write(self, work: Callable[[Connection], T]) -> T:
        return self.storage.write(work)

    # -- cursors --------------------------------------------------------------------------

    def get_cursor(self, name: str) -> str | None:
        """The stored value of cursor ``name`` (None when never set)."""
        table = schema.cursors
        query = select(table.c.value).where(table.c.name == name)
        value: str | None = self._read(lambda conn: conn.execute(query).scalar_one_or_none())
        return value

    def set_cursor(self, name: str, value: str, now: float) -> None:
        """Store ``value`` under ``name`` (insert or replace)."""
        self._write(lambda conn: _upsert_cursor(conn, name, value, now))

    def set_cursors(self, values: dict[str, str], now: float) -> None:
        """Store several cursors in one transaction."""

        def work(conn: Connection) -> None:
            for name, value in values.items():
                _upsert_cursor(conn, name, value, now)

        self._write(work)

    def record_events_and_cursor(
        self, events: Sequence[EventRecord], name: str, value: str, now: float
    ) -> list[int]:
        """Append ``events`` and store cursor ``name`` in one transaction, so events derived
        from the cursor's previous value are written exactly once."""

        def work(conn: Connection) -> list[int]:
            ids = self.storage.write_events(conn, events) if events else []
            _upsert_cursor(conn, name, value, now)
            return ids

        return self._write(work)

    # -- the daemon lease -----------------------------------------------------------------

    def acquire_lease(
        self, name: str, holder: str, now: float, ttl: float, take_from: str | None = None
    ) -> str:
        """Take or renew lease ``name`` for ``holder`` until ``now + ttl``.

        Returns the holder after the call: ``holder`` when it got the lease, otherwise the
        other holder whose lease has not expired. The check and the write are one
        transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a row lock), so two daemons
        never both hold it. ``take_from`` takes over a lease whose holder is known dead.
        """
        table = schema.daemon_leases

        def work(conn: Connection) -> str:
            query = select(table.c.holder, table.c.expires_at).where(table.c.name == name)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first()
            if row is None:
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(table).values(name=name, holder=holder, expires_at=now + ttl)
                        )
                except IntegrityError:  # a concurrent insert won on PostgreSQL
                    again = conn.execute(
                        select(table.c.holder).where(table.c.name == name)
                    ).scalar_one()
                    return str(again)
                return holder
            current, expires_at = row
            if current != holder and expires_at > now and current != take_from:
                return str(current)
            conn.execute(
                update(table)
                .where(table.c.name == name)
                .values(holder=holder, expires_at=now + ttl)
            )
            return holder

        found: str = self._write(work)
        return found

    def release_lease(self, name: str, holder: str) -> None:
        """Give the lease up (only if ``holder`` holds it)."""
        table = schema.daemon_leases
        self._write(
            lambda conn: conn.execute(
                update(table)
                .where(and_(table.c.name == name, table.c.holder == holder))
                .values(expires_at=0.0)
            )
        )

    def lease_holder(self, name: str) -> tuple[str, float] | None:
        """Who holds lease ``name`` and until when (expired leases included)."""
        table = schema.daemon_leases
        query = select(table.c.holder, table.c.expires_at).where(table.c.name == name)
        row = self._read(lambda conn: conn.execute(query).first())
        return None if row is None else (str(row[0]), float(row[1]))

    # -- ticks ----------------------------------------------------------------------------

    def start_tick(self, evaluated_at: float, started_at: float) -> int:
        """Record a tick that has started; returns its id."""
        table = schema.automation_ticks
        payload = json.dumps({"v": TICK_PAYLOAD_VERSION})
        summary = json.dumps(summarize_tick({}))

        def work(conn: Connection) -> int:
            result = conn.execute(
                insert(table)
                .values(
                    evaluated_at=evaluated_at,
                    started_at=started_at,
                    status="started",
                    payload=payload,
                    summary=summary,
                )
                .returning(table.c.id)
            )
            return int(result.scalar_one())

        tick_id: int = self._write(work)
        return tick_id

    def finish_tick(
        self, tick_id: int, status: str, payload: dict[str, Any], ended_at: float | None
    ) -> None:
        """Store a tick's outcome: its status, its payload (runs, reasons, errors) and the
        payload's summary."""
        table = schema.automation_ticks
        text = json.dumps({"v": TICK_PAYLOAD_VERSION, **payload}, default=str)
        summary = json.dumps(summarize_tick(json.loads(text)))
        self._write(
            lambda conn: conn.execute(
                update(table)
                .where(table.c.id == tick_id)
                .values(status=status, payload=text, summary=summary, ended_at=ended_at)
            )
        )

    def list_tick_summaries(
        self, limit: int, before_id: int | None = None, containing: str | None = None
    ) -> list[TickSummaryRow]:
        """Ticks with their summaries, newest first: only those older than tick
        ``before_id``, and whose summary contains ``containing`` (a fragment of its JSON,
        searched by the database), when given. Payloads are not read."""
        table = schema.automation_ticks
        query = (
            select(
                table.c.id,
                table.c.evaluated_at,
                table.c.started_at,
                table.c.ended_at,
                table.c.status,
                table.c.summary,
            )
            .order_by(table.c.id.desc())
            .limit(limit)
        )
        if before_id is not None:
            query = query.where(table.c.id < before_id)
        if containing is not None:
            query = query.where(table.c.summary.contains(containing, autoescape=True))
        rows = self._read(lambda conn: conn.execute(query).all())
        return [
            TickSummaryRow(
                tick_id=int(row.id),
                evaluated_at=float(row.evaluated_at),
                started_at=float(row.started_at),
                ended_at=None if row.ended_at is None else float(row.ended_at),
                status=str(row.status),
                summary=json.loads(row.summary),
            )
            for row in rows
        ]

    def list_ticks(self, limit: int | None = 20, before_id: int | None = None) -> list[TickRow]:
        """Ticks, newest first (only those older than tick ``before_id``, when given)."""
        table = schema.automation_ticks
        query = select(table).order_by(table.c.id.desc())
        if before_id is not None:
            query = query.where(table.c.id < before_id)
        if limit is not None:
            query = query.limit(limit)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [_tick_row(row._mapping) for row in rows]

    def ticks_containing(
        self, text: str, limit: int, before_id: int | None = None
    ) -> list[TickRow]:
        """Ticks whose stored payload contains ``text`` (a fragment of its JSON), newest
        first: the database searches the text, so only the ticks found are decoded."""
        table = schema.automation_ticks
        query = (
            select(table)
            .where(table.c.payload.contains(text, autoescape=True))
            .order_by(table.c.id.desc())
            .limit(limit)
        )
        if before_id is not None:
            query = query.where(table.c.id < before_id)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [_tick_row(row._mapping) for row in rows]

    def get_ticks(self, tick_ids: Iterable[int]) -> dict[int, TickRow]:
        """The ticks with these ids."""
        table = schema.automation_ticks
        ids = sorted(set(tick_ids))

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, select(table), table.c.id, ids)

        return {t.tick_id: t for t in (_tick_row(row._mapping) for row in self._read(work))}

    def latest_tick_evaluated_at(self, evaluated_at: float) -> TickRow | None:
        """The newest tick (not failed) whose ``now`` was ``evaluated_at``, if any is kept."""
        table = schema.automation_ticks
        query = (
            select(table)
            .where(table.c.evaluated_at == evaluated_at, table.c.status != "failure")
            .order_by(table.c.id.desc())
            .limit(1)
        )
        rows = self._read(lambda conn: conn.execute(query).all())
        return _tick_row(rows[0]._mapping) if rows else None

    # -- the event log --------------------------------------------------------------------

    def last_event_id(self) -> int:
        """The id of the newest event (0 when the log is empty)."""
        query = select(func.max(schema.events.c.id))
        value = self._read(lambda conn: conn.execute(query).scalar_one_or_none())
        return int(value or 0)

    def changes_after(self, after_id: int, up_to_id: int) -> list[tuple[str, str | None, str]]:
        """Distinct (asset key, partition key, event type) of materializations, observations
        and step failures with ``after_id < id <= up_to_id``."""
        table = schema.events
        query = (
            select(table.c.asset_key, table.c.partition_key, table.c.event_type, table.c.payload)
            .where(table.c.id > after_id, table.c.id <= up_to_id)
            .where(table.c.event_type.in_(_CHANGE_EVENTS))
        )
        found: dict[tuple[str, str | None, str], None] = {}
        for asset_key, partition, event_type, payload in self._read(
            lambda conn: conn.execute(query).all()
        ):
            if event_type == EventType.STEP_FAILURE.value:
                for key in StepFailed.from_payload(json.loads(payload)).asset_keys or ():
                    found[(key, partition, event_type)] = None
            elif asset_key:
                found[(asset_key, partition, event_type)] = None
        return list(found)

    def failures_after(self, asset_key: str, after_id: int) -> dict[str | None, list[StepFailure]]:
        """Per partition key (None: unpartitioned), the failed attempts of one asset with an
        event id above ``after_id``, oldest first."""
        table = schema.events
        query = (
            select(table.c.id, table.c.timestamp, table.c.partition_key, table.c.payload)
            .where(table.c.event_type == EventType.STEP_FAILURE.value, table.c.id > after_id)
            .order_by(table.c.id)
        )
        found: dict[str | None, list[StepFailure]] = {}
        for event_id, timestamp, partition, payload in self._read(
            lambda conn: conn.execute(query).all()
        ):
            failure = StepFailed.from_payload(json.loads(payload))
            for key, failed in failure.failed_pairs(partition):
                if key == asset_key:
                    found.setdefault(failed, []).append(StepFailure(int(event_id), timestamp))
        return found

    def materialization_before(self, asset_key: str, before_id: int) -> MaterializationEvent | None:
        """The latest materialization (or observation) of an asset stored before an event."""
        table = schema.events
        query = (
            select(table.c.id, table.c.partition_key, table.c.run_id, table.c.timestamp)
            .where(table.c.asset_key == asset_key, table.c.id < before_id)
            .where(
                table.c.event_type.in_(
                    [EventType.ASSET_MATERIALIZATION.value, EventType.ASSET_OBSERVATION.value]
                )
            )
            .order_by(table.c.id.desc())
            .limit(1)
        )
        row = self._read(lambda conn: conn.execute(query).first())
        if row is None:
            return None
        return MaterializationEvent(int(row[0]), asset_key, row[1], str(row[2]), float(row[3]))

    def event_payloads(self, event_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        return self.storage.event_payloads(event_ids)

    # -- the materialization index --------------------------------------------------------

    def index_rows(self, asset_keys: Iterable[str]) -> dict[str, list[IndexRow]]:
        """Per asset, every (partition) row of the index, materialized or failed."""
        keys = list(dict.fromkeys(asset_keys))

        def work(conn: Connection) -> list[Any]:
            return driver_rows_in(conn, _INDEX_SQL, "asset_key", keys)

        return _index_rows(self._read(work))

    def index_rows_after(self, after: Mapping[str, int]) -> dict[str, list[IndexRow]]:
        """Per asset, the rows of the index materialized after the event id given for it
        (through the index on the materialization event id)."""
        table = schema.asset_partitions
        items = list(after.items())

        def work(conn: Connection) -> list[Any]:
            rows: list[Any] = []
            for chunk in chunked(items, IN_CHUNK // 2):
                terms = [
                    and_(table.c.asset_key == key, table.c.materialization_event_id > event_id)
                    for key, event_id in chunk
                ]
                rows.extend(conn.execute(_INDEX_QUERY.where(or_(*terms))).all())
            return rows

        return _index_rows(self._read(work)) if items else {}

    def index_rows_for(self, asset_key: str, partition_keys: Iterable[str]) -> list[IndexRow]:
        """The rows of the index of these partitions of one asset (those it has)."""
        table = schema.asset_partitions
        query = _INDEX_QUERY.where(table.c.asset_key == asset_key)

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, table.c.partition_key, partition_keys)

        return _index_rows(self._read(work)).get(asset_key, [])

    def oldest_materializations(self, asset_keys: Iterable[str]) -> dict[str, int]:
        """Per asset, the lowest materialization event id among its partitions' latest
        materializations (assets never materialized are left out). One ``min`` per asset,
        each answered from the index on the materialization event id."""
        table = schema.asset_partitions
        keys = list(dict.fromkeys(asset_keys))

        def oldest(key: str) -> Any:
            return (
                select(func.min(table.c.materialization_event_id))
                .where(table.c.asset_key == key)
                .scalar_subquery()
            )

        def work(conn: Connection) -> list[tuple[str, Any]]:
            found: list[tuple[str, Any]] = []
            for chunk in chunked(keys, 200):
                row = conn.execute(select(*(oldest(key) for key in chunk))).one()
                found.extend(zip(chunk, row, strict=True))
            return found

        return {key: int(value) for key, value in self._read(work) if value is not None}

    # -- runs -----------------------------------------------------------------------------

    def in_flight_runs(self) -> list[RunRecord]:
        """Runs queued or started (their coverage is read from their tags)."""
        return self.storage.list_runs(limit=None, statuses=[RunStatus.QUEUED, RunStatus.STARTED])

    def tag_values(self, run_ids: Iterable[str], key: str) -> dict[str, str]:
        """Run id -> the value of tag ``key``, for the runs that have it."""
        table = schema.run_tags
        query = select(table.c.run_id, table.c.value).where(table.c.key == key)
        ids = list(dict.fromkeys(run_ids))

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, table.c.run_id, ids)

        return {str(run_id): str(value) for run_id, value in self._read(work)}

    def runs_with_tag(self, key: str, values: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Tag value -> (run id, status) of the runs carrying ``key=value``."""
        tags = schema.run_tags
        runs = schema.runs
        query = (
            select(tags.c.value, runs.c.run_id, runs.c.status)
            .join(runs, runs.c.run_id == tags.c.run_id)
            .where(tags.c.key == key)
        )
        wanted = list(dict.fromkeys(values))

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, tags.c.value, wanted)

        return {
            str(value): (str(run_id), str(status)) for value, run_id, status in self._read(work)
        }


def _upsert_cursor(conn: Connection, name: str, value: str, now: float) -> None:
    table = schema.cursors
    result = conn.execute(
        update(table).where(table.c.name == name).values(value=value, updated_at=now)
    )
    if not result.rowcount:
        conn.execute(insert(table).values(name=name, value=value, updated_at=now))


def _tick_row(row: Any) -> TickRow:
    payload = json.loads(row["payload"])
    version = payload.pop("v", TICK_PAYLOAD_VERSION)
    if version > TICK_PAYLOAD_VERSION:
        raise StorageError(
            f"Automation tick {row['id']} was written by a newer assetgraph (payload version "
            f"{version}); upgrade assetgraph to read it."
        )
    return TickRow(
        tick_id=int(row["id"]),
        evaluated_at=float(row["evaluated_at"]),
        started_at=float(row["started_at"]),
        ended_at=None if row["ended_at"] is None else float(row["ended_at"]),
        status=str(row["status"]),
        payload=payload,
    )
