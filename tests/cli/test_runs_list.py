"""``runs list``: one readable line per run, who launched it, and assetgraph's own tags only
with --tags or --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import Instance, load_definitions, materialize
from assetgraph.cli.main import app

DEFS = """
from assetgraph import asset, DailyPartitionsDefinition

@asset(partitions_def=DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-02-01"))
def daily(context):
    return context.partition_key

@asset
def plain():
    return 1
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), terminal_width=250)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(DEFS)
    return path


LAUNCHERS = [
    ([], "CLI"),
    (["--tag", "assetgraph/automation_origin=schedule:nightly"], "schedule nightly"),
    (["--tag", "assetgraph/automation_origin=sensor:new_files"], "sensor new_files"),
    (
        [
            "--tag",
            "assetgraph/automation_origin=automation",
            "--tag",
            "assetgraph/automation_tick=7",
        ],
        "automation tick 7",
    ),
    (["--tag", "dagster/backfill=bf-12"], "backfill bf-12"),
    (["--tag", "assetgraph/ui_request=abc"], "UI"),
]


@pytest.mark.parametrize(("tags", "who"), LAUNCHERS, ids=[w for _, w in LAUNCHERS])
def test_runs_list_says_who_launched_each_run(defs_file: Path, tags: list[str], who: str) -> None:
    code, _, err = invoke("materialize", "-f", str(defs_file), "-s", "plain", *tags)
    assert code == 0, err
    _, out, _ = invoke("runs", "list", "--json")
    assert json.loads(out)[0]["launched_by"] == who
    _, out, _ = invoke("runs", "list")
    line = next(line for line in out.splitlines() if "success" in line)
    assert who in line


def test_a_run_from_python_and_a_reexecution(defs_file: Path) -> None:
    defs = load_definitions(file=defs_file)
    result = materialize(defs, selection="plain", instance=Instance.from_env())
    _, out, _ = invoke("runs", "list", "--json")
    assert json.loads(out)[0]["launched_by"] == "Python"
    code, _, err = invoke("runs", "reexecute", result.run_id[:8], "-f", str(defs_file))
    assert code == 0, err
    _, out, _ = invoke("runs", "list", "--json")
    assert json.loads(out)[0]["launched_by"] == f"re-execution of {result.run_id[:8]}"


def test_a_line_per_run_with_partitions_in_words_and_internal_tags_hidden(
    defs_file: Path,
) -> None:
    code, _, err = invoke(
        "materialize",
        "-f",
        str(defs_file),
        "-s",
        "daily",
        "--partition-range",
        "2025-01-01...2025-01-05",
        "--tag",
        "team=finance",
    )
    assert code == 0, err
    _, out, _ = invoke("runs", "list")
    header, *rows = [line for line in out.splitlines()[1:] if line.strip() and "━" not in line]
    assert [c.strip() for c in header.split("┃")] == [
        "run",
        "status",
        "launched by",
        "started",
        "duration",
        "selection",
        "partitions",
        "tags",
    ]
    assert len(rows) == 1
    assert "team=finance" in rows[0]
    assert "2025-01-01" in rows[0] and "2025-01-05" in rows[0]
    assert "assetgraph/" not in out
    _, out, _ = invoke("runs", "list", "--tags")
    assert "assetgraph/" in out  # (a long tag folds over lines)
    _, out, _ = invoke("runs", "list", "--json")
    assert "assetgraph/code_location" in json.loads(out)[0]["tags"]


def test_no_runs_yet_is_said(defs_file: Path) -> None:
    code, out, _ = invoke("runs", "list")
    assert code == 0 and "No runs yet" in out
    _, out, _ = invoke("runs", "list", "--status", "failure")
    assert "No runs with that status or tag yet" in out
