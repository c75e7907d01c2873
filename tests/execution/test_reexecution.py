"""Re-execution rebuilds exactly what a run targeted, whatever planned it (CLI options,
automation, schedules, the UI); ``runs list`` shows the partitions a run really built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import Instance
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType, RunRecord, RunStatus

# 34 days: re-executing "every partition" would be 68 steps, not 2.
DEFS = """
from pathlib import Path
from assetgraph import AutomationPolicy, DailyPartitionsDefinition, Definitions, asset

FLAG = Path(__file__).parent / "broken"
daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-02-04")

@asset(partitions_def=daily, automation_policy=AutomationPolicy.eager(catch_up="latest"))
def raw_orders(context):
    return context.partition_key

@asset(partitions_def=daily, automation_policy=AutomationPolicy.eager(catch_up="latest"))
def cleaned_orders(raw_orders):
    if FLAG.exists():
        raise RuntimeError("cleaning is broken")
    return raw_orders.upper()

defs = Definitions([raw_orders, cleaned_orders])
"""

TICK_TIME = "2025-01-16T01:00:00+00:00"


@pytest.fixture
def shared_storage(storage_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The metadata database (SQLite, then PostgreSQL) every command of a test uses."""
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    return storage_url


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(DEFS)
    return path


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def started_steps(run_id: str) -> set[str]:
    events = Instance.from_env().storage.events_for_run(run_id, [EventType.STEP_START])
    return {e.step_key for e in events if e.step_key}


def newest_run() -> RunRecord:
    return Instance.from_env().storage.list_runs(limit=1)[0]


def automation_run(defs_file: Path) -> RunRecord:
    """The run one automation tick launches: both assets for 2025-01-15 only."""
    tick = invoke("automate", "-f", str(defs_file), "--now", TICK_TIME, "--json")
    assert tick.exit_code == 0, tick.output
    runs = json.loads(tick.output)["runs"]
    assert [r["targets"] for r in runs] == [
        {"raw_orders": ["2025-01-15"], "cleaned_orders": ["2025-01-15"]}
    ]
    run = Instance.from_env().storage.get_run(runs[0]["run_id"])
    assert run is not None
    return run


def test_reexecuting_an_automation_run_rebuilds_only_its_partition(
    defs_file: Path, shared_storage: str
) -> None:
    run = automation_run(defs_file)
    assert run.status is RunStatus.SUCCESS
    again = invoke("runs", "reexecute", run.run_id[:8], "-f", str(defs_file))
    assert again.exit_code == 0, again.output
    assert "succeeded: 2 step(s)" in again.output
    child = newest_run()
    assert child.tags["assetgraph/parent_run"] == run.run_id
    assert started_steps(child.run_id) == {"raw_orders[2025-01-15]", "cleaned_orders[2025-01-15]"}


def test_reexecuting_an_automation_run_from_failure_rebuilds_only_the_failed_step(
    defs_file: Path, shared_storage: str
) -> None:
    (defs_file.parent / "broken").touch()
    run = automation_run(defs_file)
    assert run.status is RunStatus.FAILURE
    (defs_file.parent / "broken").unlink()
    again = invoke("runs", "reexecute", run.run_id, "--from-failure", "-f", str(defs_file))
    assert again.exit_code == 0, again.output
    assert "succeeded: 1 step(s)" in again.output
    child = newest_run()
    assert started_steps(child.run_id) == {"cleaned_orders[2025-01-15]"}
    # The re-execution records what it built: its own re-execution builds that again.
    assert "--all-partitions" not in json.dumps(child.tags)
    grandchild = invoke("runs", "reexecute", child.run_id, "-f", str(defs_file))
    assert grandchild.exit_code == 0, grandchild.output
    assert started_steps(newest_run().run_id) == {"cleaned_orders[2025-01-15]"}


def test_runs_list_shows_the_partitions_an_automation_run_built(
    defs_file: Path, shared_storage: str
) -> None:
    run = automation_run(defs_file)
    listed = invoke("runs", "list", "--json")
    assert listed.exit_code == 0, listed.output
    (found,) = json.loads(listed.output)
    assert found["run_id"] == run.run_id
    assert found["partitions"] == "2025-01-15"
    assert found["targets"] == {"raw_orders": ["2025-01-15"], "cleaned_orders": ["2025-01-15"]}
    assert "--all-partitions" not in json.dumps(found["tags"])
    table = invoke("runs", "list")
    assert table.exit_code == 0, table.output
    row = next(line for line in table.output.splitlines() if run.run_id[:8] in line)
    assert "2025-01-15" in row and "--all-partitions" not in row


SCHEDULED = """
from assetgraph import (
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    Definitions,
    ScheduleDefinition,
    asset,
)

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-02-04")

@asset(partitions_def=daily)
def raw_orders(context):
    return context.partition_key

nightly = ScheduleDefinition(
    name="nightly",
    cron_schedule="0 2 * * *",
    selection="raw_orders",
    default_status=DefaultScheduleStatus.RUNNING,
)
defs = Definitions([raw_orders], schedules=[nightly])
"""


def test_reexecuting_a_schedule_run_rebuilds_only_its_partition(
    tmp_path: Path, shared_storage: str
) -> None:
    path = tmp_path / "scheduled.py"
    path.write_text(SCHEDULED)
    tick = invoke("automate", "-f", str(path), "--now", "2025-01-16T02:00:00+00:00", "--json")
    assert tick.exit_code == 0, tick.output
    (run,) = json.loads(tick.output)["runs"]
    assert run["targets"] == {"raw_orders": ["2025-01-15"]}
    again = invoke("runs", "reexecute", run["run_id"], "-f", str(path))
    assert again.exit_code == 0, again.output
    assert started_steps(newest_run().run_id) == {"raw_orders[2025-01-15]"}


def test_a_partition_range_run_records_one_range_and_reexecutes_it(
    defs_file: Path, shared_storage: str
) -> None:
    first = invoke(
        "materialize", "-f", str(defs_file), "--partition-range", "2025-01-02...2025-01-04"
    )
    assert first.exit_code == 0, first.output
    run = newest_run()
    assert json.loads(run.tags["assetgraph/targets"]) == {
        "version": 1,
        "assets": {
            "raw_orders": [["2025-01-02", "2025-01-04"]],
            "cleaned_orders": [["2025-01-02", "2025-01-04"]],
        },
    }
    assert run.tags["assetgraph/partitions"] == "--partition-range 2025-01-02...2025-01-04"
    again = invoke("runs", "reexecute", run.run_id, "-f", str(defs_file))
    assert again.exit_code == 0, again.output
    assert "succeeded: 6 step(s)" in again.output


def test_reexecuting_an_all_partitions_run_rebuilds_the_partitions_it_built(
    tmp_path: Path,
) -> None:
    """``--all-partitions`` at the time of the run: partitions added since are not built."""
    from assetgraph import Definitions, asset, materialize
    from assetgraph.execution.reexecution import plan_reexecution
    from assetgraph.partitions import DynamicPartitionsDefinition

    customers = DynamicPartitionsDefinition(name="customers")

    @asset(partitions_def=customers)
    def per_customer(context: Any) -> str:
        return str(context.partition_key)

    defs = Definitions([per_customer])
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    instance.add_dynamic_partitions("customers", ["acme", "globex"])
    result = materialize(defs, instance=instance, all_partitions=True)
    assert result.success
    instance.add_dynamic_partitions("customers", ["initech"])
    run = instance.storage.get_run(result.run_id)
    assert run is not None
    plan = plan_reexecution(defs, run, instance, from_failure=False)
    assert plan.step_keys == ["per_customer[acme]", "per_customer[globex]"]


def test_a_run_recorded_before_targets_were_kept_still_reexecutes(
    defs_file: Path, shared_storage: str
) -> None:
    selection = {
        "keys": [],
        "ranges": [["2025-01-02", "2025-01-03"]],
        "all_partitions": False,
        "missing": False,
        "stale": False,
    }
    Instance.from_env().storage.create_run(
        RunRecord(
            run_id="0ld0000000000000000000000000run1",
            status=RunStatus.SUCCESS,
            created_at=1.0,
            selection="raw_orders",
            asset_keys=("raw_orders",),
            tags={
                "assetgraph/partitions": "--partition-range 2025-01-02...2025-01-03",
                "assetgraph/partition_selection": json.dumps(selection),
            },
        )
    )
    listed = json.loads(invoke("runs", "list", "--json").output)
    assert listed[0]["partitions"] == "--partition-range 2025-01-02...2025-01-03"
    again = invoke("runs", "reexecute", "0ld00000", "-f", str(defs_file))
    assert again.exit_code == 0, again.output
    assert started_steps(newest_run().run_id) == {
        "raw_orders[2025-01-02]",
        "raw_orders[2025-01-03]",
    }


def test_a_run_of_many_scattered_partitions_is_recorded_and_reexecuted_exactly(
    tmp_path: Path, storage_url: str
) -> None:
    """Every other day of five years: 1,000 ranges, more than a database index row holds."""
    from datetime import date, timedelta

    from assetgraph import DailyPartitionsDefinition, Definitions, asset, materialize
    from assetgraph.execution.reexecution import plan_reexecution

    @asset(partitions_def=DailyPartitionsDefinition(start_date="2020-01-01"))
    def daily_value(context: Any) -> str:
        return str(context.partition_key)

    defs = Definitions([daily_value])
    days = [(date(2020, 1, 1) + timedelta(days=2 * n)).isoformat() for n in range(1000)]
    instance = Instance(storage_url=storage_url, home=tmp_path)
    result = materialize(defs, instance=instance, partition_keys=days)
    assert result.success
    (run,) = instance.storage.list_runs()
    assert len(json.loads(run.tags["assetgraph/targets"])["assets"]["daily_value"]) == 1000
    plan = plan_reexecution(defs, run, instance, from_failure=False)
    assert plan.step_keys == [f"daily_value[{day}]" for day in days]


def test_targets_of_a_newer_format_are_listed_and_refused_for_reexecution(
    defs_file: Path,
) -> None:
    Instance.from_env().storage.create_run(
        RunRecord(
            run_id="feed0000000000000000000000future",
            status=RunStatus.SUCCESS,
            created_at=1.0,
            selection="raw_orders",
            asset_keys=("raw_orders",),
            tags={"assetgraph/targets": '{"version": 2, "assets": {}}'},
        )
    )
    listed = invoke("runs", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert "format version 2" in json.loads(listed.output)[0]["partitions"]
    again = invoke("runs", "reexecute", "feed0000", "-f", str(defs_file))
    assert again.exit_code == 1
    assert "format version 2" in again.output and "upgrade assetgraph" in again.output
