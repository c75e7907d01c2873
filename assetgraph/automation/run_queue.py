"""The run queue's daemon step, as Dagster's ``QueuedRunCoordinator``: launch queued runs,
in order, while ``max_concurrent_runs`` and the ``tag_concurrency_limits`` allow.

Each daemon tick:

1. Drop queue entries whose run is no longer queued (canceled meanwhile).
2. Count the runs in progress: started, or taken off the queue and starting. For each tag
   limit, count those whose tags match it (per value, for ``applyLimitPerUniqueValue``).
3. Walk the queue in order (higher ``assetgraph/priority`` first, then first in). Stop at
   ``max_concurrent_runs``. A run that would break a tag limit is skipped and stays queued;
   it does not block the runs behind it (as in Dagster).
4. Take each chosen run off the queue, hand it to the launcher, count it in.

The limits come from ``ASSETGRAPH_MAX_CONCURRENT_RUNS`` or ``[tool.assetgraph]
max_concurrent_runs`` (default 10; -1: no limit; 0: launch nothing), and from
``[[tool.assetgraph.tag_concurrency_limits]]`` tables with ``key``, ``value`` (optional; a
table ``{applyLimitPerUniqueValue = true}`` limits each value on its own) and ``limit``.
"""

from __future__ import annotations

import time
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assetgraph import settings
from assetgraph.automation.runs import RunLauncher
from assetgraph.errors import UsageError
from assetgraph.storage.records import EventRecord, EventType, RunStatus
from assetgraph.storage.run_queue import QueuedRun, RunQueueStore

PRIORITY_TAG = "assetgraph/priority"
"""A run tag holding an integer: higher runs leave the queue first (default 0)."""

DEFAULT_MAX_CONCURRENT_RUNS = 10


@dataclass(frozen=True, slots=True)
class TagConcurrencyLimit:
    """At most ``limit`` runs in progress whose tag ``key`` has ``value`` (any value when
    None); with ``per_unique_value``, at most ``limit`` for each value of ``key``."""

    key: str
    limit: int
    value: str | None = None
    per_unique_value: bool = False

    def bucket(self, tags: Mapping[str, str]) -> str | None:
        """The counter a run with ``tags`` counts in for this limit, or None if none."""
        if self.key not in tags:
            return None
        found = tags[self.key]
        if self.per_unique_value:
            return found
        if self.value is not None and found != self.value:
            return None
        return ""


@dataclass(frozen=True, slots=True)
class RunQueueConfig:
    """The limits of the run queue (see the module docstring)."""

    max_concurrent_runs: int = DEFAULT_MAX_CONCURRENT_RUNS
    tag_concurrency_limits: tuple[TagConcurrencyLimit, ...] = field(default_factory=tuple)

    @property
    def unlimited(self) -> bool:
        return self.max_concurrent_runs < 0

    @classmethod
    def load(cls, cwd: str | Path | None = None) -> RunQueueConfig:
        """The limits set by the environment and the working directory's pyproject.toml."""
        pyproject = Path(cwd or ".") / "pyproject.toml"
        config: dict[str, Any] = {}
        if pyproject.is_file():
            try:
                config = tomllib.loads(pyproject.read_text()).get("tool", {}).get("assetgraph", {})
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(f"Cannot read {pyproject}: {exc}.") from exc
        source = f"{pyproject}: [tool.assetgraph]"
        limit = settings.max_concurrent_runs()
        if limit is None:
            limit = _whole(
                config.get("max_concurrent_runs", DEFAULT_MAX_CONCURRENT_RUNS),
                f"{source} max_concurrent_runs",
                low=-1,
            )
        tag_limits = config.get("tag_concurrency_limits", [])
        if not isinstance(tag_limits, list):
            raise UsageError(
                f"{source} tag_concurrency_limits must be a list of tables "
                "([[tool.assetgraph.tag_concurrency_limits]]) with key, value and limit."
            )
        return cls(limit, tuple(_tag_limit(item, source) for item in tag_limits))


def _whole(value: Any, source: str, *, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise UsageError(f"{source} = {value!r}: expected a whole number, {low} or more.")
    return value


def _tag_limit(item: Any, source: str) -> TagConcurrencyLimit:
    where = f"{source} tag_concurrency_limits entry {item!r}"
    if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not item["key"]:
        raise UsageError(f"{where}: expected a table with a 'key' (text) and a 'limit'.")
    unknown = set(item) - {"key", "value", "limit"}
    if unknown:
        raise UsageError(f"{where}: unknown field(s) {sorted(unknown)}; use key, value, limit.")
    limit = _whole(item.get("limit"), f"{where} limit", low=0)
    value = item.get("value")
    if isinstance(value, dict):
        if value != {"applyLimitPerUniqueValue": True}:
            raise UsageError(
                f"{where}: value as a table must be {{applyLimitPerUniqueValue = true}}."
            )
        return TagConcurrencyLimit(item["key"], limit, per_unique_value=True)
    if value is not None and not isinstance(value, str):
        raise UsageError(f"{where}: value must be text or {{applyLimitPerUniqueValue = true}}.")
    return TagConcurrencyLimit(item["key"], limit, value)


class QueueingLauncher:
    """A launcher that puts each run a tick asks for in the run queue (recorded as
    ``queued``, with its targets, so that later ticks see what it covers); the daemon's
    dequeue step starts it with the real launcher."""

    def __init__(self, defs: Any, instance: Any, *, wall_clock: Any = time.time) -> None:
        self.defs = defs
        self.instance = instance
        self.wall_clock = wall_clock

    def launch(self, request: Mapping[str, Any]) -> str:
        import uuid

        from assetgraph.keys import AssetKey
        from assetgraph.planning.targets import TARGETS_TAG, RunTargets
        from assetgraph.storage.records import RunRecord

        names = list(request["targets"])
        assets: dict[str, Any] = {}
        for name in names:
            key = AssetKey.from_user(name)
            partitioned = self.defs.graph.has(key) and self.defs.graph.partitions_def(key)
            ranges = request["targets"][name]
            assets[name] = tuple(_key_range(r) for r in ranges) if partitioned else None
        tags = {**request.get("tags", {}), TARGETS_TAG: RunTargets(assets).to_json()}
        record = RunRecord(
            run_id=uuid.uuid4().hex,
            status=RunStatus.QUEUED,
            created_at=self.wall_clock(),
            selection=" ".join(names),
            asset_keys=tuple(names),
            tags=tags,
            run_config=dict(request.get("run_config") or {}),
        )
        try:
            priority = int(tags.get(PRIORITY_TAG, 0))
        except ValueError:
            priority = 0
        RunQueueStore(self.instance.storage).enqueue(record, {**request, "tags": tags}, priority)
        return record.run_id


def _key_range(text: str) -> Any:
    """``first...last`` or one ``key``, as a tick's record writes them."""
    from assetgraph.partitions.key_range import PartitionKeyRange

    start, _, end = text.partition("...")
    return PartitionKeyRange(start, end or start)


@dataclass(slots=True)
class DequeueOutcome:
    """What one dequeue step did."""

    launched: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    waiting: int = 0
    in_progress: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "launched": self.launched,
            "failed": self.failed,
            "waiting": self.waiting,
            "in_progress": self.in_progress,
        }


def dequeue_runs(
    instance: Any,
    launcher: RunLauncher | None,
    config: RunQueueConfig,
    *,
    wall_clock: Any = time.time,
) -> DequeueOutcome:
    """Launch queued runs while the limits allow (the algorithm of the module docstring)."""
    from assetgraph.storage.coordination import reconcile_runs

    store = RunQueueStore(instance.storage)
    outcome = DequeueOutcome()
    store.prune()
    reconcile_runs(instance.storage)  # a launch that never started frees its slot
    running = store.in_progress()
    queued = store.queued()
    outcome.in_progress = len(running)
    counts = _tag_counts(config.tag_concurrency_limits, running.values())
    slots = None if config.unlimited else config.max_concurrent_runs - len(running)
    for run in _in_order(queued):
        if slots is not None and slots <= 0:
            break
        buckets = [(i, lim.bucket(run.tags)) for i, lim in enumerate(config.tag_concurrency_limits)]
        held = [(i, b) for i, b in buckets if b is not None]
        if any(counts[(i, b)] >= config.tag_concurrency_limits[i].limit for i, b in held):
            continue
        if launcher is None or not store.take(run.run_id, wall_clock()):
            continue
        for item in held:
            counts[item] += 1
        if slots is not None:
            slots -= 1
        _launch(instance, launcher, run, outcome, wall_clock)
    outcome.waiting = len(queued) - len(outcome.launched) - len(outcome.failed)
    return outcome


def _in_order(queued: Sequence[QueuedRun]) -> list[QueuedRun]:
    """The queue in launch order: the priority tag (higher first), then the stored order."""

    def priority(run: QueuedRun) -> int:
        try:
            return int(run.tags.get(PRIORITY_TAG, run.priority))
        except ValueError:
            return run.priority

    return sorted(queued, key=lambda run: -priority(run))  # stable: first in stays first


def _tag_counts(limits: Sequence[TagConcurrencyLimit], running: Any) -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for tags in running:
        for i, limit in enumerate(limits):
            bucket = limit.bucket(tags)
            if bucket is not None:
                counts[(i, bucket)] += 1
    return counts


def _launch(
    instance: Any, launcher: RunLauncher, run: QueuedRun, outcome: DequeueOutcome, wall_clock: Any
) -> None:
    try:
        launcher.launch({**run.payload, "run_id": run.run_id})
    except Exception as exc:  # the run could not start: record it failed, go on
        message = f"the run could not be launched: {type(exc).__name__}: {exc}"
        storage = instance.storage
        current = storage.get_run(run.run_id)
        if current is not None and current.status is RunStatus.QUEUED:
            now = wall_clock()
            storage.update_run(run.run_id, status=RunStatus.FAILURE, ended_at=now, error=message)
            storage.store_events(
                [EventRecord(run.run_id, EventType.RUN_FAILURE, now, message=message)]
            )
        outcome.failed[run.run_id] = message
        return
    outcome.launched.append(run.run_id)
