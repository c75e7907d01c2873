"""Ctrl-C and SIGTERM stop a run as a cancel: one line, the run and its running step
recorded canceled, leases given back, and ``--missing`` goes on from there."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assetgraph import Instance
from assetgraph.execution.coordinator import step_statuses
from assetgraph.storage.coordination import claims_of
from tests.reliability.harness import cli, kill_group, wait_for

pytestmark = pytest.mark.slow  # real runs interrupted by real signals

DEFS = """
import os
import time
from pathlib import Path
from assetgraph import asset

STARTED = Path(__file__).parent / "slow-started"


@asset
def first():
    return 1


@asset
def slow(first):
    STARTED.write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("SLOW_SECONDS", "60")))
    return first + 1


@asset
def last(slow):
    return slow + 1
"""

EXECUTORS = {"in-process": [], "multiprocess": ["--workers", "2"]}
SIGNALS = {"SIGINT": (signal.SIGINT, 130), "SIGTERM": (signal.SIGTERM, 143)}


@pytest.mark.parametrize("executor", list(EXECUTORS))
@pytest.mark.parametrize("name", list(SIGNALS))
def test_an_interrupted_run_is_canceled_and_missing_goes_on(
    name: str, executor: str, tmp_path: Path, isolated_home: Path
) -> None:
    sig, exit_code = SIGNALS[name]
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS)
    running = subprocess.Popen(
        [sys.executable, "-m", "assetgraph.cli.main", "materialize", "-f", str(defs)]
        + EXECUTORS[executor],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for(lambda: (tmp_path / "slow-started").exists(), what="the slow step to start")
        # Ctrl-C in a terminal reaches the whole process group; a supervisor's SIGTERM
        # reaches the run's own process.
        if sig is signal.SIGINT:
            os.killpg(running.pid, sig)
        else:
            os.kill(running.pid, sig)
        _, err = running.communicate(timeout=30)
    finally:
        kill_group(running)

    assert running.returncode == exit_code, err
    assert "Traceback" not in err, err
    storage = Instance.from_env().storage
    run = storage.list_runs()[0]
    assert err.strip().splitlines()[-1] == (
        f"Interrupted: run {run.run_id} canceled; 1 step done, 1 canceled, 1 not started"
    )
    assert run.status.value == "canceled"
    assert run.error == f"interrupted by {name}"
    statuses = step_statuses(storage.events_for_run(run.run_id))
    assert statuses == {"first": "success", "slow": "canceled", "last": "canceled"}
    assert claims_of(storage, run.run_id) == (0, 0)

    rest = cli("materialize", "-f", str(defs), "--missing", env={"SLOW_SECONDS": "0"})
    assert rest.returncode == 0, rest.stderr
    latest = storage.latest_materializations(["first", "slow", "last"])
    assert {key for key, _ in latest} == {"first", "slow", "last"}
    assert latest[("first", None)].run_id == run.run_id, "--missing rebuilt a finished step"


FAILING = """
import sys
from assetgraph import asset


@asset
def exits():
    sys.exit(3)


@asset
def after(exits):
    return exits


@asset
def independent():
    return "built"
"""


@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_sys_exit_in_an_asset_is_a_step_failure(
    executor: str, tmp_path: Path, isolated_home: Path
) -> None:
    defs = tmp_path / "defs.py"
    defs.write_text(FAILING)
    result = cli("materialize", "-f", str(defs), *EXECUTORS[executor])
    assert result.returncode == 1, result.stderr
    assert "Step 'exits' failed: SystemExit: 3" in result.stderr
    storage = Instance.from_env().storage
    run = storage.list_runs()[0]
    statuses = step_statuses(storage.events_for_run(run.run_id))
    assert statuses == {"exits": "failure", "after": "skipped", "independent": "success"}
    shown = json.loads(cli("runs", "list", "--json").stdout)[0]
    assert shown["status"] == "failure"
