"""``assetgraph backfill ...`` and the daemon that carries backfills out through the run
queue, as a user drives them: real processes, the wall clock, stored run times."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app

DEFS = """
import time
from assetgraph import (
    AssetExecutionContext, BackfillPolicy, DailyPartitionsDefinition, Definitions, asset,
)

DAILY = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-13")

@asset(partitions_def=DAILY, backfill_policy=BackfillPolicy.multi_run(2))
def readings(context: AssetExecutionContext):
    time.sleep(1.0)
    keys = list(context.partition_keys)
    return {key: key for key in keys} if len(keys) > 1 else keys[0]

defs = Definitions(assets=[readings])
"""

runner = CliRunner()


def _cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(DEFS)
    return path


def test_launch_list_show_and_json(defs_file: Path) -> None:
    result = _cli(
        "backfill", "launch", "-f", str(defs_file), "--partition-range", "2025-01-01...2025-01-08"
    )
    assert result.exit_code == 0, result.output
    assert "requested: 8 partition(s) of 1 asset(s)" in result.output
    listed = json.loads(_cli("backfill", "list", "--json").output)
    assert len(listed) == 1 and listed[0]["status"] == "requested"
    backfill_id = listed[0]["backfill_id"]
    shown = json.loads(_cli("backfill", "show", backfill_id[:6], "--json").output)
    assert shown["assets"] == [
        {
            "asset": "readings",
            "target": 8,
            "done": 0,
            "failed": 0,
            "in_progress": 0,
            "remaining": 8,
            "target_ranges": ["2025-01-01...2025-01-08"],
            "failed_ranges": [],
        }
    ]
    table = _cli("backfill", "show", backfill_id)
    assert table.exit_code == 0 and "2025-01-01...2025-01-08" in table.output


def test_errors_name_what_is_wrong(defs_file: Path) -> None:
    missing = _cli("backfill", "show", "abcdef")
    assert missing.exit_code == 2
    assert "No backfill 'abcdef'" in missing.output and "backfill list" in missing.output
    bad_range = _cli(
        "backfill", "launch", "-f", str(defs_file), "--partition-range", "2025-01-01...2031-01-01"
    )
    assert bad_range.exit_code == 2 and "2031-01-01" in bad_range.output
    bad_status = _cli("backfill", "list", "--status", "done")
    assert bad_status.exit_code == 2 and "completed_success" in bad_status.output


def test_cancel_then_resume_from_the_cli(defs_file: Path) -> None:
    _cli("backfill", "launch", "-f", str(defs_file), "--all-partitions")
    backfill_id = json.loads(_cli("backfill", "list", "--json").output)[0]["backfill_id"]
    canceled = _cli("backfill", "cancel", backfill_id)
    assert canceled.exit_code == 0 and "canceled" in canceled.output
    again = _cli("backfill", "cancel", backfill_id)
    assert again.exit_code == 2 and "only a requested backfill" in again.output
    resumed = _cli("backfill", "resume", backfill_id)
    assert resumed.exit_code == 0 and "12 partition(s) to build" in resumed.output
    listed = json.loads(_cli("backfill", "list", "--status", "requested", "--json").output)
    assert [b["backfill_id"] for b in listed] == [backfill_id]


def _wait(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _max_overlap(runs: list[dict[str, Any]]) -> int:
    """The most runs whose [started, ended] intervals overlap at one instant."""
    edges = []
    for run in runs:
        edges.append((run["started_at"], 1))
        edges.append((run["ended_at"], -1))
    most = current = 0
    for _, step in sorted(edges, key=lambda e: (e[0], e[1])):
        current += step
        most = max(most, current)
    return most


def _daemon(defs_file: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assetgraph.cli.main",
            "automate",
            "-f",
            str(defs_file),
            "--interval",
            "0.3",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def test_the_daemon_keeps_to_max_concurrent_runs_and_survives_a_restart(
    defs_file: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "ASSETGRAPH_MAX_CONCURRENT_RUNS": "2"}
    launched = subprocess.run(
        [
            sys.executable,
            "-m",
            "assetgraph.cli.main",
            "backfill",
            "launch",
            "-f",
            str(defs_file),
            "--all-partitions",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    backfill_id = json.loads(launched.stdout)["backfill_id"]

    def show() -> dict[str, Any]:
        # In this process: the daemons are the processes under test, and a poll that
        # started a CLI process of its own would take a core from their runs.
        out = _cli("backfill", "show", backfill_id, "--json")
        assert out.exit_code == 0, out.output
        data: dict[str, Any] = json.loads(out.stdout)
        return data

    daemon = _daemon(defs_file, env)
    try:
        _wait(lambda: show()["assets"][0]["done"] >= 2, 120, "the first runs to finish")
    finally:
        _stop(daemon)  # the daemon stops mid-backfill
    middle = show()
    assert middle["status"] == "requested" and middle["assets"][0]["done"] < 12, middle
    daemon = _daemon(defs_file, env)
    try:
        done = _wait(
            lambda: (found := show())["status"] != "requested" and found, 180, "the backfill"
        )
    finally:
        _stop(daemon)
    assert done["status"] == "completed_success", done
    assert done["assets"][0]["done"] == 12
    runs_out = subprocess.run(
        [
            sys.executable,
            "-m",
            "assetgraph.cli.main",
            "runs",
            "list",
            "--json",
            "-n",
            "100",
            "--tag",
            f"assetgraph/backfill={backfill_id}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    runs = json.loads(runs_out.stdout)
    assert len(runs) == 6  # multi_run(2) over 12 partitions; none built twice
    assert all(run["status"] == "success" for run in runs)
    assert _max_overlap(runs) <= 2
