"""``assetgraph schedules`` / ``assetgraph sensors``: tables, JSON, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from assetgraph.cli.main import app

LOCATION = """
from assetgraph import (
    DefaultSensorStatus, Definitions, ScheduleDefinition, SkipReason, asset, sensor,
)

@asset
def numbers():
    return [1, 2, 3]

nightly = ScheduleDefinition(
    name="nightly", cron_schedule="0 2 * * *", target=[numbers], execution_timezone="Europe/Paris"
)

@sensor(target=[numbers], minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def watcher(context):
    return SkipReason("nothing new")

defs = Definitions(assets=[numbers], schedules=[nightly], sensors=[watcher])
"""

EMPTY = """
from assetgraph import Definitions, asset

@asset
def numbers():
    return [1]

defs = Definitions(assets=[numbers])
"""


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "defs.py"
    path.write_text(text)
    return str(path)


def test_the_tables_show_state_cron_timezone_and_interval(tmp_path: Path) -> None:
    path = write(tmp_path, LOCATION)
    schedules = invoke("schedules", "list", "-f", path)
    assert schedules.exit_code == 0, schedules.output
    line = next(row for row in schedules.output.splitlines() if "nightly" in row)
    assert "STOPPED" in line and "0 2 * * *" in line and "Europe/Paris" in line
    sensors = invoke("sensors", "list", "-f", path)
    line = next(row for row in sensors.output.splitlines() if "watcher" in row)
    assert "RUNNING" in line and "60" in line


def test_stopping_a_default_running_sensor_is_stored(tmp_path: Path) -> None:
    path = write(tmp_path, LOCATION)
    stopped = invoke("sensors", "stop", "watcher", "-f", path)
    assert stopped.exit_code == 0, stopped.output
    assert stopped.output.strip() == "Stopped sensor 'watcher'."
    (row,) = json.loads(invoke("sensors", "list", "-f", path, "--json").output)
    assert (row["status"], row["default_status"], row["set_by_user"]) == (
        "STOPPED",
        "RUNNING",
        True,
    )
    tick = invoke("automate", "-f", path, "--now", "2025-01-01T00:00:00+00:00", "--json")
    assert json.loads(tick.output)["sensors"] == {"sensor:watcher": "stopped"}


def test_unknown_names_and_empty_locations_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, LOCATION)
    wrong = invoke("sensors", "start", "nightly", "-f", path)
    assert wrong.exit_code == 2
    assert "No sensor named 'nightly' in the code location (it has: watcher)." in wrong.output
    empty = write(tmp_path, EMPTY)
    listed = invoke("schedules", "list", "-f", empty)
    assert listed.exit_code == 0 and "The code location has no schedules." in listed.output
