"""Asset status for lineage: materialized / failed / missing, partition counts, bulk reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from assetgraph import Definitions, Instance, materialize
from assetgraph.keys import AssetKey
from assetgraph.status.assets import asset_statuses, summarize
from assetgraph.storage.records import EventRecord, EventType

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def key(text: str) -> AssetKey:
    return AssetKey.from_user(text)


@pytest.mark.parametrize(
    ("materialized", "failed", "total", "expected"),
    [
        (0, 0, 1, "missing"),
        (1, 0, 1, "materialized"),
        (1, 1, 1, "failed"),
        (0, 0, 10, "missing"),
        (4, 0, 10, "partial"),
        (10, 0, 10, "materialized"),
        (10, 1, 10, "failed"),
        (0, 0, 0, "missing"),
    ],
)
def test_summarize_gives_failed_first_then_all_none_or_some(
    materialized: int, failed: int, total: int, expected: str
) -> None:
    assert summarize(materialized, failed, total) == expected


def test_unpartitioned_status_after_a_run_with_a_failed_step(
    unpartitioned: Definitions, instance: Instance
) -> None:
    defs = unpartitioned
    result = materialize(defs, selection="+broken", instance=instance)
    assert not result.success
    statuses = asset_statuses(defs.graph, defs.graph.all_keys, instance.storage, NOW)
    report = statuses[key("report")]
    assert report.status == "materialized"
    assert report.last_run_id == result.run_id and report.last_materialized_at is not None
    assert report.partitions is None
    assert statuses[key("lonely")].status == "missing"
    assert statuses[key("lonely")].last_run_id is None
    assert statuses[key("broken")].status == "failed", "the latest attempt of 'broken' failed"
    assert statuses[key("after_broken")].status == "missing", "a skipped step stays missing"


def test_partitioned_counts_against_the_definitions_current_count(
    partitioned: Definitions, instance: Instance
) -> None:
    defs = partitioned
    materialize(
        defs, selection="raw_events", partition_range="2025-01-01...2025-01-04", instance=instance
    )
    _store_failure(instance, "raw_events", "2025-01-07")
    instance.storage.add_dynamic_partitions("customers", ["acme", "globex"])
    statuses = asset_statuses(defs.graph, defs.graph.all_keys, instance.storage, NOW)

    raw = statuses[key("raw_events")]
    assert raw.partitions is not None
    assert (raw.partitions.total, raw.partitions.materialized, raw.partitions.failed) == (10, 4, 1)
    assert raw.partitions.missing == 6
    assert raw.status == "failed"
    assert statuses[key("cleaned")].status == "missing"
    assert statuses[key("by_region")].partitions is not None
    assert statuses[key("by_region")].partitions.total == 12
    customers = statuses[key("per_customer")].partitions
    assert customers is not None and customers.total == 2, "dynamic keys come from storage"
    grid = statuses[key("grid")].partitions
    assert grid is not None and grid.total == 120


def test_partial_then_materialized_when_every_partition_is_built(
    partitioned: Definitions, instance: Instance
) -> None:
    defs = partitioned
    materialize(defs, selection="raw_events", all_partitions=True, instance=instance)
    statuses = asset_statuses(defs.graph, [key("raw_events")], instance.storage, NOW)
    assert statuses[key("raw_events")].status == "materialized"
    materialize(defs, selection="cleaned", partition_key="2025-01-02", instance=instance)
    statuses = asset_statuses(defs.graph, [key("cleaned")], instance.storage, NOW)
    assert statuses[key("cleaned")].status == "partial"


def test_status_reads_storage_in_bulk_not_per_asset(
    unpartitioned: Definitions, instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    defs = unpartitioned
    materialize(defs, selection="+report", instance=instance)
    calls: list[str] = []
    storage = instance.storage
    for name in ("partition_counts", "latest_materializations", "events_for_run", "get_run"):
        original = getattr(storage, name)

        def spy(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(storage, name, spy)
    asset_statuses(defs.graph, defs.graph.all_keys, storage, NOW)
    assert sorted(calls) == ["latest_materializations", "partition_counts"]


def test_partitioned_statuses_come_from_the_stored_ranges_in_bulk(
    partitioned: Definitions, instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetgraph.storage import status_store

    defs = partitioned
    materialize(
        defs, selection="raw_events", partition_range="2025-01-01...2025-01-04", instance=instance
    )
    instance.storage.add_dynamic_partitions("customers", ["acme"])
    calls: list[str] = []
    counted: list[list[str]] = []
    for name in ("status_rows", "partition_rows", "partitions_changed_after", "upsert_status_rows"):
        original = getattr(status_store, name)

        def spy(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(status_store, name, spy)
    partition_counts = instance.storage.partition_counts

    def counts_spy(keys: Any) -> Any:
        counted.append(sorted(keys))
        return partition_counts(keys)

    monkeypatch.setattr(instance.storage, "partition_counts", counts_spy)
    first = asset_statuses(defs.graph, defs.graph.all_keys, instance.storage, NOW)
    # The run left raw_events' status stored: it reads what changed since; the five others
    # have none yet and are computed from one read of the index.
    assert calls == [
        "status_rows",
        "partitions_changed_after",
        "partition_rows",
        "upsert_status_rows",
    ], "six partitioned assets: one read of stored rows, two of the index, one write"
    calls.clear()
    second = asset_statuses(defs.graph, defs.graph.all_keys, instance.storage, NOW)
    assert calls == ["status_rows", "partitions_changed_after"], "nothing changed: no write"
    assert counted == [["summary"], ["summary"]], "counted rows only for unpartitioned assets"
    assert first == second
    raw = second[key("raw_events")].partitions
    assert raw is not None and (raw.total, raw.materialized, raw.failed) == (10, 4, 0)


def _store_failure(instance: Instance, asset_key: str, partition: str) -> None:
    instance.storage.store_events(
        [
            EventRecord(
                run_id="0" * 32,
                event_type=EventType.STEP_FAILURE,
                timestamp=1.0,
                step_key=f"{asset_key}[{partition}]",
                partition_key=partition,
                payload={"asset_keys": [asset_key], "partition_keys": [partition]},
            )
        ]
    )
