"""What the reliability tests share: the CLI in a subprocess, waiting, killing, counting."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select

from assetgraph.storage import schema
from assetgraph.storage.records import EventType

CLI = [sys.executable, "-m", "assetgraph.cli.main"]
T = TypeVar("T")

PARTITIONED = """
import hashlib
import time
from assetgraph import asset, StaticPartitionsDefinition

parts = StaticPartitionsDefinition({keys!r})


def payload(asset_name, key):
    return hashlib.sha256(f"{{asset_name}}/{{key}}".encode()).digest() * {blocks}


@asset(partitions_def=parts)
def raw(context):
    time.sleep({sleep})
    return {{"key": context.partition_key, "blob": payload("raw", context.partition_key)}}


@asset(partitions_def=parts)
def clean(context, raw):
    time.sleep({sleep})
    return {{"key": raw["key"], "blob": payload("clean", raw["key"]), "raw": len(raw["blob"])}}
"""
"""Two partitioned assets whose every value is a pure function of (asset, partition)."""

ASSETS = ("raw", "clean")


def partitioned_defs(keys: list[str], *, sleep: float = 0.0, blocks: int = 1024) -> str:
    """The text of a code location with ``raw`` and ``clean`` over ``keys``."""
    return PARTITIONED.format(keys=keys, sleep=sleep, blocks=blocks)


def expected_value(asset: str, key: str, blocks: int = 1024) -> dict[str, Any]:
    """What the step of ``asset`` for partition ``key`` stores (see ``PARTITIONED``)."""
    blob = hashlib.sha256(f"{asset}/{key}".encode()).digest() * blocks
    if asset == "raw":
        return {"key": key, "blob": blob}
    return {"key": key, "blob": blob, "raw": 32 * blocks}


def cli(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the assetgraph CLI to completion."""
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def start_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start the CLI in its own process group (so killing it kills its workers too)."""
    return subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )


def kill_group(process: subprocess.Popen[Any]) -> None:
    """SIGKILL ``process`` and everything in its process group, then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def wait_for(condition: Callable[[], T], timeout: float = 60.0, what: str = "condition") -> T:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def materialization_counts(storage: Any) -> Counter[tuple[str, str | None]]:
    """How many ASSET_MATERIALIZATION events each (asset, partition) has, across all runs."""
    events = schema.events
    query = (
        select(events.c.asset_key, events.c.partition_key, func.count())
        .where(events.c.event_type == EventType.ASSET_MATERIALIZATION.value)
        .group_by(events.c.asset_key, events.c.partition_key)
    )
    rows = storage.read(lambda conn: conn.execute(query).all())
    return Counter({(asset, partition): int(count) for asset, partition, count in rows})


def step_intervals(storage: Any) -> dict[str, list[tuple[float, float, str]]]:
    """Step key -> (start, end, run id) of every successful attempt, across all runs."""
    intervals: dict[str, list[tuple[float, float, str]]] = {}
    for run in storage.list_runs():
        starts: dict[str, float] = {}
        for event in storage.events_for_run(
            run.run_id, [EventType.STEP_START, EventType.STEP_SUCCESS]
        ):
            if event.step_key is None:
                continue
            if event.event_type is EventType.STEP_START:
                starts[event.step_key] = event.timestamp
            else:
                start = starts[event.step_key]
                intervals.setdefault(event.step_key, []).append(
                    (start, event.timestamp, run.run_id)
                )
    return intervals


def overlaps(intervals: list[tuple[float, float, str]]) -> list[str]:
    """Descriptions of every pair of intervals in which the second starts before the first
    ends."""
    found = []
    ordered = sorted(intervals)
    for (_, end, first), (start, _, second) in itertools.pairwise(ordered):
        if start < end:
            found.append(f"{second[:8]} started {end - start:.3f} s before {first[:8]} ended")
    return found


def load_stored(path: Path) -> Any:
    """Unpickle a stored value; a half-written file fails here."""
    with path.open("rb") as handle:
        return pickle.load(handle)


def stored_files(storage_dir: Path) -> dict[tuple[str, str], Path]:
    """(asset, partition file name) -> path of every value file at a real (non-temp) path."""
    found = {}
    for asset in ASSETS:
        folder = storage_dir / asset
        if folder.is_dir():
            for path in folder.iterdir():
                if not path.name.startswith("."):
                    found[(asset, path.name)] = path
    return found
