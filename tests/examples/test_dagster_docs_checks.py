"""Dagster's documentation examples for asset checks and MaterializeResult, with only their
imports changed, run through the CLI and the Python API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from assetgraph import Instance, load_definitions, materialize
from assetgraph.storage.records import EventRecord, EventType

HERE = Path(__file__).resolve().parent / "dagster_docs_checks"
CLI = [sys.executable, "-m", "assetgraph.cli.main"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def latest_run_events(kinds: list[EventType]) -> list[EventRecord]:
    storage = Instance.from_env().storage
    [run] = storage.list_runs(limit=1)
    return list(storage.events_for_run(run.run_id, kinds))


def test_check_specs_in_an_asset_from_the_cli(isolated_home: Path, tmp_path: Path) -> None:
    done = cli("materialize", "-f", str(HERE / "check_specs_in_asset.py"))

    assert done.returncode == 0, done.stdout + done.stderr
    written = pd.read_csv(tmp_path / "orders", index_col=0)
    assert written["order_id"].tolist() == [1, 2], "the asset wrote its own csv"
    [check] = latest_run_events([EventType.ASSET_CHECK_EVALUATION])
    assert (check.asset_key, check.payload["check_name"], check.payload["passed"]) == (
        "orders",
        "orders_id_has_no_nulls",
        True,
    )
    listed = json.loads(cli("list", "-f", str(HERE / "check_specs_in_asset.py"), "--json").stdout)
    assert listed[0]["check_specs"] == ["orders_id_has_no_nulls"]


def test_check_specs_in_an_asset_from_python(tmp_path: Path, isolated_home: Path) -> None:
    defs = load_definitions(file=HERE / "check_specs_in_asset.py")
    result = materialize(defs, instance=Instance.ephemeral())

    assert result.success
    assert result.output_for("orders") is None, "Output(value=None) is stored as None"
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == ("orders_id_has_no_nulls", True)


def test_a_multi_asset_check_from_the_docs(isolated_home: Path) -> None:
    done = cli("materialize", "-f", str(HERE / "multi_asset_check_docs.py"))

    assert done.returncode == 0, done.stdout + done.stderr
    checks = latest_run_events([EventType.ASSET_CHECK_EVALUATION])
    found = {e.payload["check_name"]: e.payload for e in checks}
    assert set(found) == {"asset_check_one", "asset_check_two"}
    assert (found["asset_check_one"]["passed"], found["asset_check_one"]["severity"]) == (
        False,
        "WARN",
    )
    assert found["asset_check_one"]["description"] == "The asset is over 0.5"
    assert found["asset_check_two"]["passed"] is True
    shown = cli("runs", "show", Instance.from_env().storage.list_runs(limit=1)[0].run_id)
    assert "WARNING  my_asset asset_check_one" in shown.stdout, shown.stdout


def test_the_tutorials_materialize_results(isolated_home: Path, tmp_path: Path) -> None:
    location = HERE / "materialize_result_tutorial.py"
    done = cli("materialize", "-f", str(location))

    assert done.returncode == 0, done.stdout + done.stderr
    stories = pd.read_csv(tmp_path / "data" / "topstories.csv", index_col=0)
    assert stories["id"].tolist() == [1, 2, 3, 4, 5]
    [materialization] = [
        e
        for e in latest_run_events([EventType.ASSET_MATERIALIZATION])
        if e.asset_key == "topstories"
    ]
    metadata = materialization.payload["metadata"]
    assert metadata["num_records"] == 5
    assert metadata["preview"]["__metadata__"] == "md"
    assert "Story 1" in metadata["preview"]["value"]
    assert not (isolated_home / "storage" / "topstories").exists(), (
        "a MaterializeResult asset is not handed to an IO manager"
    )

    result = materialize(load_definitions(file=location), instance=Instance.ephemeral())
    assert result.success
    [again] = result.asset_materializations_for_node("topstories")
    assert again.metadata["num_records"].value == 5
    assert again.metadata["preview"].type == "md"
