"""A run of an op job: its ops one step each, in process, recorded like any run.

The algorithm: check the run config of every op and the values of unwired inputs, and
that every resource an op needs exists (nothing is recorded when one is wrong); record
the run as started; then take the ops in graph order (``op_plan.flatten``), and for each:
gather its input values from the outputs of the ops before it (kept in memory); when one
is missing (its op failed, was skipped, or did not yield an optional output) record the
step as skipped; otherwise run it (``op_step.run_op_step``), once per mapping key when it
is mapped over a dynamic output. Last, record how the run ended.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.hooks import HookDefinition
from assetgraph.definitions.jobs import JOB_TAG
from assetgraph.definitions.loggers import run_loggers
from assetgraph.definitions.op_plan import Collect, FlatOp, Source
from assetgraph.errors import ResourceError, RunFailure, UsageError, did_you_mean
from assetgraph.execution.lifecycle import RunHeartbeat
from assetgraph.execution.op_hooks import hook_resource_keys, run_step_hooks
from assetgraph.execution.op_input_managers import (
    ManagedInput,
    input_config,
    input_manager_keys,
    managed_inputs,
)
from assetgraph.execution.op_result import OpJobResult
from assetgraph.execution.op_step import OpRunEnvironment, OpStepResult, run_op_step
from assetgraph.execution.resources import resources_for_run
from assetgraph.storage.events import StepSkipped, step_event
from assetgraph.storage.instance import Instance
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus, StepStatus

if TYPE_CHECKING:
    from assetgraph.definitions.op_jobs import OpJobDefinition

_MISSING = object()


def execute_op_job(
    job: OpJobDefinition,
    *,
    run_config: Mapping[str, Any],
    instance: Instance | None = None,
    resources: Mapping[str, Any] | None = None,
    raise_on_error: bool = False,
    op_selection: Sequence[str] | None = None,
    tags: Mapping[str, str] | None = None,
    input_values: Mapping[str, Any] | None = None,
    run_id: str | None = None,
) -> OpJobResult:
    """Run ``job``'s ops (or ``op_selection``) as one run recorded in ``instance`` (default:
    an ephemeral one); with ``raise_on_error`` a failed run raises ``RunFailure``."""
    ops = job.ops_for_run(op_selection)
    configs = job.op_configs(run_config)
    unwired = job.op_inputs(run_config, input_values or {}, ops)
    declared = job.run_resources(resources, run_config)
    needed = _needed_resources(ops, declared) | input_manager_keys(ops, declared)
    needed |= hook_resource_keys(_all_hooks(job, ops), declared)
    instance = instance if instance is not None else Instance.ephemeral()
    storage = instance.storage
    run = _OpRun(job, ops, unwired, run_config)
    run_id = run_id or uuid.uuid4().hex
    run_tags = {**(tags or {}), JOB_TAG: job.name}
    started = time.time()
    queued = storage.get_run(run_id)
    if queued is not None:  # a run the run queue recorded: start it as recorded
        if queued.status is not RunStatus.QUEUED:
            raise UsageError(
                f"Run {run_id} is {queued.status.value}, not queued: only a queued run can be "
                "started by its id."
            )
        storage.update_run(run_id, status=RunStatus.STARTED, started_at=started)
    else:
        storage.create_run(
            RunRecord(
                run_id=run_id,
                status=RunStatus.STARTED,
                created_at=started,
                started_at=started,
                selection=f"job:{job.name}",
                tags=run_tags,
                run_config=dict(run_config),
            )
        )

    def record(events: list[EventRecord]) -> None:
        storage.store_events(events)

    record([EventRecord(run_id, EventType.RUN_START, started, message=f"{len(ops)} ops")])
    cancel = threading.Event()
    try:
        with (
            RunHeartbeat(storage, run_id, cancel, interrupt_main=True),
            resources_for_run(declared, run_id, needed) as run_resources,
        ):
            env = OpRunEnvironment(
                run_id=run_id,
                job_name=job.name,
                resources=run_resources,
                run_config=run_config,
                configs=configs,
                tags=run_tags,
                instance=instance,
                default_retry=job.op_retry_policy,
                record=record,
                loggers=run_loggers(
                    {**getattr(job.definitions, "loggers", {}), **job.logger_defs},
                    run_config,
                    job.name,
                    run_id,
                ),
            )
            run.execute(env, cancel)
    except BaseException as exc:
        _record_end(storage, record, run_id, RunStatus.FAILURE, f"run aborted: {exc!r}")
        raise
    status, error = run.status(cancel)
    _record_end(storage, record, run_id, status, error)
    result = OpJobResult(
        run_id=run_id,
        job_name=job.name,
        success=status is RunStatus.SUCCESS,
        status=status.value,
        steps=run.steps,
        values=run.values,
        dynamic=run.dynamic,
        graph_outputs=job.flat.graph_outputs,
        job_outputs=job.flat.outputs,
        instance=instance,
    )
    if raise_on_error and not result.success:
        failures = "; ".join(
            f"{s.step_key}: {s.error.summary()}" for s in result.failures if s.error is not None
        )
        raise RunFailure(f"Run {run_id} of job '{job.name}' failed: {failures or error}")
    return result


class _OpRun:
    """The values and step outcomes of one run, as its ops execute."""

    def __init__(
        self,
        job: OpJobDefinition,
        ops: list[FlatOp],
        unwired: Mapping[tuple[str, str], Any],
        run_config: Mapping[str, Any],
    ) -> None:
        self.job = job
        self.ops = ops
        self.unwired = unwired
        self.run_config = run_config
        self.selected = {flat_op.handle for flat_op in ops}
        self.values: dict[tuple[str, str], Any] = {}
        self.dynamic: dict[tuple[str, str], dict[str, Any]] = {}
        self.incomplete: set[str] = set()
        """Ops with a mapping key that did not succeed (a collect over them is skipped)."""
        self.steps: dict[str, OpStepResult] = {}

    def execute(self, env: OpRunEnvironment, cancel: threading.Event) -> None:
        for flat_op in self.ops:
            mapped = flat_op.mapped_over
            keys: list[str | None] = [None]
            if mapped is not None:
                found = self.dynamic.get((mapped.handle, mapped.output))
                keys = list(found) if found is not None else []
                if found is None:
                    self._skip(env, flat_op.handle, canceled=False)
                    self.incomplete.add(flat_op.handle)
            for key in keys:
                step_key = flat_op.handle if key is None else f"{flat_op.handle}[{key}]"
                if cancel.is_set():
                    self._skip(env, step_key, canceled=True)
                    continue
                kwargs = self._inputs(flat_op, key)
                if kwargs is None:
                    self._skip(env, step_key, canceled=False)
                    if key is not None:
                        self.incomplete.add(flat_op.handle)
                    continue
                result = run_op_step(flat_op, step_key, kwargs, env, mapping_key=key)
                run_step_hooks(flat_op, result, env, self.job.hook_defs)
                self.steps[step_key] = result
                self._keep(flat_op, key, result)

    def _keep(self, flat_op: FlatOp, key: str | None, result: OpStepResult) -> None:
        if result.status is not StepStatus.SUCCESS:
            if key is not None:
                self.incomplete.add(flat_op.handle)
            return
        for name, value in result.outputs.items():
            if key is None:
                self.values[(flat_op.handle, name)] = value
            else:
                self.dynamic.setdefault((flat_op.handle, name), {})[key] = value
        for name, values in result.dynamic.items():
            self.dynamic[(flat_op.handle, name)] = dict(values)

    def _inputs(self, flat_op: FlatOp, key: str | None) -> dict[str, Any] | None:
        """The op's input values by parameter (None when one is missing: skip the op)."""
        kwargs: dict[str, Any] = {}
        for name in flat_op.op.input_names():
            if name in managed_inputs(flat_op):
                managed = self._managed(flat_op, name, key)
                if managed is None:
                    return None
                kwargs[name] = managed
                continue
            if (flat_op.handle, name) in self.unwired:
                value = self.unwired[(flat_op.handle, name)]
            else:
                value = self._value(flat_op.inputs.get(name), key)
            if value is _MISSING:
                return None
            in_def = flat_op.op.ins.get(name)
            if in_def is None or not in_def.is_nothing:
                kwargs[name] = value
        return kwargs

    def _managed(self, flat_op: FlatOp, name: str, key: str | None) -> ManagedInput | None:
        """An input its input manager loads; None (skip the op) when the op wired to it
        ran in this run without producing that output."""
        source = flat_op.inputs.get(name)
        upstream = source if isinstance(source, Source) else None
        if upstream is not None and upstream.handle not in self.selected:
            upstream = None  # left out by the op selection: the manager loads it alone
        if upstream is not None and self._value(upstream, key) is _MISSING:
            return None
        config = input_config(self.run_config, flat_op, name)
        return ManagedInput(flat_op, name, upstream, config)

    def _value(self, source: Any, key: str | None) -> Any:
        if isinstance(source, Source):
            if source.item:
                items = self.dynamic.get((source.handle, source.output), {})
                return items.get(key, _MISSING) if key is not None else _MISSING
            if (source.handle, source.output) in self.dynamic:
                return dict(self.dynamic[(source.handle, source.output)])
            return self.values.get((source.handle, source.output), _MISSING)
        if isinstance(source, Collect):
            found = self.dynamic.get((source.source.handle, source.source.output))
            if found is None or source.source.handle in self.incomplete:
                return _MISSING
            return list(found.values())
        if isinstance(source, tuple):
            values = [self._value(s, key) for s in source]
            return _MISSING if any(v is _MISSING for v in values) else values
        return _MISSING  # a job input or an unwired input: given in self.unwired

    def _skip(self, env: OpRunEnvironment, step_key: str, *, canceled: bool) -> None:
        env.record([step_event(env.run_id, StepSkipped(canceled), time.time(), step_key=step_key)])
        self.steps[step_key] = OpStepResult(step_key, StepStatus.SKIPPED)

    def status(self, cancel: threading.Event) -> tuple[RunStatus, str | None]:
        if cancel.is_set():
            return RunStatus.CANCELED, "canceled on request"
        failed = [s.step_key for s in self.steps.values() if s.status is StepStatus.FAILURE]
        if not failed:
            return RunStatus.SUCCESS, None
        more = f" and {len(failed) - 20} more" if len(failed) > 20 else ""
        listed = ", ".join(failed[:20]) + more
        return RunStatus.FAILURE, f"{len(failed)} step(s) failed: {listed}"


def _all_hooks(job: OpJobDefinition, ops: Sequence[FlatOp]) -> set[HookDefinition]:
    return set(job.hook_defs).union(*(flat_op.hooks for flat_op in ops))


def _needed_resources(ops: Sequence[FlatOp], declared: Mapping[str, Any]) -> set[str]:
    """Every resource key the ops use; a ``ResourceError`` names an op's missing one."""
    needed: set[str] = set()
    for flat_op in ops:
        keys = set(flat_op.op.required_resource_keys) | set(flat_op.op.parameters.resources)
        for key in sorted(keys):
            if key not in declared:
                raise ResourceError(
                    f"Op '{flat_op.handle}' needs resource '{key}', which is not given: add it "
                    "to the job's resource_defs, Definitions(resources=...) or "
                    "execute_in_process(resources=...)." + did_you_mean(key, list(declared))
                )
        needed |= keys
    return needed


def _record_end(
    storage: Any, record: Any, run_id: str, status: RunStatus, error: str | None
) -> None:
    ended = time.time()
    event_type = {
        RunStatus.SUCCESS: EventType.RUN_SUCCESS,
        RunStatus.CANCELED: EventType.RUN_CANCELED,
    }.get(status, EventType.RUN_FAILURE)
    record([EventRecord(run_id, event_type, ended, message=error)])
    storage.update_run(run_id, status=status, ended_at=ended, error=error)
