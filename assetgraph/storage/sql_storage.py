"""The metadata database over SQLAlchemy Core: runs, the event log, the materialization index.

One class, ``SqlStorage``, for SQLite and PostgreSQL alike. Each method answers one
question or makes one write, in one transaction; reads for many assets are one query
(``IN`` lists chunked below SQLite's variable limit), never one query per asset.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, case, exists, func, insert, select, update

from assetgraph.errors import StorageError, UsageError
from assetgraph.storage import dynamic_partitions, migrations, schema
from assetgraph.storage.chunking import rows_in
from assetgraph.storage.early_cutoff import data_version_event_id, data_version_event_id_sql
from assetgraph.storage.engine import (
    HeldWriter,
    corrupt_error,
    integrity_problem,
    make_engine,
    run_read,
    run_write,
)
from assetgraph.storage.events import Materialized, Observed, StepFailed
from assetgraph.storage.records import (
    PAYLOAD_VERSION,
    EventRecord,
    EventType,
    MaterializationRecord,
    RunRecord,
    RunStatus,
    VersionRow,
    VersionSummary,
)

T = TypeVar("T")

_RUN_FIELDS = {"status", "started_at", "ended_at", "heartbeat_at", "error", "pid", "hostname"}
MAX_INDEXED_TAG_LENGTH = 500
"""Tag values up to this many characters are indexed for filtering; a longer one (a big
backfill's targets) is kept with its run only, since an index row is limited to a few KB
on PostgreSQL."""


class SqlStorage:
    """Reads and writes the metadata database at ``url`` (SQLite or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.display_url = self.engine.url.render_as_string(hide_password=True)
        self._writer = HeldWriter(self.engine, self._where)
        self._checked = False

    # -- schema ---------------------------------------------------------------------------

    def upgrade(self) -> list[int]:
        """Create the schema or apply pending migrations; returns the versions applied."""
        applied = run_write(self.engine, migrations.upgrade, self._where)
        self._checked = True
        return applied

    def check_integrity(self) -> None:
        """Raise ``StorageError`` naming the file when SQLite finds the database corrupt.

        Reads the whole file (``PRAGMA quick_check``); PostgreSQL is taken as sound.
        """
        problem = run_read(self.engine, integrity_problem, self._where)
        if problem is not None:
            raise corrupt_error(self.display_url, problem)

    def schema_version(self) -> int | None:
        return run_read(self.engine, migrations.stored_version, self._where)

    def _ensure_schema(self) -> None:
        if self._checked:
            return
        version = self.schema_version()
        if version is None:
            self.upgrade()
            return
        migrations.check_version(version, self.display_url)
        self._checked = True

    def _where(self) -> str:
        return self.display_url

    def write(self, work: Callable[[Connection], T], retry_locks: bool = True) -> T:
        """Run ``work(connection)`` in one write transaction (retried while SQLite is locked,
        unless ``retry_locks`` is false)."""
        self._ensure_schema()
        return self._writer.run(work, retry_locks)

    def read(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(connection)`` on a connection; database errors become StorageError."""
        self._ensure_schema()
        return run_read(self.engine, work, self._where)

    def dispose(self) -> None:
        """Close every pooled connection (the storage stays usable)."""
        self._writer.close()
        self.engine.dispose()

    # -- runs -----------------------------------------------------------------------------

    def create_run(self, run: RunRecord) -> None:
        """Record a new run and its tags."""

        indexed = [
            {"run_id": run.run_id, "key": k, "value": v}
            for k, v in run.tags.items()
            if len(v) <= MAX_INDEXED_TAG_LENGTH
        ]

        def work(conn: Connection) -> None:
            conn.execute(insert(schema.runs), [_run_row(run)])
            if indexed:
                conn.execute(insert(schema.run_tags), indexed)

        self.write(work)

    def update_run(self, run_id: str, **fields: Any) -> None:
        """Set some of a run's fields: status, started_at, ended_at, heartbeat_at, error."""
        unknown = set(fields) - _RUN_FIELDS
        if unknown:
            raise ValueError(f"update_run: unknown field(s) {sorted(unknown)}")
        if isinstance(fields.get("status"), RunStatus):
            fields["status"] = fields["status"].value
        self.write(
            lambda conn: conn.execute(
                update(schema.runs).where(schema.runs.c.run_id == run_id).values(**fields)
            )
        )

    def get_run(self, run_id: str) -> RunRecord | None:
        """The run with this id, or with this unique prefix (at least 4 characters)."""

        def work(conn: Connection) -> RunRecord | None:
            row = conn.execute(select(schema.runs).where(schema.runs.c.run_id == run_id)).first()
            if row is None and len(run_id) >= 4:
                pattern = run_id.replace("\\", "").replace("%", "").replace("_", "") + "%"
                rows = conn.execute(
                    select(schema.runs).where(schema.runs.c.run_id.like(pattern)).limit(2)
                ).all()
                if len(rows) > 1:
                    raise UsageError(
                        f"Run id prefix '{run_id}' matches several runs: give more characters."
                    )
                row = rows[0] if rows else None
            return None if row is None else _run_record(row._mapping)

        result: RunRecord | None = self.read(work)
        return result

    def list_runs(
        self,
        limit: int | None = 20,
        statuses: Sequence[RunStatus] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> list[RunRecord]:
        """Runs, newest first, filtered by status and by tags (all must match; a value
        longer than ``MAX_INDEXED_TAG_LENGTH`` cannot be filtered on)."""
        for key, value in (tags or {}).items():
            if len(value) > MAX_INDEXED_TAG_LENGTH:
                raise UsageError(
                    f"Cannot filter runs by tag '{key}': its value is longer than "
                    f"{MAX_INDEXED_TAG_LENGTH} characters, and such values are not indexed."
                )
        query = select(schema.runs).order_by(schema.runs.c.created_at.desc())
        if statuses:
            query = query.where(schema.runs.c.status.in_([s.value for s in statuses]))
        for key, value in (tags or {}).items():
            query = query.where(
                exists().where(
                    and_(
                        schema.run_tags.c.run_id == schema.runs.c.run_id,
                        schema.run_tags.c.key == key,
                        schema.run_tags.c.value == value,
                    )
                )
            )
        if limit is not None:
            query = query.limit(limit)
        rows = self.read(lambda conn: conn.execute(query).all())
        return [_run_record(row._mapping) for row in rows]

    # -- events ---------------------------------------------------------------------------

    def store_events(self, events: Sequence[EventRecord]) -> list[int]:
        """Append events to the log and update the index, in one transaction.

        Returns the event ids the database assigned, in order.
        """
        if not events:
            return []
        ids: list[int] = self.write(lambda conn: self.write_events(conn, events))
        return ids

    def write_events(self, conn: Connection, events: Sequence[EventRecord]) -> list[int]:
        """Append ``events`` and update the index inside the caller's transaction."""
        ids = _insert_events(conn, [_event_values(event) for event in events])
        _index_events(conn, events, ids)
        return ids

    def events_for_run(
        self,
        run_id: str,
        event_types: Iterable[EventType] | None = None,
        after_id: int | None = None,
    ) -> list[EventRecord]:
        """A run's events in the order they were stored."""
        query = select(schema.events).where(schema.events.c.run_id == run_id)
        if event_types is not None:
            query = query.where(schema.events.c.event_type.in_([t.value for t in event_types]))
        if after_id is not None:
            query = query.where(schema.events.c.id > after_id)
        rows = self.read(lambda conn: conn.execute(query.order_by(schema.events.c.id)).all())
        return [_event_record(row._mapping) for row in rows]

    def select_events(self, query: Any) -> list[EventRecord]:
        """The events a ``select`` of the events table finds, in its order."""
        rows = self.read(lambda conn: conn.execute(query).all())
        return [_event_record(row._mapping) for row in rows]

    def count_events(self, event_type: EventType | None = None) -> int:
        """How many events the log holds (of one type)."""
        query = select(func.count()).select_from(schema.events)
        if event_type is not None:
            query = query.where(schema.events.c.event_type == event_type.value)
        count: int = self.read(lambda conn: conn.execute(query).scalar_one())
        return count

    # -- the materialization index --------------------------------------------------------

    def latest_materializations(
        self, asset_keys: Iterable[str] | None = None
    ) -> dict[tuple[str, str | None], MaterializationRecord]:
        """The latest materialization of every (asset, partition) of the given assets."""
        table = schema.asset_partitions
        base = select(table).where(table.c.materialization_event_id.is_not(None))

        def work(conn: Connection) -> list[Any]:
            if asset_keys is None:
                return list(conn.execute(base).all())
            return rows_in(conn, base, table.c.asset_key, asset_keys)

        records: dict[tuple[str, str | None], MaterializationRecord] = {}
        for row in self.read(work):
            record = MaterializationRecord.from_row(row._mapping)
            records[(record.asset_key, record.partition_key)] = record
        return records

    def materialized_partitions(self, asset_keys: Iterable[str]) -> dict[str, list[str | None]]:
        """Asset key -> every partition key with a materialization (None: unpartitioned)."""
        table = schema.asset_partitions
        query = select(table.c.asset_key, table.c.partition_key).where(
            table.c.materialization_event_id.is_not(None)
        )

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, table.c.asset_key, asset_keys)

        found: dict[str, list[str | None]] = {}
        for asset_key, partition in self.read(work):
            found.setdefault(asset_key, []).append(
                None if partition == schema.NO_PARTITION else partition
            )
        return found

    def version_summaries(self, asset_keys: Iterable[str]) -> dict[str, VersionSummary]:
        """Per asset, in one query: how many partitions are materialized, the oldest
        materialization, the newest data version change, and its code versions."""
        table = schema.asset_partitions
        query = (
            select(
                table.c.asset_key,
                func.count(table.c.materialization_event_id),
                func.min(table.c.materialization_event_id),
                func.max(table.c.data_version_event_id),
                func.count(func.distinct(table.c.code_version)),
                func.min(table.c.code_version),
            )
            .where(table.c.materialization_event_id.is_not(None))
            .group_by(table.c.asset_key)
        )

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, table.c.asset_key, asset_keys)

        return {
            row[0]: VersionSummary(int(row[1]), row[2], row[3], int(row[4]), row[5])
            for row in self.read(work)
        }

    def version_rows(
        self, asset_keys: Iterable[str], changed_after: int | None = None
    ) -> dict[str, list[VersionRow]]:
        """Per asset, the version columns of each materialized partition.

        ``changed_after`` keeps only partitions whose data version changed after that
        event id (what a downstream asset may not have read yet).
        """
        table = schema.asset_partitions
        query = select(
            table.c.asset_key,
            table.c.partition_key,
            table.c.materialization_event_id,
            table.c.code_version,
            table.c.data_version,
            table.c.data_version_event_id,
        ).where(table.c.materialization_event_id.is_not(None))
        if changed_after is not None:
            query = query.where(table.c.data_version_event_id > changed_after)

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, table.c.asset_key, asset_keys)

        found: dict[str, list[VersionRow]] = {}
        for asset_key, partition, event_id, code, data, changed in self.read(work):
            key = None if partition == schema.NO_PARTITION else partition
            found.setdefault(asset_key, []).append(VersionRow(key, event_id, code, data, changed))
        return found

    def event_payloads(self, event_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The payloads of the given events (e.g. the input versions a materialization read)."""
        table = schema.events
        query = select(table.c.id, table.c.payload)

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, table.c.id, sorted(set(event_ids)))

        return {int(event_id): json.loads(payload) for event_id, payload in self.read(work)}

    def partition_counts(self, asset_keys: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Asset key -> (partitions materialized, partitions whose latest attempt failed)."""
        table = schema.asset_partitions
        failed = and_(
            table.c.failure_event_id.is_not(None),
            func.coalesce(table.c.materialization_event_id, -1) < table.c.failure_event_id,
        )
        query = select(
            table.c.asset_key,
            func.count(table.c.materialization_event_id),
            func.sum(_case_int(failed)),
        ).group_by(table.c.asset_key)

        def work(conn: Connection) -> list[Any]:
            return rows_in(conn, query, table.c.asset_key, asset_keys)

        return {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in self.read(work)}

    # -- dynamic partitions ---------------------------------------------------------------

    def add_dynamic_partitions(self, name: str, keys: Iterable[str]) -> int:
        """Add keys to a dynamic partitions definition (existing ones are kept); bulk.

        Every key is checked first (``validate_partition_key``): one bad key refuses the
        whole call, so nothing is half-added. Returns how many keys were new.
        """
        from assetgraph.partitions.definitions import validate_partition_key

        unique = list(dict.fromkeys(keys))
        for key in unique:
            validate_partition_key(key)
        added: int = self.write(lambda conn: dynamic_partitions.add(conn, name, unique))
        return added

    def delete_dynamic_partitions(self, name: str, keys: Iterable[str]) -> int:
        """Remove keys from a dynamic partitions definition; returns how many existed."""
        wanted = list(keys)
        removed: int = self.write(lambda conn: dynamic_partitions.delete_keys(conn, name, wanted))
        return removed

    def get_dynamic_partitions(self, name: str) -> list[str]:
        """Every key of a dynamic partitions definition, in the order they were added."""
        keys: list[str] = self.read(lambda conn: dynamic_partitions.all_keys(conn, name))
        return keys

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        return self.dynamic_partition_index(name, key) is not None

    def dynamic_partitions_count(self, name: str) -> int:
        """How many keys the dynamic definition ``name`` has, without reading them."""
        found: int = self.read(lambda conn: dynamic_partitions.count(conn, name))
        return found

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int) -> list[str]:
        """The keys of ``name`` at indices ``start`` to ``stop`` (excluded)."""
        keys: list[str] = self.read(
            lambda conn: dynamic_partitions.keys_between(conn, name, start, stop)
        )
        return keys

    def dynamic_partition_indices(self, name: str, keys: Iterable[str]) -> dict[str, int]:
        """Key -> index for those of ``keys`` that ``name`` has."""
        wanted = list(keys)
        found: dict[str, int] = self.read(
            lambda conn: dynamic_partitions.positions(conn, name, wanted)
        )
        return found

    def dynamic_partition_keys_at(self, name: str, indices: Iterable[int]) -> dict[int, str]:
        """Index -> key for those of ``indices`` that ``name`` has."""
        wanted = list(indices)
        found: dict[int, str] = self.read(
            lambda conn: dynamic_partitions.keys_at(conn, name, wanted)
        )
        return found

    def dynamic_partitions_generation(self, name: str) -> int:
        """How many deletes have moved keys of ``name`` (adds never do)."""
        found: int = self.read(lambda conn: dynamic_partitions.generation(conn, name))
        return found

    def dynamic_partition_index(self, name: str, key: str) -> int | None:
        """The index of ``key`` in ``name``, or None when it was never added."""
        return self.dynamic_partition_indices(name, [key]).get(key)

    def dynamic_partitions_names(self) -> list[str]:
        found: list[str] = self.read(dynamic_partitions.names)
        return found


# -- rows <-> records ---------------------------------------------------------------------


def _case_int(condition: Any) -> Any:
    return case((condition, 1), else_=0)


_ENCODER = json.JSONEncoder(default=str, separators=(",", ":"))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def _run_row(run: RunRecord) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "status": run.status.value,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "ended_at": run.ended_at,
        "heartbeat_at": run.started_at,
        "selection": run.selection,
        "asset_keys": _dumps(list(run.asset_keys)),
        "run_config": _dumps(run.run_config),
        "tags": _dumps(run.tags),
        "error": run.error,
    }


def _run_record(row: Any) -> RunRecord:
    return RunRecord(
        run_id=row["run_id"],
        status=RunStatus(row["status"]),
        created_at=row["created_at"],
        selection=row["selection"],
        asset_keys=tuple(json.loads(row["asset_keys"])),
        tags=json.loads(row["tags"]),
        run_config=json.loads(row["run_config"]),
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        error=row["error"],
        pid=row["pid"],
        hostname=row["hostname"],
        heartbeat_at=row["heartbeat_at"],
        cancel_requested=bool(row["cancel_requested"]),
    )


def _event_values(event: EventRecord) -> tuple[Any, ...]:
    """An event as the values of ``_EVENT_COLUMNS``."""
    payload = event.payload
    return (
        event.run_id,
        event.event_type.value,
        event.timestamp,
        event.step_key,
        event.asset_key,
        event.partition_key,
        event.message,
        _dumps({"v": PAYLOAD_VERSION, **payload}) if payload else _EMPTY_PAYLOAD,
    )


_EMPTY_PAYLOAD = _dumps({"v": PAYLOAD_VERSION})
"""A payload with nothing in it (every step's start has one), encoded once."""


def _insert_events(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """Insert event rows, up to ``_ROWS_PER_INSERT`` per statement; their ids, in order.

    The statements go to the driver's cursor: SQLAlchemy's statement and result layers
    cost more than the inserts. The ids of one statement's rows are assigned in the order
    of its VALUES (SQLite: one more than the largest so far; PostgreSQL: the sequence), so
    sorted they match the rows, whatever order RETURNING gives them in.
    """
    postgres = conn.dialect.name == "postgresql"
    cursor = conn.connection.cursor()
    ids: list[int] = []
    try:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            cursor.execute(_insert_events_sql(len(chunk), postgres), _flat(chunk))
            ids.extend(sorted(int(row[0]) for row in cursor.fetchall()))
    finally:
        cursor.close()
    return ids


def _flat(rows: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rows[0] if len(rows) == 1 else tuple(chain.from_iterable(rows))


_INSERT_EVENTS_SQL: dict[tuple[int, bool], str] = {}


def _insert_events_sql(count: int, postgres: bool) -> str:
    """``INSERT INTO events ... VALUES (...), ... RETURNING id`` for ``count`` rows."""
    sql = _INSERT_EVENTS_SQL.get((count, postgres))
    if sql is None:
        mark = "%s" if postgres else "?"
        row = f"({', '.join(mark for _ in _EVENT_COLUMNS)})"
        sql = _INSERT_EVENTS_SQL[(count, postgres)] = (
            f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
            f"VALUES {', '.join(row for _ in range(count))} RETURNING id"
        )
    return sql


def _event_record(row: Any) -> EventRecord:
    payload = json.loads(row["payload"])
    version = payload.pop("v", PAYLOAD_VERSION)
    if version > PAYLOAD_VERSION:
        raise StorageError(
            f"Event {row['id']} was written by a newer assetgraph (payload version {version}); "
            "upgrade assetgraph to read it."
        )
    return EventRecord(
        run_id=row["run_id"],
        event_type=EventType(row["event_type"]),
        timestamp=row["timestamp"],
        step_key=row["step_key"],
        asset_key=row["asset_key"],
        partition_key=row["partition_key"],
        message=row["message"],
        payload=payload,
        event_id=row["id"],
    )


def _index_events(conn: Connection, events: Sequence[EventRecord], ids: Sequence[int]) -> None:
    """Upsert the latest materialization / failure of each (asset, partition) touched."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for event, event_id in zip(events, ids, strict=True):
        # An observation of a source asset stands for its materialization: it carries the
        # data version its downstream assets read.
        if event.event_type in _VERSIONED_EVENTS and event.asset_key:
            body = _VERSIONED_EVENTS[event.event_type].from_payload(event.payload)
            row = latest.setdefault(_index_key(event.asset_key, event.partition_key), {})
            changed = data_version_event_id(
                row.get("data_version"),
                row.get("data_version_event_id"),
                body.data_version,
                event_id,
            )
            row.update(
                materialization_event_id=event_id,
                materialization_run_id=event.run_id,
                materialized_at=event.timestamp,
                code_version=getattr(body, "code_version", None),
                data_version=body.data_version,
                data_version_event_id=changed,
                duration=body.duration,
                metadata=_dumps(body.metadata),
            )
        elif event.event_type is EventType.STEP_FAILURE:
            failure = StepFailed.from_payload(event.payload)
            for asset_key, partition in failure.failed_pairs(event.partition_key):
                row = latest.setdefault(_index_key(asset_key, partition), {})
                row.update(
                    failure_event_id=event_id,
                    failure_run_id=event.run_id,
                    failed_at=event.timestamp,
                )
    if not latest:
        return
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for (asset_key, partition), values in latest.items():
        row = {"asset_key": asset_key, "partition_key": partition, **values}
        by_columns.setdefault(tuple(sorted(values)), []).append(row)
    for columns, rows in by_columns.items():
        sql, names = _compiled_upsert(conn, columns)
        if names is None:  # named parameters (psycopg's pyformat): the rows as they are
            conn.connection.cursor().executemany(sql, rows)
        else:
            conn.connection.cursor().executemany(sql, [tuple(r[n] for n in names) for r in rows])


_COMPILED_UPSERTS: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...] | None]] = {}


def _compiled_upsert(
    conn: Connection, columns: tuple[str, ...]
) -> tuple[str, tuple[str, ...] | None]:
    """The index upsert of ``columns`` as the driver's SQL, compiled once per dialect and
    column set, with the order of its positional parameters (None: named)."""
    key = (conn.dialect.name, columns)
    cached = _COMPILED_UPSERTS.get(key)
    if cached is None:
        compiled = _index_upsert(conn.dialect.name, columns).compile(
            dialect=conn.dialect, column_keys=["asset_key", "partition_key", *columns]
        )
        names = (
            tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        )
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise AssertionError("the index upsert has no expanding parameters")
        cached = _COMPILED_UPSERTS[key] = (compiled.string, names)
    return cached


_EVENT_COLUMNS = (
    "run_id",
    "event_type",
    "timestamp",
    "step_key",
    "asset_key",
    "partition_key",
    "message",
    "payload",
)
_ROWS_PER_INSERT = 100
"""Event rows per INSERT statement: 800 parameters, under SQLite's oldest limit of 999."""

_VERSIONED_EVENTS: dict[EventType, type[Materialized] | type[Observed]] = {
    EventType.ASSET_MATERIALIZATION: Materialized,
    EventType.ASSET_OBSERVATION: Observed,
}

_UPSERTS: dict[tuple[str, tuple[str, ...]], Any] = {}


def _index_upsert(dialect: str, columns: tuple[str, ...]) -> Any:
    """The upsert of ``columns`` into the index, built once per dialect and column set."""
    cached = _UPSERTS.get((dialect, columns))
    if cached is None:
        table = schema.asset_partitions
        stmt = dialect_insert(dialect, table)
        updates: dict[str, Any] = {column: stmt.excluded[column] for column in columns}
        if "data_version_event_id" in updates:
            # Early cut-off: a rebuild with an unchanged data version keeps the old event id.
            updates["data_version_event_id"] = data_version_event_id_sql(table, stmt.excluded)
        cached = stmt.on_conflict_do_update(
            index_elements=[table.c.asset_key, table.c.partition_key], set_=updates
        )
        _UPSERTS[(dialect, columns)] = cached
    return cached


def dialect_insert(dialect: str, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT (SQLite and PostgreSQL both have it)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _index_key(asset_key: str, partition_key: str | None) -> tuple[str, str]:
    return asset_key, schema.NO_PARTITION if partition_key is None else partition_key


event_record = _event_record
"""An ``EventRecord`` from a row of the events table (for queries outside this class)."""
