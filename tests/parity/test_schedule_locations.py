"""Dagster's schedule and partitioned-job docs, ported: asset job schedules, a schedule
built from a partitioned job, and a job whose partitions only pick run config
(``static_partitioned_config``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assetgraph import Instance, RunsFilter, load_definitions
from tests.parity.conftest import automate

Cli = Callable[..., tuple[int, str]]


def test_a_schedule_of_an_asset_job_starts_stopped_and_runs_its_assets(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_simple_schedule"))
    automate(cli, location, "2025-01-01T23:59:00")
    assert automate(cli, location, "2025-01-02T00:00:00")["runs"] == [], "stopped by default"
    assert cli("schedules", "start", "daily_refresh_schedule", "-f", location)[0] == 0
    [run] = automate(cli, location, "2025-01-03T00:00:00")["runs"]
    assert run["targets"] == {"customer_data": [], "sales_report": []}
    [launched] = Instance.from_env().get_runs(RunsFilter.for_schedule("daily_refresh_schedule"))
    assert launched.job_name == "daily_refresh"


def test_a_running_schedule_of_a_group_ticks_on_weekdays(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_basic_asset_schedule"))
    automate(cli, location, "2025-01-03T05:00:00")  # a Friday: the schedule starts here
    [run] = automate(cli, location, "2025-01-03T05:15:00")["runs"]
    assert run["targets"] == {"orders_asset": [], "users_asset": []}
    assert automate(cli, location, "2025-01-04T05:15:00")["runs"] == [], "Saturday"
    assert automate(cli, location, "2025-01-05T05:15:00")["runs"] == [], "Sunday"
    assert len(automate(cli, location, "2025-01-06T05:15:00")["runs"]) == 1, "Monday"


def test_a_schedule_from_a_partitioned_asset_job_builds_the_day_that_ended(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_schedule_with_partition"))
    assert cli("schedules", "start", "partitioned_job_schedule", "-f", location)[0] == 0
    automate(cli, location, "2024-05-31T23:00:00")
    [run] = automate(cli, location, "2024-06-01T00:00:00")["runs"]
    assert run["targets"] == {"daily_asset": ["2024-05-31"]}
    [launched] = Instance.from_env().get_runs(RunsFilter(job_name="partitioned_job"))
    assert launched.tags["dagster/run_key"] == "2024-05-31"


def test_a_partitioned_asset_job_runs_one_partition(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_partitioned_asset_job"))
    code, out = cli(
        "materialize",
        "-f",
        location,
        "--job",
        "asset_1_and_2_job",
        "--partition",
        "2022-05-31-01:00",
    )
    assert code == 0, out
    defs = load_definitions(file=location)
    job = defs.get_job_def("asset_1_and_2_job")
    result = job.execute_in_process(partition_key="2022-05-31-02:00")
    assert {
        (m.asset_key.to_string(), m.partition) for m in result.get_asset_materializations()
    } == {
        ("asset1", "2022-05-31-02:00"),
        ("asset2", "2022-05-31-02:00"),
    }
    request = job.run_request_for_partition("2022-05-31-03:00", run_key="k")
    assert (request.job_name, request.partition_key, request.run_key) == (
        "asset_1_and_2_job",
        "2022-05-31-03:00",
        "k",
    )


def test_a_static_partitioned_config_gives_each_partition_its_config(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("auto_static_partitioned_asset_job"))
    code, out = cli("materialize", "-f", location, "--job", "continent_job")
    assert code == 2 and "name one partition with --partition" in out
    code, out = cli("materialize", "-f", location, "--job", "continent_job", "--partition", "Asia")
    assert code == 0, out
    instance = Instance.from_env()
    [asia] = instance.get_runs(RunsFilter(tags={"dagster/partition": "Asia"}))
    assert asia.run_config == {"ops": {"continents": {"config": {"continent_name": "Asia"}}}}
    assert cli("schedules", "start", "continent_schedule", "-f", location)[0] == 0
    automate(cli, location, "2025-01-01T23:00:00")
    runs = automate(cli, location, "2025-01-02T00:00:00")["runs"]
    assert len(runs) == 7 and all(run["targets"] == {"continents": []} for run in runs)
    scheduled = instance.get_runs(RunsFilter.for_schedule("continent_schedule"))
    assert sorted(
        r.run_config["ops"]["continents"]["config"]["continent_name"] for r in scheduled
    ) == [
        "Africa",
        "Antarctica",
        "Asia",
        "Europe",
        "North America",
        "Oceania",
        "South America",
    ]
    assert all(r.tags["dagster/partition"] == r.tags["dagster/run_key"] for r in scheduled)
    job = load_definitions(file=location).get_job_def("continent_job")
    result = job.execute_in_process(partition_key="Oceania", instance=instance)
    assert result.success
    assert [m.partition for m in result.get_asset_materializations()] == [None], "unpartitioned"
