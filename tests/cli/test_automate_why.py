"""``assetgraph automate --dry-run`` previews a catch-up; ``automate why --partition`` says
what one partition waits for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from assetgraph.cli.main import app

LOCATION = """
from assetgraph import (
    AutomationPolicy, DailyPartitionsDefinition, Definitions, HourlyPartitionsDefinition, asset,
)

@asset(partitions_def=HourlyPartitionsDefinition(start_date="2025-01-01-00:00"),
       automation_policy=AutomationPolicy.eager(max_materializations_per_tick=20))
def readings(context):
    return context.partition_key

@asset(partitions_def=DailyPartitionsDefinition(start_date="2025-01-01"),
       automation_policy=AutomationPolicy.eager())
def daily_readings(readings):
    return len(readings)

defs = Definitions(assets=[readings, daily_readings])
"""


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_dry_run_previews_the_catch_up_with_counts(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(LOCATION)
    preview = invoke("automate", "-f", str(path), "--dry-run", "--now", "2025-01-02T00:30:00")
    assert preview.exit_code == 0, preview.output
    lines = preview.output.splitlines()
    assert "1 run(s) would launch" in lines[0]
    assert (
        "  would request 20 partition(s) of 1 asset(s); 25 partition(s) missing in all "
        "(within each asset's catch-up)" in lines
    )
    assert (
        "  readings: requested 2025-01-01-04:00...2025-01-01-23:00 (20 partitions, of 24 missing)"
        in lines
    )
    history = invoke("automate", "history", "--json")
    assert json.loads(history.output) == []  # a dry run records nothing


def test_why_partition_shows_what_that_partition_waits_for(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(LOCATION)
    ticked = invoke("automate", "-f", str(path), "--now", "2025-01-02T00:30:00")
    assert ticked.exit_code == 0, ticked.output
    why = invoke("automate", "why", "daily_readings", "-f", str(path), "--partition", "2025-01-01")
    assert why.exit_code == 0, why.output
    assert why.output.splitlines()[1:] == [
        "  because  missing partition 2025-01-01 whose window ended",
        "  because  upstream readings[2025-01-01-04:00...2025-01-01-23:00] is requested this tick",
        "  but      waiting 2025-01-01: for 24 of 24 upstream readings partitions; "
        "20 requested this tick",
    ]
    hour = invoke("automate", "why", "readings", "-f", str(path), "-p", "2025-01-01-02:00")
    assert hour.exit_code == 0, hour.output
    assert "not requested" in hour.output.splitlines()[0]
    assert hour.output.splitlines()[1:] == [
        "  but      left for later ticks: 4 missing partitions "
        "2025-01-01-00:00...2025-01-01-03:00 (max_materializations_per_tick=20)"
    ]
    built = invoke("automate", "why", "readings", "-f", str(path), "-p", "2025-01-01-23:00")
    assert "requested 2025-01-01-23:00 in " in built.output.splitlines()[0]
    rows = json.loads(
        invoke(
            "automate", "why", "readings", "-f", str(path), "-p", "2025-01-01-23:00", "--json"
        ).output
    )
    assert rows[0]["requested"] == ["2025-01-01-23:00"] and rows[0]["partition"] == (
        "2025-01-01-23:00"
    )


def test_why_partition_of_an_unpartitioned_asset_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(
        "from assetgraph import Definitions, asset\n\n@asset\ndef one():\n    return 1\n\n"
        "defs = Definitions(assets=[one])\n"
    )
    result = invoke("automate", "why", "one", "-f", str(path), "--partition", "x")
    assert result.exit_code == 2
    assert "Asset 'one' is not partitioned: leave out --partition." in result.output
