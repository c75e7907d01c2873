"""Dagster's sensor guides, ported: multi-asset sensors, asset sensors reading the event's
metadata, a cursor sensor that starts running, and a sensor called directly."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from assetgraph import (
    AssetKey,
    Definitions,
    Instance,
    RunRequest,
    RunsFilter,
    SkipReason,
    asset,
    build_multi_asset_sensor_context,
    load_definitions,
    materialize,
)
from tests.parity.conftest import automate

Cli = Callable[..., tuple[int, str]]


@pytest.fixture
def module_of(ported: Callable[[str], Path]) -> Iterator[Callable[[str], ModuleType]]:
    """Import a ported location as a module, as a test file next to it would."""
    imported: list[str] = []

    def load(name: str) -> ModuleType:
        path = ported(name)
        sys.path.insert(0, str(path.parent))
        imported.append(str(path.parent))
        return importlib.import_module(name)

    yield load
    for folder in imported:
        sys.path.remove(folder)


def test_a_multi_asset_sensor_runs_its_job_once_both_assets_are_new(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_multi_asset_sensor"))
    code, out = cli("sensors", "start", "asset_a_and_b_sensor", "-f", location)
    assert code == 0, out
    assert automate(cli, location, "2025-01-01T00:00:00")["runs"] == [], "nothing materialized"
    assert cli("materialize", "-f", location, "--select", "asset_a")[0] == 0
    assert automate(cli, location, "2025-01-01T00:01:00")["runs"] == [], "asset_b is missing"
    assert cli("materialize", "-f", location, "--select", "asset_b")[0] == 0
    [run] = automate(cli, location, "2025-01-01T00:02:00")["runs"]
    assert run["targets"] == {"asset_c": []}
    assert automate(cli, location, "2025-01-01T00:03:00")["runs"] == [], "both consumed"
    instance = Instance.from_env()
    [launched] = instance.get_runs(RunsFilter.for_sensor("asset_a_and_b_sensor"))
    assert launched.job_name == "asset_c_job" and launched.is_success
    cursor = json.loads(launched.tags["dagster/run_key"])
    assert set(cursor) == {"asset_a", "asset_b"}, "the run key is the sensor's cursor"


def test_a_multi_asset_sensor_called_with_a_built_context(
    module_of: Callable[[str], ModuleType],
) -> None:
    sensors = module_of("auto_multi_asset_sensor")
    instance = Instance.ephemeral()
    context = build_multi_asset_sensor_context(
        monitored_assets=[AssetKey("asset_a"), AssetKey("asset_b")],
        instance=instance,
        definitions=sensors.defs,
    )
    assert sensors.asset_a_and_b_sensor(context) is None
    materialize([sensors.asset_a, sensors.asset_b], instance=instance)
    request = sensors.asset_a_and_b_sensor(context)
    assert isinstance(request, RunRequest) and request.run_key == context.cursor
    again = build_multi_asset_sensor_context(
        monitored_assets=[AssetKey("asset_a"), AssetKey("asset_b")],
        instance=instance,
        cursor=context.cursor,
    )
    assert sensors.asset_a_and_b_sensor(again) is None, "the cursor moved past both"


def test_a_multi_asset_sensor_consumes_each_asset_on_its_own(
    module_of: Callable[[str], ModuleType],
) -> None:
    sensors = module_of("auto_multi_asset_sensor_beta")

    @asset
    def upstream_asset_1() -> int:
        return 1

    @asset
    def upstream_asset_2() -> int:
        return 2

    upstream = Definitions(assets=[upstream_asset_1, upstream_asset_2])
    instance = Instance.ephemeral()
    monitored = [AssetKey("upstream_asset_1"), AssetKey("upstream_asset_2")]
    context = build_multi_asset_sensor_context(monitored_assets=monitored, instance=instance)
    assert sensors.my_multi_asset_sensor(context) == []
    materialize(upstream, selection="upstream_asset_1", instance=instance)
    context = build_multi_asset_sensor_context(
        monitored_assets=monitored, instance=instance, cursor=context.cursor
    )
    [request] = sensors.my_multi_asset_sensor(context)
    assert request.asset_selection == [AssetKey("upstream_asset_1")]
    materialize(upstream, selection="upstream_asset_2", instance=instance)
    context = build_multi_asset_sensor_context(
        monitored_assets=monitored, instance=instance, cursor=context.cursor
    )
    [request] = sensors.my_multi_asset_sensor(context)
    assert request.asset_selection == [AssetKey("upstream_asset_2")], "asset 1 was consumed"


@pytest.mark.parametrize("name", ["auto_asset_sensor_custom_eval", "auto_asset_sensor_with_config"])
def test_an_asset_sensor_reads_the_materialization_metadata(
    ported: Callable[[str], Path], cli: Cli, name: str
) -> None:
    location = str(ported(name))
    assert cli("sensors", "start", "daily_sales_data_sensor", "-f", location)[0] == 0
    assert automate(cli, location, "2025-01-01T00:00:00")["runs"] == []
    assert cli("materialize", "-f", location, "--select", "daily_sales_data")[0] == 0
    [run] = automate(cli, location, "2025-01-01T00:01:00")["runs"]
    assert run["targets"] == {"weekly_report": []}
    instance = Instance.from_env()
    [launched] = instance.get_runs(RunsFilter(job_name="my_job"))
    assert launched.is_success, launched.error
    latest = instance.get_latest_materialization_event("daily_sales_data")
    assert latest is not None
    assert launched.tags["dagster/run_key"] == str(latest.storage_id), "run key = the cursor"
    materialization = latest.dagster_event.event_specific_data.materialization
    assert materialization.metadata["specific_property"].value == "value"
    if name == "auto_asset_sensor_with_config":
        config = launched.run_config["ops"]["weekly_report"]["config"]
        assert "value" in config["param1"], "the config the sensor built from the metadata"
    assert automate(cli, location, "2025-01-01T00:02:00")["runs"] == [], "seen already"


def test_an_asset_sensor_function_may_take_no_arguments(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_simple_asset_sensor"))
    assert cli("sensors", "start", "daily_sales_data_sensor", "-f", location)[0] == 0
    assert cli("materialize", "-f", location, "--select", "daily_sales_data")[0] == 0
    [run] = automate(cli, location, "2025-01-01T00:01:00")["runs"]
    assert run["targets"] == {"weekly_report": []}


def test_a_cursor_sensor_runs_by_default_and_its_error_is_recorded(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_sensor_cursor"))
    code, out = cli("sensors", "list", "-f", location, "--json")
    assert code == 0, out
    [listed] = json.loads(out)
    assert (listed["status"], listed["minimum_interval_seconds"]) == ("RUNNING", 5.0)
    code, out = cli("automate", "-f", location, "--now", "2025-01-01T00:00:00", "--json")
    found = json.loads(out)
    [error] = found["errors"]
    assert "updated_file_sensor" in error and "MY_DIRECTORY" in error, "the file never sets it"


def test_a_sensor_called_directly_yields_requests_or_a_skip(
    module_of: Callable[[str], ModuleType],
) -> None:
    sensors = module_of("auto_simple_sensor")
    for _ in range(20):
        items = list(sensors.new_file_sensor())
        assert items in (
            [RunRequest(run_key="file1"), RunRequest(run_key="file2")],
            [SkipReason("No new files found")],
        )
    defs = load_definitions(file=sensors.__file__)
    assert defs.get_sensor_def("new_file_sensor").job_name == "my_job"
    assert materialize([sensors.my_asset], instance=Instance.ephemeral()).success


def test_an_asset_sensor_called_with_a_context_evaluates_as_in_dagsters_docs_test() -> None:
    from assetgraph import (
        DagsterInstance,
        EventLogEntry,
        SensorEvaluationContext,
        asset_sensor,
        build_sensor_context,
    )

    # Dagster's asset sensor docs test (sensors/asset_sensors.py), with an asset job.
    @asset_sensor(asset_key=AssetKey("my_table"), job_name="my_job")
    def my_asset_sensor(context: SensorEvaluationContext, asset_event: EventLogEntry):  # type: ignore[no-untyped-def]
        yield RunRequest(
            run_key=context.cursor,
            run_config={"asset_key": list(asset_event.dagster_event.asset_key.path)},
        )

    @asset
    def my_table() -> int:
        return 1

    instance = DagsterInstance.ephemeral()
    ctx = build_sensor_context(instance)
    result = list(my_asset_sensor(ctx))
    assert len(result) == 1 and isinstance(result[0], SkipReason)
    materialize([my_table], instance=instance)
    result = list(my_asset_sensor(ctx))
    assert len(result) == 1 and isinstance(result[0], RunRequest)
    assert result[0].run_config == {"asset_key": ["my_table"]} and result[0].run_key == ctx.cursor
    assert list(my_asset_sensor(ctx)) == [SkipReason("no new materialization of my_table")]
