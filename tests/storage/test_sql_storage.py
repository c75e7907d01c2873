"""The metadata database, on SQLite and on PostgreSQL: runs, events, the index, partitions."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from assetgraph import StorageError, UsageError
from assetgraph.storage import migrations, schema
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.storage.sql_storage import SqlStorage


def _run(run_id: str, created: float, **tags: str) -> RunRecord:
    return RunRecord(run_id, RunStatus.STARTED, created, started_at=created, tags=tags)


def _materialization(
    run_id: str, key: str, partition: str | None = None, code_version: str = "v1"
) -> EventRecord:
    return EventRecord(
        run_id,
        EventType.ASSET_MATERIALIZATION,
        time.time(),
        step_key=key,
        asset_key=key,
        partition_key=partition,
        payload={"code_version": code_version, "metadata": {"rows": 3}},
    )


def _failure(run_id: str, key: str, partition: str | None = None) -> EventRecord:
    return EventRecord(
        run_id,
        EventType.STEP_FAILURE,
        time.time(),
        step_key=key,
        partition_key=partition,
        message="boom",
        payload={"asset_keys": [key]},
    )


def test_a_new_database_gets_the_current_schema(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    assert storage.list_runs() == []
    assert storage.schema_version() == migrations.CURRENT_VERSION
    assert storage.upgrade() == []


def test_runs_are_stored_found_by_prefix_and_filtered(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.create_run(_run("aaaa1111", 1.0, team="sales"))
    storage.create_run(_run("aaaa2222", 2.0, team="ops"))
    storage.create_run(_run("bbbb3333", 3.0, team="sales", env="prod"))
    storage.update_run("aaaa1111", status=RunStatus.SUCCESS, ended_at=5.0)

    run = storage.get_run("aaaa1111")
    assert run is not None and run.status is RunStatus.SUCCESS and run.duration == 4.0
    assert storage.get_run("bbbb") is not None and storage.get_run("bbbb").run_id == "bbbb3333"  # type: ignore[union-attr]
    assert storage.get_run("cccc") is None
    with pytest.raises(UsageError, match="matches several runs"):
        storage.get_run("aaaa")

    assert [r.run_id for r in storage.list_runs()] == ["bbbb3333", "aaaa2222", "aaaa1111"]
    assert [r.run_id for r in storage.list_runs(limit=1)] == ["bbbb3333"]
    assert [r.run_id for r in storage.list_runs(tags={"team": "sales"})] == [
        "bbbb3333",
        "aaaa1111",
    ]
    assert [r.run_id for r in storage.list_runs(tags={"team": "sales", "env": "prod"})] == [
        "bbbb3333"
    ]
    assert [r.run_id for r in storage.list_runs(statuses=[RunStatus.SUCCESS])] == ["aaaa1111"]


def test_a_tag_too_long_to_index_is_kept_with_its_run(storage_url: str) -> None:
    """A big backfill's targets: incompressible and longer than a PostgreSQL index row."""
    import secrets

    storage = SqlStorage(storage_url)
    long_value = secrets.token_hex(10_000)
    storage.create_run(_run("cccc1111", 1.0, targets=long_value, team="sales"))
    run = storage.get_run("cccc1111")
    assert run is not None and run.tags == {"targets": long_value, "team": "sales"}
    assert [r.run_id for r in storage.list_runs(tags={"team": "sales"})] == ["cccc1111"]
    with pytest.raises(UsageError, match="Cannot filter runs by tag 'targets'"):
        storage.list_runs(tags={"targets": long_value})


def test_events_keep_their_order_ids_and_payloads(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.create_run(_run("r1", 1.0))
    first = storage.store_events([EventRecord("r1", EventType.RUN_START, 1.0, message="go")])
    later = storage.store_events(
        [
            EventRecord("r1", EventType.LOG, 2.0, step_key="s", payload={"level": "INFO"}),
            _materialization("r1", "orders"),
        ]
    )
    assert len(first) == 1 and len(later) == 2 and first[0] < later[0] < later[1]
    events = storage.events_for_run("r1")
    assert [e.event_type for e in events] == [
        EventType.RUN_START,
        EventType.LOG,
        EventType.ASSET_MATERIALIZATION,
    ]
    assert events[1].payload == {"level": "INFO"} and events[0].message == "go"
    logs = storage.events_for_run("r1", event_types=[EventType.LOG])
    assert [e.event_id for e in logs] == [later[0]]
    assert [e.event_id for e in storage.events_for_run("r1", after_id=later[0])] == [later[1]]


def test_the_index_holds_the_latest_materialization_per_partition(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.store_events([_materialization("r1", "orders", "2025-01-01", "v1")])
    storage.store_events(
        [
            _materialization("r2", "orders", "2025-01-01", "v2"),
            _materialization("r2", "orders", "2025-01-02", "v2"),
            _materialization("r2", "revenue"),
        ]
    )
    latest = storage.latest_materializations(["orders", "revenue"])
    assert set(latest) == {("orders", "2025-01-01"), ("orders", "2025-01-02"), ("revenue", None)}
    record = latest[("orders", "2025-01-01")]
    assert record.run_id == "r2" and record.code_version == "v2" and record.metadata == {"rows": 3}
    assert storage.latest_materializations(["nothing"]) == {}
    assert len(storage.latest_materializations()) == 3


def test_failures_are_indexed_until_a_later_success(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.store_events([_materialization("r1", "orders", "2025-01-01")])
    storage.store_events([_failure("r2", "orders", "2025-01-01"), _failure("r2", "orders", "d2")])
    assert storage.partition_counts(["orders"]) == {"orders": (1, 2)}
    storage.store_events([_materialization("r3", "orders", "d2")])
    assert storage.partition_counts(["orders", "other"]) == {"orders": (2, 1)}
    # A failure leaves the last good materialization in place.
    assert storage.latest_materializations(["orders"])[("orders", "2025-01-01")].run_id == "r1"


def test_reads_of_many_assets_are_chunked(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    keys = [f"asset_{i}" for i in range(2_500)]
    storage.store_events([_materialization("r1", key) for key in keys])
    assert len(storage.latest_materializations(keys)) == 2_500
    assert len(storage.partition_counts(keys)) == 2_500


def test_dynamic_partitions_are_bulk_added_ordered_and_deleted(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    assert storage.add_dynamic_partitions("customers", ["acme", "globex", "acme"]) == 2
    assert storage.add_dynamic_partitions("customers", ["globex", "initech"]) == 1
    assert storage.get_dynamic_partitions("customers") == ["acme", "globex", "initech"]
    assert storage.has_dynamic_partition("customers", "globex")
    assert not storage.has_dynamic_partition("regions", "globex")
    assert storage.delete_dynamic_partitions("customers", ["globex", "nope"]) == 1
    assert storage.get_dynamic_partitions("customers") == ["acme", "initech"]
    many = [f"k{i:06d}" for i in range(50_000)]
    assert storage.add_dynamic_partitions("big", many) == 50_000
    assert storage.get_dynamic_partitions("big")[-1] == "k049999"
    assert storage.dynamic_partitions_names() == ["big", "customers"]


def test_a_newer_schema_is_refused_and_an_older_one_asks_for_upgrade(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.list_runs()
    with storage.engine.begin() as conn:
        conn.execute(schema.schema_version.insert(), [{"version": 99, "applied_at": 0.0}])
    with pytest.raises(StorageError, match="schema version 99, newer than this assetgraph"):
        SqlStorage(storage_url).list_runs()
    with storage.engine.begin() as conn:
        conn.execute(sa.delete(schema.schema_version))
        conn.execute(schema.schema_version.insert(), [{"version": 0, "applied_at": 0.0}])
    with pytest.raises(StorageError, match="Run 'assetgraph storage upgrade'"):
        SqlStorage(storage_url).list_runs()


def test_an_unreachable_database_is_one_clear_error() -> None:
    storage = SqlStorage("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(StorageError) as caught:
        storage.list_runs()
    message = str(caught.value)
    assert "127.0.0.1:1" in message and "is unavailable" in message
    assert "secret" not in message


def _write_events(url: str, run_id: str, count: int) -> None:
    storage = SqlStorage(url)
    storage.create_run(_run(run_id, time.time()))
    for i in range(count):
        storage.store_events([_materialization(run_id, f"{run_id}_asset", f"p{i}")])


def test_concurrent_writers_lose_nothing(storage_url: str) -> None:
    SqlStorage(storage_url).upgrade()
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_write_events, args=(storage_url, f"run{n}", 60)) for n in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    storage = SqlStorage(storage_url)
    assert storage.count_events(EventType.ASSET_MATERIALIZATION) == 240
    assert len(storage.latest_materializations()) == 240


def test_sqlite_databases_live_in_wal_mode(tmp_path: Path) -> None:
    storage = SqlStorage(f"sqlite:///{tmp_path}/deep/folder/meta.db")
    storage.list_runs()
    with storage.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert (tmp_path / "deep" / "folder" / "meta.db").is_file()


def test_a_version_1_database_is_upgraded_step_by_step(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.store_events([_materialization("r1", "orders", "d1")])
    storage.add_dynamic_partitions("regions", ["eu", "us"])
    storage.add_dynamic_partitions("stores", ["s1"])
    storage.add_dynamic_partitions("regions", ["apac"])
    with storage.engine.begin() as conn:  # make it look like a version 1 database
        for index in (
            "ix_dynamic_partitions_position",
            "ix_asset_partitions_materialization",
            "ix_asset_partitions_failure",
        ):
            conn.execute(sa.text(f"DROP INDEX {index}"))
        conn.execute(sa.text("DROP TABLE asset_partition_status"))
        conn.execute(sa.text("ALTER TABLE dynamic_partitions DROP COLUMN position"))
        conn.execute(sa.text("ALTER TABLE asset_partitions DROP COLUMN data_version_event_id"))
        conn.execute(sa.text("ALTER TABLE runs DROP COLUMN cancel_requested"))
        for table in (
            "concurrency_slots",
            "asset_leases",
            "automation_ticks",
            "cursors",
            "daemon_leases",
            "backfills",
            "run_queue",
        ):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(sa.delete(schema.schema_version))
        conn.execute(schema.schema_version.insert(), [{"version": 1, "applied_at": 0.0}])
    old = SqlStorage(storage_url)
    with pytest.raises(StorageError, match="schema version 1"):
        old.list_runs()
    assert old.upgrade() == [2, 3, 4, 5, 6]
    assert {"concurrency_slots", "asset_leases", "cursors", "asset_partition_status"} <= set(
        sa.inspect(old.engine).get_table_names()
    )
    record = old.latest_materializations(["orders"])[("orders", "d1")]
    assert record.data_version_event_id == record.event_id
    with old.engine.connect() as conn:  # positions count from 0 per definition, in added order
        rows = conn.execute(
            sa.text(
                "SELECT partitions_def_name, partition_key, position FROM dynamic_partitions "
                "ORDER BY partitions_def_name, position"
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("regions", "eu", 0),
        ("regions", "us", 1),
        ("regions", "apac", 2),
        ("stores", "s1", 0),
    ]


def _versioned(run_id: str, version: str) -> EventRecord:
    event = _materialization(run_id, "orders")
    return EventRecord(
        event.run_id,
        event.event_type,
        event.timestamp,
        step_key=event.step_key,
        asset_key=event.asset_key,
        payload={**event.payload, "data_version": version},
    )


def test_a_rebuild_with_the_same_data_version_keeps_its_change_event(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    [first] = storage.store_events([_versioned("r1", "aaa")])
    [second] = storage.store_events([_versioned("r2", "aaa")])
    record = storage.latest_materializations(["orders"])[("orders", None)]
    assert record.event_id == second and record.data_version_event_id == first
    [third] = storage.store_events([_versioned("r3", "bbb")])
    record = storage.latest_materializations(["orders"])[("orders", None)]
    assert record.data_version == "bbb" and record.data_version_event_id == third


def test_a_batch_larger_than_one_insert_statement_keeps_its_order(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.upgrade()
    storage.create_run(_run("r1", time.time()))
    events = [
        _materialization("r1", f"asset_{i:03d}")
        if i % 7 == 0
        else EventRecord("r1", EventType.LOG, time.time(), message=f"line {i}")
        for i in range(250)  # three INSERT statements of up to 100 rows
    ]
    ids = storage.store_events(events)
    assert ids == sorted(ids) and len(set(ids)) == 250
    stored = storage.events_for_run("r1")
    assert [e.event_id for e in stored] == ids
    assert [(e.event_type, e.message, e.asset_key) for e in stored] == [
        (e.event_type, e.message, e.asset_key) for e in events
    ]
    latest = storage.latest_materializations(["asset_014"])
    assert latest[("asset_014", None)].event_id == ids[14]
    storage.dispose()


def test_writes_from_several_threads_at_once_all_land(storage_url: str) -> None:
    import threading

    storage = SqlStorage(storage_url)
    storage.upgrade()
    storage.create_run(_run("r1", time.time()))

    def write(name: str) -> None:
        for i in range(30):
            storage.store_events([_materialization("r1", name, partition=f"p{i}")])

    threads = [threading.Thread(target=write, args=(f"asset_{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert storage.count_events(EventType.ASSET_MATERIALIZATION) == 90
    assert len(storage.latest_materializations()) == 90
    storage.dispose()


def test_a_write_after_a_lock_that_outlasted_the_retries_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    monkeypatch.setenv("ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS", "100")
    monkeypatch.setenv("ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS", "0.3")
    storage = SqlStorage(f"sqlite:///{tmp_path}/meta.db")
    storage.upgrade()
    storage.create_run(_run("r1", time.time()))
    other = sqlite3.connect(tmp_path / "meta.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StorageError, match="database is locked"):
        storage.store_events([_materialization("r1", "a")])
    other.execute("COMMIT")
    other.close()
    storage.store_events([_materialization("r1", "a")])
    assert storage.count_events(EventType.ASSET_MATERIALIZATION) == 1
    storage.dispose()
