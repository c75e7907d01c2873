"""``AutomationConditionSensorDefinition``: a stopped one holds back the conditions of its
target, a running one evaluates them with its ``run_tags`` and ``default_condition``, and
assets no such sensor targets are evaluated as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from assetgraph import Instance, RunsFilter
from assetgraph.cli.main import app

LOCATION = """
import dagster_like as dg

@dg.asset(automation_condition=dg.AutomationCondition.missing())
def gated():
    return 1

@dg.asset(automation_condition=dg.AutomationCondition.missing())
def free():
    return 2

@dg.asset
def plain():
    return 3

gate = dg.AutomationConditionSensorDefinition(
    "gate", target=dg.AssetSelection.assets("gated"), run_tags={"team": "gate"}
)
defaults = dg.AutomationConditionSensorDefinition(
    "defaults",
    target=["plain"],
    default_status=dg.DefaultSensorStatus.RUNNING,
    default_condition=dg.AutomationCondition.missing(),
)
defs = dg.Definitions(assets=[gated, free, plain], sensors=[gate, defaults])
""".replace("import dagster_like as dg", "import assetgraph as dg")


def automate(now: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["automate", "-f", "defs.py", "--now", now, "--json"])
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.output)
    return found


def built(outcome: dict[str, Any]) -> set[str]:
    return {key for run in outcome["runs"] for key in run["targets"]}


def test_a_stopped_condition_sensor_holds_back_its_target_until_started(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(LOCATION)
    listed = CliRunner().invoke(app, ["sensors", "list", "-f", "defs.py", "--json"])
    assert {(r["name"], r["status"]) for r in json.loads(listed.output)} == {
        ("gate", "STOPPED"),
        ("defaults", "RUNNING"),
    }
    assert built(automate("2025-01-01T00:00:00")) == {"free", "plain"}, "gate is stopped"
    assert built(automate("2025-01-01T00:01:00")) == set()
    started = CliRunner().invoke(app, ["sensors", "start", "gate", "-f", "defs.py"])
    assert started.exit_code == 0, started.output
    assert built(automate("2025-01-01T00:02:00")) == {"gated"}
    [run] = Instance.from_env().get_runs(RunsFilter(tags={"team": "gate"}))
    assert run.asset_selection == frozenset({"gated"}) and run.is_success
