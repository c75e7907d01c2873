"""Self-dependent assets: a time-partitioned asset reading its own earlier partitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

import assetgraph as dg
from assetgraph.cli.main import app
from assetgraph.errors import DefinitionError
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.planning.planner import PartitionSelection, build_plan, parse_partition_range

DAILY = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")
KEY = AssetKey(("cumulative",))


def _cumulative(start: int = -1, end: int = -1) -> dg.AssetsDefinition:
    mapping = dg.TimeWindowPartitionMapping(start_offset=start, end_offset=end)

    @dg.asset(
        partitions_def=DAILY,
        ins={"prev": dg.AssetIn(key="cumulative", partition_mapping=mapping)},
    )
    def cumulative(context: dg.AssetExecutionContext, prev: Any) -> int:
        day = int(context.partition_key[-2:])
        if prev is None:
            return day
        values = prev.values() if isinstance(prev, dict) else [prev]
        return day + sum(values)

    return cumulative


def _plan(assets_def: dg.AssetsDefinition, first: str, last: str) -> list[Any]:
    selection = PartitionSelection(ranges=(parse_partition_range(f"{first}...{last}"),))
    return list(build_plan(AssetGraph([assets_def]), [KEY], selection).steps)


def test_the_graph_keeps_a_self_dependency_apart_from_its_edges() -> None:
    graph = AssetGraph([_cumulative()])
    assert list(graph.parents(KEY)) == [] and list(graph.children(KEY)) == []
    mapping = graph.self_dependency(KEY)
    assert isinstance(mapping, dg.TimeWindowPartitionMapping)
    assert (mapping.start_offset, mapping.end_offset) == (-1, -1)
    assert graph.edge_count == 0
    assert not list(graph.nx_graph.edges)


def test_every_way_of_naming_itself_is_a_self_dependency() -> None:
    mapping = dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)

    @dg.asset(partitions_def=DAILY, ins={"by_name": dg.AssetIn(partition_mapping=mapping)})
    def by_name(by_name: Any) -> int:
        return 1

    @dg.asset(partitions_def=DAILY, deps=[dg.AssetDep("by_dep", partition_mapping=mapping)])
    def by_dep() -> int:
        return 1

    graph = AssetGraph([by_name, by_dep])
    assert graph.self_dependency(AssetKey(("by_name",))) is not None
    assert graph.self_dependency(AssetKey(("by_dep",))) is not None
    assert graph.self_dependency(AssetKey(("by_dep",))) == graph.self_dependency(
        AssetKey(("by_name",))
    )


@pytest.mark.parametrize(
    ("partitions_def", "mapping", "reason"),
    [
        (None, None, "it is not partitioned"),
        (dg.StaticPartitionsDefinition(["a", "b"]), None, "not a time-window one"),
        (DAILY, None, "gives no partition_mapping"),
        (DAILY, dg.IdentityPartitionMapping(), "not a TimeWindowPartitionMapping"),
        (DAILY, dg.TimeWindowPartitionMapping(start_offset=-1), "both offsets must be negative"),
        (DAILY, dg.TimeWindowPartitionMapping(0, 0), "both offsets must be negative"),
    ],
)
def test_any_other_self_dependency_is_a_definition_error(
    partitions_def: Any, mapping: Any, reason: str
) -> None:
    looped_in = dg.AssetIn("looped", partition_mapping=mapping)

    @dg.asset(partitions_def=partitions_def, ins={"prev": looped_in})
    def looped(prev: Any) -> int:
        return 1

    with pytest.raises(DefinitionError) as caught:
        AssetGraph([looped])
    message = str(caught.value)
    assert "Asset 'looped'" in message and "depends on itself" in message
    assert reason in message
    assert "TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)" in message


def test_a_cycle_through_another_asset_stays_an_error() -> None:
    @dg.asset(ins={"b": dg.AssetIn("b")})
    def a(b: Any) -> int:
        return 1

    @dg.asset(ins={"a": dg.AssetIn("a")})
    def b(a: Any) -> int:
        return 1

    with pytest.raises(DefinitionError, match="cycle"):
        AssetGraph([a, b])


def test_each_partition_of_a_run_waits_for_the_one_it_reads() -> None:
    steps = _plan(_cumulative(), "2024-01-01", "2024-01-04")
    assert [s.key for s in steps] == [f"cumulative[2024-01-0{d}]" for d in range(1, 5)]
    assert [s.upstream_steps for s in steps] == [
        (),
        ("cumulative[2024-01-01]",),
        ("cumulative[2024-01-02]",),
        ("cumulative[2024-01-03]",),
    ]
    assert steps[0].input_partitions == {KEY: ()}
    assert steps[3].input_partitions == {KEY: ("2024-01-03",)}


def test_earlier_partitions_outside_the_run_are_read_without_a_step() -> None:
    steps = _plan(_cumulative(-2, -1), "2024-01-05", "2024-01-06")
    assert steps[0].upstream_steps == ()
    assert steps[0].input_partitions == {KEY: ("2024-01-03", "2024-01-04")}
    assert steps[1].upstream_steps == ("cumulative[2024-01-05]",)
    assert steps[1].input_partitions == {KEY: ("2024-01-04", "2024-01-05")}


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=-4, max_value=-1),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=9),
    st.integers(min_value=0, max_value=9),
)
def test_a_step_reads_exactly_its_shifted_window(end: int, width: int, lo: int, hi: int) -> None:
    start = end - width
    first, last = min(lo, hi), max(lo, hi)
    keys = [f"2024-01-{d:02d}" for d in range(1, 11)]
    steps = _plan(_cumulative(start, end), keys[first], keys[last])
    assert [s.partition_key for s in steps] == keys[first : last + 1]
    for step in steps:
        index = keys.index(step.partition_key)
        read = [i for i in range(index + start, index + end + 1) if i >= 0]
        assert step.input_partitions == {KEY: tuple(keys[i] for i in read)}
        in_run = [i for i in read if first <= i]
        assert step.upstream_steps == tuple(f"cumulative[{keys[i]}]" for i in in_run)


def test_a_run_accumulates_and_the_first_partition_reads_none() -> None:
    result = dg.materialize([_cumulative()], partition_range="2024-01-01...2024-01-04")
    assert result.success
    assert [result.output_for("cumulative", f"2024-01-0{d}") for d in range(1, 5)] == [
        1,
        3,
        6,
        10,
    ]


def test_a_later_run_reads_what_an_earlier_run_stored() -> None:
    instance = dg.Instance.from_env()
    assets = [_cumulative()]
    assert dg.materialize(assets, partition_key="2024-01-01", instance=instance).success
    later = dg.materialize(assets, partition_range="2024-01-02...2024-01-03", instance=instance)
    assert later.success
    assert later.output_for("cumulative", "2024-01-03") == 6


def test_a_missing_earlier_partition_fails_as_a_missing_upstream_does() -> None:
    result = dg.materialize([_cumulative()], partition_key="2024-01-05")
    assert not result.success
    [failure] = result.failures
    assert failure.error is not None
    assert "cumulative" in failure.error.message and "2024-01-04" in failure.error.message


LOCATION = """\
import assetgraph as dg

@dg.asset(
    partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11"),
    ins={"prev": dg.AssetIn(
        key="running_total",
        partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1),
    )},
)
def running_total(context: dg.AssetExecutionContext, prev) -> int:
    context.log.info(f"read {prev!r}")
    return int(context.partition_key[-2:]) + (prev or 0)

defs = dg.Definitions(assets=[running_total])
"""


def test_the_cli_materializes_a_range_in_order(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(LOCATION)
    runner = CliRunner()
    result = runner.invoke(
        app, ["materialize", "-f", str(path), "--partition-range", "2024-01-01...2024-01-03"]
    )
    assert result.exit_code == 0, result.output
    order = [result.output.index(f"running_total[2024-01-0{d}]") for d in range(1, 4)]
    assert order == sorted(order)
    defs = dg.load_definitions(file=str(path))
    assert defs.load_asset_value("running_total", partition_key="2024-01-03") == 6

    missing = runner.invoke(app, ["materialize", "-f", str(path), "--partition", "2024-01-06"])
    assert missing.exit_code == 1
    assert "2024-01-05" in missing.output


def test_a_newer_earlier_partition_does_not_make_a_later_one_stale() -> None:
    instance = dg.Instance.from_env()
    defs = dg.Definitions(assets=[_cumulative()])
    assert dg.materialize(
        defs, partition_range="2024-01-01...2024-01-02", instance=instance
    ).success
    assert dg.materialize(defs, partition_key="2024-01-01", instance=instance).success
    report = dg.stale_status(defs, instance=instance)
    status = report["cumulative"]
    assert len(status.materialized) == 2 and len(status.missing) == 8
    assert not status.stale


def test_a_database_io_manager_gives_the_first_partition_an_empty_table(tmp_path: Path) -> None:
    seen: list[int] = []

    @dg.asset(
        partitions_def=DAILY,
        key_prefix=["my_schema"],
        ins={
            "prev": dg.AssetIn(
                key=dg.AssetKey(["my_schema", "rows"]),
                partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1),
            )
        },
        metadata={"partition_expr": "day"},
    )
    def rows(context: dg.AssetExecutionContext, prev: pd.DataFrame) -> pd.DataFrame:
        seen.append(len(prev))
        day = pd.Timestamp(context.partition_key)
        return pd.DataFrame({"day": [day, day], "n": [len(prev)] * 2})

    manager = dg.DuckDBPandasIOManager(database=str(tmp_path / "db.duckdb"))
    result = dg.materialize(
        [rows], partition_range="2024-01-01...2024-01-03", resources={"io_manager": manager}
    )
    assert result.success, result.failures
    assert seen == [0, 2, 2]


def test_the_context_names_the_partition_the_input_reads() -> None:
    """Dagster's docstring of ``asset_partition_key_for_input``: the 2023-08-21 partition
    of a self-dependent asset reads 2023-08-20."""
    partitions_def = dg.DailyPartitionsDefinition("2023-08-20")
    logged: list[str] = []

    @dg.asset(
        partitions_def=partitions_def,
        ins={
            "self_dependent_asset": dg.AssetIn(
                partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
            )
        },
    )
    def self_dependent_asset(context: dg.AssetExecutionContext, self_dependent_asset: Any) -> int:
        if self_dependent_asset is not None:  # the first partition reads none
            logged.append(context.asset_partition_key_for_input("self_dependent_asset"))
        return 1

    result = dg.materialize([self_dependent_asset], partition_range="2023-08-20...2023-08-21")
    assert result.success
    assert logged == ["2023-08-20"]
