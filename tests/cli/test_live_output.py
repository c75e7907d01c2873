"""``materialize`` talks while it works: what steps log and print appears as it happens
(in-process and from worker processes), a wait for another run's lease is said, -v shows
the failing step's traceback, and without a terminal no line is wrapped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

from assetgraph.cli.progress import RunProgress
from assetgraph.storage.events import StepFailed, StepStarted, StepSucceeded, step_event
from assetgraph.storage.records import EventRecord

WAITING = """
import time
from pathlib import Path
from assetgraph import asset

FLAG = Path({flag!r})

@asset
def slow(context):
    context.log.info("slow is waiting for the flag")
    context.log.debug("a detail only --log-level debug shows")
    print("slow printed this")
    deadline = time.monotonic() + 60
    while not FLAG.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("nobody saw the live log line in 60 s")
        time.sleep(0.05)
    context.log.warning("slow saw the flag")
    return 1

@asset
def after(slow):
    return slow + 1
"""

LONG = "word " * 60


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assetgraph.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )


def read_until(stream: IO[str], text: str, seen: list[str]) -> None:
    """Read lines until one contains ``text``; the step waits for the test, so a line that
    is not written live is never read before the step gives up (and the test fails)."""
    for line in stream:
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"{text!r} never came; output was:\n{''.join(seen)}")


@pytest.fixture
def waiting_defs(tmp_path: Path) -> tuple[Path, Path]:
    flag = tmp_path / "flag"
    path = tmp_path / "defs.py"
    path.write_text(WAITING.format(flag=str(flag)))
    return path, flag


@pytest.mark.parametrize("workers", [[], ["--workers", "2"]], ids=["in-process", "workers"])
def test_logs_and_prints_appear_while_the_step_runs(
    waiting_defs: tuple[Path, Path], workers: list[str]
) -> None:
    path, flag = waiting_defs
    process = start("materialize", "-f", str(path), *workers)
    assert process.stdout is not None
    seen: list[str] = []
    try:
        read_until(process.stdout, "[slow] INFO: slow is waiting for the flag", seen)
        read_until(process.stdout, "slow printed this", seen)
        flag.touch()
        rest = process.stdout.read()
    finally:
        flag.touch()
        process.wait(timeout=120)
    assert process.returncode == 0, "".join(seen) + rest
    assert "[slow] WARNING: slow saw the flag" in rest
    assert "a detail only" not in "".join(seen) + rest  # DEBUG is below the default level
    assert "succeeded: 2 step(s)" in rest


def test_log_level_debug_shows_debug_messages(waiting_defs: tuple[Path, Path]) -> None:
    path, flag = waiting_defs
    flag.touch()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "assetgraph.cli.main",
            "materialize",
            "-f",
            str(path),
            "--log-level",
            "debug",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "[slow] DEBUG: a detail only --log-level debug shows" in done.stdout
    quiet = subprocess.run(
        [
            sys.executable,
            "-m",
            "assetgraph.cli.main",
            "materialize",
            "-f",
            str(path),
            "--log-level",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "slow is waiting" not in quiet.stdout
    assert "[slow] WARNING: slow saw the flag" in quiet.stdout


def test_a_run_waiting_for_another_runs_lease_says_so(waiting_defs: tuple[Path, Path]) -> None:
    path, flag = waiting_defs
    first = start("materialize", "-f", str(path), "-s", "slow")
    second = None
    assert first.stdout is not None
    seen: list[str] = []
    try:
        read_until(first.stdout, "slow is waiting for the flag", seen)
        second = start("materialize", "-f", str(path), "-s", "slow")
        assert second.stdout is not None
        waited: list[str] = []
        read_until(second.stdout, "is waiting for run", waited)
        flag.touch()
        first_rest = first.stdout.read()
        second_rest = second.stdout.read()
    finally:
        flag.touch()
        first.wait(timeout=120)
        if second is not None:
            second.wait(timeout=120)
    assert first.returncode == 0 and second.returncode == 0
    first_run = first_rest.split("Run ")[-1].split()[0]
    assert f"slow is waiting for run {first_run[:8]}, which holds slow" in waited[-1]
    assert "succeeded" in second_rest


def test_verbose_shows_the_failing_steps_traceback(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(
        "from assetgraph import asset\n\n@asset\ndef broken():\n"
        "    raise ValueError('the source is empty')\n"
    )
    plain = subprocess.run(
        [sys.executable, "-m", "assetgraph.cli.main", "materialize", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    verbose = subprocess.run(
        [sys.executable, "-m", "assetgraph.cli.main", "materialize", "-f", str(path), "-v"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert plain.returncode == verbose.returncode == 1
    assert "Traceback" not in plain.stderr and "runs show" in plain.stderr
    assert "Traceback (most recent call last)" in verbose.stderr
    assert "raise ValueError('the source is empty')" in verbose.stderr


def test_without_a_terminal_no_line_is_wrapped(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(
        "from assetgraph import asset\n\n@asset\ndef chatty(context):\n"
        f"    context.log.info({LONG!r})\n"
        f"    raise RuntimeError({LONG!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "assetgraph.cli.main", "materialize", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert f"[chatty] INFO: {LONG}" in done.stdout
    assert any(
        line.startswith("✗ chatty  failure  RuntimeError: word") and len(line) > 300
        for line in done.stdout.splitlines()
    )


def event(body: Any, key: str) -> EventRecord:
    return step_event("run", body, 0.0, step_key=key, message="m" if key == "b" else None)


def test_progress_counts_running_steps_and_estimates_the_rest(tmp_path: Path) -> None:
    with (tmp_path / "out.txt").open("w") as out:
        progress = RunProgress(4, file=out)
        with progress:
            progress.on_event(event(StepStarted(), "a"))
            progress.on_event(event(StepStarted(), "b"))
            assert progress.running_text() == "running a, b"
            assert progress.counts_text() == "0 done, 4 remaining"
            progress.on_event(event(StepSucceeded(duration=1.0), "a"))
            failure = StepFailed(error={"type": "E", "message": "m"})
            progress.on_event(event(failure, "b"))
            assert progress.running_text() == "waiting"
            assert progress.counts_text() == "1 done, 1 failed, 2 remaining"
            line = progress.report_line(progress.started + 10.0)
    assert line.startswith("2/4 steps: 1 done, 1 failed, 2 remaining; 10.00 s elapsed")
    assert "about 10.00 s left" in line
    text = (tmp_path / "out.txt").read_text()
    assert "✓ a  success" in text and "✗ b  failure" in text


def test_materialize_json_keeps_stdout_for_the_result(waiting_defs: tuple[Path, Path]) -> None:
    path, flag = waiting_defs
    flag.touch()
    done = subprocess.run(
        [sys.executable, "-m", "assetgraph.cli.main", "materialize", "-f", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(done.stdout)["status"] == "success"
    assert "[slow] INFO: slow is waiting for the flag" in done.stderr


def test_logs_of_steps_that_ran_where_no_live_log_reaches_are_shown_from_events(
    tmp_path: Path,
) -> None:
    from assetgraph.storage.events import Logged

    with (tmp_path / "out.txt").open("w") as out:
        progress = RunProgress(1, file=out, show_logs_of_events=True)
        with progress:
            progress.on_event(step_event("run", Logged("INFO"), 0.0, step_key="a", message="hi"))
            progress.on_event(step_event("run", Logged("DEBUG"), 0.0, step_key="a", message="lo"))
            progress.on_event(step_event("run", Logged("STDOUT"), 0.0, step_key="a", message="p"))
    text = (tmp_path / "out.txt").read_text()
    assert "[a] INFO: hi" in text and "[a] STDOUT: p" in text
    assert "lo" not in text  # below --log-level
