"""From requested (asset, partition) pairs to runs: grouping, planning, launching, and
reading back which partitions the runs in flight cover.

A run covers the targets it recorded (``assetgraph.planning.targets``). A run recorded before
runs kept targets is read, when automation launched it (the tags of ``tags.py``), from
the tick its request id (``<tick id>-<n>``) points at, whose record lists exactly which
partitions of which assets it builds; else as its selected assets over the partitions
its ``--partition`` options name (every partition when they name none). A request
launched but not yet recorded as a run is read from its tick.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from assetgraph.automation.state import AssetState, subset_from_json
from assetgraph.automation.tags import ORIGIN_TAG, REQUEST_TAG, TICK_TAG, TIME_TAG
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.jobs import PARTITION_TAG
from assetgraph.errors import StorageError, UsageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.planning.planner import ExecutionPlan, build_plan_for_targets
from assetgraph.planning.request import PartitionSelection
from assetgraph.planning.targets import LEGACY_PARTITIONS_TAG, TARGETS_TAG, recorded_targets
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.automation_store import AutomationStore
from assetgraph.storage.records import RunStatus

LAUNCH_GRACE_SECONDS = 300.0
"""How long a launched request with no run recorded yet still counts as in flight."""

Targets = dict[str, list[str]]
"""Asset key -> partition ranges (``[]`` for an unpartitioned asset)."""


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """One run a tick wants: which partitions of which assets, with what tags."""

    request_id: str
    origin: str
    targets: Targets
    tags: Mapping[str, str] = field(default_factory=dict)
    run_config: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "origin": self.origin,
            "now": now.isoformat(),
            "targets": self.targets,
            "tags": dict(self.tags),
            "run_config": dict(self.run_config),
        }

    def describe(self) -> str:
        parts = []
        for name, ranges in self.targets.items():
            parts.append(name if not ranges else f"{name}[{', '.join(ranges)}]")
        return ", ".join(parts)


# -- grouping --------------------------------------------------------------------------


def group_requests(
    state: AssetState, requested: Mapping[AssetKey, PartitionsSubset], mode: str
) -> list[Targets]:
    """Cut a tick's requests into runs.

    ``"tick"``: one run. ``"partitions_set"``: one run per set of partitions (assets with
    the same partitions requested share a run); runs that read each other's requested
    partitions are merged, so that no run of a tick waits on another.
    """
    from assetgraph.automation.state import subset_to_json

    if not requested:
        return []
    keys = state.graph.toposort(requested)
    if mode == "tick":
        return [{key.to_string(): subset_to_json(requested[key]) for key in keys}]
    if mode != "partitions_set":
        raise UsageError(f"Unknown run grouping {mode!r}: use 'partitions_set' or 'tick'.")
    group_of: dict[AssetKey, Any] = {}
    parent: dict[Any, Any] = {}

    def find(item: Any) -> Any:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for key in keys:
        subset = requested[key]
        label = (
            "unpartitioned"
            if subset.partitions_def is UNPARTITIONED
            else (subset.partitions_def, subset.key_ranges)
        )
        group_of[key] = label
        parent.setdefault(label, label)
    for key in keys:
        for up in state.graph.parents(key):
            wanted = requested.get(up)
            if not wanted:
                continue
            both_whole = (
                wanted.partitions_def is UNPARTITIONED
                and requested[key].partitions_def is UNPARTITIONED
            )
            if both_whole or state.upstream(key, requested[key], up) & wanted:
                a, b = find(group_of[key]), find(group_of[up])
                if a != b:
                    parent[a] = b
    runs: dict[Any, Targets] = {}
    for key in keys:
        runs.setdefault(find(group_of[key]), {})[key.to_string()] = subset_to_json(requested[key])
    return list(runs.values())


# -- planning ----------------------------------------------------------------------------


def plan_for_targets(
    defs: Definitions, store: AutomationStore, targets: Targets, now: datetime
) -> ExecutionPlan:
    """The plan that builds exactly ``targets`` (upstream first), at ``now``; the run
    records these targets, so that re-executing it builds them again."""
    state = AssetState(defs.graph, store, now)
    subsets: dict[AssetKey, PartitionsSubset | None] = {}
    for name, ranges in targets.items():
        key = AssetKey.from_user(name)
        if not defs.graph.has(key):
            raise UsageError(f"The request names asset '{name}', which the definitions lack.")
        partitioned = defs.graph.partitions_def(key) is not None
        subsets[key] = subset_from_json(state, key, ranges) if partitioned else None
    return build_plan_for_targets(
        defs.graph, subsets, current_time=now, dynamic_partitions_store=state.dynamic
    )


def run_tags(run: PlannedRun, tick_id: int | None, now: datetime) -> dict[str, str]:
    tags = dict(run.tags)
    tags[REQUEST_TAG] = run.request_id
    tags[ORIGIN_TAG] = run.origin
    tags[TIME_TAG] = repr(now.timestamp())
    if tick_id is not None:
        tags[TICK_TAG] = str(tick_id)
    return tags


def execute_request(defs: Definitions, instance: Any, payload: Mapping[str, Any]) -> str:
    """Run one request (``PlannedRun.to_json``) in this process; returns the run id."""
    from assetgraph.execution.materialize import execute_plan

    op_job = _op_job_of(defs, payload)
    if op_job is not None:  # an op job's run: its ops, no asset targets
        tags = payload.get("tags") or {}
        partitioned = op_job.partitioned_config is not None
        ran = op_job.execute_in_process(
            run_config=payload.get("run_config") or None,
            instance=instance,
            tags=tags,
            raise_on_error=False,
            run_id=payload.get("run_id"),
            partition_key=tags.get(PARTITION_TAG) if partitioned else None,
        )
        return str(ran.run_id)
    now = datetime.fromisoformat(payload["now"])
    store = AutomationStore(instance.storage)
    plan = plan_for_targets(defs, store, payload["targets"], now)
    result = execute_plan(
        defs,
        plan,
        instance=instance,
        run_config=payload.get("run_config") or None,
        tags=payload.get("tags") or {},
        selection_text=" ".join(payload["targets"]),
        run_id=payload.get("run_id"),
    )
    return result.run_id


def _op_job_of(defs: Definitions, payload: Mapping[str, Any]) -> Any:
    """The op job a request without targets runs (named by its job tag), else None."""
    name = (payload.get("tags") or {}).get("assetgraph/job")
    if payload.get("targets") or not name:
        return None
    job = defs.get_job_def(name)
    return job if getattr(job, "is_op_job", False) else None


# -- launchers ---------------------------------------------------------------------------


class RunLauncher(Protocol):
    """Starts the runs a tick asks for."""

    def launch(self, request: Mapping[str, Any]) -> str | None:
        """Start the run of ``request`` (``PlannedRun.to_json``, tags included); return its
        run id when known now (in-process), else None (it will carry the request tag)."""


class InProcessLauncher:
    """Runs each request to completion in this process (for ``--once`` and tests)."""

    def __init__(self, defs: Definitions, instance: Any) -> None:
        self.defs = defs
        self.instance = instance

    def launch(self, request: Mapping[str, Any]) -> str | None:
        return execute_request(self.defs, self.instance, request)


class SubprocessLauncher:
    """Starts each request as ``python -m assetgraph.cli.main automate launch-run`` in the
    background, so the daemon never waits for a long run."""

    def __init__(self, defs: Definitions, instance: Any, logs_dir: Path | None = None) -> None:
        if defs.origin is None:
            raise UsageError(
                "Background runs need a code location loaded from -f FILE or -m MODULE."
            )
        kind, value = defs.origin
        self.location = ["-f", value] if kind == "file" else ["-m", value]
        self.instance = instance
        self.logs_dir = logs_dir or Path(instance.home) / "automation" / "logs"
        self.processes: list[subprocess.Popen[bytes]] = []

    def launch(self, request: Mapping[str, Any]) -> str | None:
        from assetgraph.storage.instance import HOME_ENV, STORAGE_URL_ENV

        self.logs_dir.mkdir(parents=True, exist_ok=True)
        output = self.logs_dir / f"{request['request_id']}.log"
        env = dict(os.environ)
        env[HOME_ENV] = str(self.instance.home)
        env[STORAGE_URL_ENV] = self.instance.storage_url
        command = [
            sys.executable,
            "-m",
            "assetgraph.cli.main",
            "automate",
            "launch-run",
            *self.location,
        ]
        with output.open("wb") as stream:
            process = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.PIPE,
                stdout=stream,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        assert process.stdin is not None
        process.stdin.write(json.dumps(request).encode())
        process.stdin.close()
        threading.Thread(target=process.wait, daemon=True).start()
        self.processes.append(process)
        return None


# -- what runs in flight cover -------------------------------------------------------------


def in_flight(
    defs: Definitions, store: AutomationStore, now: datetime, wall_now: float
) -> list[tuple[str, dict[str, list[str] | None]]]:
    """(label, asset -> partition ranges) of every run queued or started, and of every
    request launched in the last few minutes whose run is not recorded yet."""
    found: list[tuple[str, dict[str, list[str] | None]]] = []
    runs = store.in_flight_runs()
    by_request: dict[str, str] = {}
    for run in runs:
        request = run.tags.get(REQUEST_TAG)
        if request and TARGETS_TAG not in run.tags:  # recorded before runs kept targets
            by_request[request] = run.run_id
        else:
            found.append((f"run {run.run_id[:8]}", _run_coverage(defs, run, now)))
    recent = [
        t for t in store.list_ticks(limit=50) if t.started_at >= wall_now - LAUNCH_GRACE_SECONDS
    ]
    wanted_ticks = {int(r.split("-")[0]) for r in by_request if r.split("-")[0].isdigit()}
    ticks = {t.tick_id: t for t in recent}
    missing_ticks = wanted_ticks - set(ticks)
    if missing_ticks:
        ticks.update(store.get_ticks(missing_ticks))
    requests: dict[str, Targets] = {}
    for tick in ticks.values():
        for item in tick.payload.get("runs", []):
            if item.get("request_id"):
                requests[item["request_id"]] = item.get("targets", {})
    for request, run_id in by_request.items():
        targets = requests.get(request)
        label = f"run {run_id[:8]}"
        if targets is None:
            run = next(r for r in runs if r.run_id == run_id)
            found.append((label, _run_coverage(defs, run, now)))
        else:
            found.append((label, dict(targets)))
    launched = [
        item
        for tick in recent
        for item in tick.payload.get("runs", [])
        if item.get("request_id") and not item.get("run_id") and not item.get("error")
    ]
    if launched:
        started = store.runs_with_tag(REQUEST_TAG, [item["request_id"] for item in launched])
        for item in launched:
            if item["request_id"] not in started:
                found.append((f"request {item['request_id']} (starting)", dict(item["targets"])))
    return found


def _run_coverage(defs: Definitions, run: Any, now: datetime) -> dict[str, list[str] | None]:
    """What a run covers: its recorded targets; for an older run, its selected assets over
    the partitions its ``--partition`` options name (every partition when none)."""
    try:
        targets = recorded_targets(run)
    except StorageError:  # written by a newer assetgraph: read it as an older run
        targets = None
    if targets is not None:
        return {name: _range_texts(ranges) for name, ranges in targets.assets.items()}
    options = PartitionSelection.from_tag_text(run.tags.get(LEGACY_PARTITIONS_TAG, ""))
    names = [*options.keys, *(str(r) for r in options.ranges)]
    return {key: (names or None) for key in run.asset_keys}


def _range_texts(ranges: tuple[PartitionKeyRange, ...] | None) -> list[str]:
    """Key ranges as a tick's record writes them: ``key`` or ``first...last``."""
    return [] if ranges is None else [r.start if r.start == r.end else str(r) for r in ranges]


def run_is_active(status: str) -> bool:
    return status in (RunStatus.QUEUED.value, RunStatus.STARTED.value)


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


__all__ = [
    "InProcessLauncher",
    "PlannedRun",
    "RunLauncher",
    "SubprocessLauncher",
    "execute_request",
    "group_requests",
    "in_flight",
    "plan_for_targets",
]
