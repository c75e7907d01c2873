"""What an asset function and an IO manager can know while they run, by Dagster's names.

The code location is written the way Dagster's partitioning documentation writes one,
with ``from dagster import`` rewritten to ``from assetgraph import``.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetOut,
    DailyPartitionsDefinition,
    Definitions,
    DynamicPartitionsDefinition,
    InputContext,
    Instance,
    IOManager,
    Output,
    OutputContext,
    PartitionKeyRange,
    TimeWindow,
    asset,
    build_asset_context,
    get_dagster_logger,
    materialize,
    multi_asset,
)
from assetgraph.cli.main import app
from assetgraph.errors import AssetgraphError
from assetgraph.storage.records import EventType

DAILY = """
from assetgraph import AssetExecutionContext, DailyPartitionsDefinition, asset, get_dagster_logger

daily_partitions = DailyPartitionsDefinition(start_date="2024-01-01")


@asset(partitions_def=daily_partitions)
def daily_sales(context: AssetExecutionContext) -> dict:
    start, end = context.partition_time_window
    logger = get_dagster_logger()
    logger.info(f"Processing sales from {start} to {end}")
    return {
        "partition": context.asset_partition_key_for_output(),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
"""


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_partition_time_window_unpacks_and_dagster_logger_reaches_the_event_log(
    tmp_path: Path,
) -> None:
    (tmp_path / "defs.py").write_text(DAILY)
    result = CliRunner().invoke(app, ["materialize", "-f", "defs.py", "--partition", "2024-01-05"])
    assert result.exit_code == 0, result.output

    instance = Instance.from_env()
    record = instance.storage.latest_materializations(["daily_sales"])[
        ("daily_sales", "2024-01-05")
    ]
    stored = pickle.loads(Path(record.metadata["path"]).read_bytes())
    assert stored == {
        "partition": "2024-01-05",
        "start": "2024-01-05T00:00:00+00:00",
        "end": "2024-01-06T00:00:00+00:00",
    }
    logs = [e.message for e in instance.storage.events_for_run(record.run_id, [EventType.LOG])]
    assert any(
        "Processing sales from 2024-01-05 00:00:00+00:00 to 2024-01-06" in (m or "") for m in logs
    ), logs


def test_time_window_and_key_range_are_named_tuples() -> None:
    window = TimeWindow(_day("2025-01-01"), _day("2025-01-02"))
    start, end = window
    assert (start, end) == (window.start, window.end)
    assert window == TimeWindow(_day("2025-01-01"), _day("2025-01-02"))
    assert len({window, TimeWindow(_day("2025-01-01"), _day("2025-01-02"))}) == 1
    first, last = PartitionKeyRange("a", "c")
    assert (first, last) == ("a", "c")
    assert str(PartitionKeyRange("a", "c")) == "a...c"
    assert json.dumps(PartitionKeyRange("a", "c")) == '["a", "c"]'


def test_build_asset_context_drives_a_directly_called_asset() -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(partitions_def=daily)
    def my_asset(context: AssetExecutionContext) -> tuple[str, datetime, datetime]:
        start, end = context.partition_time_window
        return context.partition_key, start, end

    assert my_asset(build_asset_context(partition_key="2025-01-03")) == (
        "2025-01-03",
        _day("2025-01-03"),
        _day("2025-01-04"),
    )
    context = build_asset_context(partition_key_range=PartitionKeyRange("2025-01-01", "2025-01-03"))

    @asset(partitions_def=daily)
    def ranged(context: AssetExecutionContext) -> list[str]:
        return context.partition_keys

    assert ranged(context) == ["2025-01-01", "2025-01-02", "2025-01-03"]
    assert context.asset_key == AssetKey("ranged")

    @asset(partitions_def=daily)
    def other(context: AssetExecutionContext) -> AssetKey:
        return context.asset_key

    assert other(context) == AssetKey("other"), "each direct call binds the context anew"
    with pytest.raises(AssetgraphError, match="context.instance is not available"):
        _ = build_asset_context().instance

    @asset
    def with_resource(context: AssetExecutionContext) -> str:
        return str(context.resources.greeting)

    assert with_resource(context=build_asset_context(resources={"greeting": "hi"})) == "hi"


def test_a_direct_call_of_a_subsettable_multi_asset_selects_every_output() -> None:
    @multi_asset(
        outs={"a": AssetOut(is_required=False), "b": AssetOut(is_required=False)},
        can_subset=True,
    )
    def split_actions(context: AssetExecutionContext) -> Any:
        if "a" in context.op_execution_context.selected_output_names:
            yield Output(value=123, output_name="a")
        if "b" in context.op_execution_context.selected_output_names:
            yield Output(value=456, output_name="b")

    with build_asset_context() as ctx:
        outputs = list(split_actions(ctx))
    assert sorted((o.output_name, o.value) for o in outputs) == [("a", 123), ("b", 456)]


def test_output_and_input_partition_helpers_of_the_context() -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")
    seen: dict[str, Any] = {}

    @asset(partitions_def=daily)
    def up(context: AssetExecutionContext) -> str:
        return context.partition_key

    @multi_asset(outs={"x": AssetOut(), "y": AssetOut()}, partitions_def=daily)
    def xy(context: AssetExecutionContext, up: Any) -> tuple[int, int]:
        seen["for_x"] = context.asset_partition_key_for_output("x")
        seen["keys_y"] = context.asset_partition_keys_for_output("y")
        seen["window"] = context.asset_partitions_time_window_for_output("x")
        seen["input_key"] = context.asset_partition_key_for_input("up")
        seen["input_window"] = context.asset_partitions_time_window_for_input("up")
        seen["has_key"] = context.has_partition_key
        with pytest.raises(AssetgraphError, match="no output named 'z'"):
            context.asset_partition_key_for_output("z")
        return 1, 2

    assert materialize([up, xy], partition_key="2025-01-02").success
    assert seen == {
        "for_x": "2025-01-02",
        "keys_y": ["2025-01-02"],
        "window": TimeWindow(_day("2025-01-02"), _day("2025-01-03")),
        "input_key": "2025-01-02",
        "input_window": TimeWindow(_day("2025-01-02"), _day("2025-01-03")),
        "has_key": True,
    }


def test_context_instance_reads_and_adds_dynamic_partitions_and_materializations() -> None:
    regions = DynamicPartitionsDefinition(name="regions")
    found: dict[str, Any] = {}

    @asset
    def discover(context: AssetExecutionContext) -> int:
        context.instance.add_dynamic_partitions("regions", ["eu", "us"])
        found["has_eu"] = context.instance.has_dynamic_partition("regions", "eu")
        return 1

    @asset(deps=[discover])
    def report(context: AssetExecutionContext) -> int:
        found["regions"] = context.instance.get_dynamic_partitions("regions")
        event = context.instance.get_latest_materialization_event(AssetKey("discover"))
        found["discover_run"] = event.run_id if event is not None else None
        return 2

    instance = Instance.ephemeral()
    result = materialize([discover, report], instance=instance)
    assert result.success
    assert found == {"has_eu": True, "regions": ["eu", "us"], "discover_run": result.run_id}
    assert regions.name == "regions"
    assert instance.get_latest_materialization_event("never_built") is None


DYNAMIC = """
from assetgraph import AssetExecutionContext, asset


@asset
def discover(context: AssetExecutionContext) -> list:
    context.instance.add_dynamic_partitions("regions", ["eu", "us"])
    return context.instance.get_dynamic_partitions("regions")
"""


def test_context_instance_reaches_the_runs_database_from_a_worker_process(
    tmp_path: Path,
) -> None:
    (tmp_path / "defs.py").write_text(DYNAMIC)
    result = CliRunner().invoke(app, ["materialize", "-f", "defs.py", "--workers", "2"])
    assert result.exit_code == 0, result.output
    instance = Instance.from_env()
    assert instance.get_dynamic_partitions("regions") == ["eu", "us"]
    event = instance.get_latest_materialization_event("discover")
    assert event is not None and event.asset_materialization is not None
    stored = pickle.loads(Path(event.asset_materialization.metadata["path"].value).read_bytes())
    assert stored == ["eu", "us"]


class RecordingIOManager(IOManager):
    """Keeps values in memory and what each context said, to check Dagster's names."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, ...], Any] = {}
        self.seen: list[dict[str, Any]] = []

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.seen.append(
            {
                "what": "output",
                "name": context.name,
                "identifier": context.get_asset_identifier(),
                "window": (
                    context.asset_partitions_time_window if context.has_asset_partitions else None
                ),
                "keys": context.asset_partition_keys,
                "metadata": dict(context.definition_metadata),
            }
        )
        context.log.info("stored %s", context.asset_key.to_string())
        self.values[tuple(context.get_asset_identifier())] = obj

    def load_input(self, context: InputContext) -> Any:
        assert context.upstream_output is not None
        self.seen.append(
            {
                "what": "input",
                "name": context.name,
                "upstream": context.upstream_output.asset_key,
                "range": context.asset_partition_key_range,
                "window": context.asset_partitions_time_window,
            }
        )
        return [self.values[(*context.asset_key.path, k)] for k in context.asset_partition_keys]


def test_io_manager_contexts_answer_dagsters_partition_questions() -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-05")
    manager = RecordingIOManager()

    @asset(partitions_def=daily, metadata={"owner": "sales"})
    def sales(context: AssetExecutionContext) -> str:
        return context.partition_key

    @asset(ins={"days": AssetIn("sales")})
    def total(days: Any) -> int:
        return len(days)

    defs = Definitions(assets=[sales, total], resources={"io_manager": manager})
    assert materialize(defs, selection="sales", partition_range="2025-01-01...2025-01-04").success
    manager.seen.clear()
    assert materialize(defs, selection="total").success, "total reads every partition"
    first = manager.seen[0]
    assert first == {
        "what": "input",
        "name": "days",
        "upstream": AssetKey("sales"),
        "range": PartitionKeyRange("2025-01-01", "2025-01-04"),
        "window": TimeWindow(_day("2025-01-01"), _day("2025-01-05")),
    }
    assert manager.seen[1]["what"] == "output" and manager.seen[1]["identifier"] == ["total"]

    manager.seen.clear()
    assert materialize(defs, selection="sales", partition_key="2025-01-04").success
    assert manager.seen == [
        {
            "what": "output",
            "name": "result",
            "identifier": ["sales", "2025-01-04"],
            "window": TimeWindow(_day("2025-01-04"), _day("2025-01-05")),
            "keys": ["2025-01-04"],
            "metadata": {"owner": "sales"},
        }
    ]


def test_get_dagster_logger_outside_a_step_is_a_plain_logger() -> None:
    logger = get_dagster_logger("helpers")
    assert logger.name.endswith("helpers")
    logger.info("nothing runs, nothing is recorded")  # must not raise


def test_selected_asset_check_keys_are_those_of_the_selected_assets() -> None:
    from assetgraph import AssetCheckKey, AssetCheckResult, AssetCheckSpec, AssetSpec, multi_asset

    seen: list[set[AssetCheckKey]] = []

    @multi_asset(
        specs=[AssetSpec("one", skippable=True), AssetSpec("two", skippable=True)],
        check_specs=[AssetCheckSpec("positive", asset="one")],
        can_subset=True,
    )
    def pair(context: AssetExecutionContext) -> Any:
        seen.append(context.selected_asset_check_keys)
        for key in sorted(context.selected_asset_keys, key=AssetKey.to_string):
            yield Output(1, output_name=key.path[-1])
        for check_key in context.selected_asset_check_keys:
            yield AssetCheckResult(passed=True, asset_key=check_key.asset_key)

    materialize([pair], selection="two", instance=Instance.ephemeral(), raise_on_error=True)
    materialize([pair], instance=Instance.ephemeral(), raise_on_error=True)
    assert seen == [set(), {AssetCheckKey(AssetKey("one"), "positive")}]
