"""Kill a run's coordinator alone: its workers stop and never publish over a newer run.

The promise under test (docs/guarantees.md, "When a run's process dies"): when the process
that coordinates a run dies, by SIGKILL or by a supervisor's SIGTERM, its worker processes
stop within a few seconds and store nothing more; the next ``materialize --missing`` never
runs a step on an (asset, partition) while a step of the dead run still runs there, and
every recorded data version is the content that is stored.

Each step notes its start and end (with its pid and run id) in a journal; a watcher thread
notes when each of the dead run's worker processes is gone. The killed run's steps take
6 s, the next run's 0.2 s: an orphaned worker that went on would finish last and leave its
value over the newer run's.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from assetgraph import Instance
from io_managers.pickle import partition_file_name
from tests.reliability.harness import cli, kill_group, overlaps, start_cli, wait_for

pytestmark = pytest.mark.slow  # coordinators killed under worker processes and Dask

DEFS = """
import os
import time
from pathlib import Path
from assetgraph import asset, StaticPartitionsDefinition

parts = StaticPartitionsDefinition([f"{os.environ['REPEAT']}-{key}" for key in "abcd"])


def note(*words):
    fd = os.open(os.environ["JOURNAL"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.write(fd, (" ".join(map(str, words)) + "\\n").encode())
    os.close(fd)


@asset(partitions_def=parts)
def slow(context):
    key = context.partition_key
    note("start", key, os.getpid(), repr(time.time()), context.run_id)
    time.sleep(float(os.environ["STEP_SECONDS"]))
    note("end", key, os.getpid(), repr(time.time()), context.run_id)
    return {"partition": key, "run": context.run_id}
"""

KILLED_STEP_SECONDS = 6.0
STOP_WITHIN_SECONDS = 3.0
REPEATS = {"sqlite": 2, "postgresql": 1}


class DeathWatch:
    """Notes the moment each watched process is gone (polled every 10 ms)."""

    def __init__(self, pids: set[int]) -> None:
        self.died: dict[int, float] = {}
        self._pids = pids
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        deadline = time.monotonic() + 30
        while len(self.died) < len(self._pids) and time.monotonic() < deadline:
            for pid in self._pids - set(self.died):
                if not _alive(pid):
                    self.died[pid] = time.time()
            time.sleep(0.01)

    def join(self) -> None:
        self._thread.join(35)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


def _journal(path: Path) -> list[tuple[str, str, int, float, str]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        what, key, pid, at, run_id = line.split()
        rows.append((what, key, int(pid), float(at), run_id))
    return rows


def _intervals(
    rows: list[tuple[str, str, int, float, str]], died: dict[int, float]
) -> dict[str, list[tuple[float, float, str]]]:
    """Partition -> (start, end, run id) of every step; a killed step ends when its
    process was seen gone."""
    starts: dict[tuple[str, int, str], float] = {}
    found: dict[str, list[tuple[float, float, str]]] = {}
    for what, key, pid, at, run_id in rows:
        if what == "start":
            starts[(key, pid, run_id)] = at
        else:
            found.setdefault(key, []).append((starts.pop((key, pid, run_id)), at, run_id))
    for (key, pid, run_id), at in starts.items():
        found.setdefault(key, []).append((at, died.get(pid, float("inf")), run_id))
    return found


EXECUTORS = {
    "multiprocess": ["--workers", "2"],
    "dask": ["--executor", "dask", "--workers", "2"],
}


@pytest.mark.parametrize("executor", list(EXECUTORS))
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_coordinator_leaves_no_orphan_writing(
    sig: signal.Signals,
    executor: str,
    storage_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS)
    instance = Instance.from_env()
    storage = instance.storage
    for repeat in range(REPEATS[storage.engine.dialect.name]):
        where = f"({executor}, {sig.name}, repeat {repeat})"
        journal = tmp_path / f"journal-{repeat}"
        env = {"JOURNAL": str(journal), "REPEAT": str(repeat)}  # new partitions each time
        killed = start_cli(
            "materialize",
            "-f",
            str(defs),
            "--all-partitions",
            *EXECUTORS[executor],
            env={**env, "STEP_SECONDS": str(KILLED_STEP_SECONDS)},
        )
        try:
            wait_for(
                lambda: [r for r in _journal(journal) if r[0] == "start"][1:],  # noqa: B023
                what=f"two steps of the first run to start {where}",
            )
            workers = {pid for what, _, pid, _, _ in _journal(journal) if what == "start"}
            watch = DeathWatch(workers)
            os.kill(killed.pid, sig)  # the coordinator alone, not its process group
            killed_at = time.time()
            killed.wait(30)

            rerun = cli(
                "materialize",
                "-f",
                str(defs),
                "--all-partitions",
                "--missing",
                env={**env, "STEP_SECONDS": "0.2"},
            )
            assert rerun.returncode == 0, f"{where}: {rerun.stderr}"
            watch.join()
        finally:
            kill_group(killed)

        late = {pid: watch.died.get(pid, float("inf")) - killed_at for pid in workers}
        assert all(delay < STOP_WITHIN_SECONDS for delay in late.values()), (
            f"{where}: workers of the killed run lived on for {late} s after the kill"
        )
        for key, intervals in _intervals(_journal(journal), watch.died).items():
            assert not overlaps(intervals), f"{where}: slow[{key}]: {overlaps(intervals)}"
        recorded = {
            partition: record
            for (_, partition), record in storage.latest_materializations(["slow"]).items()
            if partition is not None and partition.startswith(f"{repeat}-")
        }
        assert len(recorded) == 4, f"{where}: recorded {sorted(recorded)}"
        for partition, record in recorded.items():
            path = instance.storage_dir / "slow" / partition_file_name(partition)
            content = hashlib.sha256(path.read_bytes()).hexdigest()
            assert record.data_version is not None
            assert content.startswith(record.data_version), (
                f"{where}: slow[{partition}] is recorded from run {record.run_id[:8]} "
                "but the stored value is another run's"
            )
