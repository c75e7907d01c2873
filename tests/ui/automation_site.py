"""A code location with automation, a sensor, a schedule and backfills, brought to a real
state the way a user would: backfills launched with the Python API, daemon ticks run with
``assetgraph automate --now ... --once``. Shared by the automation UI tests and
``tests/ui/shots.py``."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import Site, write_site

DEFS = '''
from pathlib import Path

from assetgraph import (
    AutomationCondition,
    AutomationPolicy,
    DailyPartitionsDefinition,
    DefaultSensorStatus,
    Definitions,
    FreshnessPolicy,
    RunRequest,
    ScheduleDefinition,
    SkipReason,
    asset,
    sensor,
)

days = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-05")
INBOX = Path(__file__).parent / "inbox"


@asset(partitions_def=days, group="meters")
def readings(context) -> int:
    """Meter readings of one day."""
    if context.partition_key == "2025-01-03":
        raise ValueError("the meter was offline on 2025-01-03")
    return int(context.partition_key[-2:])


@asset(partitions_def=days, group="meters", automation_policy=AutomationPolicy.eager())
def cleaned(readings: int) -> int:
    return readings * 2


@asset(partitions_def=days, group="meters", automation_condition=AutomationCondition.eager())
def anomalies(cleaned: int) -> int:
    return cleaned % 3


@asset(
    group="reports",
    automation_policy=AutomationPolicy.eager(),
    freshness_policy=FreshnessPolicy(maximum_lag_minutes=120),
)
def summary() -> int:
    return 1


@sensor(
    asset_selection="summary",
    minimum_interval_seconds=0,
    default_status=DefaultSensorStatus.RUNNING,
    description="Runs summary for each new file in the inbox <b>folder</b>.",
)
def inbox_sensor(context):
    seen = context.cursor or ""
    new = sorted(p.name for p in INBOX.glob("*.txt") if p.name > seen)
    if not new:
        return SkipReason("no new file in the inbox")
    context.update_cursor(new[-1])
    return [RunRequest(run_key=name) for name in new]


nightly = ScheduleDefinition(name="nightly", cron_schedule="0 2 * * *", target="summary")

defs = Definitions(
    assets=[readings, cleaned, anomalies, summary], sensors=[inbox_sensor], schedules=[nightly]
)
'''

CLOCK = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)  # the UI's "now": just after the ticks
TICKS = ("2025-01-06T00:30:00+00:00", "2025-01-06T00:40:00+00:00", "2025-01-06T00:50:00+00:00")


def cli(*args: str) -> str:
    """The assetgraph CLI, as a user types it (in this process); its output."""
    from typer.testing import CliRunner

    from assetgraph.cli.main import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return str(result.output)


def automate(site: Site, now: str) -> None:
    """One daemon tick at ``now`` (its runs execute in this process)."""
    cli("automate", "-f", str(site.file), "--now", now, "--once")


def build_automation_site(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Site, Any]:
    """The site after a backfill of readings and cleaned (2025-01-03 fails) carried out by
    three ticks, with a new inbox file for the sensor before the first; returns the site
    and the backfill."""
    from assetgraph import launch_backfill

    site = write_site(folder, DEFS, monkeypatch)
    (folder / "inbox").mkdir()
    (folder / "inbox" / "a.txt").write_text("new readings", encoding="utf-8")
    backfill = launch_backfill(
        site.defs(),
        "readings cleaned",
        all_partitions=True,
        max_concurrent_runs=4,
        instance=site.instance,
    )
    for now in TICKS:
        automate(site, now)
    site.state = dataclasses.replace(site.state, clock=lambda: CLOCK)
    return site, backfill
