"""One step of an op job: call an op's function once (one mapping key), with retries.

The op receives its context, config, resources and input values; what it returns or
yields becomes its outputs (``Output``, ``DynamicOutput``, or the bare value of its one
output) and its events: an ``AssetMaterialization`` is recorded as a materialization of
that asset key (Dagster's semantics), an ``ExpectationResult`` and ``AssetObservation`` in
the event log. A failed attempt is retried by the op's ``RetryPolicy`` (the node's, the
op's, else the job's ``op_retry_policy``) or by a ``RetryRequested`` the op raises.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from assetgraph.context import StepLog
from assetgraph.definitions.asset_observation import AssetObservation
from assetgraph.definitions.loggers import forward_log_line
from assetgraph.definitions.op_context import OpContext
from assetgraph.definitions.op_events import AssetMaterialization, ExpectationResult
from assetgraph.definitions.op_io import DynamicOutput
from assetgraph.definitions.op_plan import FlatOp
from assetgraph.definitions.outputs import Output
from assetgraph.errors import Failure, RetryRequested
from assetgraph.execution.capture import capture_output
from assetgraph.execution.op_input_managers import ManagedInput
from assetgraph.execution.op_types import check_op_inputs, check_op_outputs
from assetgraph.execution.step import StepError, error_from
from assetgraph.storage.events import (
    Logged,
    StepFailed,
    StepStarted,
    StepSucceeded,
    step_event,
)
from assetgraph.storage.records import EventRecord, StepStatus
from assetgraph.storage.user_events import user_event_record

Record = Callable[[list[EventRecord]], None]


@dataclass
class OpRunEnvironment:
    """What every step of an op job's run shares."""

    run_id: str
    job_name: str
    resources: SimpleNamespace
    run_config: Mapping[str, Any]
    configs: Mapping[str, Any]
    tags: Mapping[str, str]
    instance: Any
    default_retry: Any
    record: Record
    loggers: Sequence[logging.Logger] = ()
    """The run's custom loggers (``logger_defs``): they receive every ``context.log`` line."""


@dataclass
class OpStepResult:
    """How one step of an op ended: its outputs and the events user code produced."""

    step_key: str
    status: StepStatus
    outputs: dict[str, Any] = field(default_factory=dict)
    dynamic: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_events: list[Any] = field(default_factory=list)
    error: StepError | None = None
    exception: BaseException | None = None
    """What the op raised when it failed (``HookContext.op_exception``)."""


class _OutputError(Exception):
    """What an op returned does not fit its outputs."""


def run_op_step(
    flat_op: FlatOp,
    step_key: str,
    kwargs: Mapping[str, Any],
    env: OpRunEnvironment,
    mapping_key: str | None = None,
) -> OpStepResult:
    """Run ``flat_op`` as step ``step_key`` with input values ``kwargs``, retrying as its
    policy allows; every event is recorded as it happens."""
    attempt = 1
    while True:
        result, retry_in = _attempt(flat_op, step_key, kwargs, env, mapping_key, attempt)
        if retry_in is None:
            return result
        time.sleep(retry_in)
        attempt += 1


def _attempt(
    flat_op: FlatOp,
    step_key: str,
    kwargs: Mapping[str, Any],
    env: OpRunEnvironment,
    mapping_key: str | None,
    attempt: int,
) -> tuple[OpStepResult, float | None]:
    started = time.time()
    env.record([step_event(env.run_id, StepStarted(attempt), started, step_key=step_key)])

    def sink(level: str, text: str) -> None:
        env.record(
            [step_event(env.run_id, Logged(level), time.time(), step_key=step_key, message=text)]
        )
        forward_log_line(env.loggers, level, text)

    op_def = flat_op.op
    context = OpContext(
        run_id=env.run_id,
        step_key=step_key,
        resources=env.resources,
        log=StepLog(step_key, sink),
        op_config=_config_value(env.configs.get(flat_op.handle)),
        run_config=env.run_config,
        instance=env.instance,
        op_def=op_def,
        mapping_key=mapping_key,
        retry_number=attempt - 1,
        tags=env.tags,
        job_name=env.job_name,
    )
    result = OpStepResult(step_key, StepStatus.SUCCESS)
    try:
        kwargs = {
            name: (
                value.load(env.resources, env.run_id) if isinstance(value, ManagedInput) else value
            )
            for name, value in kwargs.items()
        }
        call_kwargs = _call_kwargs(flat_op, kwargs, context, env)
        check_op_inputs(flat_op, kwargs, context)
        with context.log.capturing(), capture_output(tee=True) as printed:
            try:
                returned = op_def.fn(**call_kwargs)
                if inspect.isgenerator(returned):
                    returned = list(returned)
                    _take_yielded(flat_op, returned, result)
                else:
                    _take_returned(flat_op, returned, result)
            finally:
                if output := printed.events_for(env.run_id, step_key):
                    env.record(output)
        _take_events(context.logged_events, result)
        _check_required(flat_op, result)
        check_op_outputs(flat_op, result.outputs, result.dynamic, context)
        _materialize_asset_outputs(flat_op, result)
    except _OutputError as exc:
        error = StepError("output", "OutputError", str(exc), None, "")
        return _failed(flat_op, step_key, env, attempt, started, error, None), None
    except Exception as exc:
        error = error_from(exc, "user_code", str(exc) or type(exc).__name__)
        retry_in = _retry_in(flat_op, env, exc, attempt)
        failed = _failed(flat_op, step_key, env, attempt, started, error, retry_in)
        failed.exception = exc
        return failed, retry_in
    _record_user_events(result, step_key, env)
    env.record(
        [
            step_event(
                env.run_id, StepSucceeded(time.time() - started), time.time(), step_key=step_key
            )
        ]
    )
    return result, None


def _call_kwargs(
    flat_op: FlatOp, kwargs: Mapping[str, Any], context: OpContext, env: OpRunEnvironment
) -> dict[str, Any]:
    params = flat_op.op.parameters
    call = dict(kwargs)
    if params.context is not None:
        call[params.context] = context
    if params.config is not None:
        call[params.config[0]] = env.configs.get(flat_op.handle)
    for name in params.resources:
        call[name] = getattr(env.resources, name)
    return call


def _config_value(config: Any) -> Any:
    """``context.op_config``: a ``Config`` instance as its dict, as Dagster gives it."""
    dump = getattr(config, "model_dump", None)
    return dump() if callable(dump) else config


def _take_returned(flat_op: FlatOp, returned: Any, result: OpStepResult) -> None:
    outs = flat_op.op.outs
    names = list(outs)
    if len(names) == 1:
        name = names[0]
        if outs[name].is_dynamic:
            _take_yielded(flat_op, list(returned or ()), result)
        elif isinstance(returned, Output):
            _put(flat_op, result, returned.output_name, returned.value)
        else:
            result.outputs[name] = returned
        return
    if isinstance(returned, Output):
        _take_yielded(flat_op, [returned], result)
        return
    if returned is None and not any(o.is_required for o in outs.values()):
        return
    if not isinstance(returned, tuple) or len(returned) != len(names):
        raise _OutputError(
            f"Op '{flat_op.handle}' has {len(names)} outputs ({', '.join(names)}) and must "
            f"return a tuple of {len(names)} values (or yield Output(value, name)), got "
            f"{type(returned).__name__}."
        )
    for name, value in zip(names, returned, strict=True):
        if isinstance(value, Output):
            _put(flat_op, result, value.output_name, value.value)
        else:
            result.outputs[name] = value


def _take_yielded(flat_op: FlatOp, items: Iterable[Any], result: OpStepResult) -> None:
    outs = flat_op.op.outs
    for item in items:
        if isinstance(item, DynamicOutput):
            out = outs.get(item.output_name)
            if out is None or not out.is_dynamic:
                raise _OutputError(
                    f"Op '{flat_op.handle}' yielded DynamicOutput for '{item.output_name}', "
                    "which is not a DynamicOut of the op."
                )
            values = result.dynamic.setdefault(item.output_name, {})
            if item.mapping_key in values:
                raise _OutputError(
                    f"Op '{flat_op.handle}' yielded mapping key '{item.mapping_key}' twice "
                    f"for output '{item.output_name}'."
                )
            values[item.mapping_key] = item.value
        elif isinstance(item, Output):
            _put(flat_op, result, item.output_name, item.value)
        elif isinstance(item, AssetMaterialization | ExpectationResult | AssetObservation):
            result.user_events.append(item)
        else:
            raise _OutputError(
                f"Op '{flat_op.handle}' yielded {type(item).__name__}: yield Output, "
                "DynamicOutput, AssetMaterialization, ExpectationResult or AssetObservation."
            )


def _put(flat_op: FlatOp, result: OpStepResult, name: str, value: Any) -> None:
    out = flat_op.op.outs.get(name)
    if out is None:
        raise _OutputError(
            f"Op '{flat_op.handle}' has no output '{name}' (outputs: {', '.join(flat_op.op.outs)})."
        )
    if name in result.outputs:
        raise _OutputError(f"Op '{flat_op.handle}' produced output '{name}' twice.")
    result.outputs[name] = value


def _take_events(logged: Iterable[Any], result: OpStepResult) -> None:
    for event in logged:
        if not isinstance(event, AssetMaterialization | ExpectationResult | AssetObservation):
            raise _OutputError(
                f"context.log_event got {type(event).__name__}: log an AssetMaterialization, "
                "ExpectationResult or AssetObservation."
            )
        result.user_events.append(event)


def _check_required(flat_op: FlatOp, result: OpStepResult) -> None:
    for name, out in flat_op.op.outs.items():
        if out.is_dynamic:
            result.dynamic.setdefault(name, {})
        elif out.is_required and name not in result.outputs:
            raise _OutputError(
                f"Op '{flat_op.handle}' did not produce its required output '{name}': yield "
                f"Output(value, '{name}'), or declare Out(is_required=False)."
            )


def _materialize_asset_outputs(flat_op: FlatOp, result: OpStepResult) -> None:
    """An output declared with ``Out(asset_key=...)`` materializes that asset when produced."""
    for name, out in flat_op.op.outs.items():
        if out.asset_key is None or (name not in result.outputs and not result.dynamic.get(name)):
            continue
        if callable(out.asset_key):
            raise _OutputError(
                f"Op '{flat_op.handle}': Out(asset_key=<function>) is not supported; give the "
                "asset key itself, or yield AssetMaterialization(asset_key=...)."
            )
        result.user_events.append(AssetMaterialization(out.asset_key, metadata=out.metadata))


def _record_user_events(result: OpStepResult, step_key: str, env: OpRunEnvironment) -> None:
    now = time.time()
    events = [user_event_record(event, env.run_id, now, step_key) for event in result.user_events]
    if events:
        env.record(events)


def _retry_in(flat_op: FlatOp, env: OpRunEnvironment, exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before the next attempt, or None when the step fails for good."""
    if isinstance(exc, RetryRequested):
        return exc.seconds_to_wait if attempt <= exc.max_retries else None
    if isinstance(exc, Failure) and not exc.allow_retries:
        return None
    policy = flat_op.retry_policy or flat_op.op.retry_policy or env.default_retry
    if policy is None or attempt > policy.max_retries:
        return None
    return float(policy.wait_before(attempt + 1))


def _failed(
    flat_op: FlatOp,
    step_key: str,
    env: OpRunEnvironment,
    attempt: int,
    started: float,
    error: StepError,
    retry_in: float | None,
) -> OpStepResult:
    now = time.time()
    body = StepFailed(
        error=error.to_payload(),
        duration=now - started,
        attempt=attempt,
        retry_in=retry_in,
    )
    retrying = f" (retrying in {retry_in:.1f}s)" if retry_in is not None else ""
    message = error.summary() + retrying
    env.record([step_event(env.run_id, body, now, step_key=step_key, message=message)])
    return OpStepResult(step_key, StepStatus.FAILURE, error=error)
