"""The run lifecycle in three phases, each a function over one ``RunState``.

1. ``prepare_run``: check the run config, free what dead runs left behind, open the IO
   managers, record the run as started (and its ``run_start`` event).
2. ``run_steps``: with the heartbeat beating, SIGTERM turned into an interrupt and the
   run's resources open, hand the plan to the coordinator through a launcher (in
   process, worker processes or Dask) and keep the step outcomes.
3. ``finish_run``: work out the final status, record it (event and run record), raise
   ``RunInterrupted`` for an interrupted run, and call the after-run hooks.

A run that dies another way (an error of assetgraph's, not of a step) is recorded as
failed by ``abort_run`` and the error goes on up. After-run hooks (``AfterRunHook``) only
observe a run that ended: each is called in turn, and one that raises is logged, never
failing the run or the next hook.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.code_location import pools_from_pyproject
from assetgraph.definitions.hooks import HookDefinition
from assetgraph.definitions.jobs import JOB_TAG
from assetgraph.definitions.loggers import forward_log_line, run_loggers
from assetgraph.errors import AssetgraphError, RunInterrupted, UsageError
from assetgraph.execution.coordinator import Coordinator, CoordinatorSettings
from assetgraph.execution.data_versions import RunDataVersions
from assetgraph.execution.interrupts import signal_name, sigterm_interrupts
from assetgraph.execution.launchers import make_launcher
from assetgraph.execution.lifecycle import RunHeartbeat
from assetgraph.execution.op_hooks import hook_resource_keys, run_asset_step_hooks
from assetgraph.execution.remote_storage import refuse_host_local_storage
from assetgraph.execution.resources import io_managers_for, needed_for, resources_for_run
from assetgraph.execution.result import ExecuteInProcessResult
from assetgraph.execution.run_config import resolve_run_config, with_run_config
from assetgraph.execution.step import StepEnvironment, StepOutcome
from assetgraph.execution.worker import make_payload
from assetgraph.planning.planner import StepKind
from assetgraph.storage.coordination import free_run, reconcile_runs
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.storage.retention import auto_prune

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.execution.materialize import ExecutionOptions
    from assetgraph.planning.planner import ExecutionPlan
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.sql_storage import SqlStorage

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class RunState:
    """One run as it goes through its phases: what it was given, what it has made so far."""

    defs: Definitions
    plan: ExecutionPlan
    instance: Instance
    execution: ExecutionOptions
    run_id: str
    run_config: dict[str, Any]
    configs: Mapping[Any, Any]
    io_managers: Mapping[str, Any]
    needed_resources: set[str]
    settings: CoordinatorSettings
    on_event: Callable[[EventRecord], None] | None = None
    job_name: str | None = None
    hooks: frozenset[HookDefinition] = frozenset()
    """The hooks of the run's job, run after each step (``define_asset_job(hooks=)``)."""
    loggers: list[logging.Logger] = field(default_factory=list)
    """The code location's loggers (``Definitions(loggers=)``): they get each log line."""
    outcomes: dict[str, StepOutcome] = field(default_factory=dict)
    coordinator: Coordinator | None = None
    interrupted: KeyboardInterrupt | None = None
    status: RunStatus = RunStatus.STARTED
    error: str | None = None

    @property
    def storage(self) -> SqlStorage:
        return self.instance.storage

    def notify(self, events: list[EventRecord]) -> None:
        """Hand ``events`` (already stored) to the caller's ``on_event``, and the log lines
        among them to the run's loggers."""
        for event in events:
            if self.loggers and event.event_type is EventType.LOG:
                level = str(event.payload.get("level", "INFO"))
                forward_log_line(self.loggers, level, event.message or "")
            if self.on_event is not None:
                self.on_event(event)

    def record(self, events: list[EventRecord]) -> None:
        """Store ``events`` and hand them to the caller."""
        self.storage.store_events(events)
        self.notify(events)


AfterRunHook = Callable[[RunState], None]
"""Called with the state of a run that ended (not aborted, not interrupted); observes only."""


def prepare_run(
    defs: Definitions,
    plan: ExecutionPlan,
    *,
    instance: Instance,
    execution: ExecutionOptions,
    run_config: Mapping[str, Any] | None,
    tags: Mapping[str, str],
    selection_text: str,
    on_event: Callable[[EventRecord], None] | None,
    run_id: str | None = None,
) -> RunState:
    """Phase 1: check the run config, reconcile dead runs, open the IO managers, and
    record the run as started. Nothing is recorded when the config is wrong.

    ``run_id`` names a run recorded as queued (the run queue): it is started as recorded,
    with its tags, instead of a new run."""
    assets_defs = plan.assets_defs
    configs = resolve_run_config(defs.graph, assets_defs, run_config)
    with_run_config(defs.resources, run_config)  # resource config errors before the run
    needed_resources, needed_io_managers = needed_for(defs, assets_defs)
    job_name, hooks = _job_hooks(defs, tags)
    needed_resources |= hook_resource_keys(hooks, defs.resources)
    io_managers = io_managers_for(defs, instance.storage_dir, needed_io_managers)
    if execution.executor == "dask" and execution.dask_address:
        refuse_host_local_storage(defs.graph, assets_defs, io_managers, execution.dask_address)
    storage = instance.storage
    reconcile_runs(storage)  # frees leases and slots of runs that died
    state = RunState(
        defs=defs,
        plan=plan,
        instance=instance,
        execution=execution,
        run_id=run_id or uuid.uuid4().hex,
        run_config=dict(run_config or {}),
        configs=configs,
        io_managers=io_managers,
        needed_resources=needed_resources,
        settings=CoordinatorSettings(
            pools={**pools_from_pyproject(), **defs.pools},
            default_retry=defs.retry_policy,
            no_wait=execution.no_wait,
        ),
        on_event=on_event,
        job_name=job_name,
        hooks=hooks,
    )
    state.loggers = run_loggers(defs.loggers, state.run_config, job_name, state.run_id)
    started = time.time()
    if run_id is not None:
        _start_queued_run(storage, run_id, started)
    else:
        storage.create_run(
            RunRecord(
                run_id=state.run_id,
                status=RunStatus.STARTED,
                created_at=started,
                started_at=started,
                selection=selection_text,
                asset_keys=tuple(key.to_string() for key in plan.selected_keys),
                tags=dict(tags),
                run_config=state.run_config,
            )
        )
    state.record(
        [EventRecord(state.run_id, EventType.RUN_START, started, message=f"{len(plan)} steps")]
    )
    return state


def _job_hooks(
    defs: Definitions, tags: Mapping[str, str]
) -> tuple[str | None, frozenset[HookDefinition]]:
    """The run's job (by its tag) and that job's hooks."""
    job_name = tags.get(JOB_TAG)
    job = next((j for j in defs.jobs if j.name == job_name), None) if job_name else None
    return job_name, (job.hook_defs if job is not None else frozenset())


def _start_queued_run(storage: SqlStorage, run_id: str, started: float) -> None:
    """Mark the queued run ``run_id`` started (its record and tags were written when it
    was queued)."""
    run = storage.get_run(run_id)
    if run is None or run.status is not RunStatus.QUEUED:
        state = "not recorded" if run is None else f"{run.status.value}, not queued"
        raise UsageError(
            f"Run {run_id} is {state}: only a queued run can be started by its id; launch "
            "a new run instead."
        )
    storage.update_run(run_id, status=RunStatus.STARTED, started_at=started, heartbeat_at=started)


def run_steps(state: RunState) -> None:
    """Phase 2: execute the plan's steps, keeping their outcomes in ``state``.

    An interrupt (Ctrl-C, SIGTERM) before or after the steps is kept in ``state`` too (the
    coordinator keeps its own while steps run); any other error goes on up.
    """
    execution = state.execution
    settings = state.settings
    defs = state.defs
    try:
        with (
            sigterm_interrupts(),
            RunHeartbeat(
                state.storage,
                state.run_id,
                settings.cancel,
                interrupt_main=execution.executor == "in_process",
            ),
            resources_for_run(
                with_run_config(defs.resources, state.run_config),
                state.run_id,
                state.needed_resources,
            ) as resources,
        ):
            env = StepEnvironment(
                run_id=state.run_id,
                graph=defs.graph,
                io_managers=state.io_managers,
                resources=resources,
                configs=state.configs,
                run_config=state.run_config,
                checks=defs.checks_by_asset,
                instance=state.instance,
                current_time=state.plan.current_time,
            )
            launcher = make_launcher(
                execution.executor,
                env,
                lambda: make_payload(
                    defs,
                    state.run_id,
                    state.instance.storage_dir,
                    state.run_config,
                    instance=state.instance,
                    current_time=state.plan.current_time,
                ),
                workers=execution.workers,
                dask_address=execution.dask_address,
            )
            if state.hooks:
                settings.after_step = functools.partial(
                    run_asset_step_hooks, state.hooks, env=env, job_name=state.job_name
                )
            try:
                versions = RunDataVersions(defs.graph, state.plan, state.storage)
                state.coordinator = Coordinator(
                    state.plan,
                    state.run_id,
                    state.storage,
                    launcher,
                    versions,
                    state.notify,
                    settings,
                    graph=defs.graph,
                )
                state.outcomes = state.coordinator.run()
                state.interrupted = state.coordinator.interrupted
            finally:
                launcher.close()
    except KeyboardInterrupt as exc:  # before or after the steps (the coordinator has its own)
        if not settings.cancel.is_set():
            state.interrupted = exc


def abort_run(state: RunState, exc: BaseException) -> None:
    """Record a run that ``exc`` stopped outside any step as failed."""
    _record_end(state, RunStatus.FAILURE, f"run aborted: {type(exc).__name__}: {exc}")


def finish_run(
    state: RunState, after_run: Sequence[AfterRunHook] | None = None
) -> ExecuteInProcessResult:
    """Phase 3: record how the run ended, then call the after-run hooks (default:
    ``DEFAULT_AFTER_RUN_HOOKS``). An interrupted run raises ``RunInterrupted`` instead,
    after it is recorded as canceled."""
    status, error = _run_status(state)
    _record_end(state, status, error)
    if state.interrupted is not None:
        free_run(state.storage, state.run_id)  # a step interrupted while it was being launched
        raise _interruption(state, state.interrupted)
    for hook in DEFAULT_AFTER_RUN_HOOKS if after_run is None else after_run:
        try:
            hook(state)
        except Exception:
            name = getattr(hook, "__name__", repr(hook))
            logger.warning("After-run hook %s failed for run %s", name, state.run_id, exc_info=True)
    return ExecuteInProcessResult(
        run_id=state.run_id,
        success=status is RunStatus.SUCCESS,
        plan=state.plan,
        outcomes=state.outcomes,
        graph=state.defs.graph,
        io_managers=state.io_managers,
        status=status.value,
        instance=state.instance,
    )


# -- after-run hooks ----------------------------------------------------------------------


def run_after_refresh_partition_status(state: RunState) -> None:
    """Bring the range status of the run's partitioned assets up to date, so the next
    ``list`` or ``partitions status`` applies only what changed after this run. Never
    fails the run: status is brought up to date on the next read anyway."""
    from assetgraph.status.partitions import partition_statuses

    graph = state.defs.graph
    plan = state.plan
    touched = {
        key
        for step in plan.steps
        if step.partition_keys or step.kind is StepKind.OBSERVE  # one step, many partitions
        for key in step.asset_keys
    }
    assets = {key: pdef for key in touched if (pdef := graph.partitions_def(key))}
    try:
        partition_statuses(assets, state.storage, plan.current_time)
    except AssetgraphError as exc:
        logger.warning("Partition status not brought up to date after the run: %s", exc)


def run_after_prune_history(state: RunState) -> None:
    """Prune old runs and events, at most once a day, when ``ASSETGRAPH_RETENTION_DAYS``
    is set (``assetgraph.storage.retention.auto_prune``)."""
    auto_prune(state.storage)


DEFAULT_AFTER_RUN_HOOKS: tuple[AfterRunHook, ...] = (
    run_after_refresh_partition_status,
    run_after_prune_history,
)
"""What every run does once it has ended, in order."""


# -- ending -------------------------------------------------------------------------------


def _run_status(state: RunState) -> tuple[RunStatus, str | None]:
    """How a run that was not aborted ended, and why when not a success."""
    if state.interrupted is not None:
        return RunStatus.CANCELED, f"interrupted by {signal_name(state.interrupted)}"
    if state.settings.cancel.is_set():
        return RunStatus.CANCELED, "canceled on request"
    coordinator = state.coordinator
    if coordinator is not None and coordinator.lost is not None:
        return RunStatus.FAILURE, str(coordinator.lost)
    failed = [o.step_key for o in state.outcomes.values() if o.status == "failure"]
    if not failed:
        return RunStatus.SUCCESS, None
    error = f"{len(failed)} step(s) failed: {', '.join(failed[:20])}"
    if len(failed) > 20:
        error += f" and {len(failed) - 20} more"
    return RunStatus.FAILURE, error


def _interruption(state: RunState, interrupted: KeyboardInterrupt) -> RunInterrupted:
    coordinator = state.coordinator
    canceled = coordinator.canceled_running if coordinator is not None else 0
    waiting = coordinator.canceled_waiting if coordinator is not None else 0
    done = len(coordinator.outcomes) - canceled - waiting if coordinator is not None else 0
    not_started = len(state.plan) - done - canceled
    return RunInterrupted(state.run_id, signal_name(interrupted), done, canceled, not_started)


def _record_end(state: RunState, status: RunStatus, error: str | None) -> None:
    """The run's last event and its final status."""
    state.status, state.error = status, error
    ended = time.time()
    event_type = {
        RunStatus.SUCCESS: EventType.RUN_SUCCESS,
        RunStatus.CANCELED: EventType.RUN_CANCELED,
    }.get(status, EventType.RUN_FAILURE)
    state.record([EventRecord(state.run_id, event_type, ended, message=error)])
    state.storage.update_run(state.run_id, status=status, ended_at=ended, error=error)
