"""The stored partition status rows and the index reads behind them, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assetgraph import StorageError
from assetgraph.storage import schema
from assetgraph.storage.records import EventRecord, EventType
from assetgraph.storage.sql_storage import SqlStorage
from assetgraph.storage.status_store import (
    PartitionRow,
    PositionRow,
    StatusRow,
    dynamic_partition_positions,
    partition_rows,
    partitions_changed_after,
    status_rows,
    upsert_status_rows,
)


def _materialization(key: str, partition: str | None) -> EventRecord:
    return EventRecord(
        "run-1",
        EventType.ASSET_MATERIALIZATION,
        1.0,
        step_key=key,
        asset_key=key,
        partition_key=partition,
        payload={},
    )


def _failure(key: str, partition: str | None) -> EventRecord:
    return EventRecord(
        "run-1",
        EventType.STEP_FAILURE,
        1.0,
        step_key=key,
        partition_key=partition,
        payload={"asset_keys": [key], "partition_keys": [partition] if partition else []},
    )


def _row(key: str, fingerprint: str, cursor: int, done: list[tuple[int, int]]) -> StatusRow:
    return StatusRow(key, fingerprint, cursor, tuple(done), ((1, 2),))


def test_status_rows_are_stored_read_back_and_replaced(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    assert status_rows(storage, ["orders"]) == {}
    upsert_status_rows(storage, [_row("orders", "f1", 7, [(0, 3), (5, 9)]), _row("b", "f1", 1, [])])
    assert status_rows(storage, ["orders", "missing"]) == {
        "orders": _row("orders", "f1", 7, [(0, 3), (5, 9)])
    }
    with storage.engine.connect() as conn:
        stored = conn.execute(
            sa.select(
                schema.asset_partition_status.c.materialized, schema.asset_partition_status.c.failed
            ).where(schema.asset_partition_status.c.asset_key == "orders")
        ).one()
    assert tuple(stored) == ("[[0,3],[5,9]]", "[[1,2]]"), "ranges are JSON [[start, stop], ...]"
    upsert_status_rows(storage, [_row("orders", "f1", 9, [(0, 10)])])
    assert status_rows(storage, ["orders"])["orders"] == _row("orders", "f1", 9, [(0, 10)])


def test_an_older_cursor_of_the_same_fingerprint_does_not_overwrite(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    upsert_status_rows(storage, [_row("orders", "f1", 9, [(0, 10)])])
    upsert_status_rows(storage, [_row("orders", "f1", 5, [(0, 4)])])  # a slower reader
    assert status_rows(storage, ["orders"])["orders"].cursor == 9
    upsert_status_rows(storage, [_row("orders", "f2", 5, [(0, 4)])])  # another definition
    assert status_rows(storage, ["orders"])["orders"] == _row("orders", "f2", 5, [(0, 4)])


def test_status_rows_of_many_assets_are_read_in_chunks(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    keys = [f"asset_{n}" for n in range(2_000)]
    upsert_status_rows(storage, [_row(key, "f", n, [(0, n + 1)]) for n, key in enumerate(keys)])
    found = status_rows(storage, keys)
    assert len(found) == 2_000 and found["asset_1999"].materialized == ((0, 2_000),)


def test_partition_rows_hold_the_latest_materialization_and_failure(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    ids = storage.store_events(
        [
            _materialization("orders", "a"),
            _failure("orders", "b"),
            _materialization("orders", "c"),
            _failure("orders", "c"),
            _failure("orders", "d"),
            _materialization("orders", "d"),
            _materialization("other", "a"),
        ]
    )
    rows = partition_rows(storage, ["orders"])
    assert sorted(rows["orders"], key=lambda r: r.partition_key) == [
        PartitionRow("a", ids[0], None),
        PartitionRow("b", None, ids[1]),
        PartitionRow("c", ids[2], ids[3]),
        PartitionRow("d", ids[5], ids[4]),
    ]
    failed = {row.partition_key for row in rows["orders"] if row.failed}
    assert failed == {"b", "c"}, "failed: a failure newer than the latest materialization"
    assert set(rows) == {"orders"}


def test_partitions_changed_after_a_cursor_per_asset(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    first = storage.store_events([_materialization("orders", "a"), _materialization("other", "a")])
    later = storage.store_events([_failure("orders", "a"), _materialization("orders", "b")])
    changed = partitions_changed_after(storage, {"orders": first[-1], "other": first[-1]})
    assert sorted(changed["orders"], key=lambda r: r.partition_key) == [
        PartitionRow("a", first[0], later[0]),
        PartitionRow("b", later[1], None),
    ]
    assert "other" not in changed, "nothing of 'other' changed after the cursor"
    assert partitions_changed_after(storage, {"other": 0}) == {
        "other": [PartitionRow("a", first[1], None)]
    }


def test_partitions_changed_after_chunks_its_conditions(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    keys = [f"asset_{n}" for n in range(600)]
    ids = storage.store_events([_materialization(key, "p") for key in keys])
    changed = partitions_changed_after(storage, {key: ids[0] for key in keys})
    assert len(changed) == 599 and "asset_0" not in changed


def test_dynamic_partitions_are_read_by_position_through_a_join(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.add_dynamic_partitions("customers", ["acme", "globex", "initech"])
    storage.add_dynamic_partitions("regions", ["eu", "acme"])
    ids = storage.store_events(
        [
            _materialization("orders", "initech"),
            _failure("orders", "acme"),
            _materialization("orders", "gone"),  # a key the definition does not have
            _materialization("by_region", "acme"),
        ]
    )
    found = dynamic_partition_positions(storage, {"orders": "customers", "by_region": "regions"})
    assert sorted(found["orders"]) == [PositionRow(0, None, ids[1]), PositionRow(2, ids[0], None)]
    assert found["by_region"] == [PositionRow(1, ids[3], None)], "positions of its own definition"


def test_a_read_only_database_refuses_the_upsert_with_a_storage_error(storage_url: str) -> None:
    SqlStorage(storage_url).list_runs()  # create the schema
    if storage_url.startswith("sqlite"):
        read_only = storage_url.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true"
    else:
        read_only = storage_url + "%20-cdefault_transaction_read_only%3Don"
    storage = SqlStorage(read_only)
    assert status_rows(storage, ["orders"]) == {}
    with pytest.raises(StorageError, match="unavailable"):
        upsert_status_rows(storage, [_row("orders", "f", 1, [(0, 1)])])
