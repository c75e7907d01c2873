"""``PartitionedConfig`` and its decorators, as Dagster documents them, on asset jobs; and
a schedule ticking on a list of cron strings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import (
    Config,
    DailyPartitionsDefinition,
    DefinitionError,
    Definitions,
    Instance,
    PartitionedConfig,
    RunsFilter,
    ScheduleDefinition,
    StaticPartitionsDefinition,
    UsageError,
    asset,
    daily_partitioned_config,
    define_asset_job,
    hourly_partitioned_config,
    monthly_partitioned_config,
    static_partitioned_config,
    time_window_partitioned_config,
    weekly_partitioned_config,
)
from assetgraph.cli.main import app


@daily_partitioned_config(start_date=datetime(2020, 1, 1), minute_offset=15)
def offset_config(start: datetime, end: datetime) -> dict[str, object]:
    window = {"start": start.strftime("%Y-%m-%d-%H:%M"), "end": end.strftime("%Y-%m-%d-%H:%M")}
    return {"ops": {"process_data": {"config": window}}}


def test_a_daily_partitioned_config_gives_each_day_its_window() -> None:
    keys = offset_config.get_partition_keys()
    assert keys[:2] == ["2020-01-01", "2020-01-02"]
    assert offset_config.get_run_config_for_partition_key(keys[0]) == {
        "ops": {
            "process_data": {"config": {"start": "2020-01-01-00:15", "end": "2020-01-02-00:15"}}
        }
    }
    called = offset_config(datetime(2020, 1, 3), datetime(2020, 1, 4))
    assert called["ops"]["process_data"]["config"]["start"] == "2020-01-03-00:00", "the plain fn"
    with pytest.raises(UsageError, match="not a partition"):
        offset_config.get_run_config_for_partition_key("1999-01-01")


def test_other_time_windows_and_tags() -> None:
    def window(start: datetime, end: datetime) -> dict[str, object]:
        return {"ops": {"a": {"config": {"span": f"{start:%Y-%m-%dT%H}/{end:%Y-%m-%dT%H}"}}}}

    def tags(start: datetime, end: datetime) -> dict[str, str]:
        return {"month": f"{start:%m}"}

    hourly = hourly_partitioned_config(start_date="2024-01-01-00:00")(window)
    weekly = weekly_partitioned_config(start_date="2024-01-07")(window)
    monthly = monthly_partitioned_config(start_date="2024-01-01", tags_for_partition_fn=tags)(
        window
    )
    every_six = time_window_partitioned_config(
        "0 */6 * * *", start="2024-01-01-00:00", fmt="%Y-%m-%d-%H:%M"
    )(window)

    def span(config: PartitionedConfig, key: str) -> str:
        found: str = config.get_run_config_for_partition_key(key)["ops"]["a"]["config"]["span"]
        return found

    assert span(hourly, "2024-01-01-05:00") == "2024-01-01T05/2024-01-01T06"
    assert span(weekly, "2024-01-07") == "2024-01-07T00/2024-01-14T00"
    assert span(monthly, "2024-02-01") == "2024-02-01T00/2024-03-01T00"
    assert monthly.get_tags_for_partition_key("2024-02-01") == {"month": "02"}
    assert every_six.get_partition_keys()[:2] == ["2024-01-01-00:00", "2024-01-01-06:00"]
    assert span(every_six, "2024-01-01-06:00") == "2024-01-01T06/2024-01-01T12"


class RegionConfig(Config):
    region: str


@asset(partitions_def=StaticPartitionsDefinition(["eu", "us"]))
def regional(context, config: RegionConfig) -> str:  # type: ignore[no-untyped-def]
    return f"{context.partition_key}:{config.region}"


@static_partitioned_config(
    partition_keys=["eu", "us"], tags_for_partition_key_fn=lambda key: {"region": key}
)
def region_config(partition_key: str) -> dict[str, object]:
    return {"ops": {"regional": {"config": {"region": partition_key.upper()}}}}


def test_a_job_of_partitioned_assets_runs_each_partition_with_its_config() -> None:
    job_def = define_asset_job("regions", selection=[regional], config=region_config)
    defs = Definitions(assets=[regional], jobs=[job_def])
    job = defs.get_job_def("regions")
    assert job.partitions_def == region_config.partitions_def
    instance = Instance.ephemeral()
    result = job.execute_in_process(partition_key="us", instance=instance)
    assert result.output_for("regional", partition="us") == "us:US"
    [run] = instance.get_runs(RunsFilter(job_name="regions"))
    assert run.tags["region"] == "us" and run.tags["dagster/partition"] == "us"
    with pytest.raises(UsageError, match="partitioned config"):
        job.execute_in_process(instance=instance)


def test_a_partitioned_config_must_match_the_assets_partitions() -> None:
    other = StaticPartitionsDefinition(["x"])
    with pytest.raises(DefinitionError, match="differs"):
        define_asset_job(
            "mismatch", selection=[regional], config=region_config, partitions_def=other
        )

    @static_partitioned_config(partition_keys=["x", "y"])
    def xy(key: str) -> dict[str, object]:
        return {}

    with pytest.raises(DefinitionError, match="must be the same"):
        Definitions(
            assets=[regional], jobs=[define_asset_job("xy", selection=[regional], config=xy)]
        )
    with pytest.raises(DefinitionError, match="run_config_for_partition_key_fn"):
        PartitionedConfig(StaticPartitionsDefinition(["a"]))


SCHEDULE = """
from assetgraph import Definitions, ScheduleDefinition, asset, define_asset_job

@asset
def ticked():
    return 1

job = define_asset_job("ticked_job", selection=[ticked])
twice = ScheduleDefinition(job=job, cron_schedule=["0 9 * * *", "30 17 * * *"])
defs = Definitions(assets=[ticked], jobs=[job], schedules=[twice])
"""


def test_a_schedule_ticks_on_each_cron_of_its_list(tmp_path: Path) -> None:
    schedule = ScheduleDefinition(job_name="j", cron_schedule=["0 9 * * *", "30 17 * * *"])
    assert schedule.cron_schedule == ["0 9 * * *", "30 17 * * *"]
    nine = datetime.fromisoformat("2025-01-01T09:00:00+00:00").timestamp()
    assert schedule.next_tick_after(nine) == nine + 8.5 * 3600
    assert schedule.last_tick_at(nine + 3600) == nine
    with pytest.raises(DefinitionError, match="cron string or a list"):
        ScheduleDefinition(job_name="j", cron_schedule=[])
    (tmp_path / "defs.py").write_text(SCHEDULE)
    runner = CliRunner()
    assert (
        runner.invoke(app, ["schedules", "start", "ticked_job_schedule", "-f", "defs.py"]).exit_code
        == 0
    )
    launched = []
    for now in ("2025-01-01T08:00", "2025-01-01T09:00", "2025-01-01T12:00", "2025-01-01T17:30"):
        out = runner.invoke(app, ["automate", "-f", "defs.py", "--now", now, "--json"]).output
        launched.append(len(json.loads(out)["runs"]))
    assert launched == [0, 1, 0, 1]
    listed = json.loads(runner.invoke(app, ["schedules", "list", "-f", "defs.py", "--json"]).output)
    assert listed[0]["cron_schedule"] == ["0 9 * * *", "30 17 * * *"]


def test_a_daily_partitions_definition_is_still_what_a_daily_config_uses() -> None:
    assert offset_config.partitions_def == DailyPartitionsDefinition(
        start_date="2020-01-01", minute_offset=15
    )


DAILY_CONFIG_JOB = """
from datetime import datetime
from assetgraph import (
    Config, Definitions, asset, build_schedule_from_partitioned_job, daily_partitioned_config,
    define_asset_job,
)

class DateConfig(Config):
    date: str

@daily_partitioned_config(start_date=datetime(2025, 1, 1))
def my_partitioned_config(start: datetime, _end: datetime):
    return {"ops": {"process_data_for_date": {"config": {"date": start.strftime("%Y-%m-%d")}}}}

@asset
def process_data_for_date(config: DateConfig):
    return config.date

job = define_asset_job(
    "do_stuff_partitioned", selection=[process_data_for_date], config=my_partitioned_config
)
schedule = build_schedule_from_partitioned_job(job, hour_of_day=1)
defs = Definitions(assets=[process_data_for_date], jobs=[job], schedules=[schedule])
"""


def test_a_schedule_from_a_partitioned_config_job_configures_the_day_that_ended(
    tmp_path: Path,
) -> None:
    (tmp_path / "defs.py").write_text(DAILY_CONFIG_JOB)
    runner = CliRunner()
    started = runner.invoke(
        app, ["schedules", "start", "do_stuff_partitioned_schedule", "-f", "defs.py"]
    )
    assert started.exit_code == 0, started.output
    for now in ("2025-01-05T00:30", "2025-01-05T01:00"):
        out = runner.invoke(app, ["automate", "-f", "defs.py", "--now", now, "--json"]).output
    assert [run["targets"] for run in json.loads(out)["runs"]] == [{"process_data_for_date": []}]
    [run] = Instance.from_env().get_runs(RunsFilter(job_name="do_stuff_partitioned"))
    assert run.tags["dagster/partition"] == "2025-01-04"
    assert run.run_config == {"ops": {"process_data_for_date": {"config": {"date": "2025-01-04"}}}}


def test_an_op_job_with_a_partitioned_config_runs_each_day_with_its_config() -> None:
    from assetgraph import job, op, validate_run_config

    @op(config_schema={"date": str})
    def process(context: Any) -> str:
        return str(context.op_config["date"])

    @daily_partitioned_config(start_date=datetime(2020, 1, 1))
    def by_day(start: datetime, _end: datetime) -> dict[str, object]:
        return {"ops": {"process": {"config": {"date": start.strftime("%Y-%m-%d")}}}}

    @job(config=by_day)
    def daily_job() -> None:
        process()

    assert daily_job.partitions_def == by_day.partitions_def
    instance = Instance.ephemeral()
    result = daily_job.execute_in_process(partition_key="2020-01-03", instance=instance)
    assert result.output_for_node("process") == "2020-01-03"
    [run] = instance.get_runs()
    assert run.tags["dagster/partition"] == "2020-01-03"
    with pytest.raises(UsageError, match="name the partition"):
        daily_job.execute_in_process()
    with pytest.raises(UsageError, match="'1999-01-01'"):
        daily_job.execute_in_process(partition_key="1999-01-01")
    config = {"ops": {"process": {"config": {"date": "any"}}}}
    assert validate_run_config(daily_job, config) == config, "checked alone, as in Dagster"


def test_an_op_job_without_a_partitioned_config_has_no_partitions() -> None:
    from assetgraph import job, op

    @op
    def noop() -> None:
        return None

    @job
    def plain() -> None:
        noop()

    with pytest.raises(UsageError, match="without a partitioned config"):
        plain.execute_in_process(partition_key="2020-01-01")
