"""The run coordinator: launches steps as their upstream steps succeed, and records it all.

The algorithm:

1. A step waits until every upstream step succeeded; when an upstream step fails for good
   (or is skipped), the step and everything downstream of it are skipped, the failing
   upstream named. Independent branches go on.
2. A ready step is launched when the launcher has room and its claim is granted: the
   leases of its (asset, partition) pairs (no other run is materializing them) and a slot
   of its concurrency pool. The claim is taken in the same transaction that records the
   step's start; a refused claim leaves the step waiting (or, with ``no_wait``, fails it
   naming the run that holds the lease). Once steps are known to be quick, the claims of
   several ready steps (as many as take about ``CLAIM_AHEAD_SECONDS``) are taken in one
   transaction, and the steps are launched one after another as the launcher has room.
3. A finished step's events are recorded, and its claim given back, in one transaction
   with the next claims taken; when none comes (nothing to launch, or the claimed steps
   are still running), within ``RECORD_DELAY_SECONDS``. A step is claimed only once its
   upstream steps' records are in, so nothing ever depends on an unrecorded step. A
   failed step with retries left goes back to the ready list after its retry policy's
   wait. A launcher may report a lost attempt that it already runs again (a Dask worker
   died and Dask sent the step elsewhere): it counts against the retry policy like any
   failure; with no retries left the step fails and the launcher drops the re-run.
4. Between launches the coordinator checks for a cancel request; Ctrl-C or SIGTERM
   (a ``KeyboardInterrupt``) stops it at any moment. Either way it launches nothing more,
   stops the running steps (their processes are gone before their leases are given
   back), and marks them and the rest canceled.
5. When the launcher itself is lost (``ExecutorLost``: the Dask scheduler died), the
   running steps fail with its message, the rest are not run, and the run fails.

Only the coordinator writes to the metadata database; launchers and workers only run steps.
"""

from __future__ import annotations

import dataclasses
import heapq
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assetgraph.definitions.retry import RetryPolicy
from assetgraph.errors import ExecutorLost
from assetgraph.execution.data_versions import RunDataVersions
from assetgraph.execution.launchers import Launcher
from assetgraph.execution.step import StepOutcome, skipped_outcome
from assetgraph.execution.worker import StepTask
from assetgraph.keys import AssetKey
from assetgraph.planning.planner import ExecutionPlan, Step, StepKind
from assetgraph.storage.coordination import (
    ClaimRefused,
    StepClaim,
    StepRecorder,
    free_run,
    run_is_live,
)
from assetgraph.storage.events import StepFailed, StepSkipped, StepStarted, step_event
from assetgraph.storage.interface import CoordinationStore
from assetgraph.storage.records import EventRecord, EventType, StepStatus
from assetgraph.storage.schema import NO_PARTITION

if TYPE_CHECKING:
    from assetgraph.graph import AssetGraph

CLAIM_RETRY_SECONDS = 0.2
"""How soon a step whose claim was refused asks again."""

CLAIM_AHEAD_SECONDS = 0.05
"""Claim at once as many ready steps as the run's steps so far take in this long."""

MAX_CLAIM_BATCH = 64
"""At most this many steps are claimed in one transaction."""

RECORD_DELAY_SECONDS = 0.05
"""A finished step's record waits for the next claim at most this long (checked between
steps in process; while steps run elsewhere, the coordinator checks as they finish)."""

run_logger = logging.getLogger("assetgraph.run")
"""What a run does that its events do not show, such as waiting for another run's lease
(INFO); ``assetgraph materialize`` prints it."""


@dataclass(slots=True)
class CoordinatorSettings:
    """How a run treats retries, pools and leases."""

    pools: Mapping[str, int] = field(default_factory=dict)
    default_retry: RetryPolicy | None = None
    no_wait: bool = False
    cancel: threading.Event = field(default_factory=threading.Event)
    after_step: Callable[[Step, StepOutcome], list[EventRecord]] | None = None
    """Called with each step's final outcome (the run's hooks); the events it returns are
    recorded with the step's."""


class Coordinator:
    """Runs one plan through one launcher; see the module docstring for the algorithm."""

    def __init__(
        self,
        plan: ExecutionPlan,
        run_id: str,
        storage: CoordinationStore,
        launcher: Launcher,
        versions: RunDataVersions,
        on_events: Callable[[list[EventRecord]], None],
        settings: CoordinatorSettings,
        graph: AssetGraph | None = None,
    ) -> None:
        self.plan = plan
        self.graph = graph
        self.run_id = run_id
        self.storage = storage
        self.launcher = launcher
        self.versions = versions
        self.on_events = on_events
        self.settings = settings
        self.recorder = StepRecorder(storage)
        self.steps = {step.key: step for step in plan.steps}
        self.order = {step.key: index for index, step in enumerate(plan.steps)}
        self.downstream: dict[str, list[str]] = {key: [] for key in self.steps}
        for step in plan.steps:
            for up in step.upstream_steps:
                self.downstream[up].append(step.key)
        self.waiting_on = {key: len(step.upstream_steps) for key, step in self.steps.items()}
        self.outcomes: dict[str, StepOutcome] = {}
        self.attempts: dict[str, int] = {}
        self.running: set[str] = set()
        self.ready: list[tuple[float, int, str]] = []  # (not before, plan order, step key)
        self.claimed: deque[tuple[Step, StepTask]] = deque()  # granted, not yet launched
        self.step_seconds: float | None = None  # a moving average of the steps' durations
        self.pending: list[EventRecord] = []
        self.pending_since = 0.0  # when the oldest pending event was added (monotonic)
        self.releases: list[tuple[str, str]] = []
        self.interrupted: KeyboardInterrupt | None = None
        self.canceled_running = 0
        self.canceled_waiting = 0
        self.lost: ExecutorLost | None = None
        self.waiting_for: dict[str, str] = {}  # step key -> the run whose lease it waits for
        for key, count in self.waiting_on.items():
            if count == 0:
                self._make_ready(key, 0.0)

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> dict[str, StepOutcome]:
        """Run every step; returns the final outcome of each."""
        try:
            while len(self.outcomes) < len(self.steps):
                if self.settings.cancel.is_set():
                    self._cancel()
                    break
                launched = self._launch_ready()
                wait = 0.0 if launched else self._idle_wait()
                for outcome in self.launcher.collect(wait):
                    self._finish(outcome)
                if self._pending_overdue() or not (self.claimed or self._claim_coming()):
                    # No claim to batch them with soon: record finished steps now, so a
                    # stored value does not wait for its record (nor hold its leases)
                    # while other steps run.
                    self._flush()
        except ExecutorLost as exc:
            self._lose(exc)
        except KeyboardInterrupt as exc:  # a cancel request, Ctrl-C or SIGTERM
            if not self.settings.cancel.is_set():
                self.interrupted = exc
            self._cancel()
        finally:
            self._flush()
        return self.outcomes

    def _launch_ready(self) -> bool:
        """Claim a batch of ready steps when none is claimed, then launch claimed steps
        while the launcher has room."""
        capacity = self._capacity()
        room = capacity - len(self.running)
        if room > 0 and not self.claimed:
            self._claim_ready(room)
        launched = False
        while self.claimed and len(self.running) < capacity:
            if launched and self._pending_overdue():
                self._flush()
            step, task = self.claimed.popleft()
            self.running.add(step.key)
            self.launcher.launch(step, task)
            launched = True
        return launched

    def _claim_ready(self, room: int) -> None:
        """Take the claims of up to a batch of ready steps in one transaction (with the
        pending records); granted steps join ``claimed``, refused ones wait or fail."""
        now = time.monotonic()
        batch: list[Step] = []
        limit = self._batch_size(room)
        in_pools: dict[str, int] = {}
        held_back: list[tuple[float, int, str]] = []
        while self.ready and len(batch) < limit and self.ready[0][0] <= now:
            item = heapq.heappop(self.ready)
            step = self.steps[item[2]]
            pool = step.assets_def.pool
            if pool is not None and pool in self.settings.pools:
                # No more of a pool's steps in one batch than the pool can run at once:
                # the rest would only be refused.
                if in_pools.get(pool, 0) >= self.settings.pools[pool]:
                    held_back.append(item)
                    if len(held_back) > MAX_CLAIM_BATCH:
                        break
                    continue
                in_pools[pool] = in_pools.get(pool, 0) + 1
            batch.append(step)
        for item in held_back:
            heapq.heappush(self.ready, item)
        if not batch:
            return
        attempts = {step.key: self.attempts.get(step.key, 0) + 1 for step in batch}
        starts = [
            step_event(
                self.run_id,
                StepStarted(attempts[step.key]),
                time.time(),
                step_key=step.key,
                partition_key=step.partition_key,
            )
            for step in batch
        ]
        refused = self._record(starts, [self._claim(step) for step in batch])
        deferred: list[tuple[float, int, str]] = []
        for step in batch:
            problem = refused.get(step.key)
            if problem is None:
                self.attempts[step.key] = attempts[step.key]
                task = StepTask.of(step, self.versions.for_step(step), attempts[step.key])
                self.claimed.append((step, task))
            elif not self._refused(step, problem) and step.key not in self.outcomes:
                deferred.append((now + CLAIM_RETRY_SECONDS, self.order[step.key], step.key))
        for item in deferred:
            heapq.heappush(self.ready, item)

    def _batch_size(self, room: int) -> int:
        """How many steps to claim at once: the launcher's room, and more once the steps
        are known to be quick (as many as take about ``CLAIM_AHEAD_SECONDS``)."""
        if self.step_seconds is None:
            return room
        ahead = int(CLAIM_AHEAD_SECONDS * self.launcher.capacity / max(self.step_seconds, 1e-6))
        return max(room, min(ahead, MAX_CLAIM_BATCH))

    def _refused(self, step: Step, refused: ClaimRefused) -> bool:
        """Handle a refused claim: free a dead holder's leases (the step is ready again at
        once), fail it (no-wait), or let it wait. True when it is ready again."""
        holder = refused.holder_run_id
        if holder is not None and not run_is_live(self.storage, holder):
            free_run(self.storage, holder)
            self._make_ready(step.key, 0.0)
            return True
        if holder is not None and self.settings.no_wait:
            self._finish_for_good(_claim_failure(self.run_id, step, refused.reason))
        elif holder is not None and self.waiting_for.get(step.key) != holder:
            self.waiting_for[step.key] = holder  # said once per step and holder
            run_logger.info(
                "%s is waiting for run %s, which holds %s",
                step.key,
                holder[:8],
                refused.lease or "a lease it needs",
                extra={"step_key": step.key, "holder_run_id": holder},
            )
        return False

    def _finish(self, outcome: StepOutcome) -> None:
        if outcome.rerun:
            self._lost_attempt(outcome)
            return
        key = outcome.step_key
        step = self.steps[key]
        self.running.discard(key)
        self._time_step(outcome.duration)
        self.releases.append((self.run_id, key))
        outcome = _complete(outcome, self.run_id, step, self.attempts.get(key, 1))
        policy = step.assets_def.retry_policy or self.settings.default_retry
        attempt = self.attempts.get(key, 1)
        retry = policy is not None and attempt <= policy.max_retries
        retry = retry and (outcome.error is None or outcome.error.retryable)
        if outcome.status == StepStatus.FAILURE and policy is not None and retry:
            wait = policy.wait_before(attempt + 1)
            _mark_retry(outcome, wait)
            self._add_pending(outcome.events)
            self._make_ready(key, time.monotonic() + wait)
            return
        self.versions.record(outcome.events)
        self._finish_for_good(outcome)

    def _lost_attempt(self, outcome: StepOutcome) -> None:
        """An attempt lost with its worker, which the launcher already runs again."""
        key = outcome.step_key
        step = self.steps[key]
        attempt = self.attempts.get(key, 1)
        outcome = _complete(outcome, self.run_id, step, attempt)
        policy = step.assets_def.retry_policy or self.settings.default_retry
        if policy is not None and attempt <= policy.max_retries:
            _mark_retry(outcome, 0.0)
            self.attempts[key] = attempt + 1
            start = step_event(
                self.run_id,
                StepStarted(attempt + 1),
                time.time(),
                step_key=key,
                partition_key=step.partition_key,
            )
            self._add_pending([*outcome.events, start])
            return
        self.launcher.abandon(key)
        self.running.discard(key)
        self.releases.append((self.run_id, key))
        outcome.rerun = False
        self.versions.record(outcome.events)
        self._finish_for_good(outcome)

    def _finish_for_good(self, outcome: StepOutcome) -> None:
        """Record a final outcome: a success readies its children, anything else skips
        everything downstream (iteratively: a chain may be any number of steps long)."""
        self.outcomes[outcome.step_key] = outcome
        self._add_pending(outcome.events)
        if self.settings.after_step is not None:
            self._add_pending(self.settings.after_step(self.steps[outcome.step_key], outcome))
        if outcome.status != StepStatus.SUCCESS:
            self._skip_downstream(outcome.step_key, self.downstream[outcome.step_key])
            return
        unmade = self._optional_outputs_not_made(outcome)
        left_out = [c for c in self.downstream[outcome.step_key] if self._reads(c, unmade)]
        for child in self.downstream[outcome.step_key]:
            if child in left_out:
                continue
            self.waiting_on[child] -= 1
            if self.waiting_on[child] == 0:
                self._make_ready(child, 0.0)
        self._skip_downstream(outcome.step_key, left_out)

    def _skip_downstream(self, parent_key: str, children: Iterable[str]) -> None:
        """Skip ``children`` of ``parent_key`` and everything downstream of them."""
        stack = [(parent_key, list(children))]
        while stack:
            parent, below = stack.pop()
            for child in below:
                if child not in self.outcomes:
                    skipped = skipped_outcome(self.steps[child], self.run_id, parent)
                    self.outcomes[child] = skipped
                    self._add_pending(skipped.events)
                    stack.append((child, self.downstream[child]))

    def _optional_outputs_not_made(self, outcome: StepOutcome) -> set[AssetKey]:
        """The step's optional assets (``output_required=False``, ``skippable``) that it
        did not materialize: the steps reading them are skipped, as in Dagster."""
        step = self.steps[outcome.step_key]
        if step.kind is not StepKind.MATERIALIZE:
            return set()
        optional = {k for k in step.asset_keys if not step.assets_def.spec(k).is_required}
        if not optional:
            return set()
        made = {
            AssetKey.from_user(event.asset_key)
            for event in outcome.events
            if event.event_type is EventType.ASSET_MATERIALIZATION and event.asset_key
        }
        return optional - made

    def _reads(self, step_key: str, keys: set[AssetKey]) -> bool:
        """True when the step loads or depends on one of ``keys``."""
        if not keys or self.graph is None:
            return False
        return any(
            parent in keys
            for key in self.steps[step_key].asset_keys
            for parent in self.graph.parents(key)
        )

    def _cancel(self) -> None:
        """Stop running steps (their processes are gone when this returns), and mark them
        and everything not finished canceled."""
        self.launcher.stop_running()
        now = time.time()
        why = "interrupted" if self.interrupted is not None else "canceled"
        for key in list(self.running):
            step = self.steps[key]
            self.releases.append((self.run_id, key))
            self.outcomes[key] = _canceled(self.run_id, step, now, f"{why} while running")
            self.pending.extend(self.outcomes[key].events)
        self.canceled_running = len(self.running)
        self.running.clear()
        for step, _task in self.claimed:  # claimed, never launched: not started
            self.releases.append((self.run_id, step.key))
        self.claimed.clear()
        for step in self.plan.steps:
            if step.key not in self.outcomes:
                self.outcomes[step.key] = _canceled(self.run_id, step, now, f"run {why}")
                self.pending.extend(self.outcomes[step.key].events)
                self.canceled_waiting += 1

    def _lose(self, exc: ExecutorLost) -> None:
        """The launcher is gone: running steps failed with its message, the rest not run."""
        from assetgraph.execution.launchers import lost_outcome

        self.lost = exc
        for key in list(self.running):
            step = self.steps[key]
            self.releases.append((self.run_id, key))
            outcome = _complete(lost_outcome(key, exc), self.run_id, step, self.attempts[key])
            self.outcomes[key] = outcome
            self.pending.extend(outcome.events)
        self.running.clear()
        for step in self.plan.steps:
            if step.key not in self.outcomes:
                self.outcomes[step.key] = _canceled(
                    self.run_id, step, time.time(), f"not run: {exc}", canceled=False
                )
                self.pending.extend(self.outcomes[step.key].events)

    # -- helpers ----------------------------------------------------------------------------

    def _make_ready(self, key: str, not_before: float) -> None:
        heapq.heappush(self.ready, (not_before, self.order[key], key))

    def _claim_coming(self) -> bool:
        """True when the next loop will take claims (a transaction) at once."""
        return (
            not self.claimed
            and bool(self.ready)
            and self.ready[0][0] <= time.monotonic()
            and len(self.running) < self._capacity()
        )

    def _capacity(self) -> int:
        """How many steps may run at once: the launcher's tasks, each of several steps once
        the steps are known to be quick (``Launcher.steps_per_task``)."""
        return self.launcher.capacity * self.launcher.steps_per_task(self.step_seconds)

    def _pending_overdue(self) -> bool:
        return bool(self.pending) and (time.monotonic() - self.pending_since > RECORD_DELAY_SECONDS)

    def _add_pending(self, events: list[EventRecord]) -> None:
        if not self.pending:
            self.pending_since = time.monotonic()
        self.pending.extend(events)

    def _time_step(self, seconds: float) -> None:
        previous = self.step_seconds
        self.step_seconds = seconds if previous is None else 0.8 * previous + 0.2 * seconds

    def _idle_wait(self) -> float:
        if self.running:
            if self.pending:  # wake up in time to record them
                return min(RECORD_DELAY_SECONDS, CLAIM_RETRY_SECONDS)
            return 0.5 if not self.ready else CLAIM_RETRY_SECONDS
        if self.ready:
            self._flush()
            return max(0.0, min(self.ready[0][0] - time.monotonic(), 0.5))
        return 0.0

    def _claim(self, step: Step) -> StepClaim:
        # An observation stores no value: only steps that materialize hold leases.
        leases = tuple(
            (key.to_string(), partition)
            for key in _built_keys(step)
            for partition in (step.partition_keys or (NO_PARTITION,))
        )
        pool = step.assets_def.pool
        limit = self.settings.pools.get(pool) if pool is not None else None
        return StepClaim(self.run_id, step.key, leases, pool, limit)

    def _record(
        self, events: list[EventRecord], claims: list[StepClaim]
    ) -> dict[str, ClaimRefused]:
        """Write pending events and releases with ``events`` and ``claims`` in one go."""
        batch = [*self.pending, *events]
        refused = self.recorder.record_claims(batch, claims, release=self.releases)
        self.pending.clear()
        self.releases.clear()
        self.on_events(batch)
        return refused

    def _flush(self) -> None:
        if not self.pending and not self.releases:
            return
        batch = list(self.pending)
        self.recorder.record(batch, release=self.releases)
        self.pending.clear()
        self.releases.clear()
        self.on_events(batch)


def _complete(outcome: StepOutcome, run_id: str, step: Step, attempt: int) -> StepOutcome:
    """Fill in what a worker could not know (the run id of a lost step) and the attempt."""
    if outcome.status is not StepStatus.FAILURE:  # only a failure's event needs them
        return outcome
    events = []
    for event in outcome.events:
        if event.event_type is EventType.STEP_FAILURE:
            failure = dataclasses.replace(
                StepFailed.from_payload(event.payload),
                attempt=attempt,
                asset_keys=tuple(key.to_string() for key in _built_keys(step)),
                partition_keys=tuple(step.partition_keys),
            )
            event = dataclasses.replace(
                event,
                run_id=event.run_id or run_id,
                partition_key=step.partition_key,
                payload=failure.to_payload(),
            )
        events.append(event)
    outcome.events = events
    return outcome


def _built_keys(step: Step) -> tuple[AssetKey, ...]:
    """The assets ``step`` materializes: what its leases cover and its failure fails
    (none for an observation, which stores no value and fails no asset)."""
    return step.asset_keys if step.kind is StepKind.MATERIALIZE else ()


def _mark_retry(outcome: StepOutcome, wait: float) -> None:
    for index, event in enumerate(outcome.events):
        if event.event_type is EventType.STEP_FAILURE:
            failure = StepFailed.from_payload(event.payload)
            payload = dataclasses.replace(failure, retry_in=round(wait, 3)).to_payload()
            message = f"{event.message} (retrying in {wait:.1f} s)"
            outcome.events[index] = dataclasses.replace(event, payload=payload, message=message)


def _claim_failure(run_id: str, step: Step, reason: str) -> StepOutcome:
    from assetgraph.execution.step import StepError

    message = f"not started: {reason} (--no-wait)"
    error = StepError("claim", "LeaseHeld", message, None, "")
    failure = StepFailed(
        error=error.to_payload(),
        asset_keys=tuple(key.to_string() for key in _built_keys(step)),
        partition_keys=tuple(step.partition_keys),
    )
    event = step_event(
        run_id,
        failure,
        time.time(),
        step_key=step.key,
        partition_key=step.partition_key,
        message=error.summary(),
    )
    return StepOutcome(step_key=step.key, status=StepStatus.FAILURE, events=[event], error=error)


def _canceled(
    run_id: str, step: Step, now: float, reason: str, *, canceled: bool = True
) -> StepOutcome:
    event = step_event(
        run_id,
        StepSkipped(canceled=canceled),
        now,
        step_key=step.key,
        partition_key=step.partition_key,
        message=reason,
    )
    return StepOutcome(step_key=step.key, status=StepStatus.SKIPPED, events=[event])


def step_statuses(events: Iterable[EventRecord]) -> dict[str, str]:
    """The last status of each step in a run's events (``success``, ``failure``,
    ``skipped``, ``canceled``, or ``started`` while it runs)."""
    statuses: dict[str, str] = {}
    names = {
        EventType.STEP_START: "started",
        EventType.STEP_SUCCESS: "success",
        EventType.STEP_FAILURE: "failure",
        EventType.STEP_SKIPPED: "skipped",
    }
    for event in events:
        status = names.get(event.event_type)
        if status is not None and event.step_key is not None:
            if status == "failure" and StepFailed.from_payload(event.payload).retry_in is not None:
                continue
            if status == "skipped" and StepSkipped.from_payload(event.payload).canceled:
                status = "canceled"
            statuses[event.step_key] = status
    return statuses
