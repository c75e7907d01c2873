"""Backfills: stored requests to build many partitions, carried out by the daemon in runs.

A backfill keeps, per asset, its target and the partitions done and failed as key ranges
(never a list of every key), the runs it has in flight with what each covers, and its
limit of runs at a time. ``launch_backfill`` stores one; ``cancel_backfill`` and
``resume_backfill`` change it; the daemon calls ``run_backfills`` each tick.

One daemon step of a backfill, top to bottom:

1. Account for its runs that ended: a run that succeeded adds its targets to *done*; a run
   that failed adds what it materialized to *done* and the rest of its targets to
   *failed*. A run canceled by the backfill's cancel adds what it materialized and leaves
   the rest *remaining*; a run canceled on its own (``runs cancel``) counts as failed, so
   that the backfill does not launch it again until it is resumed.
2. Canceling: cancel its runs still waiting in the queue; once none is in flight, it is
   ``canceled``.
3. Requested: while it has fewer runs in flight than its limit, cut the next run. Assets
   are grouped by partitions definition; a group waits until every group upstream of it
   in the backfill has nothing remaining or in flight. A group's next run takes the first
   remaining partitions, as many as the strictest ``BackfillPolicy`` of the group allows
   (``single_run``: all of them; no policy: one, as Dagster). The run is queued (the run
   queue launches it when ``max_concurrent_runs`` and tag limits allow). A group with a
   self-dependent asset has one run in flight at a time, so each partition runs after
   the earlier ones it reads.
4. Nothing remaining and nothing in flight: ``completed_success``, or
   ``completed_failed`` when some partitions failed.

Each step costs a few queries and work in the number of ranges, not of partitions.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assetgraph.automation.run_queue import RunQueueConfig
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.jobs import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    PARTITION_TAG,
)
from assetgraph.errors import AssetgraphError, UsageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import PartitionsDefinition
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.planning.request import PartitionSelection, parse_partition_range
from assetgraph.planning.targets import TARGETS_TAG, RunTargets
from assetgraph.status.partitions import materialized_by_asset
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.backfill_store import BackfillStore, BulkActionStatus, PartitionBackfill
from assetgraph.storage.records import EventType, RunRecord, RunStatus
from assetgraph.storage.run_queue import RunQueueStore

BACKFILL_TAG = "assetgraph/backfill"
DAGSTER_BACKFILL_TAG = "dagster/backfill"
"""Dagster's name for the backfill a run belongs to; runs carry both."""
"""The id of the backfill that launched a run (Dagster's ``dagster/backfill``)."""

MAX_RUNS_PER_STEP = 100
"""Most runs one daemon step queues for one backfill, whatever its limit."""

_WHOLE = "*"  # an unpartitioned asset's one "partition", in stored ranges

Ranges = list[str]


# -- the public functions -------------------------------------------------------------------


def launch_backfill(
    defs: Definitions,
    selection: str | Sequence[str] | None = None,
    *,
    exclude: str | Sequence[str] | None = None,
    partition_keys: Sequence[str] | None = None,
    partition_range: str | Sequence[str] | PartitionKeyRange | None = None,
    all_partitions: bool = False,
    missing: bool = False,
    tags: Mapping[str, str] | None = None,
    max_concurrent_runs: int | None = None,
    instance: Any = None,
    now: datetime | None = None,
) -> PartitionBackfill:
    """Store a backfill of the selected assets' partitions; the daemon carries it out.

    The partition options are ``materialize``'s: ``partition_keys``, ``partition_range``
    (``"FIRST...LAST"`` or several), ``all_partitions``, ``missing`` (only those never
    materialized). ``max_concurrent_runs`` caps this backfill's runs queued or running at
    once (default: the run queue's ``max_concurrent_runs``). Returns the stored backfill;
    nothing runs until ``assetgraph automate`` ticks.
    """
    from assetgraph.planning.request import targets_for_selection
    from assetgraph.selection import select_assets

    instance = instance or _instance()
    now = now or datetime.now(UTC)
    keys = select_assets(defs.graph, selection, exclude)
    ranges: list[PartitionKeyRange] = []
    if partition_range is not None:
        items = (
            [partition_range]
            if isinstance(partition_range, str | PartitionKeyRange)
            else [*partition_range]
        )
        ranges = [parse_partition_range(item) for item in items]
    partitions = PartitionSelection(
        keys=tuple(partition_keys or ()),
        ranges=tuple(ranges),
        all_partitions=all_partitions,
        missing=missing,
    )
    storage = instance.storage
    materialized = materialized_by_asset(defs, keys, storage, now) if missing else None
    targets = targets_for_selection(
        defs.graph,
        keys,
        partitions,
        current_time=now,
        dynamic_partitions_store=storage,
        materialized=materialized,
    )
    if not targets:
        raise UsageError(
            f"Nothing to backfill: the selection '{_text(selection)}' with these partition "
            "options names no partitions to build"
            + (" (all are materialized)" if missing else "")
            + "."
        )
    limit = max_concurrent_runs
    if limit is None:
        queue_limit = RunQueueConfig.load().max_concurrent_runs
        limit = MAX_RUNS_PER_STEP if queue_limit < 0 else max(queue_limit, 1)
    if limit < 1:
        raise UsageError(f"max_concurrent_runs must be 1 or more, got {limit}.")
    view = _View(defs, storage, now)
    assets = {
        key.to_string(): {
            "target": view.encode(view.all(key) if subset is None else subset),
            "done": [],
            "failed": [],
        }
        for key, subset in targets.items()
    }
    state: dict[str, Any] = {"assets": assets, "runs": {}, "max_concurrent_runs": limit}
    state["progress"] = view.progress(state)
    created = time.time()
    backfill = PartitionBackfill(
        backfill_id=uuid.uuid4().hex[:12],
        status=BulkActionStatus.REQUESTED,
        created_at=created,
        updated_at=created,
        selection=_describe_request(selection, exclude, partitions),
        tags=dict(tags or {}),
        state=state,
    )
    BackfillStore(storage).add(backfill)
    return backfill


def get_backfill(backfill_id: str, instance: Any = None) -> PartitionBackfill:
    """The stored backfill with this id (or unique prefix); ``UsageError`` when none."""
    instance = instance or _instance()
    found = BackfillStore(instance.storage).get(backfill_id)
    if found is None:
        raise UsageError(
            f"No backfill '{backfill_id}' in {instance.storage_url}: "
            "'assetgraph backfill list' shows them."
        )
    return found


def get_backfills(
    instance: Any = None,
    statuses: Sequence[BulkActionStatus] | None = None,
    limit: int | None = 20,
) -> list[PartitionBackfill]:
    """Stored backfills, newest first (as Dagster's ``instance.get_backfills``)."""
    instance = instance or _instance()
    return BackfillStore(instance.storage).list(statuses, limit)


def cancel_backfill(backfill_id: str, instance: Any = None) -> PartitionBackfill:
    """Stop launching runs for a backfill and cancel its runs still queued.

    Runs already started go on; the backfill is ``canceling`` until the daemon sees them
    end, then ``canceled`` (at once when none was running). ``resume_backfill`` goes on.
    """
    instance = instance or _instance()
    backfill = get_backfill(backfill_id, instance)
    store = BackfillStore(instance.storage)
    if not backfill.status.is_active:
        raise UsageError(
            f"Backfill {backfill.backfill_id} is {backfill.status.value}: only a requested "
            "backfill can be canceled."
        )
    now = time.time()
    store.set_status(
        backfill.backfill_id,
        BulkActionStatus.CANCELING,
        now,
        only_from=[BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING],
    )
    _cancel_queued(instance, backfill.backfill_id, now)
    runs = backfill.state.get("runs", {})
    statuses = RunQueueStore(instance.storage).run_statuses(runs)
    if not any(status is RunStatus.STARTED for status in statuses.values()):
        _finish_cancel(instance, backfill.backfill_id, statuses, now)
    return get_backfill(backfill.backfill_id, instance)


def resume_backfill(backfill_id: str, instance: Any = None) -> PartitionBackfill:
    """Carry a canceled, failed or completed-with-failures backfill on: what failed and what
    remains is launched again by the daemon."""
    instance = instance or _instance()
    backfill = get_backfill(backfill_id, instance)
    resumable = (
        BulkActionStatus.CANCELED,
        BulkActionStatus.COMPLETED_FAILED,
        BulkActionStatus.FAILED,
    )
    if backfill.status not in resumable:
        hint = (
            "wait until its started runs end ('canceled')"
            if backfill.status is BulkActionStatus.CANCELING
            else "there is nothing to resume"
        )
        raise UsageError(
            f"Backfill {backfill.backfill_id} is {backfill.status.value}: {hint}. Resume works "
            "on canceled, failed and completed_failed backfills."
        )
    state = dict(backfill.state)
    state["assets"] = {
        name: {**item, "failed": []} for name, item in backfill.state["assets"].items()
    }
    progress = {
        name: {**counts, "remaining": counts["remaining"] + counts["failed"], "failed": 0}
        for name, counts in backfill.state.get("progress", {}).items()
    }
    state["progress"] = progress
    BackfillStore(instance.storage).set_status(
        backfill.backfill_id,
        BulkActionStatus.REQUESTED,
        time.time(),
        only_from=resumable,
        state=state,
    )
    return get_backfill(backfill.backfill_id, instance)


# -- progress ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssetBackfillProgress:
    """How far a backfill is with one asset, in partitions (1 for an unpartitioned asset)."""

    asset: str
    target: int
    done: int
    failed: int
    in_progress: int
    remaining: int
    target_ranges: tuple[str, ...] = ()
    failed_ranges: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "asset": self.asset,
            "target": self.target,
            "done": self.done,
            "failed": self.failed,
            "in_progress": self.in_progress,
            "remaining": self.remaining,
            "target_ranges": list(self.target_ranges),
            "failed_ranges": list(self.failed_ranges),
        }


def backfill_progress(backfill: PartitionBackfill) -> list[AssetBackfillProgress]:
    """Per asset: target, done, failed, in progress and remaining partition counts (kept
    by the daemon from the ranges at each step), and the target and failed ranges (none
    for an unpartitioned asset, which counts as one partition)."""
    found = []
    assets = backfill.state.get("assets", {})
    for name, counts in backfill.state.get("progress", {}).items():
        item = assets.get(name, {})
        found.append(
            AssetBackfillProgress(
                asset=name,
                target=counts["target"],
                done=counts["done"],
                failed=counts["failed"],
                in_progress=counts["in_progress"],
                remaining=counts["remaining"],
                target_ranges=tuple(r for r in item.get("target", ()) if r != _WHOLE),
                failed_ranges=tuple(r for r in item.get("failed", ()) if r != _WHOLE),
            )
        )
    return found


def backfill_to_json(backfill: PartitionBackfill) -> dict[str, Any]:
    """A backfill as JSON (what ``backfill show --json`` prints and the UI can serve)."""
    return {
        "backfill_id": backfill.backfill_id,
        "status": backfill.status.value,
        "created_at": backfill.created_at,
        "updated_at": backfill.updated_at,
        "selection": backfill.selection,
        "tags": backfill.tags,
        "max_concurrent_runs": backfill.state.get("max_concurrent_runs"),
        "runs_in_flight": sorted(backfill.state.get("runs", {})),
        "error": backfill.error,
        "assets": [item.to_json() for item in backfill_progress(backfill)],
    }


# -- the daemon step --------------------------------------------------------------------------


@dataclass(slots=True)
class BackfillStepOutcome:
    """What one daemon step did for one backfill."""

    backfill_id: str
    status: str
    queued: list[str]
    accounted: list[str]
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "backfill_id": self.backfill_id,
            "status": self.status,
            "queued": self.queued,
            "accounted": self.accounted,
            "error": self.error,
        }


def run_backfills(
    defs: Definitions, instance: Any, *, now: datetime, wall_clock: Any = time.time
) -> list[BackfillStepOutcome]:
    """One daemon step for every requested or canceling backfill (oldest first). A
    backfill whose assets the definitions lack fails with the reason; others go on."""
    store = BackfillStore(instance.storage)
    active = store.list([BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING], limit=None)
    outcomes = []
    for backfill in sorted(active, key=lambda b: b.created_at):
        try:
            outcomes.append(backfill_step(defs, instance, backfill, now=now, wall_clock=wall_clock))
        except AssetgraphError as exc:
            message = f"{type(exc).__name__}: {exc}"
            store.save(
                backfill.backfill_id,
                status=BulkActionStatus.FAILED,
                state=backfill.state,
                now=wall_clock(),
                error=message,
            )
            outcomes.append(
                BackfillStepOutcome(backfill.backfill_id, "failed", [], [], error=message)
            )
    return outcomes


def backfill_step(
    defs: Definitions,
    instance: Any,
    backfill: PartitionBackfill,
    *,
    now: datetime,
    wall_clock: Any = time.time,
) -> BackfillStepOutcome:
    """One step of one backfill (the algorithm of the module docstring)."""
    storage = instance.storage
    view = _View(defs, storage, now)
    state = {**backfill.state, "assets": dict(backfill.state["assets"])}
    runs: dict[str, dict[str, Ranges]] = dict(state.get("runs", {}))
    queue = RunQueueStore(storage)
    if backfill.status is BulkActionStatus.CANCELING:
        _cancel_queued(instance, backfill.backfill_id, wall_clock())
    statuses = queue.run_statuses(runs)
    accounted = []
    tally: dict[str, dict[str, PartitionsSubset]] = {}
    for run_id, targets in list(runs.items()):
        run_status = statuses.get(run_id)
        if run_status is not None and not run_status.is_finished:
            continue
        canceling = backfill.status is BulkActionStatus.CANCELING
        view.account(state, tally, run_id, targets, run_status, keep_canceled=canceling)
        del runs[run_id]
        accounted.append(run_id)
    for name, parts in tally.items():  # stored once, however many runs ended
        state["assets"][name] = {
            **state["assets"][name],
            "done": view.encode(parts["done"]),
            "failed": view.encode(parts["failed"]),
        }
    state["runs"] = runs
    queued: list[str] = []
    status = backfill.status
    if status is BulkActionStatus.REQUESTED:
        queued = _queue_runs(view, instance, backfill, state, now, wall_clock)
    state["progress"] = view.progress(state)
    if not state["runs"]:
        if status is BulkActionStatus.CANCELING:
            status = BulkActionStatus.CANCELED
        elif all(counts["remaining"] == 0 for counts in state["progress"].values()):
            failed = any(counts["failed"] for counts in state["progress"].values())
            status = (
                BulkActionStatus.COMPLETED_FAILED if failed else BulkActionStatus.COMPLETED_SUCCESS
            )
    stored = BackfillStore(storage).save(
        backfill.backfill_id, status=status, state=state, now=wall_clock()
    )
    return BackfillStepOutcome(backfill.backfill_id, stored.value, queued, accounted)


def _queue_runs(
    view: _View,
    instance: Any,
    backfill: PartitionBackfill,
    state: dict[str, Any],
    now: datetime,
    wall_clock: Any,
) -> list[str]:
    runs: dict[str, dict[str, Ranges]] = state["runs"]
    budget = min(int(state["max_concurrent_runs"]) - len(runs), MAX_RUNS_PER_STEP)
    if budget <= 0:
        return []
    keys = [AssetKey.from_user(name) for name in state["assets"]]
    for key in keys:
        if not view.defs.graph.has(key):
            raise UsageError(
                f"Backfill {backfill.backfill_id} targets asset '{key.to_string()}', which the "
                "definitions no longer have: cancel it, or restore the asset and resume it."
            )
    remaining = {key: view.remaining(state, key) for key in keys}
    queued: list[str] = []
    entries: list[tuple[RunRecord, dict[str, Any], int]] = []
    blocked: set[Any] = set()
    groups = view.groups(keys)
    for label, members in groups:
        if view.waits_on(members, keys, remaining, state):
            blocked.add(label)
            continue
        # A self-dependent asset reads its earlier partitions: one run at a time, oldest first.
        serial = any(view.defs.graph.self_dependency(key) is not None for key in members)
        if serial and any(view.in_flight(state, key) for key in members):
            blocked.add(label)
            continue
        size = view.run_size(members)
        left = {key: remaining[key] for key in members if remaining[key]}
        while budget > 0 and left:
            union = _union(left.values())
            chunk = _first(union, size)
            targets = {key: subset & chunk for key, subset in left.items() if subset & chunk}
            entry = _queued_run(view, backfill, targets, now, wall_clock, len(runs))
            entries.append(entry)
            run_id = entry[0].run_id
            runs[run_id] = {key.to_string(): view.encode(subset) for key, subset in targets.items()}
            left = {key: s - chunk for key, s in left.items() if s - chunk}
            for key in targets:
                remaining[key] = remaining[key] - chunk
            queued.append(run_id)
            budget -= 1
            if serial:
                break
    RunQueueStore(instance.storage).enqueue_many(entries)  # one transaction
    return queued


def _queued_run(
    view: _View,
    backfill: PartitionBackfill,
    targets: Mapping[AssetKey, PartitionsSubset],
    now: datetime,
    wall_clock: Any,
    number: int,
) -> tuple[RunRecord, dict[str, Any], int]:
    """The run record, queue payload and priority of one run of the backfill."""
    from assetgraph.automation.state import subset_to_json

    run_id = uuid.uuid4().hex
    names = [key.to_string() for key in view.defs.graph.toposort(targets)]
    plain = {
        key: (None if subset.partitions_def is UNPARTITIONED else subset)
        for key, subset in targets.items()
    }
    tags = {
        **backfill.tags,
        **_partition_tags(targets.values()),
        BACKFILL_TAG: backfill.backfill_id,
        DAGSTER_BACKFILL_TAG: backfill.backfill_id,
        TARGETS_TAG: RunTargets.from_subsets(plain).to_json(),
    }
    payload = {
        "request_id": f"backfill-{backfill.backfill_id}-{number + 1}",
        "origin": f"backfill:{backfill.backfill_id}",
        "now": now.isoformat(),
        "targets": {key.to_string(): subset_to_json(subset) for key, subset in targets.items()},
        "tags": tags,
        "run_config": {},
    }
    record = RunRecord(
        run_id=run_id,
        status=RunStatus.QUEUED,
        created_at=wall_clock(),
        selection=" ".join(names),
        asset_keys=tuple(names),
        tags=tags,
    )
    return record, payload, _priority(backfill.tags)


def _cancel_queued(instance: Any, backfill_id: str, now: float) -> list[str]:
    storage = instance.storage
    waiting = storage.list_runs(
        limit=None, statuses=[RunStatus.QUEUED], tags={BACKFILL_TAG: backfill_id}
    )
    reason = f"canceled with backfill {backfill_id}"
    return RunQueueStore(storage).cancel([run.run_id for run in waiting], now, reason)


def _finish_cancel(
    instance: Any, backfill_id: str, statuses: Mapping[str, RunStatus], now: float
) -> None:
    """With no run of a canceled backfill running, drop the runs that never started from
    its state (their partitions remain) and mark it ``canceled``; a run that ended but is
    not accounted yet keeps it ``canceling`` for the daemon, which knows the definitions."""
    store = BackfillStore(instance.storage)
    backfill = store.get(backfill_id)
    if backfill is None:
        return
    runs = dict(backfill.state.get("runs", {}))
    never_started = []
    for run_id in runs:
        run = instance.storage.get_run(run_id)
        if run is None or (run.status is RunStatus.CANCELED and run.started_at is None):
            never_started.append(run_id)
    for run_id in never_started:
        runs.pop(run_id)
    if runs:
        return
    progress = {
        name: {**counts, "remaining": counts["remaining"] + counts["in_progress"], "in_progress": 0}
        for name, counts in backfill.state.get("progress", {}).items()
    }
    state = {**backfill.state, "runs": {}, "progress": progress}
    store.save(backfill_id, status=BulkActionStatus.CANCELED, state=state, now=now)


def _partition_tags(subsets: Iterable[PartitionsSubset]) -> dict[str, str]:
    """Dagster's tags of a backfill run: ``dagster/partition`` for one partition, the
    ``dagster/asset_partition_range_*`` pair for one range; none for anything else."""
    partitioned = [subset for subset in subsets if subset.partitions_def is not UNPARTITIONED]
    if not partitioned:
        return {}
    ranges = {(r.start, r.end) for subset in partitioned for r in subset.ranges()}
    if len(ranges) != 1 or len({subset.partitions_def for subset in partitioned}) != 1:
        return {}
    [(start, end)] = ranges
    if start == end:
        return {PARTITION_TAG: start}
    return {PARTITION_RANGE_START_TAG: start, PARTITION_RANGE_END_TAG: end}


def _priority(tags: Mapping[str, str]) -> int:
    from assetgraph.automation.run_queue import PRIORITY_TAG

    try:
        return int(tags.get(PRIORITY_TAG, 0))
    except ValueError:
        raise UsageError(
            f"Tag {PRIORITY_TAG}={tags[PRIORITY_TAG]!r} is not a whole number."
        ) from None


# -- partitions as stored ranges --------------------------------------------------------------


class _View:
    """A backfill's stored key ranges as subsets of the definitions at ``now``."""

    def __init__(self, defs: Definitions, storage: Any, now: datetime) -> None:
        self.defs = defs
        self.storage = storage
        self.now = now
        self.dynamic = snapshot_store(storage)
        self._ranges: dict[tuple[AssetKey, str], PartitionsSubset] = {}

    def pdef(self, key: AssetKey) -> PartitionsDefinition:
        if not self.defs.graph.has(key):
            return UNPARTITIONED
        return self.defs.graph.partitions_def(key) or UNPARTITIONED

    def all(self, key: AssetKey) -> PartitionsSubset:
        return PartitionsSubset.all(self.pdef(key), self.now, self.dynamic)

    def empty(self, key: AssetKey) -> PartitionsSubset:
        return PartitionsSubset(self.pdef(key), (), self.now, self.dynamic)

    def encode(self, subset: PartitionsSubset) -> Ranges:
        if subset.partitions_def is UNPARTITIONED:
            return [_WHOLE] if subset else []
        return [r.start if r.start == r.end else f"{r.start}...{r.end}" for r in subset.ranges()]

    def decode(self, key: AssetKey, texts: Sequence[str]) -> PartitionsSubset:
        pdef = self.pdef(key)
        if pdef is UNPARTITIONED:
            return self.all(key) if texts else self.empty(key)
        found = self.empty(key)
        for text in texts:
            span = self._ranges.get((key, text))
            if span is None:
                start, _, end = text.partition("...")
                try:
                    span = pdef.subset_for_range(
                        PartitionKeyRange(start, end or start), self.now, self.dynamic
                    )
                except UsageError:  # keys that no longer exist (a dynamic key deleted)
                    span = self.empty(key)
                self._ranges[(key, text)] = span
            found = found | span
        return found

    def part(self, state: Mapping[str, Any], key: AssetKey, which: str) -> PartitionsSubset:
        return self.decode(key, state["assets"][key.to_string()][which])

    def in_flight(self, state: Mapping[str, Any], key: AssetKey) -> PartitionsSubset:
        found = self.empty(key)
        name = key.to_string()
        for targets in state["runs"].values():
            if name in targets:
                found = found | self.decode(key, targets[name])
        return found

    def remaining(self, state: Mapping[str, Any], key: AssetKey) -> PartitionsSubset:
        return (
            self.part(state, key, "target")
            - self.part(state, key, "done")
            - self.part(state, key, "failed")
            - self.in_flight(state, key)
        )

    def account(
        self,
        state: Mapping[str, Any],
        tally: dict[str, dict[str, PartitionsSubset]],
        run_id: str,
        targets: Mapping[str, Ranges],
        status: RunStatus | None,
        *,
        keep_canceled: bool = False,
    ) -> None:
        """Fold an ended run into ``tally`` (asset -> its done and failed partitions, read
        from ``state`` on first use): a run that vanished leaves all remaining; a canceled
        run counts as failed, or remaining with ``keep_canceled``."""
        made: dict[str, list[str | None]] = {}
        if status is not None and status is not RunStatus.SUCCESS:
            events = self.storage.events_for_run(run_id, [EventType.ASSET_MATERIALIZATION])
            for event in events:
                if event.asset_key is not None:
                    made.setdefault(event.asset_key, []).append(event.partition_key)
        for name, ranges in targets.items():
            key = AssetKey.from_user(name)
            wanted = self.decode(key, ranges)
            if status is RunStatus.SUCCESS:
                done = wanted
            elif name not in made:
                done = self.empty(key)
            elif wanted.partitions_def is UNPARTITIONED:
                done = wanted
            else:
                keys = [k for k in made[name] if k is not None]
                done = wanted & wanted.partitions_def.subset_for_keys(keys, self.now, self.dynamic)
            parts = tally.get(name)
            if parts is None:
                parts = tally[name] = {
                    "done": self.part(state, key, "done"),
                    "failed": self.part(state, key, "failed"),
                }
            parts["done"] = parts["done"] | done
            failed_run = status is RunStatus.FAILURE
            if failed_run or (status is RunStatus.CANCELED and not keep_canceled):
                parts["failed"] = parts["failed"] | (wanted - done)

    def progress(self, state: Mapping[str, Any]) -> dict[str, dict[str, int]]:
        found = {}
        for name in state["assets"]:
            key = AssetKey.from_user(name)
            target = self.part(state, key, "target")
            done = self.part(state, key, "done") & target
            failed = (self.part(state, key, "failed") & target) - done
            flying = (self.in_flight(state, key) & target) - done - failed
            found[name] = {
                "target": len(target),
                "done": len(done),
                "failed": len(failed),
                "in_progress": len(flying),
                "remaining": len(target - done - failed - flying),
            }
        return found

    # -- cutting runs ----------------------------------------------------------------------

    def groups(self, keys: Sequence[AssetKey]) -> list[tuple[Any, list[AssetKey]]]:
        """The backfill's assets grouped by partitions definition, in topological order."""
        found: dict[Any, list[AssetKey]] = {}
        for key in self.defs.graph.toposort(keys):
            found.setdefault(self.pdef(key), []).append(key)
        return list(found.items())

    def waits_on(
        self,
        members: Sequence[AssetKey],
        keys: Sequence[AssetKey],
        remaining: Mapping[AssetKey, PartitionsSubset],
        state: Mapping[str, Any],
    ) -> bool:
        """True while an asset upstream of ``members`` (in the backfill, with another
        partitions definition) has partitions remaining or in flight."""
        import networkx as nx

        others = {key for key in keys if key not in members}
        if not others:
            return False
        upstream: set[AssetKey] = set()
        for key in members:
            upstream |= nx.ancestors(self.defs.graph.nx_graph, key) & others
        return any(remaining[key] or self.in_flight(state, key) for key in upstream)

    def run_size(self, members: Sequence[AssetKey]) -> int | None:
        """Partitions per run: the smallest ``max_partitions_per_run`` of the group's
        backfill policies (no policy: 1, as Dagster); None when all are single-run."""
        sizes = []
        for key in members:
            policy = self.defs.graph.assets_def(key).backfill_policy
            sizes.append(1 if policy is None else policy.max_partitions_per_run)
        limits = [size for size in sizes if size is not None]
        return min(limits) if limits else None


def _union(subsets: Any) -> PartitionsSubset:
    items: list[PartitionsSubset] = list(subsets)
    found = items[0]
    for subset in items[1:]:
        found = found | subset
    return found


def _first(subset: PartitionsSubset, size: int | None) -> PartitionsSubset:
    """The first ``size`` partitions of ``subset`` (all of them when None)."""
    if size is None:
        return subset
    taken: list[range] = []
    left = size
    for span in subset.key_ranges:
        if left <= 0:
            break
        stop = min(span.stop, span.start + left)
        taken.append(range(span.start, stop))
        left -= stop - span.start
    return subset.with_ranges(taken)


def _describe_request(
    selection: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None,
    partitions: PartitionSelection,
) -> str:
    parts = [_text(selection)]
    if exclude:
        parts.append(f"--exclude {_text(exclude)}")
    parts.extend(f"--partition {key}" for key in partitions.keys)
    parts.extend(f"--partition-range {r.start}...{r.end}" for r in partitions.ranges)
    if partitions.all_partitions:
        parts.append("--all-partitions")
    if partitions.missing:
        parts.append("--missing")
    return " ".join(parts)


def _text(selection: str | Sequence[str] | None) -> str:
    if selection is None:
        return "*"
    return selection if isinstance(selection, str) else " ".join(selection)


def _instance() -> Any:
    from assetgraph.storage.instance import Instance

    return Instance.from_env()
