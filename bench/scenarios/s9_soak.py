"""S9: soak the event log: 100,000 materialization events into SQLite and PostgreSQL.

Each unit is one step of a partitioned run, stored the way the executor stores it: one
``storage.store_events`` call (one transaction) with the step's three events, STEP_START,
ASSET_MATERIALIZATION (code and data versions, ``input_versions`` of its upstream,
duration, metadata) and STEP_SUCCESS. The materializations cover 100 assets x (size / 100)
partitions, each (asset, partition) once. Runs of 1,000 steps are created before the core
phase; the core phase is the ``store_events`` calls alone. Afterwards every event is
counted by type and the index must hold exactly one row per (asset, partition).

The figure is events per second over all stored events (three per step), reported as core
ms per event (0.2 ms = 5,000 events/s); ``extra`` also gives materializations per second.

baseline: plain ``sqlite3`` / ``psycopg`` writing the same rows in the same batches: per
step one transaction that inserts the three event rows (RETURNING id) and upserts the
materialization into an index table of the same shape (unique (asset, partition)), with
the settings assetgraph uses (WAL, ``synchronous=NORMAL``).

PostgreSQL: ``--url`` (a SQLAlchemy URL, ``postgresql+psycopg://...``), else
``ASSETGRAPH_TEST_POSTGRES_URL``, else ``postgresql+psycopg://postgres@127.0.0.1:5432/test``
when a server answers on 127.0.0.1:5432; otherwise the case is skipped with a message.
Each process works in a schema of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.protocol import Report, run_variants, timed
from bench.spec import Case, Figure, Scenario, module_command

if TYPE_CHECKING:
    from assetgraph.storage.records import EventRecord

MODULE = "bench.scenarios.s9_soak"
ASSETS = 100
RUN_STEPS = 1_000
EVENTS_PER_STEP = 3
POSTGRES_ENV = "ASSETGRAPH_TEST_POSTGRES_URL"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _case(backend: str, limit: float) -> Case:
    extra = ("--backend", backend)
    return Case(
        name=backend,
        command=module_command(MODULE, ("--size", "100000", *extra), ("--size", "2000", *extra)),
        unit="event",
        figures=(
            Figure("core_ms_per_unit", "core ms per event", limit),
            Figure("ratio_core", "core ratio to baseline"),
        ),
    )


SCENARIO = Scenario(
    id="S9",
    title="soak: 100,000 materialization events (3 events per step) into SQLite and PostgreSQL",
    cases=(_case("sqlite", 0.2), _case("postgres", 1000 / 3000)),
    notes=(
        "aims: ≥ 5,000 events/s SQLite (0.2 ms/event), ≥ 3,000/s PostgreSQL (0.333 ms/event)",
        "the PostgreSQL case reports no figure when no server answers on 127.0.0.1:5432",
    ),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


# The workload.


def steps(size: int) -> Iterator[tuple[int, str, str]]:
    """(step number, asset key, partition key) of every step, each (asset, partition) once."""
    for number in range(size):
        yield number, f"asset_{number % ASSETS:03d}", f"p{number // ASSETS:06d}"


def run_id_of(number: int) -> str:
    return f"soak-{number // RUN_STEPS:06d}"


def materialization_payload(asset_key: str, partition: str, number: int) -> dict[str, Any]:
    upstream = f"asset_{(int(asset_key[6:]) + 1) % ASSETS:03d}"
    return {
        "code_version": "v1",
        "data_version": f"{number:016x}",
        "input_versions": {upstream: {partition: f"{number + 1:016x}"}},
        "duration": 0.0123,
        "metadata": {"rows": 100, "path": f"/data/{asset_key}/{partition}.parquet"},
    }


def expected_counts(size: int) -> dict[str, int]:
    return {"step_start": size, "asset_materialization": size, "step_success": size}


def _check(what: str, got: object, expected: object) -> None:
    if got != expected:
        raise SystemExit(f"S9: {what}: {got}, expected {expected}.")


def _skip(args: argparse.Namespace, reason: str) -> Report:
    print(f"S9 {args.backend}: skipped: {reason}", file=sys.stderr)
    return Report(units=args.size * EVENTS_PER_STEP, core_ms=None, extra={"skipped": reason})


def _rates(size: int, core_ms: float) -> dict[str, Any]:
    seconds = core_ms / 1000.0
    return {
        "events": size * EVENTS_PER_STEP,
        "events_per_s": round(size * EVENTS_PER_STEP / seconds, 1),
        "materializations_per_s": round(size / seconds, 1),
    }


# PostgreSQL.


def postgres_base(args: argparse.Namespace) -> tuple[str | None, str]:
    """The server's SQLAlchemy URL, or None and why not."""
    url: str | None = args.url or os.environ.get(POSTGRES_ENV)
    if url:
        return url, ""
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError:
        return None, (
            "no PostgreSQL server answers on 127.0.0.1:5432; pass --url "
            f"postgresql+psycopg://user@host/db or set {POSTGRES_ENV}"
        )
    return DEFAULT_POSTGRES, ""


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A fresh schema on the server; yields its name and drops it afterwards."""
    import psycopg

    name = f"s9_{uuid.uuid4().hex[:12]}"
    conninfo = libpq_url(base)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')


def libpq_url(url: str) -> str:
    """A SQLAlchemy ``postgresql+driver://`` URL as libpq accepts it."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme.startswith("postgresql") else url


def with_search_path(url: str, name: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{name}"


# assetgraph.


def _batches(size: int) -> list[list[EventRecord]]:
    from assetgraph.storage.records import EventRecord, EventType

    now = time.time()
    batches: list[list[EventRecord]] = []
    for number, asset_key, partition in steps(size):
        run_id = run_id_of(number)
        step_key = f"{asset_key}[{partition}]"
        batches.append(
            [
                EventRecord(run_id, EventType.STEP_START, now, step_key, asset_key, partition),
                EventRecord(
                    run_id,
                    EventType.ASSET_MATERIALIZATION,
                    now,
                    step_key,
                    asset_key,
                    partition,
                    payload=materialization_payload(asset_key, partition, number),
                ),
                EventRecord(
                    run_id,
                    EventType.STEP_SUCCESS,
                    now,
                    step_key,
                    asset_key,
                    partition,
                    payload={"duration": 0.0123},
                ),
            ]
        )
    return batches


def _soak(url: str, size: int) -> Report:
    from sqlalchemy import func, select

    from assetgraph.storage import schema
    from assetgraph.storage.records import EventType, RunRecord, RunStatus
    from assetgraph.storage.sql_storage import SqlStorage

    storage = SqlStorage(url)
    try:
        storage.upgrade()
        for run in sorted({run_id_of(number) for number in range(size)}):
            storage.create_run(RunRecord(run, RunStatus.STARTED, created_at=time.time()))
        batches = _batches(size)
        with timed() as core:
            for batch in batches:
                storage.store_events(batch)
        counts = {name: storage.count_events(EventType(name)) for name in expected_counts(size)}
        _check("events by type", counts, expected_counts(size))
        _check("all events", storage.count_events(), size * EVENTS_PER_STEP)
        index = schema.asset_partitions
        rows, distinct, with_payload = storage.read(
            lambda conn: conn.execute(
                select(
                    func.count(),
                    func.count(func.distinct(index.c.asset_key + "/" + index.c.partition_key)),
                    func.count(index.c.materialization_event_id),
                )
            ).one()
        )
        found = (rows, distinct, with_payload)
        _check("index rows, distinct (asset, partition), materialized", found, (size,) * 3)
        extra = {**_rates(size, core.ms), "counts": counts, "index_rows": rows}
        return Report(units=size * EVENTS_PER_STEP, core_ms=core.ms, extra=extra)
    finally:
        storage.dispose()


def run_assetgraph(args: argparse.Namespace) -> Report:
    if args.backend == "sqlite":
        folder = home()
        return _soak(f"sqlite:///{folder}/assetgraph.db", args.size)
    base, reason = postgres_base(args)
    if base is None:
        return _skip(args, reason)
    with postgres_schema(base) as name:
        return _soak(with_search_path(base, name), args.size)


# Baseline.

_BASE_EVENTS = (
    "CREATE TABLE events (id {id} PRIMARY KEY, run_id VARCHAR(64) NOT NULL, "
    "event_type VARCHAR(32) NOT NULL, timestamp DOUBLE PRECISION NOT NULL, step_key TEXT, "
    "asset_key TEXT, partition_key TEXT, message TEXT, payload TEXT NOT NULL)"
)
_BASE_INDEXES = (
    "CREATE INDEX ix_events_run_id ON events (run_id, id)",
    "CREATE INDEX ix_events_asset ON events (asset_key, event_type, id)",
    "CREATE TABLE asset_partitions (asset_key TEXT NOT NULL, partition_key TEXT NOT NULL, "
    "materialization_event_id BIGINT, materialization_run_id VARCHAR(64), "
    "materialized_at DOUBLE PRECISION, code_version TEXT, data_version TEXT, "
    "data_version_event_id BIGINT, metadata TEXT, UNIQUE (asset_key, partition_key))",
)
_BASE_INSERT = (
    "INSERT INTO events (run_id, event_type, timestamp, step_key, asset_key, partition_key, "
    "message, payload) VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m}, {m}) RETURNING id"
)
_BASE_UPSERT = (
    "INSERT INTO asset_partitions (asset_key, partition_key, materialization_event_id, "
    "materialization_run_id, materialized_at, code_version, data_version, "
    "data_version_event_id, metadata) VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m}, {m}, {m}) "
    "ON CONFLICT (asset_key, partition_key) DO UPDATE SET "
    "materialization_event_id = excluded.materialization_event_id, "
    "materialization_run_id = excluded.materialization_run_id, "
    "materialized_at = excluded.materialized_at, code_version = excluded.code_version, "
    "data_version = excluded.data_version, data_version_event_id = "
    "excluded.data_version_event_id, metadata = excluded.metadata"
)

Row = tuple[str, str, float, str, str, str, None, str]


def _baseline_batches(size: int) -> list[tuple[list[Row], tuple[Any, ...]]]:
    now = time.time()
    batches: list[tuple[list[Row], tuple[Any, ...]]] = []
    for number, asset_key, partition in steps(size):
        run_id = run_id_of(number)
        step_key = f"{asset_key}[{partition}]"
        payload = materialization_payload(asset_key, partition, number)

        rows: list[Row] = [
            (run_id, kind, now, step_key, asset_key, partition, None, json.dumps({"v": 1, **body}))
            for kind, body in (
                ("step_start", {}),
                ("asset_materialization", payload),
                ("step_success", {"duration": 0.0123}),
            )
        ]
        index = (
            asset_key,
            partition,
            run_id,
            now,
            payload["code_version"],
            payload["data_version"],
            json.dumps(payload["metadata"]),
        )
        batches.append((rows, index))
    return batches


def _write_batch(cursor: Any, insert: str, upsert: str, rows: list[Row], index: Any) -> None:
    ids = []
    for row in rows:
        cursor.execute(insert, row)
        ids.append(cursor.fetchone()[0])
    asset_key, partition, run_id, now, code, data, metadata = index
    cursor.execute(
        upsert, (asset_key, partition, ids[1], run_id, now, code, data, ids[1], metadata)
    )


def _baseline_verify(cursor: Any, size: int) -> dict[str, int]:
    cursor.execute("SELECT event_type, count(*) FROM events GROUP BY event_type")
    counts = {str(kind): int(count) for kind, count in cursor.fetchall()}
    _check("events by type", counts, expected_counts(size))
    cursor.execute("SELECT count(*) FROM asset_partitions")
    _check("index rows", int(cursor.fetchone()[0]), size)
    return counts


def _baseline_sqlite(size: int) -> Report:
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_BASE_EVENTS.format(id="INTEGER"))
        for statement in _BASE_INDEXES:
            db.execute(statement)
        insert, upsert = _BASE_INSERT.format(m="?"), _BASE_UPSERT.format(m="?")
        batches = _baseline_batches(size)
        cursor = db.cursor()
        with timed() as core:
            for rows, index in batches:
                cursor.execute("BEGIN IMMEDIATE")
                _write_batch(cursor, insert, upsert, rows, index)
                cursor.execute("COMMIT")
        counts = _baseline_verify(cursor, size)
        return Report(size * EVENTS_PER_STEP, core.ms, {**_rates(size, core.ms), "counts": counts})
    finally:
        db.close()


def _baseline_postgres(base: str, size: int) -> Report:
    import psycopg

    with postgres_schema(base) as name:
        conn = psycopg.connect(libpq_url(base), options=f"-csearch_path={name}")
        try:
            with conn.transaction():
                conn.execute(_BASE_EVENTS.format(id="BIGSERIAL"))
                for statement in _BASE_INDEXES:
                    conn.execute(statement)
            insert, upsert = _BASE_INSERT.format(m="%s"), _BASE_UPSERT.format(m="%s")
            batches = _baseline_batches(size)
            cursor = conn.cursor()
            with timed() as core:
                for rows, index in batches:
                    with conn.transaction():
                        _write_batch(cursor, insert, upsert, rows, index)
            counts = _baseline_verify(cursor, size)
            extra = {**_rates(size, core.ms), "counts": counts}
            return Report(size * EVENTS_PER_STEP, core.ms, extra)
        finally:
            conn.close()


def run_baseline(args: argparse.Namespace) -> Report:
    if args.backend == "sqlite":
        return _baseline_sqlite(args.size)
    base, reason = postgres_base(args)
    if base is None:
        return _skip(args, reason)
    return _baseline_postgres(base, args.size)


def _extra_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url", help="PostgreSQL SQLAlchemy URL (postgresql+psycopg://...)")


VARIANTS: dict[str, Callable[[argparse.Namespace], Report]] = {
    "assetgraph": run_assetgraph,
    "baseline": run_baseline,
}


def main(argv: list[str] | None = None) -> None:
    run_variants(
        VARIANTS,
        description=__doc__ or "",
        default_size=100_000,
        extra_args=_extra_args,
        argv=argv,
    )


if __name__ == "__main__":
    main()
