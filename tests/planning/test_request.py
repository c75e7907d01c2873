"""The planning request: partition options -> the target partitions of each asset, and the
stored text form of partition options."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assetgraph import (
    AssetGraph,
    AssetOut,
    DailyPartitionsDefinition,
    Instance,
    PartitionSelection,
    StaticPartitionsDefinition,
    UsageError,
    asset,
    build_plan_for_targets,
    materialize,
    multi_asset,
    targets_for_selection,
)
from assetgraph.keys import AssetKey
from assetgraph.partitions import PartitionKeyRange
from assetgraph.planning.planner import build_plan

NOW = datetime(2025, 3, 1, tzinfo=UTC)
daily = DailyPartitionsDefinition(start_date="2025-01-01")
regions = StaticPartitionsDefinition(["eu", "us", "apac"])


@asset(partitions_def=daily)
def raw() -> int:
    return 1


@asset(partitions_def=daily)
def cleaned(raw: int) -> int:
    return raw


@asset
def summary(cleaned: dict[str, int]) -> int:
    return sum(cleaned.values())


@multi_asset(outs={"left": AssetOut(), "right": AssetOut()}, partitions_def=regions)
def pair() -> tuple[int, int]:
    return 1, 2


GRAPH = AssetGraph([raw, cleaned, summary, pair])
KEYS = GRAPH.toposort(GRAPH.all_keys)


def _targets(selection: PartitionSelection, **kwargs: object) -> dict[str, list[str] | None]:
    found = targets_for_selection(GRAPH, KEYS, selection, current_time=NOW, **kwargs)  # type: ignore[arg-type]
    return {
        key.to_string(): None if subset is None else list(subset.keys())
        for key, subset in found.items()
    }


def test_named_partitions_become_each_assets_target_and_multi_asset_keys_share_theirs() -> None:
    selection = PartitionSelection(
        keys=("2025-01-05", "us"), ranges=(PartitionKeyRange("2025-01-01", "2025-01-02"),)
    )
    # 'us' is not a day and '2025-01-05' not a region: each definition reads what it knows.
    with pytest.raises(UsageError, match="Asset 'raw'"):
        _targets(selection)
    days = PartitionSelection(ranges=(PartitionKeyRange("2025-01-01", "2025-01-02"),))
    found = targets_for_selection(
        GRAPH,
        [AssetKey("raw"), AssetKey("cleaned"), AssetKey("summary")],
        days,
        current_time=NOW,
    )
    assert {k.to_string(): None if s is None else list(s.keys()) for k, s in found.items()} == {
        "raw": ["2025-01-01", "2025-01-02"],
        "cleaned": ["2025-01-01", "2025-01-02"],
        "summary": None,
    }
    both = targets_for_selection(
        GRAPH,
        [AssetKey("left"), AssetKey("right")],
        PartitionSelection(keys=("us",)),
        current_time=NOW,
    )
    assert {k.to_string(): list(s.keys()) for k, s in both.items() if s is not None} == {
        "left": ["us"],
        "right": ["us"],
    }


def test_missing_leaves_out_what_is_materialized_and_assets_left_with_nothing() -> None:
    done = {
        AssetKey("raw"): ["2025-01-01", "2025-01-02"],
        AssetKey("cleaned"): ["2025-01-01"],
        AssetKey("summary"): [None],
    }
    selection = PartitionSelection(
        ranges=(PartitionKeyRange("2025-01-01", "2025-01-02"),), missing=True
    )
    found = targets_for_selection(
        GRAPH,
        [AssetKey("raw"), AssetKey("cleaned"), AssetKey("summary")],
        selection,
        current_time=NOW,
        materialized=done,
    )
    assert {k.to_string(): None if s is None else list(s.keys()) for k, s in found.items()} == {
        "cleaned": ["2025-01-02"]
    }


def test_planning_the_request_gives_the_plan_the_options_give() -> None:
    selection = PartitionSelection(ranges=(PartitionKeyRange("2025-01-03", "2025-01-06"),))
    keys = GRAPH.toposort([AssetKey("raw"), AssetKey("cleaned"), AssetKey("summary")])
    from_options = build_plan(GRAPH, keys, selection, current_time=NOW)
    request = targets_for_selection(GRAPH, keys, selection, current_time=NOW)
    from_request = build_plan_for_targets(GRAPH, request, current_time=NOW)
    assert from_request.step_keys == from_options.step_keys
    assert [s.upstream_steps for s in from_request.steps] == [
        s.upstream_steps for s in from_options.steps
    ]
    assert from_options.partitions == selection and from_request.partitions is None


def test_partition_options_for_unpartitioned_assets_name_the_partitions_not_cli_flags() -> None:
    keys = [AssetKey("summary")]
    selection = PartitionSelection(keys=("2025-01-01",))
    with pytest.raises(UsageError) as caught:
        build_plan(GRAPH, keys, selection, current_time=NOW)
    assert "Partitions were named (2025-01-01)" in str(caught.value)
    assert "none of the selected assets is partitioned" in str(caught.value)
    assert "--partition" not in str(caught.value).split(":")[0]


def test_the_stored_partition_options_read_back_old_and_new_tags() -> None:
    selection = PartitionSelection(
        keys=("2025-01-05",),
        ranges=(PartitionKeyRange("2025-01-01", "2025-01-03"),),
        missing=True,
    )
    text = selection.to_tag_text()
    assert text == "--partition 2025-01-05 --partition-range 2025-01-01...2025-01-03 --missing"
    assert PartitionSelection.from_tag_text(text) == selection
    # Tags as older versions (and hand-written runs) stored them.
    assert PartitionSelection.from_tag_text("--all-partitions --stale") == PartitionSelection(
        all_partitions=True, stale=True
    )
    assert PartitionSelection.from_tag_text("--partition-range nonsense --partition") == (
        PartitionSelection()
    )


def test_a_run_started_with_options_stores_them_as_before(tmp_path: Path) -> None:
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db")
    result = materialize(
        [raw, cleaned],
        partition_range="2025-01-01...2025-01-02",
        missing=True,
        instance=instance,
        current_time=NOW,
    )
    assert result.success
    run = instance.storage.get_run(result.run_id)
    assert run is not None
    assert (
        run.tags["assetgraph/partitions"] == "--partition-range 2025-01-01...2025-01-02 --missing"
    )
    assert PartitionSelection.from_tag_text(run.tags["assetgraph/partitions"]) == (
        PartitionSelection(ranges=(PartitionKeyRange("2025-01-01", "2025-01-02"),), missing=True)
    )
