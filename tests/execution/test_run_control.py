"""Retries, concurrency pools, partition leases, cancellation, crashes and re-execution."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from assetgraph import Instance, RetryPolicy, asset, materialize
from assetgraph.storage.coordination import HOSTNAME, claims_of
from assetgraph.storage.records import EventType, RunRecord, RunStatus

pytestmark = pytest.mark.slow  # concurrent CLI runs, cancels and kills

CLI = [sys.executable, "-m", "assetgraph.cli.main"]


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def wait_for(condition: Any, timeout: float = 60.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


# -- retries ------------------------------------------------------------------------------


def test_a_flaky_step_is_retried_with_backoff_and_every_attempt_recorded(
    tmp_path: Path, storage_url: str
) -> None:
    counter = tmp_path / "attempts"

    @asset(retry_policy=RetryPolicy(max_retries=3, delay=0.05, backoff="exponential"))
    def flaky() -> int:
        attempts = int(counter.read_text()) + 1 if counter.exists() else 1
        counter.write_text(str(attempts))
        if attempts < 3:
            raise ConnectionError(f"warehouse busy (attempt {attempts})")
        return attempts

    instance = Instance(storage_url=storage_url, home=tmp_path)
    started = time.monotonic()
    result = materialize([flaky], instance=instance)
    assert result.success and result.output_for("flaky") == 3
    assert time.monotonic() - started >= 0.05 + 0.1  # waited delay, then 2 * delay
    events = instance.storage.events_for_run(result.run_id)
    starts = [e.payload.get("attempt", 1) for e in events if e.event_type is EventType.STEP_START]
    failures = [e for e in events if e.event_type is EventType.STEP_FAILURE]
    assert starts == [1, 2, 3]
    assert [f.payload["attempt"] for f in failures] == [1, 2]
    assert [f.payload["retry_in"] for f in failures] == [0.05, 0.1]
    assert "warehouse busy (attempt 1)" in (failures[0].message or "")
    assert "retrying in" in (failures[0].message or "")
    assert instance.storage.partition_counts(["flaky"]) == {"flaky": (1, 0)}


def test_retries_run_out(tmp_path: Path) -> None:
    @asset(retry_policy=RetryPolicy(max_retries=1))
    def broken() -> int:
        raise ValueError("always")

    @asset
    def after(broken: int) -> int:
        return broken

    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    result = materialize([broken, after], instance=instance)
    assert not result.success and result.status_for("after") == "skipped"
    starts = instance.storage.events_for_run(result.run_id, event_types=[EventType.STEP_START])
    assert len(starts) == 2


# -- pools and leases, across runs --------------------------------------------------------

POOLED = """
import time
from assetgraph import asset, Definitions

def make(name):
    @asset(name=name, pool="warehouse")
    def load():
        time.sleep(0.3)
        return name
    return load

defs = Definitions([make(f"{prefix}_{{i}}") for i in range(3)], pools={{"warehouse": 1}})
"""


def _intervals(instance: Instance) -> list[tuple[float, float, str]]:
    intervals = []
    for run in instance.storage.list_runs():
        starts: dict[str, float] = {}
        for event in instance.storage.events_for_run(run.run_id):
            if event.event_type is EventType.STEP_START and event.step_key:
                starts[event.step_key] = event.timestamp
            elif event.event_type is EventType.STEP_SUCCESS and event.step_key:
                intervals.append((starts[event.step_key], event.timestamp, event.step_key))
    return sorted(intervals)


@pytest.fixture
def shared_storage(storage_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The metadata database (SQLite, then PostgreSQL) every CLI subprocess of a test uses."""
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    return storage_url


def test_a_pool_limit_holds_across_concurrent_runs(tmp_path: Path, shared_storage: str) -> None:
    for prefix in ("a", "b"):
        (tmp_path / f"{prefix}.py").write_text(POOLED.format(prefix=prefix))
    runs = [
        subprocess.Popen([*CLI, "materialize", "-f", str(tmp_path / f"{p}.py")], text=True)
        for p in ("a", "b")
    ]
    assert [run.wait(120) for run in runs] == [0, 0]
    intervals = _intervals(Instance.from_env())
    assert len(intervals) == 6
    for (_, end, first), (start, _, second) in itertools.pairwise(intervals):
        assert start >= end, f"{second} started before {first} ended: the pool limit was broken"
    assert claims_of(
        Instance.from_env().storage, Instance.from_env().storage.list_runs()[0].run_id
    ) == (0, 0)


SLOW_PARTITIONS = """
import time
from assetgraph import asset, StaticPartitionsDefinition

@asset(partitions_def=StaticPartitionsDefinition(["eu", "us"]))
def orders(context):
    time.sleep({sleep})
    return context.partition_key
"""


def test_the_same_partition_never_runs_twice_at_once(tmp_path: Path, shared_storage: str) -> None:
    path = tmp_path / "defs.py"
    path.write_text(SLOW_PARTITIONS.format(sleep=0.5))
    runs = [
        subprocess.Popen([*CLI, "materialize", "-f", str(path), "-p", "eu"], text=True)
        for _ in range(2)
    ]
    assert [run.wait(120) for run in runs] == [0, 0]
    intervals = _intervals(Instance.from_env())
    assert len(intervals) == 2
    (_, first_end, _), (second_start, _, _) = intervals
    assert second_start >= first_end


HELD_PARTITION = """
import time
from pathlib import Path
from assetgraph import asset, StaticPartitionsDefinition

@asset(partitions_def=StaticPartitionsDefinition(["eu", "us"]))
def orders(context):
    deadline = time.monotonic() + 120
    while not Path({release!r}).exists():  # hold the lease until the test is done
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.02)
    return context.partition_key
"""


def test_no_wait_fails_the_step_naming_the_run_that_holds_the_lease(
    tmp_path: Path, shared_storage: str
) -> None:
    path = tmp_path / "defs.py"
    release = tmp_path / "release"
    path.write_text(HELD_PARTITION.format(release=str(release)))
    first = subprocess.Popen([*CLI, "materialize", "-f", str(path), "-p", "eu"], text=True)
    storage = Instance.from_env().storage
    holder = wait_for(
        lambda: next(
            (r.run_id for r in storage.list_runs() if claims_of(storage, r.run_id)[0]), None
        ),
        what="the first run to take its lease",
    )
    try:
        second = cli("materialize", "-f", str(path), "-p", "eu", "--no-wait")
    finally:
        release.touch()
    assert second.returncode == 1
    assert f"orders[eu] is being materialized by run {holder}" in second.stderr
    assert first.wait(60) == 0


# -- cancellation ------------------------------------------------------------------------

LONG = """
import time
from assetgraph import asset, StaticPartitionsDefinition

@asset(partitions_def=StaticPartitionsDefinition([f"p{i}" for i in range(20)]))
def slow(context):
    time.sleep(1.0)
    return context.partition_key
"""


@pytest.mark.parametrize("extra", [[], ["--workers", "2"]])
def test_cancel_stops_a_running_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    monkeypatch.setenv("ASSETGRAPH_HEARTBEAT_SECONDS", "0.2")
    path = tmp_path / "defs.py"
    path.write_text(LONG)
    running = subprocess.Popen(
        [*CLI, "materialize", "-f", str(path), "--all-partitions", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    storage = Instance.from_env().storage
    run_id = wait_for(
        lambda: next(
            (
                r.run_id
                for r in storage.list_runs()
                if storage.events_for_run(r.run_id, event_types=[EventType.STEP_SUCCESS])
            ),
            None,
        ),
        what="a first step to succeed",
    )
    cancel = cli("runs", "cancel", run_id[:8])
    assert cancel.returncode == 0, cancel.stderr
    run = storage.get_run(run_id)
    assert f"Run {run_id} is canceled." in cancel.stdout, run.error if run else None
    _, err = running.communicate(timeout=60)
    assert running.returncode == 1 and "was canceled" in err
    events = storage.events_for_run(run_id)
    assert events[-1].event_type is EventType.RUN_CANCELED
    skipped = [e for e in events if e.event_type is EventType.STEP_SKIPPED]
    assert skipped and all(e.payload.get("canceled") for e in skipped)
    assert claims_of(storage, run_id) == (0, 0)


def test_cancel_of_a_finished_run_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(SLOW_PARTITIONS.format(sleep=0))
    assert cli("materialize", "-f", str(path), "-p", "us").returncode == 0
    run_id = Instance.from_env().storage.list_runs()[0].run_id
    refused = cli("runs", "cancel", run_id)
    assert refused.returncode == 2 and "already finished (success)" in refused.stderr


# -- crashes --------------------------------------------------------------------------------

CRASHY = """
import time
from assetgraph import asset, StaticPartitionsDefinition

parts = StaticPartitionsDefinition([f"p{i:02d}" for i in range(30)])

@asset(partitions_def=parts)
def raw(context):
    time.sleep(0.1)
    return {"key": context.partition_key, "rows": list(range(1000))}

@asset(partitions_def=parts)
def clean(raw):
    return {"key": raw["key"], "total": sum(raw["rows"])}
"""


def test_a_killed_run_is_reported_failed_and_missing_finishes_the_work(
    tmp_path: Path, shared_storage: str
) -> None:
    path = tmp_path / "defs.py"
    path.write_text(CRASHY)
    running = subprocess.Popen(
        [*CLI, "materialize", "-f", str(path), "--all-partitions", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    storage = Instance.from_env().storage
    wait_for(
        lambda: storage.count_events(EventType.ASSET_MATERIALIZATION) >= 10,
        what="some partitions to be stored",
    )
    os.killpg(running.pid, signal.SIGKILL)  # the coordinator and its workers
    running.wait(30)
    listed = json.loads(cli("runs", "list", "--json").stdout)
    assert listed[0]["status"] == "failure"
    assert "died without finishing the run" in listed[0]["error"]
    assert claims_of(storage, listed[0]["run_id"]) == (0, 0)

    import pickle

    home = Instance.from_env().storage_dir
    recorded = storage.latest_materializations(["raw", "clean"])
    for (asset_key, partition), _ in recorded.items():
        with (home / asset_key / str(partition)).open("rb") as handle:
            value = pickle.load(handle)  # every recorded value loads whole
        assert value["key"] == partition
    finished = cli("materialize", "-f", str(path), "--missing")
    assert finished.returncode == 0, finished.stderr
    counts = storage.partition_counts(["raw", "clean"])
    assert counts == {"raw": (30, 0), "clean": (30, 0)}
    done = storage.latest_materializations(["raw", "clean"])
    assert all(done[key].run_id == recorded[key].run_id for key in recorded)  # not redone


def test_materialize_with_nothing_to_do_still_reports_a_dead_run(
    tmp_path: Path, shared_storage: str
) -> None:
    path = tmp_path / "defs.py"
    path.write_text("from assetgraph import asset\n\n@asset\ndef one():\n    return 1\n")
    assert cli("materialize", "-f", str(path)).returncode == 0
    storage = Instance.from_env().storage
    gone = subprocess.Popen(["true"])
    gone.wait()
    storage.create_run(
        RunRecord(run_id="deadbeef" * 4, status=RunStatus.STARTED, created_at=time.time())
    )
    storage.update_run("deadbeef" * 4, pid=gone.pid, hostname=HOSTNAME, heartbeat_at=time.time())

    again = cli("materialize", "-f", str(path), "--missing")
    assert again.returncode == 0, again.stderr
    assert "Nothing to do" in again.stdout
    dead = storage.get_run("deadbeef" * 4)
    assert dead is not None and dead.status is RunStatus.FAILURE
    assert "died without finishing the run" in (dead.error or "")


# -- re-execution -------------------------------------------------------------------------

FAILING = """
from pathlib import Path
from assetgraph import asset, StaticPartitionsDefinition

FLAG = Path(__file__).parent / "broken"

@asset(partitions_def=StaticPartitionsDefinition(["a", "b", "c"]))
def source(context):
    if context.partition_key == "b" and FLAG.exists():
        raise RuntimeError("b is broken")
    return context.partition_key

@asset(partitions_def=StaticPartitionsDefinition(["a", "b", "c"]))
def target(source):
    return source * 2
"""


def test_reexecute_from_failure_runs_only_what_did_not_succeed(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(FAILING)
    (tmp_path / "broken").touch()
    failed = cli("materialize", "-f", str(path), "--all-partitions")
    assert failed.returncode == 1
    run_id = Instance.from_env().storage.list_runs()[0].run_id
    (tmp_path / "broken").unlink()
    again = cli("runs", "reexecute", run_id[:8], "--from-failure")
    assert again.returncode == 0, again.stderr
    assert "succeeded: 2 step(s)" in again.stdout
    storage = Instance.from_env().storage
    new_run = storage.list_runs()[0]
    assert new_run.tags["assetgraph/parent_run"] == run_id
    started = {e.step_key for e in storage.events_for_run(new_run.run_id, [EventType.STEP_START])}
    assert started == {"source[b]", "target[b]"}
    everything = cli("runs", "reexecute", run_id)
    assert "succeeded: 6 step(s)" in everything.stdout
