"""Schedules as Dagster writes them: ``ScheduleDefinition(job=...)``, ``@schedule``,
``build_schedule_from_partitioned_job``, and their stored running/stopped state, through
the CLI (``schedules list|start|stop``, ``automate --once``) and the Python API."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import Instance
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType

from .conftest import at, tick

# Dagster's "Scheduling" guide: a job of two assets on a cron schedule (imports rewritten).
DOCS_SCHEDULE = """
from assetgraph import AssetSelection, Definitions, ScheduleDefinition, asset, define_asset_job


@asset
def customer_data():
    return ["alice", "bob"]


@asset
def sales_report(customer_data):
    return {"customers": len(customer_data)}


daily_refresh_job = define_asset_job(
    "daily_refresh", selection=AssetSelection.assets("customer_data", "sales_report")
)

daily_schedule = ScheduleDefinition(
    job=daily_refresh_job,
    cron_schedule="0 0 * * *",  # Runs at midnight daily
)

defs = Definitions(
    assets=[customer_data, sales_report],
    jobs=[daily_refresh_job],
    schedules=[daily_schedule],
)
"""

# Dagster's "Constructing schedules from partitioned assets and jobs" guide.
DOCS_PARTITIONED = """
from assetgraph import (
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    Definitions,
    asset,
    build_schedule_from_partitioned_job,
    define_asset_job,
)

daily_partition = DailyPartitionsDefinition(start_date="2024-05-20")


@asset(partitions_def=daily_partition)
def daily_asset(context):
    return f"data for {context.partition_key}"


partitioned_asset_job = define_asset_job("partitioned_job", selection=[daily_asset])

asset_partitioned_schedule = build_schedule_from_partitioned_job(
    partitioned_asset_job, default_status=DefaultScheduleStatus.RUNNING
)

defs = Definitions(
    assets=[daily_asset],
    schedules=[asset_partitioned_schedule],
)
"""


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def shared_storage(storage_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every command of a test on one metadata database (SQLite, then PostgreSQL)."""
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    return storage_url


def write(tmp_path: Path, text: str, name: str = "defs.py") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def materialized(keys: list[str]) -> dict[tuple[str, str | None], str]:
    records = Instance.from_env().storage.latest_materializations(keys)
    return {where: record.run_id for where, record in records.items()}


def test_a_docs_schedule_is_stopped_until_started_then_runs_its_job(
    tmp_path: Path, shared_storage: str
) -> None:
    path = write(tmp_path, DOCS_SCHEDULE)
    listed = invoke("schedules", "list", "-f", path, "--json")
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert row["name"] == "daily_refresh_schedule", "the name is derived from the job"
    assert (row["status"], row["cron_schedule"], row["job"]) == (
        "STOPPED",
        "0 0 * * *",
        "daily_refresh",
    )
    stopped = invoke("automate", "-f", path, "--now", "2025-01-16T00:00:00+00:00", "--json")
    assert stopped.exit_code == 0, stopped.output
    assert json.loads(stopped.output)["runs"] == [], "a stopped schedule must not fire"
    started = invoke("schedules", "start", "daily_refresh_schedule", "-f", path)
    assert started.exit_code == 0, started.output
    assert "Started schedule 'daily_refresh_schedule'" in started.output
    assert json.loads(invoke("schedules", "list", "-f", path, "--json").output)[0]["status"] == (
        "RUNNING"
    )
    fired = invoke("automate", "-f", path, "--now", "2025-01-17T00:00:00+00:00", "--json")
    assert fired.exit_code == 0, fired.output
    (run,) = json.loads(fired.output)["runs"]
    assert run["targets"] == {"customer_data": [], "sales_report": []}
    home = Instance.from_env()
    record = home.storage.get_run(run["run_id"])
    assert record is not None and record.status.value == "success"
    assert record.tags["assetgraph/job"] == "daily_refresh"
    assert record.tags["assetgraph/schedule"] == "daily_refresh_schedule"
    assert pickle.loads((home.storage_dir / "sales_report").read_bytes()) == {"customers": 2}
    runs = materialized(["customer_data", "sales_report"])
    assert set(runs) == {("customer_data", None), ("sales_report", None)}
    events = home.storage.events_for_run(run["run_id"], [EventType.ASSET_MATERIALIZATION])
    assert sorted(e.asset_key for e in events) == ["customer_data", "sales_report"]
    invoke("schedules", "stop", "daily_refresh_schedule", "-f", path)
    again = invoke("automate", "-f", path, "--now", "2025-01-18T00:00:00+00:00", "--json")
    assert json.loads(again.output)["runs"] == [], "a stopped schedule must not fire again"


def test_starting_an_unknown_schedule_names_the_known_ones(
    tmp_path: Path, shared_storage: str
) -> None:
    path = write(tmp_path, DOCS_SCHEDULE)
    result = invoke("schedules", "start", "daily_refresh_schedul", "-f", path)
    assert result.exit_code == 2, result.output
    assert "No schedule named 'daily_refresh_schedul'" in result.output
    assert "Did you mean 'daily_refresh_schedule'?" in result.output


def test_a_partitioned_schedule_requests_the_latest_partition_once(
    tmp_path: Path, shared_storage: str
) -> None:
    path = write(tmp_path, DOCS_PARTITIONED)
    listed = json.loads(invoke("schedules", "list", "-f", path, "--json").output)
    assert [(r["name"], r["status"], r["cron_schedule"]) for r in listed] == [
        ("partitioned_job_schedule", "RUNNING", "0 0 * * *")
    ]
    first = invoke("automate", "-f", path, "--now", "2025-01-16T00:00:00+00:00", "--json")
    assert first.exit_code == 0, first.output
    (run,) = json.loads(first.output)["runs"]
    assert run["targets"] == {"daily_asset": ["2025-01-15"]}
    record = Instance.from_env().storage.get_run(run["run_id"])
    assert record is not None and record.tags["assetgraph/run_key"] == "2025-01-15"
    stored = Instance.from_env().storage_dir / "daily_asset" / "2025-01-15"
    assert pickle.loads(stored.read_bytes()) == "data for 2025-01-15"
    assert set(materialized(["daily_asset"])) == {("daily_asset", "2025-01-15")}


def test_partitioned_schedules_follow_the_partitions_and_their_offsets() -> None:
    from assetgraph import (
        DailyPartitionsDefinition,
        Definitions,
        HourlyPartitionsDefinition,
        StaticPartitionsDefinition,
        asset,
        build_schedule_from_partitioned_job,
        define_asset_job,
    )
    from assetgraph.errors import DefinitionError

    ahead = DailyPartitionsDefinition(start_date="2025-01-01", end_offset=1)
    hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00", timezone="Europe/Paris")

    @asset(partitions_def=ahead)
    def today(context):  # type: ignore[no-untyped-def]
        return context.partition_key

    moved = build_schedule_from_partitioned_job(
        define_asset_job("ahead", selection=[today], partitions_def=ahead), hour_of_day=5
    )
    assert (moved.name, moved.cron_schedule, moved.timezone) == (
        "ahead_schedule",
        "0 5 * * *",
        "UTC",
    )
    every_hour = build_schedule_from_partitioned_job(
        define_asset_job("hours", selection="*", partitions_def=hourly), minute_of_hour=15
    )
    assert (every_hour.cron_schedule, every_hour.timezone) == ("15 * * * *", "Europe/Paris")
    instance = Instance.ephemeral()
    defs = Definitions([today], schedules=[moved])
    instance.storage.upgrade()
    from assetgraph.automation.instigators import RUNNING, set_status
    from assetgraph.storage.automation_store import AutomationStore

    set_status(defs, AutomationStore(instance.storage), "schedule", "ahead_schedule", RUNNING, 0.0)
    outcome = tick(defs, instance, at(hours=5, days=9))
    assert [r["targets"] for r in outcome.runs] == [{"today": ["2025-01-10"]}], (
        "end_offset=1: the latest partition at 2025-01-10 05:00 is the day in progress"
    )
    with pytest.raises(DefinitionError, match="needs cron_schedule"):
        build_schedule_from_partitioned_job(
            define_asset_job("colors", partitions_def=StaticPartitionsDefinition(["a", "b"]))
        )


SCHEDULE_FUNCTIONS = """
from assetgraph import (
    Config,
    DefaultScheduleStatus,
    Definitions,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    StaticPartitionsDefinition,
    asset,
    define_asset_job,
    schedule,
)

colors = StaticPartitionsDefinition(["red", "blue"])


class ReportConfig(Config):
    title: str = "untitled"


@asset
def report(config: ReportConfig):
    return config.title


@asset(partitions_def=colors)
def swatch(context):
    return context.partition_key


report_job = define_asset_job("report_job", selection="report")
swatch_job = define_asset_job("swatch_job", selection="swatch", partitions_def=colors)


@schedule(cron_schedule="0 * * * *", job=report_job, default_status=DefaultScheduleStatus.RUNNING)
def hourly_report(context: ScheduleEvaluationContext):
    hour = context.scheduled_execution_time.strftime("%H:%M")
    if hour == "03:00":
        return SkipReason("quiet hour")
    return {"ops": {"report": {"config": {"title": f"report at {hour}"}}}}


@schedule(cron_schedule="0 0 * * *", job=swatch_job, default_status=DefaultScheduleStatus.RUNNING)
def every_color():
    for color in colors.get_partition_keys():
        yield RunRequest(run_key=color, partition_key=color)


defs = Definitions(
    assets=[report, swatch],
    jobs=[report_job, swatch_job],
    schedules=[hourly_report, every_color],
)
"""


def test_schedule_functions_return_run_config_skip_or_yield_requests(tmp_path: Path) -> None:
    from assetgraph import load_definitions

    defs = load_definitions(file=Path(write(tmp_path, SCHEDULE_FUNCTIONS)))
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    instance.storage.upgrade()
    first = tick(defs, instance, at(hours=2))
    assert [r["targets"] for r in first.runs] == [{"report": []}]
    assert first.runs[0]["run_config"] == {
        "ops": {"report": {"config": {"title": "report at 02:00"}}}
    }
    assert pickle.loads((instance.storage_dir / "report").read_bytes()) == "report at 02:00"
    quiet = tick(defs, instance, at(hours=3))
    assert quiet.runs == []
    assert quiet.payload["schedules"]["schedule:hourly_report"].endswith("skipped: quiet hour")
    midnight = tick(defs, instance, at(days=1))
    swatches = sorted(r["targets"]["swatch"][0] for r in midnight.runs if "swatch" in r["targets"])
    assert swatches == ["blue", "red"]
    assert (instance.storage_dir / "swatch" / "red").exists()
    next_day = tick(defs, instance, at(days=2))
    assert not any("swatch" in r["targets"] for r in next_day.runs), (
        "run keys 'red' and 'blue' were launched by this schedule already"
    )
    note = next_day.payload["schedules"]["schedule:every_color"]
    assert "run key 'red' already requested" in note


def test_schedule_definition_follows_dagster_arguments() -> None:
    from assetgraph import DefaultScheduleStatus, ScheduleDefinition, build_schedule_context
    from assetgraph.errors import DefinitionError

    plain = ScheduleDefinition(
        job_name="nightly", cron_schedule="0 2 * * *", execution_timezone="US/Pacific"
    )
    assert (plain.name, plain.timezone, plain.default_status) == (
        "nightly_schedule",
        "US/Pacific",
        DefaultScheduleStatus.STOPPED,
    )
    gated = ScheduleDefinition(
        name="gated",
        cron_schedule="0 2 * * *",
        job_name="nightly",
        should_execute=lambda context: False,
        tags={"team": "data"},
    )
    from assetgraph import SkipReason

    assert isinstance(gated.evaluate(build_schedule_context()), SkipReason)
    with pytest.raises(DefinitionError, match="cron_schedule must be a cron string"):
        ScheduleDefinition(name="broken", cron_schedule="", job_name="nightly")
    with pytest.raises(DefinitionError, match="not valid"):
        ScheduleDefinition(cron_schedule="0 2 * * *")


def test_a_started_schedule_begins_at_its_next_tick_and_keeps_its_state(tmp_path: Path) -> None:
    from assetgraph import Definitions, ScheduleDefinition, asset
    from assetgraph.automation.instigators import RUNNING, STOPPED, set_status, state_of
    from assetgraph.storage.automation_store import AutomationStore

    @asset
    def numbers():  # type: ignore[no-untyped-def]
        return [1, 2]

    hourly = ScheduleDefinition(name="hourly", cron_schedule="0 * * * *", target=[numbers])
    defs = Definitions([numbers], schedules=[hourly])
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    instance.storage.upgrade()
    store = AutomationStore(instance.storage)
    assert not state_of(store, "schedule", "hourly", "STOPPED").running
    assert tick(defs, instance, at(1)).payload["schedules"] == {"schedule:hourly": "stopped"}
    set_status(defs, store, "schedule", "hourly", RUNNING, 0.0)
    late = tick(defs, instance, at(1.5))
    assert late.runs == [], "the 01:00 tick passed while the schedule was stopped"
    assert [r["targets"] for r in tick(defs, instance, at(2)).runs] == [{"numbers": []}]
    set_status(defs, store, "schedule", "hourly", STOPPED, 0.0)
    assert tick(defs, instance, at(3)).runs == []
    restarted = Definitions([numbers], schedules=[hourly])  # a new process, same database
    assert not state_of(
        AutomationStore(instance.storage), "schedule", "hourly", "RUNNING"
    ).running, "a state set by a user wins over the definition's default"
    assert restarted.schedules[0].name == "hourly"
