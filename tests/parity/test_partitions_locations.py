"""Dagster's partitions and backfills docs (``concepts/partitions_schedules_sensors/`` and
``guides/build/partitions_backfills/``), ported: partitioned assets and op jobs, partition
mappings, dynamic and multi-dimensional partitions, time zones, custom calendars, partitioned
schedules and single-run backfills, run through the CLI, the API and the files' own tests."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import assetgraph as dg
from assetgraph import Instance, RunsFilter, materialize
from tests.parity.conftest import automate, import_file

from .conftest import LOCATIONS, port_source

Cli = Callable[..., tuple[int, str]]
Port = Callable[[str], Path]


def load(path: Path) -> ModuleType:
    return import_file(path, register=True)


def built(result: Any) -> list[tuple[str, str | None]]:
    return sorted(
        (m.asset_key.to_string(), m.partition) for m in result.get_asset_materializations()
    )


class Calls:
    """Stands in for a snippet's stub helper and remembers what it was called with."""

    def __init__(self, returns: Any = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.returns = returns

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        return self.returns


# --- single-run backfills ----------------------------------------------------------------


class RangeRecorder(dg.IOManager):
    """Stores nothing; remembers the partitions each output was handed for."""

    def __init__(self) -> None:
        self.outputs: list[tuple[list[str], Any, Any]] = []

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        window = context.asset_partitions_time_window
        self.outputs.append(
            (context.asset_partition_keys, context.asset_partition_key_range, window)
        )

    def load_input(self, context: dg.InputContext) -> Any:
        raise AssertionError("nothing reads events")


def test_a_single_run_backfill_hands_the_asset_the_whole_time_window(ported: Port) -> None:
    module = load(ported("part_single_run_backfill_asset"))
    reads, writes = Calls(returns="raw"), Calls()
    module.read_data_in_datetime_range = reads
    module.overwrite_data_in_datetime_range = writes
    module.compute_events_from_raw_events = lambda data: f"events of {data}"
    recorder = RangeRecorder()
    result = materialize(
        dg.Definitions(assets=[module.events], resources={"io_manager": recorder}),
        partition_range="2020-01-01...2020-01-05",
        instance=Instance.ephemeral(),
    )
    assert result.success
    assert len(reads.calls) == 1, "one step for the whole range"
    start, end = reads.calls[0]
    assert (start, end) == (datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 1, 6, tzinfo=UTC))
    assert writes.calls == [(start, end, "events of raw")]
    assert built(result) == [("events", f"2020-01-0{day}") for day in range(1, 6)]
    [(keys, key_range, window)] = recorder.outputs
    assert keys == [f"2020-01-0{day}" for day in range(1, 6)]
    assert key_range == dg.PartitionKeyRange("2020-01-01", "2020-01-05")
    assert (window.start, window.end) == (start, end)


def test_a_single_run_backfill_into_the_default_io_manager_says_to_return_none(
    ported: Port, cli: Cli
) -> None:
    location = str(ported("part_single_run_backfill_asset"))
    code, out = cli("list", "-f", location, "--json")
    assert code == 0, out
    assert [row["key"] for row in json.loads(out)] == ["raw_events", "events"]
    code, out = cli(
        "backfill", "launch", "-f", location, "--select", "events",
        "--partition-range", "2020-01-01...2020-01-31",
    )  # fmt: skip
    assert code == 0, out
    automate(cli, location, "2020-03-01T00:00:00")
    [run] = Instance.from_env().get_runs()
    assert run.status is dg.DagsterRunStatus.FAILURE, "as Dagster's fs IO manager, which fails"
    assert run.tags["dagster/asset_partition_range_start"] == "2020-01-01"
    assert run.tags["dagster/asset_partition_range_end"] == "2020-01-31"
    code, out = cli("runs", "show", run.run_id)
    assert "31 partitions at once" in out and "'-> None'" in out, out


@pytest.mark.parametrize(
    "name", ["part_single_run_backfill_io_manager", "part_single_run_backfill_io_manager_spec"]
)
def test_an_io_manager_reads_and_writes_the_range_of_a_single_run(ported: Port, name: str) -> None:
    module = load(ported(name))
    reads, writes = Calls(returns=[1, 2, 3]), Calls()
    module.read_data_in_datetime_range = reads
    module.overwrite_data_in_datetime_range = writes
    module.compute_events_from_raw_events = lambda rows: [row * 10 for row in rows]
    defs = dg.Definitions(
        assets=[module.raw_events, module.events], resources={"io_manager": module.MyIOManager()}
    )
    result = materialize(
        defs, partition_range="2020-01-02...2020-01-04", instance=Instance.ephemeral()
    )
    assert result.success
    window = (datetime(2020, 1, 2, tzinfo=UTC), datetime(2020, 1, 5, tzinfo=UTC))
    assert reads.calls == [window], "raw_events is read once, for the range"
    assert writes.calls == [(*window, [10, 20, 30])]
    result = materialize(defs, partition_key="2020-01-09", instance=Instance.ephemeral())
    assert result.success
    assert reads.calls[-1] == (datetime(2020, 1, 9, tzinfo=UTC), datetime(2020, 1, 10, tzinfo=UTC))


def test_backfill_policies_of_dagster_s_cli_fixture_cut_runs(ported: Port, cli: Cli) -> None:
    location = str(ported("part_backfill_policies_cli"))
    for asset in ("single_run_partitioned_asset", "multi_run_partitioned_asset"):
        code, out = cli(
            "backfill", "launch", "-f", location, "--select", asset,
            "--partition-range", "2020-01-01...2020-01-04",
        )  # fmt: skip
        assert code == 0, out
    for minute in range(6):
        automate(cli, location, f"2020-02-01T00:0{minute}:00")
    runs = Instance.from_env().get_runs()
    by_asset: dict[str, int] = {}
    for run in runs:
        assert run.status is dg.DagsterRunStatus.SUCCESS, run
        [asset] = {str(key) for key in run.asset_selection or []}
        by_asset[asset] = by_asset.get(asset, 0) + 1
    assert by_asset == {"single_run_partitioned_asset": 1, "multi_run_partitioned_asset": 4}
    code, out = cli("materialize", "-f", location, "--select", "partitioned_asset", "-p", "two")
    assert code == 0, out
    code, out = cli("materialize", "-f", location, "--select", "fail_asset")
    assert code == 1 and "failure" in out


# --- partitioned assets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("part_partitioned_asset", "unknown url type"),
        ("part_partitioned_asset_uses_io_manager", "coolweatherwebsite.com"),
    ],
)
def test_the_partition_key_reaches_the_weather_download(
    ported: Port, cli: Cli, name: str, error: str
) -> None:
    location = str(ported(name))
    code, out = cli("list", "-f", location, "--json")
    assert code == 0, out
    [row] = json.loads(out)
    assert row["key"] == "my_daily_partitioned_asset"
    code, out = cli("materialize", "-f", location, "--partition", "2022-01-05", "-v")
    assert code == 1, out
    assert error in out and "2022-01-05" in out, out


def test_a_multi_partitions_asset_sees_its_key_by_dimension(ported: Port, cli: Cli) -> None:
    module = load(ported("part_multipartitions_asset"))
    assert module.result.success
    assert built(module.result) == [("multi_partitions_asset", "red|2022-01-01")]
    key = module.MultiPartitionKey({"date": "2022-01-01", "color": "red"})
    assert key == "red|2022-01-01"
    assert key.keys_by_dimension == {"color": "red", "date": "2022-01-01"}
    again = materialize(
        [module.multi_partitions_asset],
        partition_key=module.MultiPartitionKey({"date": "2022-01-03", "color": "blue"}),
        instance=Instance.from_env(),
    )
    code, out = cli("logs", again.run_id)
    assert code == 0 and "'date': '2022-01-03'" in out, "logged keys_by_dimension"


def test_yesterday_s_stats_read_yesterday_s_events(ported: Port, cli: Cli) -> None:
    location = str(ported("part_partition_mapping"))
    code, out = cli(
        "materialize", "-f", location, "--select", "events",
        "--partition-range", "2023-01-21...2023-01-22",
    )  # fmt: skip
    assert code == 0, out
    code, out = cli(
        "materialize", "-f", location, "--select", "yesterday_event_stats", "-p", "2023-01-23"
    )
    assert code == 0, out
    code, out = cli(
        "materialize", "-f", location, "--select", "yesterday_event_stats", "-p", "2023-01-24"
    )
    assert code == 1 and "2023-01-23" in out, "2023-01-23 of events was never materialized"


def test_a_dep_s_partition_mapping_orders_the_steps(ported: Port, cli: Cli) -> None:
    location = str(ported("part_partitioned_asset_mappings"))
    every = ("--partition-range", "2023-01-22...2023-01-24")
    code, out = cli("materialize", "-f", location, *every, "--dry-run", "--json")
    assert code == 0, out
    after = {step["step_key"]: step["after"] for step in json.loads(out)["first_steps"]}
    assert after["yesterday_event_stats[2023-01-22]"] == [], "events[2023-01-21] is not planned"
    assert after["yesterday_event_stats[2023-01-24]"] == ["events[2023-01-23]"]
    code, out = cli("materialize", "-f", location, "--partition-range", "2023-01-21...2023-01-22")
    assert code == 2 and "'2023-01-20'" in out, "the first day has no day before: as documented"
    code, out = cli("materialize", "-f", location, *every)
    assert code == 0, out


def test_a_static_partition_writes_and_reads_its_region_file(
    ported: Port, cli: Cli, tmp_path: Path
) -> None:
    location = str(ported("guide_part_static_partitioning"))
    code, out = cli("materialize", "-f", location, "--job", "regional_sales_job", "-p", "eu")
    assert code == 0, out
    assert (tmp_path / "data/regional_sales/sales_eu.csv").read_text().startswith("region,sales")
    code, out = cli("materialize", "-f", location, "--select", "daily_sales_summary", "-p", "jp")
    assert code == 1 and "sales_jp.csv" in out, "jp's file was never written"


def test_a_daily_partition_and_its_schedule_build_the_day_before(
    ported: Port, cli: Cli, tmp_path: Path
) -> None:
    location = str(ported("guide_part_time_based_partitioning"))
    module = load(Path(location))
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2024, 3, 1, 1, 0))
    request = module.daily_sales_schedule(context)
    assert (request.run_key, request.partition_key) == ("2024-02-29", "2024-02-29")
    assert cli("schedules", "start", "daily_sales_schedule", "-f", location)[0] == 0
    automate(cli, location, "2024-03-01T00:30:00")
    [run] = automate(cli, location, "2024-03-01T01:00:00")["runs"]
    assert run["targets"] == {
        "daily_sales_data": ["2024-02-29"],
        "daily_sales_summary": ["2024-02-29"],
    }
    assert (tmp_path / "data/daily_sales/sales_2024-02-29.csv").exists()


def test_two_dimensional_partitions_run_each_region_of_yesterday(
    ported: Port, cli: Cli, tmp_path: Path
) -> None:
    location = str(ported("guide_part_two_dimensional"))
    code, out = cli("materialize", "-f", location, "-p", "2024-01-02|us")
    assert code == 0, out
    assert (tmp_path / "data/daily_regional_sales/sales_2024-01-02|us.csv").exists()
    assert cli("schedules", "start", "daily_regional_sales_schedule", "-f", location)[0] == 0
    automate(cli, location, "2024-02-01T00:30:00")
    runs = automate(cli, location, "2024-02-01T01:00:00")["runs"]
    assert sorted(run["targets"]["daily_regional_sales_summary"][0] for run in runs) == [
        "2024-01-31|eu",
        "2024-01-31|jp",
        "2024-01-31|us",
    ]
    launched = Instance.from_env().get_runs(RunsFilter(job_name="daily_regional_sales_job"))
    assert sorted(run.tags["dagster/run_key"] for run in launched) == [
        "2024-01-31|eu",
        "2024-01-31|jp",
        "2024-01-31|us",
    ]
    assert all(run.status is dg.DagsterRunStatus.SUCCESS for run in launched)


# --- time zones and calendars ------------------------------------------------------------


def test_daily_partitions_in_los_angeles_follow_its_days(ported: Port) -> None:
    daily = load(ported("guide_part_timezone")).daily_partition
    la = ZoneInfo("America/Los_Angeles")
    # 03:00 UTC on the 23rd is 20:00 on the 22nd in Los Angeles: the 22nd has not ended
    now = datetime(2024, 5, 23, 3, 0, tzinfo=UTC)
    assert daily.get_partition_keys(current_time=now) == ["2024-05-20", "2024-05-21"]
    window = daily.time_window_for_partition_key("2024-05-20")
    assert window.start == datetime(2024, 5, 20, tzinfo=la)
    assert window.start.utcoffset() == timedelta(hours=-7)
    fall_back = daily.time_window_for_partition_key("2024-11-03")
    hours = (fall_back.end.timestamp() - fall_back.start.timestamp()) / 3600
    assert hours == 25, "the day clocks go back"


def test_a_market_calendar_skips_weekends_and_holidays(ported: Port, cli: Cli) -> None:
    location = ported("guide_part_custom_calendar")
    calendar = load(location).market_calendar
    monday = datetime(2024, 1, 22, tzinfo=UTC)  # Friday the 19th's window ends now
    assert calendar.get_partition_keys(current_time=monday) == [
        *("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"),
        *("2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11", "2024-01-12"),
        *("2024-01-16", "2024-01-17", "2024-01-18", "2024-01-19"),
    ]
    assert calendar.get_partition_keys(current_time=monday - timedelta(seconds=1))[-1] == (
        "2024-01-18"
    )
    friday = calendar.time_window_for_partition_key("2024-01-12")
    assert (friday.start, friday.end) == (
        datetime(2024, 1, 12, tzinfo=UTC),
        datetime(2024, 1, 15, tzinfo=UTC),
    ), "as in Dagster, a window ends at the next tick, even an excluded one"
    code, out = cli("materialize", "-f", str(location), "-p", "2024-01-16")
    assert code == 0, out
    code, out = cli("materialize", "-f", str(location), "-p", "2024-01-15")
    assert code == 2 and "2024-01-15" in out, out


# --- op jobs with partitioned config ------------------------------------------------------


def test_a_date_config_job_runs_with_its_date(ported: Port) -> None:
    module = load(ported("part_date_config_job"))
    run_config = {"ops": {"process_data_for_date": {"config": {"date": "2020-01-01"}}}}
    result = module.do_stuff.execute_in_process(run_config=run_config)
    assert result.success
    with pytest.raises(dg.RunConfigError, match="date"):  # config is checked before any run
        module.do_stuff.execute_in_process(raise_on_error=False)


def test_a_daily_partitioned_config_gives_each_day_its_date(ported: Port, cli: Cli) -> None:
    location = str(ported("part_partitioned_job"))
    module = load(Path(location))
    instance = Instance.from_env()
    result = module.do_stuff_partitioned.execute_in_process(
        partition_key="2020-01-01", instance=instance
    )
    assert result.success
    code, out = cli(
        "materialize", "-f", location, "--job", "do_stuff_partitioned", "-p", "2020-01-07"
    )
    assert code == 0, out
    runs = instance.get_runs(RunsFilter(job_name="do_stuff_partitioned"))
    assert sorted(
        run.run_config["ops"]["process_data_for_date"]["config"]["date"] for run in runs
    ) == ["2020-01-01", "2020-01-07"]
    assert module.my_partitioned_config.get_partition_keys()[:2] == ["2020-01-01", "2020-01-02"]


def test_a_static_partitioned_config_returns_a_run_config_object(ported: Port) -> None:
    module = load(ported("part_static_partitioned_job"))
    instance = Instance.ephemeral()
    result = module.continent_job.execute_in_process(partition_key="Asia", instance=instance)
    assert result.success
    [run] = instance.get_runs()
    assert run.run_config == {"ops": {"continent_op": {"config": {"continent_name": "Asia"}}}}
    with pytest.raises(dg.AssetgraphError, match="Atlantis"):
        module.continent_job.execute_in_process(partition_key="Atlantis")


PACKAGE = "docs_snippets.guides.build.partitions_backfills"


def requests_of(returned: Any) -> list[Any]:
    """The run requests a schedule function returned (one, a list, or yielded)."""
    if isinstance(returned, dg.RunRequest):
        return [returned]
    return list(returned)


@pytest.fixture
def partitions_guide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``guides/build/partitions_backfills/`` ported as the package its files import."""
    package = tmp_path / "docs_snippets" / "guides" / "build" / "partitions_backfills"
    package.mkdir(parents=True)
    for folder in [package, *package.parents][:4]:
        (folder / "__init__.py").touch()
    for source in (LOCATIONS / "guide_partitions_backfills").glob("*.py"):
        (package / source.name).write_text(port_source(source.read_text()))
    # schedule_from_partitions.py imports this sibling, which only the concepts folder has
    sibling = LOCATIONS / "part_static_partitioned_job.py"
    (package / "static_partitioned_job.py").write_text(port_source(sibling.read_text()))
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield package
    for name in set(sys.modules) - before:
        if name.startswith("docs_snippets"):
            sys.modules.pop(name)
    shutil.rmtree(tmp_path / "docs_snippets")


def test_the_partitioned_job_guide_s_own_tests_pass(partitions_guide: Path) -> None:
    outcomes: dict[str, str] = {}
    for path in sorted(partitions_guide.glob("*_test.py")):
        module = importlib.import_module(f"{PACKAGE}.{path.stem}")
        for name, test in sorted(vars(module).items()):
            if name.startswith("test_") and callable(test):
                try:
                    test()
                    outcomes[f"{path.name}::{name}"] = "passed"
                except Exception as error:
                    outcomes[f"{path.name}::{name}"] = f"{type(error).__name__}: {error}"
    assert outcomes == {
        "partitioned_config_test.py::test_my_offset_partitioned_config": "passed",
        "partitioned_config_test.py::test_my_partitioned_config": "passed",
        "partitioned_job_test.py::test_partitioned_op_job": "passed",
    }


def test_schedules_from_partitioned_jobs_and_an_end_offset(partitions_guide: Path) -> None:
    module = importlib.import_module(f"{PACKAGE}.schedule_from_partitions")
    defs = dg.Definitions(
        assets=[module.daily_asset],
        jobs=[module.partitioned_asset_job, module.partitioned_op_job, module.continent_job],
        schedules=[
            module.asset_partitioned_schedule,
            module.partitioned_op_schedule,
            module.continent_schedule,
            module.antarctica_schedule,
        ],
    )
    op_schedule = defs.get_schedule_def("partitioned_op_job_schedule")
    asset_schedule = defs.get_schedule_def("partitioned_job_schedule")
    assert op_schedule.cron_schedule == "0 0 * * *"
    assert asset_schedule.cron_schedule == "30 1 * * *", "hour_of_day=1, minute_of_hour=30"
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2024, 6, 1, 1, 30))
    [request] = requests_of(asset_schedule(context))
    assert request.partition_key == "2024-05-31"
    [request] = requests_of(op_schedule(context))
    assert request.partition_key == "2024-05-31"
    requests = requests_of(module.continent_schedule())
    assert [(r.run_key, r.partition_key) for r in requests][:2] == [
        ("Africa", "Africa"),
        ("Antarctica", "Antarctica"),
    ]
    [single] = requests_of(module.antarctica_schedule())
    assert single.partition_key == "Antarctica"
    offset = module.daily_partition_with_offset
    now = datetime(2024, 5, 23, 12, tzinfo=UTC)
    assert offset.get_partition_keys(current_time=now) == ["2024-05-20", "2024-05-21"]
    assert module.daily_partition.get_partition_keys(current_time=now) == [
        "2024-05-20",
        "2024-05-21",
        "2024-05-22",
    ]


# --- dynamic partitions -------------------------------------------------------------------


def test_an_image_sensor_adds_partitions_and_requests_their_runs(
    ported: Port, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for name in ("a.png", "b.png"):
        (images / name).touch()
    monkeypatch.setenv("MY_DIRECTORY", str(images))
    location = str(ported("part_dynamic_partitioned_asset"))
    assert cli("sensors", "start", "image_sensor", "-f", location)[0] == 0
    runs = automate(cli, location, "2025-01-01T00:00:00")["runs"]
    assert sorted(p for run in runs for p in run["targets"]["images"]) == ["a.png", "b.png"]
    (images / "c.png").touch()
    [run] = automate(cli, location, "2025-01-01T00:01:00")["runs"]
    assert run["targets"] == {"images": ["c.png"]}
    instance = Instance.from_env()
    assert instance.get_dynamic_partitions("images") == ["a.png", "b.png", "c.png"]
    assert instance.has_dynamic_partition("images", "c.png")


def test_retention_and_sync_sensors_keep_dynamic_partitions_in_step(ported: Port) -> None:
    module = load(ported("guide_part_data_retention"))
    instance = Instance.ephemeral()
    instance.add_dynamic_partitions("my_data_partitions", ["2001-01-01", "2999-01-01"])
    result = materialize(
        [module.my_partitioned_asset], partition_key="2999-01-01", instance=instance
    )
    assert result.success
    context = dg.build_sensor_context(instance=instance)
    skipped = module.data_retention_sensor(context)
    assert isinstance(skipped, dg.SkipReason)
    assert skipped.skip_message == "Processed 1 partitions for deletion"
    assert instance.get_dynamic_partitions("my_data_partitions") == ["2999-01-01"]
    skipped = module.partition_sync_sensor(dg.build_sensor_context(instance=instance))
    assert skipped.skip_message == "Synced partitions: +0, -1", "no data: every key goes"
    assert instance.get_dynamic_partitions("my_data_partitions") == []
    assert module.data_retention_sensor.minimum_interval_seconds == 86400


def test_a_multi_to_single_dimension_mapping_gathers_a_group_s_documents(ported: Port) -> None:
    module = load(ported("part_multi_to_single_dynamic"))
    instance = Instance.ephemeral()
    for sensor in (module.random_docs_sensor, module.random_grouped_sensor):
        for request in sensor().dynamic_partitions_requests:
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
    assert instance.get_dynamic_partitions("grouped") == ["a", "b", "c"]
    defs = dg.Definitions(assets=[module.g_first, module.g_second])
    firsts = [f"{doc:03d}|a" for doc in range(10)]
    assert materialize(
        defs, selection="g_first", partition_keys=firsts[:3], instance=instance
    ).success
    result = materialize(defs, selection="g_second", partition_key="a", instance=instance)
    assert not result.success, "seven documents of group a were never built"
    assert materialize(
        defs, selection="g_first", partition_keys=firsts[3:], instance=instance
    ).success
    result = materialize(defs, selection="g_second", partition_key="a", instance=instance)
    assert result.success
    assert result.output_for("g_second", "a") == {key: key for key in firsts}


def test_an_hourly_partition_from_a_minutely_schedule(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_part_different_schedule"))
    module = load(Path(location))
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2024, 1, 1, 5, 30))
    request = module.every_minute_partition_schedule(context)
    assert request.partition_key == "2024-01-01-04:00"
    assert cli("schedules", "start", "every_minute_partition_schedule", "-f", location)[0] == 0
    automate(cli, location, "2024-01-01T05:29:00")
    [run] = automate(cli, location, "2024-01-01T05:30:00")["runs"]
    assert run["targets"] == {"partition_asset": ["2024-01-01-04:00"]}
    event = Instance.from_env().get_latest_materialization_event("partition_asset")
    assert event is not None and event.asset_materialization is not None
    assert event.asset_materialization.metadata["partition"].value == "2024-01-01-04:00"


def test_a_schedule_from_a_partitioned_op_job_asks_for_the_day_that_ended(
    ported: Port, cli: Cli
) -> None:
    location = str(ported("guide_part_schedule_with_partition_ops"))
    code, out = cli("schedules", "list", "-f", location, "--json")
    assert code == 0, out
    [row] = json.loads(out)
    assert (row["name"], row["cron_schedule"]) == ("partitioned_op_job_schedule", "0 0 * * *")
    module = load(Path(location))
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2024, 3, 1))
    [request] = requests_of(module.partitioned_op_schedule(context))
    assert request.partition_key == "2024-02-29"
    with pytest.raises(dg.AssetgraphError, match="returned NoneType for partition '2024-02-29'"):
        module.partitioned_op_job.execute_in_process(partition_key="2024-02-29")


def test_hourly_materializations_request_their_week(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_part_sensor_partitioned"))
    code, out = cli(
        "materialize", "-f", location, "--select", "hourly_asset",
        "--partition-range", "2024-01-08-22:00...2024-01-09-01:00",
    )  # fmt: skip
    assert code == 0, out
    assert cli("sensors", "start", "hourly_to_weekly", "-f", location)[0] == 0
    runs = automate(cli, location, "2024-01-20T00:00:00")["runs"]
    assert [run["targets"] for run in runs] == [{"weekly_asset": ["2024-01-07"]}] * 4, (
        "each of four hours asks for its week (from Sunday 2024-01-07); no run_key: 4 runs"
    )
    assert automate(cli, location, "2024-01-20T00:01:00")["runs"] == [], "cursor advanced"
