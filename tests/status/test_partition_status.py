"""Partition status kept as ranges: created on first read, then brought up to date from the
rows changed since its cursor, recomputed when the definition changes; on SQLite and
PostgreSQL."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from assetgraph import StorageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import (
    DynamicPartitionsDefinition,
    PartitionsDefinition,
    StaticPartitionsDefinition,
)
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.partitions.time_window import DailyPartitionsDefinition
from assetgraph.status import partitions as status_module
from assetgraph.status.partitions import (
    StatusRange,
    lookback,
    partition_status_ranges,
    partition_status_subsets,
    partition_statuses,
)
from assetgraph.storage import schema, status_store
from assetgraph.storage.records import EventRecord, EventType
from assetgraph.storage.sql_storage import SqlStorage

NOW = datetime(2025, 6, 1, tzinfo=UTC)
ORDERS = AssetKey(("orders",))
DAILY = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-11")
_ids = itertools.count()


def materialized(asset: str, *partitions: str) -> list[EventRecord]:
    return [
        EventRecord(
            "run-1",
            EventType.ASSET_MATERIALIZATION,
            1.0,
            step_key=f"{asset}[{p}]",
            asset_key=asset,
            partition_key=p,
            payload={},
        )
        for p in partitions
    ]


def failed(asset: str, *partitions: str) -> list[EventRecord]:
    return [
        EventRecord(
            "run-1",
            EventType.STEP_FAILURE,
            1.0,
            step_key=f"{asset}[{p}]",
            partition_key=p,
            payload={"asset_keys": [asset], "partition_keys": [p]},
        )
        for p in partitions
    ]


def stored_row(storage: SqlStorage, asset: str = "orders") -> dict[str, Any] | None:
    table = schema.asset_partition_status
    with storage.engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.asset_key == asset)).first()
    if row is None:
        return None
    return {
        "cursor": row.cursor,
        "materialized": json.loads(row.materialized),
        "failed": json.loads(row.failed),
        "fingerprint": row.fingerprint,
    }


def runs(ranges: Sequence[StatusRange]) -> list[tuple[str, str, str, int]]:
    return [(r.status, r.first, r.last, r.count) for r in ranges]


@pytest.fixture
def storage(storage_url: str) -> SqlStorage:
    return SqlStorage(storage_url)


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many keys each read turned into indices, read by read."""
    counts: list[int] = []
    original = status_module._key_indices

    def spy(pdef: PartitionsDefinition, keys: Sequence[str], *args: Any) -> dict[str, int]:
        counts.append(len(keys))
        return original(pdef, keys, *args)

    monkeypatch.setattr(status_module, "_key_indices", spy)
    return counts


def test_the_status_is_stored_on_first_read_then_read_incrementally(
    storage: SqlStorage, converted: list[int]
) -> None:
    ids = storage.store_events(
        materialized("orders", "2025-01-01", "2025-01-02", "2025-01-05")
        + failed("orders", "2025-01-03")
    )
    assert stored_row(storage) is None
    first = partition_status_ranges(ORDERS, DAILY, storage, NOW)
    assert runs(first) == [
        ("materialized", "2025-01-01", "2025-01-02", 2),
        ("failed", "2025-01-03", "2025-01-03", 1),
        ("missing", "2025-01-04", "2025-01-04", 1),
        ("materialized", "2025-01-05", "2025-01-05", 1),
        ("missing", "2025-01-06", "2025-01-10", 5),
    ]
    row = stored_row(storage)
    assert row is not None
    assert (row["cursor"], row["materialized"], row["failed"]) == (
        max(ids),
        [[0, 2], [4, 5]],
        [[2, 3]],
    )
    assert converted == [4]

    assert partition_status_ranges(ORDERS, DAILY, storage, NOW) == first
    assert converted[1:] in ([], [4]), "the second read converts only rows within the lookback"
    if storage.engine.dialect.name == "sqlite":
        assert converted == [4], "nothing changed: no key is converted again"


def test_new_materializations_and_failures_after_the_cache_are_reflected(
    storage: SqlStorage, converted: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status_module, "LOOKBACK", 0)
    storage.store_events(materialized("orders", "2025-01-01", "2025-01-02"))
    partition_status_ranges(ORDERS, DAILY, storage, NOW)
    ids = storage.store_events(
        materialized("orders", "2025-01-03", "2025-01-10")
        + failed("orders", "2025-01-02", "2025-01-04")
    )
    status = partition_status_subsets(ORDERS, DAILY, storage, NOW)
    assert converted == [2, 4], "the second read converts only the four changed rows"
    assert list(status.materialized.keys()) == [
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
        "2025-01-10",
    ]
    assert list(status.failed.keys()) == ["2025-01-02", "2025-01-04"]
    assert list(status.succeeded.keys()) == ["2025-01-01", "2025-01-03", "2025-01-10"]
    assert (
        len(status.missing) == 5 and len(status.unmaterialized) == 6 and len(status.existing) == 10
    )
    row = stored_row(storage)
    assert row is not None and row["cursor"] == max(ids)
    assert (row["materialized"], row["failed"]) == ([[0, 3], [9, 10]], [[1, 2], [3, 4]])


def test_a_failure_after_a_materialization_is_failed_but_was_materialized(
    storage: SqlStorage,
) -> None:
    storage.store_events(materialized("orders", "2025-01-01"))
    partition_status_ranges(ORDERS, DAILY, storage, NOW)
    storage.store_events(failed("orders", "2025-01-01"))
    status = partition_status_subsets(ORDERS, DAILY, storage, NOW)
    assert list(status.failed.keys()) == ["2025-01-01"]
    assert list(status.materialized.keys()) == ["2025-01-01"], "materialized once: not missing"
    assert "2025-01-01" not in status.unmaterialized, "--missing does not rebuild it"
    assert runs(partition_status_ranges(ORDERS, DAILY, storage, NOW))[0] == (
        "failed",
        "2025-01-01",
        "2025-01-01",
        1,
    )
    storage.store_events(materialized("orders", "2025-01-01"))
    assert not partition_status_subsets(ORDERS, DAILY, storage, NOW).failed, (
        "rebuilt: no longer failed"
    )


def test_a_row_committed_late_below_the_cursor_is_read_within_the_lookback(
    storage: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL takes ids before commit: a transaction may commit an id below the cursor.
    monkeypatch.setattr(status_module, "lookback", lambda dialect: 100)
    ids = storage.store_events(materialized("orders", "2025-01-01", "2025-01-02"))
    partition_status_ranges(ORDERS, DAILY, storage, NOW)
    table = schema.asset_partitions
    with storage.engine.begin() as conn:
        conn.execute(
            sa.insert(table).values(
                asset_key="orders", partition_key="2025-01-05", materialization_event_id=ids[0] - 1
            )
        )
    status = partition_status_subsets(ORDERS, DAILY, storage, NOW)
    assert list(status.materialized.keys()) == ["2025-01-01", "2025-01-02", "2025-01-05"]


def test_only_postgresql_reads_rows_again_before_the_cursor() -> None:
    assert lookback("sqlite") == 0, "SQLite commits ids in order: one writer at a time"
    assert lookback("postgresql") == status_module.LOOKBACK >= 1_000


def test_a_static_definition_with_a_key_inserted_is_recomputed(storage: SqlStorage) -> None:
    before = StaticPartitionsDefinition(["a", "b", "c", "d"])
    storage.store_events(materialized("orders", "b", "d") + failed("orders", "c"))
    assert [r.status for r in partition_status_ranges(ORDERS, before, storage, NOW)] == [
        "missing",
        "materialized",
        "failed",
        "materialized",
    ]
    old = stored_row(storage)
    after = StaticPartitionsDefinition(["a", "x", "b", "c", "d"])
    assert runs(partition_status_ranges(ORDERS, after, storage, NOW)) == [
        ("missing", "a", "x", 2),
        ("materialized", "b", "b", 1),
        ("failed", "c", "c", 1),
        ("materialized", "d", "d", 1),
    ]
    new = stored_row(storage)
    assert old is not None and new is not None and new["fingerprint"] != old["fingerprint"]
    assert new["materialized"] == [[2, 3], [4, 5]]
    fewer = StaticPartitionsDefinition(["a", "c"])
    status = partition_status_subsets(ORDERS, fewer, storage, NOW)
    assert (len(status.materialized), len(status.failed)) == (0, 1), "removed keys are not counted"


def test_a_daily_definition_with_another_start_is_recomputed(storage: SqlStorage) -> None:
    storage.store_events(materialized("orders", "2025-01-03", "2025-01-04"))
    partition_status_ranges(ORDERS, DAILY, storage, NOW)
    later = DailyPartitionsDefinition(start_date="2025-01-04", end_date="2025-01-11")
    status = partition_status_subsets(ORDERS, later, storage, NOW)
    assert list(status.materialized.keys()) == ["2025-01-04"]
    assert status.materialized.key_ranges == (range(0, 1),)


def test_an_earlier_end_hides_partitions_and_a_later_one_shows_them_again(
    storage: SqlStorage,
) -> None:
    storage.store_events(materialized("orders", "2025-01-02", "2025-01-09"))
    short = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-05")
    assert list(partition_status_subsets(ORDERS, short, storage, NOW).materialized.keys()) == [
        "2025-01-02"
    ]
    storage.store_events(materialized("orders", "2025-01-10"))  # past the end: kept by index
    status = partition_status_subsets(ORDERS, DAILY, storage, NOW)  # same fingerprint
    assert list(status.materialized.keys()) == ["2025-01-02", "2025-01-09", "2025-01-10"]


def test_a_window_that_has_not_ended_shows_once_it_has(storage: SqlStorage) -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")
    storage.store_events(materialized("orders", "2025-01-01", "2025-01-03"))
    jan_3 = datetime(2025, 1, 3, 12, tzinfo=UTC)
    status = partition_status_subsets(ORDERS, daily, storage, jan_3)
    assert (len(status.existing), list(status.materialized.keys())) == (2, ["2025-01-01"])
    status = partition_status_subsets(ORDERS, daily, storage, jan_3 + timedelta(days=1))
    assert list(status.materialized.keys()) == ["2025-01-01", "2025-01-03"]


def test_a_dynamic_definition_keeps_its_status_as_keys_are_added(storage: SqlStorage) -> None:
    customers = DynamicPartitionsDefinition("customers")
    storage.add_dynamic_partitions("customers", ["acme", "globex", "initech"])
    storage.store_events(
        materialized("orders", "acme", "initech", "unknown") + failed("orders", "globex")
    )
    assert runs(partition_status_ranges(ORDERS, customers, storage, NOW)) == [
        ("materialized", "acme", "acme", 1),
        ("failed", "globex", "globex", 1),
        ("materialized", "initech", "initech", 1),
    ]
    storage.add_dynamic_partitions("customers", ["hooli", "umbrella"])
    storage.store_events(materialized("orders", "umbrella"))
    assert runs(partition_status_ranges(ORDERS, customers, storage, NOW))[3:] == [
        ("missing", "hooli", "hooli", 1),
        ("materialized", "umbrella", "umbrella", 1),
    ]
    row = stored_row(storage)
    assert row is not None and row["materialized"] == [[0, 1], [2, 3], [4, 5]]
    storage.delete_dynamic_partitions("customers", ["acme"])  # later keys move down
    assert runs(partition_status_ranges(ORDERS, customers, storage, NOW)) == [
        ("failed", "globex", "globex", 1),
        ("materialized", "initech", "initech", 1),
        ("missing", "hooli", "hooli", 1),
        ("materialized", "umbrella", "umbrella", 1),
    ]


def test_a_status_written_late_over_deleted_keys_is_not_trusted(storage: SqlStorage) -> None:
    customers = DynamicPartitionsDefinition("customers")
    storage.add_dynamic_partitions("customers", ["acme", "globex", "initech"])
    storage.store_events(materialized("orders", "globex"))
    partition_status_ranges(ORDERS, customers, storage, NOW)
    before = stored_row(storage)
    assert before is not None and before["materialized"] == [[1, 2]]
    storage.delete_dynamic_partitions("customers", ["acme"])
    # A reader that computed status before the delete writes it after: its fingerprint
    # carries the old generation, so the next read recomputes instead of trusting [[1, 2]].
    status_store.upsert_status_rows(
        storage,
        [status_store.StatusRow("orders", before["fingerprint"], before["cursor"], ((1, 2),), ())],
    )
    assert runs(partition_status_ranges(ORDERS, customers, storage, NOW)) == [
        ("materialized", "globex", "globex", 1),
        ("missing", "initech", "initech", 1),
    ]


def test_a_multi_definition_is_recomputed_when_a_dynamic_dimension_grows(
    storage: SqlStorage,
) -> None:
    grid = MultiPartitionsDefinition(
        {
            "customer": DynamicPartitionsDefinition("customers"),
            "color": StaticPartitionsDefinition(["red", "blue"]),
        }
    )
    storage.add_dynamic_partitions("customers", ["acme", "globex"])
    storage.store_events(
        materialized("orders", "red|acme", "blue|globex") + failed("orders", "red|globex")
    )
    status = partition_status_subsets(ORDERS, grid, storage, NOW)
    assert sorted(status.materialized.keys()) == ["blue|globex", "red|acme"]
    before = stored_row(storage)
    storage.add_dynamic_partitions("customers", ["initech"])
    storage.store_events(materialized("orders", "red|initech"))
    status = partition_status_subsets(ORDERS, grid, storage, NOW)
    assert sorted(status.materialized.keys()) == ["blue|globex", "red|acme", "red|initech"]
    assert list(status.failed.keys()) == ["red|globex"]
    assert len(status.missing) == 2
    after = stored_row(storage)
    assert (
        before is not None and after is not None and after["fingerprint"] != before["fingerprint"]
    )


def test_stale_partitions_are_shown_apart_from_materialized_ones(storage: SqlStorage) -> None:
    storage.store_events(materialized("orders", "2025-01-01", "2025-01-02", "2025-01-03"))
    stale = PartitionsSubset.from_indices(DAILY, [1])
    assert runs(partition_status_ranges(ORDERS, DAILY, storage, NOW, stale=stale))[:3] == [
        ("materialized", "2025-01-01", "2025-01-01", 1),
        ("stale", "2025-01-02", "2025-01-02", 1),
        ("materialized", "2025-01-03", "2025-01-03", 1),
    ]


def test_a_status_that_cannot_be_stored_is_still_returned(
    storage: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise StorageError("The metadata database is unavailable: database is locked.")

    monkeypatch.setattr(status_store, "upsert_status_rows", refuse)
    storage.store_events(materialized("orders", "2025-01-02") + failed("orders", "2025-01-03"))
    for _ in range(2):
        status = partition_status_subsets(ORDERS, DAILY, storage, NOW)
        assert (list(status.materialized.keys()), list(status.failed.keys())) == (
            ["2025-01-02"],
            ["2025-01-03"],
        )
    assert stored_row(storage) is None


def test_a_read_only_database_still_reports_status(storage_url: str) -> None:
    SqlStorage(storage_url).store_events(materialized("orders", "2025-01-02"))
    if storage_url.startswith("sqlite"):
        read_only = storage_url.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true"
    else:
        read_only = storage_url + "%20-cdefault_transaction_read_only%3Don"
    storage = SqlStorage(read_only)
    ranges = partition_status_ranges(ORDERS, DAILY, storage, NOW)
    assert runs(ranges)[1] == ("materialized", "2025-01-02", "2025-01-02", 1)
    assert stored_row(storage) is None


def test_a_locked_sqlite_database_still_reports_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS", "50")
    url = f"sqlite:///{tmp_path}/locked.db"
    storage = SqlStorage(url)
    storage.store_events(materialized("orders", "2025-01-02"))
    holder = sa.create_engine(url)
    with holder.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # another process is writing
        ranges = partition_status_ranges(ORDERS, DAILY, storage, NOW)
        conn.exec_driver_sql("ROLLBACK")
    holder.dispose()
    assert runs(ranges)[1] == ("materialized", "2025-01-02", "2025-01-02", 1)
    assert stored_row(storage) is None


def test_statuses_of_many_assets_take_a_few_queries(
    storage: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    original = storage.read
    monkeypatch.setattr(storage, "read", lambda work: reads.append("read") or original(work))
    assets: dict[AssetKey, PartitionsDefinition] = {AssetKey((f"a{n}",)): DAILY for n in range(300)}
    storage.store_events([e for n in range(300) for e in materialized(f"a{n}", "2025-01-02")])
    storage.store_events(failed("a7", "2025-01-03"))
    reads.clear()
    first = partition_statuses(assets, storage, NOW)
    first_reads = len(reads)
    storage.store_events(materialized("a7", "2025-01-03"))
    reads.clear()
    second = partition_statuses(assets, storage, NOW)
    assert first_reads <= 4 and len(reads) <= 4, "reads do not grow with the number of assets"
    assert len(first[AssetKey(("a7",))].failed) == 1 and not second[AssetKey(("a7",))].failed
    assert all(len(s.materialized) == 1 for k, s in second.items() if k != AssetKey(("a7",)))


def test_thirty_years_of_days_are_read_from_the_stored_ranges(
    storage: SqlStorage, converted: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status_module, "LOOKBACK", 100)
    daily = DailyPartitionsDefinition(start_date="1995-01-01", end_date="2025-01-01")
    keys = daily.get_partition_keys(NOW)
    assert len(keys) == 10_958
    storage.store_events(materialized("orders", *keys))
    assert runs(partition_status_ranges(ORDERS, daily, storage, NOW)) == [
        ("materialized", "1995-01-01", "2024-12-31", 10_958)
    ]
    assert converted == [10_958]
    storage.store_events(failed("orders", "2010-06-15"))
    ranges = partition_status_ranges(ORDERS, daily, storage, NOW)
    assert [r.status for r in ranges] == ["materialized", "failed", "materialized"]
    assert sum(converted[1:]) <= lookback(storage.engine.dialect.name) + 1, (
        "the second read converts the changed row (and the lookback), not every key"
    )


# -- against a naive model of the events ---------------------------------------------------

STATIC = StaticPartitionsDefinition([f"k{n}" for n in range(8)])
Event = tuple[str, int]  # ("materialize" | "fail", partition index)


def _model(pdef: PartitionsDefinition, events: Sequence[Event]) -> list[str]:
    """Each partition's status: the kind of its latest event, else missing."""
    latest: dict[int, str] = {}
    for kind, index in events:
        latest[index] = "failed" if kind == "fail" else "materialized"
    return [latest.get(i, "missing") for i in range(pdef.count(NOW))]


def _expand(ranges: Sequence[StatusRange], pdef: PartitionsDefinition) -> list[str]:
    statuses: list[str] = []
    for r in ranges:
        assert pdef.index_of(r.first, NOW) == len(statuses), "runs cover the keys in order"
        statuses += [r.status] * r.count
    return statuses


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pdef=st.sampled_from([STATIC, DAILY]),
    batches=st.lists(
        st.lists(
            st.tuples(st.sampled_from(["materialize", "fail"]), st.integers(0, 9)),
            min_size=1,
            max_size=4,
        ),
        max_size=12,
    ),
    reads=st.sets(st.integers(0, 12)),
)
def test_status_after_any_events_matches_a_naive_model(
    storage: SqlStorage,
    pdef: PartitionsDefinition,
    batches: list[list[Event]],
    reads: set[int],
) -> None:
    asset = f"asset_{next(_ids)}"
    key = AssetKey((asset,))
    count = pdef.count(NOW)
    seen: list[Event] = []
    for step in range(len(batches) + 1):
        if step in reads or step == len(batches):
            ranges = partition_status_ranges(key, pdef, storage, NOW)
            assert _expand(ranges, pdef) == _model(pdef, seen), f"after {seen}"
            status = partition_status_subsets(key, pdef, storage, NOW)
            ever = {i for kind, i in seen if kind == "materialize" and i < count}
            assert set(status.materialized.indices()) == ever
        if step == len(batches):
            break
        events: list[EventRecord] = []
        for kind, index in batches[step]:
            # Keys past a static definition's end are stored too, and never counted.
            partition = DAILY.key_for_index(index) if pdef is DAILY else f"k{index}"
            events += (materialized if kind == "materialize" else failed)(asset, partition)
            if index < count:
                seen.append((kind, index))
        storage.store_events(events)
