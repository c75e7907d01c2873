"""Eight runs at once over disjoint and overlapping partitions of the same assets.

Each of the 8 processes asks for two partitions of its own, two it shares with the next
process, and one (``hot``) that all eight want. Nothing may reach the user as "database is
locked", every requested (asset, partition) is recorded once per run that asked for it (no
lost or duplicated record), and no two runs ever materialize one (asset, partition) at the
same time: checked from the STEP_START / STEP_SUCCESS events, and from a journal the asset
functions themselves append to.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from assetgraph import Instance
from assetgraph.storage.records import EventType
from tests.reliability.harness import (
    ASSETS,
    kill_group,
    materialization_counts,
    overlaps,
    start_cli,
    step_intervals,
)

DEFS = """
import os
import time
from pathlib import Path
from assetgraph import asset, StaticPartitionsDefinition

parts = StaticPartitionsDefinition([f"p{i:02d}" for i in range(16)] + ["hot"])
JOURNAL = Path(__file__).parent / "journal"


def work(name, key):
    started = time.time()
    time.sleep(0.1)
    line = f"{name}[{key}] {started!r} {time.time()!r} {os.getpid()}\\n"
    fd = os.open(JOURNAL, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.write(fd, line.encode())  # one small O_APPEND write: lines never interleave
    os.close(fd)
    return f"{name}:{key}"


@asset(partitions_def=parts)
def raw(context):
    return work("raw", context.partition_key)


@asset(partitions_def=parts)
def clean(context, raw):
    return work("clean", context.partition_key)
"""

PROCESSES = 8


def _partitions(index: int) -> list[str]:
    own = [2 * index, 2 * index + 1]
    shared = [(2 * index + 2) % 16, (2 * index + 3) % 16]
    return [f"p{i:02d}" for i in own + shared] + ["hot"]


def test_eight_concurrent_runs_never_collide(
    storage_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS)
    storage = Instance.from_env().storage
    storage.upgrade()  # create the schema once, not from eight processes at the same time
    wanted: Counter[tuple[str, str | None]] = Counter()
    runs = []
    try:
        for index in range(PROCESSES):
            keys = _partitions(index)
            wanted.update((asset, key) for asset in ASSETS for key in keys)
            args = [arg for key in keys for arg in ("-p", key)]
            runs.append(start_cli("materialize", "-f", str(defs), *args))
        deadline = time.monotonic() + 180
        results = [run.communicate(timeout=max(1.0, deadline - time.monotonic())) for run in runs]
    finally:
        for run in runs:
            kill_group(run)

    for run, (out, err) in zip(runs, results, strict=True):
        assert "database is locked" not in (out + err).lower(), err
        assert "Traceback" not in err, err
        assert run.returncode == 0, err
    counts = materialization_counts(storage)
    assert counts == wanted, f"lost or duplicated records: {dict(counts - wanted)} extra, " + (
        f"{dict(wanted - counts)} missing"
    )
    for run in storage.list_runs():
        assert run.status.value == "success"
        events = storage.events_for_run(run.run_id, [EventType.ASSET_MATERIALIZATION])
        assert len(events) == 10, f"run {run.run_id} recorded {len(events)} of its 10 values"

    for step_key, intervals in step_intervals(storage).items():
        assert not overlaps(intervals), f"{step_key}: {overlaps(intervals)}"
    journal: dict[str, list[tuple[float, float, str]]] = {}
    for line in (tmp_path / "journal").read_text().splitlines():
        step_key, start, end, pid = line.split()
        journal.setdefault(step_key, []).append((float(start), float(end), pid))
    assert sum(map(len, journal.values())) == sum(wanted.values())
    for step_key, intervals in journal.items():
        assert not overlaps(intervals), f"{step_key} ran twice at once: {overlaps(intervals)}"
