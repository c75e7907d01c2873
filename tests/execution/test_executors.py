"""Executors: multiprocess and Dask give what in-process gives; workers never touch storage."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assetgraph import Definitions, Instance, ResourceError, asset, load_definitions, materialize
from assetgraph.storage.records import EventType

DEFS = """
import os
from assetgraph import asset, DailyPartitionsDefinition

days = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-05")

@asset(partitions_def=days)
def raw(context):
    print(f"raw for {context.partition_key} in pid {os.getpid()}")
    return {"day": context.partition_key, "pid": os.getpid()}

@asset(partitions_def=days)
def doubled(raw):
    return {"day": raw["day"], "value": len(raw["day"]) * 2}

@asset
def total(doubled):
    return sum(part["value"] for part in doubled.values())
"""

CLI = [sys.executable, "-m", "assetgraph.cli.main"]


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(DEFS)
    return path


def _shape(instance: Instance, run_id: str) -> list[tuple[str, str | None, str | None]]:
    """The run's events without times and ids: (type, step, asset), sorted."""
    events = instance.storage.events_for_run(run_id)
    return sorted(
        (e.event_type.value, e.step_key, e.asset_key)
        for e in events
        if e.event_type is not EventType.LOG
    )


@pytest.mark.parametrize("executor", ["multiprocess", "dask"])
def test_out_of_process_executors_match_in_process(
    defs_file: Path, tmp_path: Path, executor: str
) -> None:
    defs = load_definitions(file=defs_file)
    results = {}
    for name in ("in_process", executor):
        instance = Instance(storage_url=f"sqlite:///{tmp_path}/{name}.db", home=tmp_path / name)
        result = materialize(defs, instance=instance, all_partitions=True, executor=name, workers=2)
        assert result.success, [o.error.summary() for o in result.failures if o.error]
        results[name] = (instance, result)
    (base, base_result), (other, other_result) = results["in_process"], results[executor]
    assert base_result.output_for("total") == other_result.output_for("total") == 80
    assert _shape(base, base_result.run_id) == _shape(other, other_result.run_id)
    pids = {other_result.output_for("raw", day)["pid"] for day in ("2025-01-01", "2025-01-04")}
    assert sys.modules["os"].getpid() not in pids  # the steps ran in worker processes
    logs = other.storage.events_for_run(other_result.run_id, event_types=[EventType.LOG])
    assert any("raw for 2025-01-02" in (e.message or "") for e in logs)
    run = other.storage.get_run(other_result.run_id)
    assert run is not None and run.tags["assetgraph/executor"] == executor


def test_the_cli_runs_a_partitioned_graph_on_worker_processes(defs_file: Path) -> None:
    done = subprocess.run(
        [*CLI, "materialize", "-f", str(defs_file), "--all-partitions", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "succeeded: 9 step(s)" in done.stdout
    listed = subprocess.run([*CLI, "runs", "list", "--json"], capture_output=True, text=True)
    [run] = json.loads(listed.stdout)
    logs = subprocess.run(
        [*CLI, "logs", run["run_id"], "--step", "raw[2025-01-03]"], capture_output=True, text=True
    )
    assert "[raw[2025-01-03]] STDOUT: raw for 2025-01-03 in pid" in logs.stdout


class Unpicklable:
    """An IO manager holding a lock, which cannot be sent to another process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def handle_output(self, context: object, obj: object) -> None:
        pass

    def load_input(self, context: object) -> object:
        return None


@asset(io_manager_key="locked")
def held() -> int:
    return 1


def test_an_unpicklable_io_manager_is_named(tmp_path: Path) -> None:
    defs = Definitions([held], io_managers={"locked": Unpicklable()})
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    with pytest.raises(
        ResourceError, match=r"IO manager 'locked' \(Unpicklable\) cannot be pickled"
    ):
        materialize(defs, instance=instance, executor="multiprocess", workers=1)
    run = instance.storage.list_runs()[0]
    assert run.status.value == "failure" and "cannot be pickled" in (run.error or "")


MANY_QUICK = """
import os
from assetgraph import asset, Definitions

def make(index):
    @asset(name=f"quick_{index:03d}")
    def quick():
        if index == 37:
            raise ValueError("quick_037 fails on purpose")
        return {"index": index, "pid": os.getpid()}
    return quick

defs = Definitions([make(i) for i in range(60)])
"""


@pytest.mark.parametrize("executor", ["multiprocess", "dask"])
def test_quick_steps_sent_several_at_a_time_are_each_recorded_once(
    tmp_path: Path, executor: str
) -> None:
    path = tmp_path / "many.py"
    path.write_text(MANY_QUICK)
    defs = load_definitions(file=path)
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    result = materialize(defs, instance=instance, executor=executor, workers=2)
    assert not result.success
    [failure] = result.failures
    assert failure.step_key == "quick_037" and "on purpose" in failure.error.message  # type: ignore[union-attr]
    events = instance.storage.events_for_run(result.run_id)
    counts: dict[str, int] = {}
    for event in events:
        counts[event.event_type.value] = counts.get(event.event_type.value, 0) + 1
    assert counts["step_start"] == 60
    assert counts["step_success"] == counts["asset_materialization"] == 59
    assert counts["step_failure"] == 1
    done = {e.step_key for e in events if e.event_type is EventType.STEP_SUCCESS}
    assert len(done) == 59 and "quick_037" not in done
    pids = {result.output_for(f"quick_{i:03d}")["pid"] for i in (0, 36, 38, 59)}
    assert sys.modules["os"].getpid() not in pids


def test_quick_steps_are_grouped_one_task_per_idle_worker_at_most_sixteen_each() -> None:
    from assetgraph.execution.launchers import MAX_STEPS_PER_TASK, steps_per_task, task_groups

    assert task_groups([], 2) == []
    assert task_groups([1, 2, 3], 2) == [[1, 2], [3]]
    assert task_groups([1, 2, 3], 0) == [[1, 2, 3]]  # no worker idle: one task queues
    groups = task_groups(list(range(40)), 2)
    assert [len(g) for g in groups] == [14, 13, 13]
    assert [x for g in groups for x in g] == list(range(40))  # order kept
    assert steps_per_task(None) == 1  # not known yet: one step per task
    assert steps_per_task(1.0) == 1  # slow steps: one per task
    assert steps_per_task(0.0001) == MAX_STEPS_PER_TASK


ENV_DEFS = """
import os
from assetgraph import asset

@asset
def greeting():
    return (os.environ.get("ASSETGRAPH_TEST_GREETING"), os.getcwd())
"""


def test_workers_see_the_environment_and_folder_of_each_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers of later runs in the same process are forked from the same fork server,
    # started in the first run: they still get the coordinator's environment of their run.
    path = tmp_path / "defs.py"
    path.write_text(ENV_DEFS)
    defs = load_definitions(file=path)
    seen = []
    for word in ("hello", "again"):
        folder = tmp_path / word
        folder.mkdir()
        monkeypatch.chdir(folder)
        monkeypatch.setenv("ASSETGRAPH_TEST_GREETING", word)
        instance = Instance(storage_url=f"sqlite:///{folder}/m.db", home=folder)
        result = materialize(defs, instance=instance, executor="multiprocess", workers=2)
        assert result.success, [o.error.summary() for o in result.failures if o.error]
        seen.append(result.output_for("greeting"))
    assert seen == [("hello", str(tmp_path / "hello")), ("again", str(tmp_path / "again"))]
