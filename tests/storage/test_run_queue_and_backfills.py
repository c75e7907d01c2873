"""The run queue and stored backfills in the metadata database (schema version 5), on
SQLite and PostgreSQL: order, taking, canceling, counting runs in progress, the kept
``canceling`` status, and the upgrade from version 4."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from assetgraph.errors import StorageError, UsageError
from assetgraph.storage import schema
from assetgraph.storage.backfill_store import BackfillStore, BulkActionStatus, PartitionBackfill
from assetgraph.storage.records import EventType, RunRecord, RunStatus
from assetgraph.storage.run_queue import RunQueueStore
from assetgraph.storage.sql_storage import SqlStorage


def _queued(run_id: str, created: float, **tags: str) -> RunRecord:
    return RunRecord(
        run_id=run_id,
        status=RunStatus.QUEUED,
        created_at=created,
        selection="readings",
        asset_keys=("readings",),
        tags=dict(tags),
    )


def test_queued_runs_come_out_by_priority_then_first_in(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    queue = RunQueueStore(storage)
    queue.enqueue(_queued("a", 1.0), {"targets": {"readings": ["k1"]}})
    queue.enqueue_many(
        [
            (_queued("b", 2.0, team="finance"), {"targets": {}}, 0),
            (_queued("c", 3.0), {"targets": {}}, 5),
        ]
    )
    assert [run.run_id for run in queue.queued()] == ["c", "a", "b"]
    assert queue.queued()[1].payload == {"targets": {"readings": ["k1"]}}
    assert queue.queued()[2].tags == {"team": "finance"}
    assert storage.get_run("b") is not None and storage.get_run("b").status is RunStatus.QUEUED  # type: ignore[union-attr]
    assert [run.run_id for run in storage.list_runs(tags={"team": "finance"})] == ["b"]
    assert queue.in_progress() == {}
    assert queue.take("c", 10.0) and not queue.take("c", 10.0)  # taken once only
    assert set(queue.in_progress()) == {"c"}  # starting: it holds a run slot
    storage.update_run("c", status=RunStatus.STARTED, started_at=11.0)
    assert set(queue.in_progress()) == {"c"}
    assert queue.count() == 2


def test_canceling_queued_runs_records_them_canceled(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    queue = RunQueueStore(storage)
    queue.enqueue_many([(_queued(r, 1.0), {}, 0) for r in ("a", "b", "c")])
    queue.take("a", 2.0)
    assert queue.cancel(["a", "b"], 3.0, "canceled by hand") == ["b"]  # a is starting already
    run = storage.get_run("b")
    assert run is not None and run.status is RunStatus.CANCELED and run.error == "canceled by hand"
    assert [e.event_type for e in storage.events_for_run("b")] == [EventType.RUN_CANCELED]
    storage.update_run("c", status=RunStatus.CANCELED)  # `runs cancel` on a queued run
    assert queue.prune() == 1
    assert queue.queued() == []


def test_run_statuses_are_read_in_one_batch(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    queue = RunQueueStore(storage)
    queue.enqueue_many([(_queued(f"r{i}", 1.0), {}, 0) for i in range(1000)])
    statuses = queue.run_statuses([f"r{i}" for i in range(1000)] + ["gone"])
    assert len(statuses) == 1000 and set(statuses.values()) == {RunStatus.QUEUED}


def _backfill(backfill_id: str, created: float) -> PartitionBackfill:
    return PartitionBackfill(
        backfill_id=backfill_id,
        status=BulkActionStatus.REQUESTED,
        created_at=created,
        updated_at=created,
        selection="readings --partition-range a...b",
        tags={"team": "finance"},
        state={"assets": {"readings": {"target": ["a...b"], "done": [], "failed": []}}},
    )


def test_backfills_are_stored_listed_and_found_by_prefix(storage_url: str) -> None:
    store = BackfillStore(SqlStorage(storage_url))
    store.add(_backfill("abcd12", 1.0))
    store.add(_backfill("abcd45", 2.0))
    found = store.get("abcd1")
    assert found is not None and found.tags == {"team": "finance"}
    assert found.state["assets"]["readings"]["target"] == ["a...b"]
    assert [b.backfill_id for b in store.list()] == ["abcd45", "abcd12"]
    assert store.get("zzzz") is None
    with pytest.raises(UsageError, match="matches several backfills"):
        store.get("abcd")


def test_a_cancel_is_never_overwritten_by_a_daemon_step(storage_url: str) -> None:
    store = BackfillStore(SqlStorage(storage_url))
    store.add(_backfill("b1", 1.0))
    assert store.set_status(
        "b1", BulkActionStatus.CANCELING, 2.0, only_from=[BulkActionStatus.REQUESTED]
    )
    state = {"assets": {}, "runs": {"r1": {}}}
    # a daemon step that read "requested" before the cancel saves its state afterwards
    assert store.save("b1", status=BulkActionStatus.REQUESTED, state=state, now=3.0) is (
        BulkActionStatus.CANCELING
    )
    assert store.save("b1", status=BulkActionStatus.CANCELED, state=state, now=4.0) is (
        BulkActionStatus.CANCELED
    )
    assert not store.set_status(
        "b1", BulkActionStatus.CANCELING, 5.0, only_from=[BulkActionStatus.REQUESTED]
    )


def test_a_backfill_from_a_newer_format_is_refused(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    store = BackfillStore(storage)
    store.add(_backfill("b1", 1.0))
    with storage.engine.begin() as conn:
        conn.execute(sa.update(schema.backfills).values(state='{"v": 99}'))
    with pytest.raises(StorageError, match="format version 99"):
        store.get("b1")


def test_a_version_4_database_is_upgraded(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.create_run(RunRecord("old", RunStatus.SUCCESS, time.time()))
    with storage.engine.begin() as conn:  # make it look like a version 4 database
        conn.execute(sa.text("DROP TABLE backfills"))
        conn.execute(sa.text("DROP TABLE run_queue"))
        conn.execute(sa.text("ALTER TABLE automation_ticks DROP COLUMN summary"))
        conn.execute(sa.delete(schema.schema_version))
        conn.execute(schema.schema_version.insert(), [{"version": 4, "applied_at": 0.0}])
    old = SqlStorage(storage_url)
    with pytest.raises(StorageError, match="schema version 4"):
        old.list_runs()
    assert old.upgrade() == [5, 6]
    assert {"backfills", "run_queue"} <= set(sa.inspect(old.engine).get_table_names())
    assert old.get_run("old") is not None
    BackfillStore(old).add(_backfill("b1", 1.0))
    RunQueueStore(old).enqueue(_queued("q1", 1.0), {})
    assert [run.run_id for run in RunQueueStore(old).queued()] == ["q1"]
