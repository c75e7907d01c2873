"""The planner: steps per (asset, partition), in dependency order, for every partition mode."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings, strategies as st

from assetgraph import (
    AssetGraph,
    AssetIn,
    BackfillPolicy,
    DailyPartitionsDefinition,
    DefinitionError,
    DynamicPartitionsDefinition,
    HourlyPartitionsDefinition,
    PartitionSelection,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    UsageError,
    asset,
)
from assetgraph.keys import AssetKey
from assetgraph.partitions import InMemoryDynamicPartitionsStore, PartitionKeyRange
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.planning.planner import PlannedAsset, build_plan, parse_partition_range

NOW = datetime(2025, 3, 1, tzinfo=UTC)
daily = DailyPartitionsDefinition(start_date="2025-01-01")
hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00")


@asset(partitions_def=hourly)
def clicks() -> int:
    return 1


@asset(partitions_def=daily)
def raw(clicks: int) -> int:
    return clicks


@asset(partitions_def=daily)
def cleaned(raw: int) -> int:
    return raw


@asset(
    partitions_def=daily,
    ins={"cleaned": AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-6))},
)
def rolling(cleaned: int) -> int:
    return cleaned


@asset
def summary(cleaned: int) -> int:
    return cleaned


@asset(partitions_def=daily, backfill_policy=BackfillPolicy.single_run())
def bulk(raw: int) -> int:
    return raw


GRAPH = AssetGraph([clicks, raw, cleaned, rolling, summary, bulk])


def plan(selection: str, partitions: PartitionSelection, **kwargs: object):  # type: ignore[no-untyped-def]
    from assetgraph.selection import select_assets

    keys = select_assets(GRAPH, selection)
    return build_plan(GRAPH, keys, partitions, current_time=NOW, **kwargs)  # type: ignore[arg-type]


def keys(text: str) -> PartitionSelection:
    return PartitionSelection(keys=tuple(text.split()))


def test_one_step_per_partition_in_dependency_order() -> None:
    result = plan("raw cleaned", keys("2025-01-03 2025-01-04"))
    assert result.step_keys == [
        "raw[2025-01-03]",
        "raw[2025-01-04]",
        "cleaned[2025-01-03]",
        "cleaned[2025-01-04]",
    ]
    step = result.steps[2]
    assert step.upstream_steps == ("raw[2025-01-03]",)
    assert step.partition_key == "2025-01-03"
    assert step.input_partitions == {AssetKey("raw"): ("2025-01-03",)}


def test_a_day_reads_its_24_hours_and_a_rolling_window_its_seven_days() -> None:
    result = plan("clicks raw rolling cleaned", keys("2025-01-10"))
    by_key = {step.key: step for step in result.steps}
    raw_step = by_key["raw[2025-01-10]"]
    assert len(raw_step.upstream_steps) == 24
    assert raw_step.input_partitions[AssetKey("clicks")][0] == "2025-01-10-00:00"
    rolling_step = by_key["rolling[2025-01-10]"]
    assert rolling_step.input_partitions[AssetKey("cleaned")] == tuple(
        f"2025-01-{day:02d}" for day in range(4, 11)
    )
    # Only the planned cleaned partition is a step dependency; the others are read as stored.
    assert rolling_step.upstream_steps == ("cleaned[2025-01-10]",)


def test_a_day_key_selects_the_hours_of_an_hourly_asset() -> None:
    result = plan("clicks", keys("2025-01-10"))
    assert len(result) == 24 and result.steps[0].key == "clicks[2025-01-10-00:00]"


def test_unpartitioned_downstream_runs_once_after_every_upstream_step() -> None:
    result = plan(
        "cleaned summary",
        PartitionSelection(ranges=(PartitionKeyRange("2025-01-01", "2025-01-05"),)),
    )
    last = result.steps[-1]
    assert last.key == "summary" and len(last.upstream_steps) == 5
    # It reads every partition that exists now.
    assert len(last.input_partitions[AssetKey("cleaned")]) == daily.count(NOW)


def test_single_run_backfill_policy_makes_one_step_per_range() -> None:
    result = plan(
        "bulk",
        PartitionSelection(
            ranges=(PartitionKeyRange("2025-01-01", "2025-01-10"),), keys=("2025-01-20",)
        ),
    )
    assert result.step_keys == ["bulk[2025-01-01...2025-01-10]", "bulk[2025-01-20]"]
    assert len(result.steps[0].partition_keys) == 10


def test_all_partitions_and_missing() -> None:
    assert len(plan("cleaned", PartitionSelection(all_partitions=True))) == 59
    done = {AssetKey("cleaned"): [f"2025-01-{d:02d}" for d in range(1, 32)] + ["gone-key"]}
    result = plan("cleaned", PartitionSelection(missing=True), materialized=done)
    assert len(result) == 28 and result.steps[0].key == "cleaned[2025-02-01]"
    within = PartitionSelection(
        ranges=(PartitionKeyRange("2025-01-30", "2025-02-02"),), missing=True
    )
    assert plan("cleaned", within, materialized=done).step_keys == [
        "cleaned[2025-02-01]",
        "cleaned[2025-02-02]",
    ]
    assert (
        plan(
            "summary", PartitionSelection(missing=True), materialized={AssetKey("summary"): [None]}
        ).steps
        == ()
    )


def test_partition_errors_are_clear() -> None:
    with pytest.raises(UsageError, match="reversed"):
        plan("cleaned", PartitionSelection(ranges=(PartitionKeyRange("2025-01-05", "2025-01-01"),)))
    with pytest.raises(UsageError, match=r"Asset 'cleaned'.*'2025-13-01'.*format '%Y-%m-%d'"):
        plan("cleaned", keys("2025-13-01"))
    with pytest.raises(UsageError, match="none of the selected assets is partitioned"):
        plan("summary", keys("2025-01-01"))
    with pytest.raises(UsageError, match=r"partitioned assets \('cleaned'\).*--partition KEY"):
        plan("cleaned", PartitionSelection())
    with pytest.raises(UsageError, match="FIRST...LAST"):
        parse_partition_range("2025-01-01..2025-01-02")


def test_a_mapping_before_the_upstream_start_names_both_assets() -> None:
    with pytest.raises(
        UsageError, match=r"Asset 'rolling' reads asset 'cleaned'.*allow_nonexistent"
    ):
        plan("rolling", keys("2025-01-02"))


def test_incompatible_definitions_fail_at_load_time_naming_both_assets() -> None:
    regions = StaticPartitionsDefinition(["eu", "us"])

    @asset(partitions_def=regions)
    def by_region() -> int:
        return 1

    @asset(partitions_def=daily)
    def by_day(by_region: int) -> int:
        return by_region

    with pytest.raises(DefinitionError, match=r"'by_day'.*reads asset 'by_region'"):
        AssetGraph([by_region, by_day])


def test_static_ranges_follow_definition_order() -> None:
    regions = StaticPartitionsDefinition(["us", "eu", "apac"])

    @asset(partitions_def=regions)
    def sales() -> int:
        return 1

    graph = AssetGraph([sales])
    ranged = PartitionSelection(ranges=(PartitionKeyRange("us", "eu"),))
    assert build_plan(graph, graph.all_keys, ranged).step_keys == ["sales[us]", "sales[eu]"]
    wrong = PartitionSelection(ranges=(PartitionKeyRange("apac", "us"),))
    with pytest.raises(UsageError, match="reversed"):
        build_plan(graph, graph.all_keys, wrong)


def test_dynamic_partitions_plan_from_the_store() -> None:
    customers = DynamicPartitionsDefinition("customers")

    @asset(partitions_def=customers)
    def invoices() -> int:
        return 1

    store = InMemoryDynamicPartitionsStore()
    store.add_dynamic_partitions("customers", [f"c{i}" for i in range(1000)])
    graph = AssetGraph([invoices])
    done = {AssetKey("invoices"): [f"c{i}" for i in range(0, 1000, 2)]}
    result = build_plan(
        graph,
        graph.all_keys,
        PartitionSelection(missing=True),
        dynamic_partitions_store=store,
        materialized=done,
    )
    assert len(result) == 500 and result.steps[0].key == "invoices[c1]"


@settings(max_examples=60, deadline=None)
@given(st.integers(6, 58), st.integers(0, 10))
def test_every_step_comes_after_the_steps_it_depends_on(start: int, length: int) -> None:
    first = daily.key_at(start, NOW)
    last = daily.key_at(min(start + length, 58), NOW)
    result = plan(
        "raw cleaned rolling summary bulk",
        PartitionSelection(ranges=(PartitionKeyRange(first, last),)),
    )
    position = {key: i for i, key in enumerate(result.step_keys)}
    for step in result.steps:
        assert all(position[up] < position[step.key] for up in step.upstream_steps)
    assert (
        sum(1 for s in result.steps if s.assets_def is cleaned)
        == min(start + length, 58) - start + 1
    )


class _CountingStore(InMemoryDynamicPartitionsStore):
    """Counts the keys it hands out, to show what a plan reads."""

    def __init__(self) -> None:
        super().__init__()
        self.keys_read = 0

    def get_dynamic_partitions(self, name: str):  # type: ignore[no-untyped-def]
        keys = super().get_dynamic_partitions(name)
        self.keys_read += len(keys)
        return keys

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int):  # type: ignore[no-untyped-def]
        keys = super().dynamic_partition_keys_between(name, start, stop)
        self.keys_read += len(keys)
        return keys

    def dynamic_partition_keys_at(self, name: str, indices):  # type: ignore[no-untyped-def]
        keys = super().dynamic_partition_keys_at(name, indices)
        self.keys_read += len(keys)
        return keys


def test_a_plan_over_a_million_partitions_is_counted_and_shown_without_its_steps() -> None:
    items = DynamicPartitionsDefinition("items")

    @asset(partitions_def=items)
    def parsed() -> int:
        return 1

    @asset(partitions_def=items)
    def scored(parsed: int) -> int:
        return parsed

    store = _CountingStore()
    store.add_dynamic_partitions("items", [f"item-{i:07d}" for i in range(1_000_000)])
    graph = AssetGraph([parsed, scored])
    done = {AssetKey("parsed"): [f"item-{i:07d}" for i in range(10)]}
    store.keys_read = 0
    result = build_plan(
        graph,
        graph.all_keys,
        PartitionSelection(missing=True),
        dynamic_partitions_store=store,
        materialized=done,
    )
    assert len(result) == 999_990 + 1_000_000
    rows = {row.name: row for row in result.summary()}
    assert (rows["parsed"].steps, rows["parsed"].first, rows["parsed"].last) == (
        999_990,
        "item-0000010",
        "item-0999999",
    )
    assert rows["scored"].partitions == 1_000_000
    head = result.head(3)
    assert [step.key for step in head] == [
        "parsed[item-0000010]",
        "parsed[item-0000011]",
        "parsed[item-0000012]",
    ]
    # The summary read two keys per run, the head one page of keys: far from a million.
    assert store.keys_read < 20_000
    scored_steps = [s for s in itertools.islice(result.iter_steps(), 999_990, 999_993)]
    assert [s.key for s in scored_steps] == [
        "scored[item-0000000]",
        "scored[item-0000001]",
        "scored[item-0000002]",
    ]
    assert scored_steps[0].upstream_steps == ()  # parsed[item-0000000] is materialized
    assert scored_steps[0].input_partitions == {AssetKey("parsed"): ("item-0000000",)}


def test_a_materialized_subset_can_stand_for_the_materialized_keys() -> None:
    done = PartitionsSubset.from_ranges(daily, [range(0, 31)], NOW)
    result = plan("cleaned", PartitionSelection(missing=True), materialized={cleaned.key: done})
    assert len(result) == 28 and result.step_keys[0] == "cleaned[2025-02-01]"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 58), st.integers(1, 12)), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 58), st.integers(1, 12)), min_size=1, max_size=5),
    st.sampled_from([1, 2, 3, 7, None]),
)
def test_steps_of_a_multi_run_upstream_are_found_from_ranges(
    targets: list[tuple[int, int]], wanted: list[tuple[int, int]], per_step: int | None
) -> None:
    target = PartitionsSubset.from_ranges(daily, [range(a, min(a + n, 59)) for a, n in targets])
    reads = PartitionsSubset.from_ranges(daily, [range(a, min(a + n, 59)) for a, n in wanted])
    planned = PlannedAsset(cleaned, target, per_step)
    chunks = list(planned.chunks())
    assert planned.step_count == len(chunks)
    assert [i for chunk in chunks for i in chunk] == list(target.indices())
    expected = [c for c in chunks if any(reads.contains_index(i) for i in c)]
    assert list(planned.chunks_within(reads)) == expected


def test_a_downstream_step_waits_for_the_multi_run_steps_it_reads() -> None:
    @asset(partitions_def=daily, backfill_policy=BackfillPolicy.multi_run(5))
    def batches() -> int:
        return 1

    @asset(
        partitions_def=daily,
        ins={"batches": AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-2))},
    )
    def windows(batches: int) -> int:
        return batches

    graph = AssetGraph([batches, windows])
    selected = PartitionSelection(ranges=(PartitionKeyRange("2025-01-01", "2025-01-12"),))
    with pytest.raises(UsageError, match="'windows' reads asset 'batches'"):
        build_plan(graph, graph.all_keys, selected, current_time=NOW)
    selected = PartitionSelection(ranges=(PartitionKeyRange("2025-01-03", "2025-01-14"),))
    result = build_plan(graph, graph.all_keys, selected, current_time=NOW)
    assert result.step_keys[:3] == [
        "batches[2025-01-03...2025-01-07]",
        "batches[2025-01-08...2025-01-12]",
        "batches[2025-01-13...2025-01-14]",
    ]
    by_key = {step.key: step for step in result.steps}
    assert by_key["windows[2025-01-09]"].upstream_steps == (
        "batches[2025-01-03...2025-01-07]",
        "batches[2025-01-08...2025-01-12]",
    )
    assert by_key["windows[2025-01-03]"].upstream_steps == ("batches[2025-01-03...2025-01-07]",)


def test_a_single_run_step_reads_its_keys_only_when_they_are_used() -> None:
    import pickle

    items = DynamicPartitionsDefinition("items")

    @asset(partitions_def=items, backfill_policy=BackfillPolicy.single_run())
    def loaded() -> int:
        return 1

    store = _CountingStore()
    store.add_dynamic_partitions("items", [f"i{n}" for n in range(100_000)])
    graph = AssetGraph([loaded])
    store.keys_read = 0
    result = build_plan(
        graph,
        graph.all_keys,
        PartitionSelection(all_partitions=True),
        dynamic_partitions_store=store,
    )
    [step] = result.head(5)
    assert step.key == "loaded[i0...i99999]"
    keys = step.partition_keys
    assert (len(keys), keys[0], keys[-1], step.partition_key_range) == (
        100_000,
        "i0",
        "i99999",
        PartitionKeyRange("i0", "i99999"),
    )
    assert store.keys_read == 2
    assert list(keys[:3]) == ["i0", "i1", "i2"] and keys[500] == "i500"
    assert pickle.loads(pickle.dumps(keys)) == tuple(f"i{n}" for n in range(100_000))
    assert keys == tuple(f"i{n}" for n in range(100_000))
