"""One automation tick, end to end, and the daemon that runs ticks under a lease.

A tick: read the cursors and what runs in flight cover; evaluate the policies, the
running schedules and the running sensors; cut the requests into runs; record the tick with its runs
*before* launching them (so their coverage is known even if this process dies); launch;
store the cursors; mark the tick done. The daemon takes the ``automation`` lease before
each tick, so two daemons on one database never both evaluate; a failing run, sensor or
tick is recorded and the loop goes on.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assetgraph.automation.condition_evaluation import CONDITIONS_CURSOR
from assetgraph.automation.data_time import DATA_TIMES_CURSOR
from assetgraph.automation.evaluator import (
    CURSOR,
    CursorState,
    Evaluation,
    EvaluationSettings,
    evaluate,
)
from assetgraph.automation.freshness import FRESHNESS_CURSOR, freshness_changes
from assetgraph.automation.run_queue import QueueingLauncher, RunQueueConfig
from assetgraph.automation.runs import (
    PlannedRun,
    RunLauncher,
    group_requests,
    in_flight,
    run_tags,
)
from assetgraph.automation.state import AssetState
from assetgraph.automation.triggers import TriggerResults, evaluate_triggers
from assetgraph.collector import garbage_collection_held
from assetgraph.definitions.definitions import Definitions
from assetgraph.keys import AssetKey
from assetgraph.storage.automation_store import AutomationStore

LEASE = "automation"


@dataclass(slots=True)
class TickOutcome:
    """What one tick did (also what ``--dry-run`` prints)."""

    tick_id: int | None
    now: datetime
    status: str
    runs: list[dict[str, Any]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    evaluation: Evaluation | None = None
    errors: list[str] = field(default_factory=list)
    evaluation_ms: float = 0.0
    backfills: list[dict[str, Any]] = field(default_factory=list)
    queue: dict[str, Any] = field(default_factory=dict)

    @property
    def launched(self) -> list[dict[str, Any]]:
        return [run for run in self.runs if not run.get("error")]


def run_tick(
    defs: Definitions,
    instance: Any,
    *,
    now: datetime,
    launcher: RunLauncher | None,
    settings: EvaluationSettings | None = None,
    dry_run: bool = False,
    wall_clock: Callable[[], float] = time.time,
) -> TickOutcome:
    """Evaluate and launch one tick at ``now``; never raises for a failing tick (the
    failure is recorded and returned), only for a broken database."""
    settings = settings or EvaluationSettings()
    store = AutomationStore(instance.storage)
    started = wall_clock()
    tick_id = None if dry_run else store.start_tick(now.timestamp(), started)
    outcome = TickOutcome(tick_id, now, "started")
    try:
        clock = time.perf_counter()
        with garbage_collection_held(age_unwalked=True):
            evaluation, triggers = _evaluate(
                defs, store, instance, now, settings, wall_clock, dry_run=dry_run
            )
            planned = _plan_runs(evaluation, triggers, settings, tick_id)
        outcome.evaluation_ms = (time.perf_counter() - clock) * 1000.0
        outcome.evaluation = evaluation
        outcome.errors.extend(triggers.errors)
        outcome.runs = [
            {**run.to_json(now), "tags": run_tags(run, tick_id, now)} for run in planned
        ]
        outcome.payload = _payload(outcome, evaluation, triggers, dry_run)
        if dry_run:
            outcome.status = "dry_run"
            return outcome
        assert tick_id is not None
        store.finish_tick(tick_id, "started", outcome.payload, None)
        for request in outcome.runs:
            _launch(launcher, request, outcome)
        cursors = {
            CURSOR: evaluation.cursor.to_text(),
            DATA_TIMES_CURSOR: evaluation.data_times.to_cursor(),
            **triggers.cursors,
        }
        if evaluation.condition_cursor is not None:
            cursors[CONDITIONS_CURSOR] = evaluation.condition_cursor
        store.set_cursors(cursors, wall_clock())
        outcome.status = (
            "success" if outcome.runs or triggers.notes or evaluation.decisions else "skipped"
        )
        outcome.payload = _payload(outcome, evaluation, triggers, dry_run)
        store.finish_tick(tick_id, outcome.status, outcome.payload, wall_clock())
    except Exception as exc:
        outcome.status = "failure"
        outcome.errors.append(f"tick failed: {type(exc).__name__}: {exc}")
        outcome.payload = {
            **outcome.payload,
            "now": now.isoformat(),
            "errors": outcome.errors,
            "traceback": traceback.format_exc(limit=20),
        }
        if tick_id is not None:
            store.finish_tick(tick_id, "failure", outcome.payload, wall_clock())
    return outcome


def _evaluate(
    defs: Definitions,
    store: AutomationStore,
    instance: Any,
    now: datetime,
    settings: EvaluationSettings,
    wall_clock: Callable[[], float],
    *,
    dry_run: bool = False,
) -> tuple[Evaluation, TriggerResults]:
    cursor = CursorState.from_text(store.get_cursor(CURSOR))
    flying = in_flight(defs, store, now, wall_clock())
    evaluation = evaluate(
        defs,
        store,
        now,
        in_flight=flying,
        settings=settings,
        cursor=cursor,
        data_times_text=store.get_cursor(DATA_TIMES_CURSOR),
        conditions_text=store.get_cursor(CONDITIONS_CURSOR),
    )
    evaluation.freshness_events = _freshness_states(evaluation, store, wall_clock, dry_run)
    triggers = (
        evaluate_triggers(
            defs, store, AssetState(defs.graph, store, now), instance, dry_run=dry_run
        )
        if defs.schedules or defs.sensors
        else TriggerResults()
    )
    return evaluation, triggers


def _freshness_states(
    evaluation: Evaluation,
    store: AutomationStore,
    wall_clock: Callable[[], float],
    dry_run: bool,
) -> list[dict[str, Any]]:
    """Judge the freshness policies that may have changed state; record one event per
    change (with the cursor, in one transaction) before sensors read them."""
    if not evaluation.freshness:
        return []
    found = freshness_changes(
        evaluation.data_times,
        evaluation.freshness,
        store.get_cursor(FRESHNESS_CURSOR),
        evaluation.changed,
    )
    if not dry_run:
        store.record_events_and_cursor(found.events, FRESHNESS_CURSOR, found.cursor, wall_clock())
    return [
        {
            "asset": event.asset_key,
            "new_state": event.payload["new_state"],
            "previous_state": event.payload["previous_state"],
            "text": event.message,
        }
        for event in found.events
    ]


def _plan_runs(
    evaluation: Evaluation,
    triggers: TriggerResults,
    settings: EvaluationSettings,
    tick_id: int | None,
) -> list[PlannedRun]:
    prefix = "dry" if tick_id is None else str(tick_id)
    planned: list[PlannedRun] = []
    for targets in group_requests(evaluation.state, evaluation.requested, settings.run_grouping):
        tags: dict[str, str] = {}
        for name in targets:  # the run tags of the condition sensors evaluating its assets
            tags.update(evaluation.run_tags.get(AssetKey.from_user(name), {}))
        planned.append(PlannedRun(f"{prefix}-{len(planned) + 1}", "automation", targets, tags))
    for request in triggers.requests:
        planned.append(
            PlannedRun(
                f"{prefix}-{len(planned) + 1}",
                request.origin,
                request.targets,
                request.tags,
                request.run_config,
            )
        )
    return planned


def _launch(launcher: RunLauncher | None, request: dict[str, Any], outcome: TickOutcome) -> None:
    if launcher is None:
        request["error"] = "no launcher"
        return
    try:
        request["run_id"] = launcher.launch(request)
    except Exception as exc:  # the run could not start: record it, go on with the others
        request["error"] = f"{type(exc).__name__}: {exc}"
        outcome.errors.append(f"request {request['request_id']} failed to launch: {exc}")


def _payload(
    outcome: TickOutcome, evaluation: Evaluation, triggers: TriggerResults, dry_run: bool
) -> dict[str, Any]:
    return {
        "now": outcome.now.isoformat(),
        "dry_run": dry_run,
        "full": evaluation.full,
        "runs": [
            {key: run.get(key) for key in ("request_id", "origin", "targets", "run_id", "error")}
            for run in outcome.runs
        ],
        "assets": {
            key.to_string(): decision.to_json()
            for key, decision in sorted(
                evaluation.decisions.items(), key=lambda kv: kv[0].to_string()
            )
        },
        "schedules": {k: v for k, v in triggers.notes.items() if k.startswith("schedule:")},
        "sensors": {k: v for k, v in triggers.notes.items() if k.startswith("sensor:")},
        "instigators": triggers.outcomes,
        "freshness_changes": evaluation.freshness_events,
        "errors": outcome.errors,
        "evaluation_ms": round(outcome.evaluation_ms, 2),
    }


# -- the daemon ----------------------------------------------------------------------------


class AutomationDaemon:
    """Runs ticks every ``interval`` seconds while it holds the ``automation`` lease.

    ``clock`` gives each tick's ``now`` (injectable for tests); ``wall_clock`` times the
    lease, which is about processes, not about the simulated time of ticks.
    """

    def __init__(
        self,
        defs: Definitions,
        instance: Any,
        *,
        launcher: RunLauncher | None,
        settings: EvaluationSettings | None = None,
        interval: float = 30.0,
        clock: Callable[[], datetime] | None = None,
        wall_clock: Callable[[], float] = time.time,
        holder: str | None = None,
        lease_seconds: float | None = None,
        queue_config: RunQueueConfig | None = None,
    ) -> None:
        self.defs = defs
        self.instance = instance
        self.store = AutomationStore(instance.storage)
        self.launcher = launcher
        self.settings = settings or EvaluationSettings()
        self.interval = interval
        self.clock = clock or (lambda: datetime.now(UTC))
        self.wall_clock = wall_clock
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_seconds = lease_seconds or max(60.0, 3 * interval)
        self.other_holder: str | None = None
        self.queue_config = queue_config

    def acquire(self) -> bool:
        """Take or renew the lease; False when another live daemon holds it."""
        now = self.wall_clock()
        holder = self.store.acquire_lease(LEASE, self.holder, now, self.lease_seconds)
        if holder != self.holder and holder_is_dead(holder):
            holder = self.store.acquire_lease(
                LEASE, self.holder, now, self.lease_seconds, take_from=holder
            )
        self.other_holder = None if holder == self.holder else holder
        return holder == self.holder

    def release(self) -> None:
        self.store.release_lease(LEASE, self.holder)

    def tick(self, now: datetime | None = None, *, dry_run: bool = False) -> TickOutcome | None:
        """One tick if this daemon holds the lease (None otherwise)."""
        if not dry_run and not self.acquire():
            return None
        outcome = run_tick(
            self.defs,
            self.instance,
            now=now or self.clock(),
            launcher=QueueingLauncher(self.defs, self.instance, wall_clock=self.wall_clock),
            settings=self.settings,
            dry_run=dry_run,
            wall_clock=self.wall_clock,
        )
        if not dry_run:
            from assetgraph.storage.retention import auto_prune

            self.run_backfills_and_queue(outcome)
            auto_prune(self.instance.storage)  # at most once a day, when retention is set
        return outcome

    def run_backfills_and_queue(self, outcome: TickOutcome) -> None:
        """After a tick (whose runs went to the run queue): one step of each backfill
        (queueing its next runs), then launch queued runs with the daemon's launcher while
        ``max_concurrent_runs`` and the tag limits allow. A failure is recorded in
        ``outcome.errors``; the daemon goes on."""
        from assetgraph.automation.backfills import run_backfills
        from assetgraph.automation.run_queue import RunQueueConfig, dequeue_runs

        try:
            steps = run_backfills(
                self.defs, self.instance, now=outcome.now, wall_clock=self.wall_clock
            )
            outcome.backfills = [step.to_json() for step in steps]
            config = self.queue_config or RunQueueConfig.load()
            queue = dequeue_runs(self.instance, self.launcher, config, wall_clock=self.wall_clock)
            outcome.queue = queue.to_json()
            outcome.errors.extend(
                f"queued run {run_id} failed to launch: {why}"
                for run_id, why in queue.failed.items()
            )
        except Exception as exc:  # the next tick tries again
            outcome.errors.append(f"backfills and run queue: {type(exc).__name__}: {exc}")

    def run(
        self,
        stop: threading.Event | None = None,
        *,
        max_ticks: int | None = None,
        on_tick: Callable[[TickOutcome | None], None] | None = None,
    ) -> None:
        """Tick every ``interval`` seconds until ``stop`` is set (or ``max_ticks`` ran)."""
        stop = stop or threading.Event()
        count = 0
        try:
            while not stop.is_set():
                try:
                    outcome = self.tick()
                except Exception as exc:  # the database is away: wait and retry
                    outcome = None
                    self.other_holder = f"(error: {exc})"
                if on_tick is not None:
                    on_tick(outcome)
                count += 1
                if max_ticks is not None and count >= max_ticks:
                    break
                stop.wait(self.interval)
        finally:
            with contextlib.suppress(Exception):
                self.release()


def holder_is_dead(holder: str) -> bool:
    """True when ``holder`` names a process on this host that no longer runs."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
