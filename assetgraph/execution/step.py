"""Executing one step: load inputs, call the asset function, store and record outputs.

User code (the asset function) runs inside one boundary that keeps the user's exception
and adds the step, the asset and where in user code it was raised.
"""

from __future__ import annotations

import functools
import inspect
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from assetgraph.context import AssetExecutionContext, StepLog
from assetgraph.definitions.asset_observation import AssetObservation
from assetgraph.definitions.assets import AssetOutputSpec
from assetgraph.definitions.check_evaluation import (
    CheckEvaluation,
    evaluate_check,
    evaluate_multi_check,
    match_check_results,
)
from assetgraph.definitions.checks import AssetCheckResult, AssetChecksDefinition
from assetgraph.definitions.dagster_types import DagsterType
from assetgraph.definitions.metadata import normalize_metadata
from assetgraph.definitions.metadata_checks import MaterializationChecks
from assetgraph.definitions.outputs import MaterializeResult, Output
from assetgraph.definitions.schema_validation import evaluate_schema
from assetgraph.definitions.signatures import cached_signature, resolved_return_annotation
from assetgraph.errors import USER_CODE_FAILURES, Failure
from assetgraph.execution.data_versions import NO_PARTITION, InputVersions
from assetgraph.execution.input_shapes import input_shapes, load_shaped
from assetgraph.graph import AssetGraph
from assetgraph.io import InputContext, OutputContext
from assetgraph.keys import AssetKey
from assetgraph.planning.planner import Step
from assetgraph.storage.events import (
    CheckEvaluated,
    EventPayload,
    Logged,
    Materialized,
    RuntimeObservation,
    StepFailed,
    StepSkipped,
    StepSucceeded,
    step_event,
)
from assetgraph.storage.records import EventRecord, StepStatus
from assetgraph.storage.user_events import is_asset_event, user_event_record
from assetgraph.versions.digests import derived_data_version, read_versions_record

_PACKAGE_DIRS = (
    str(Path(__file__).resolve().parents[1]),
    str(Path(__file__).resolve().parents[2] / "io_managers"),
)


@dataclass(slots=True)
class StepError:
    """Why a step failed: the exception, where it was raised, and the traceback."""

    kind: str  # "user_code", "load_input", "asset_check", "handle_output", "output", "type_check"
    type_name: str
    message: str
    location: str | None
    traceback: str
    metadata: dict[str, Any] | None = None
    """What a ``Failure`` the user raised attached (typed, as stored)."""
    retryable: bool = True
    """False when a ``Failure(allow_retries=False)`` forbids retrying the step."""

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "kind": self.kind,
            "type": self.type_name,
            "message": self.message,
            "location": self.location,
            "traceback": self.traceback,
        }
        if self.metadata:
            payload["metadata"] = self.metadata
        return payload

    def summary(self) -> str:
        where = f" (at {self.location})" if self.location else ""
        return f"{self.type_name}: {self.message}{where}"


@dataclass(slots=True)
class StepOutcome:
    """What happened to a step, and the events it produced (not yet stored)."""

    step_key: str
    status: StepStatus
    events: list[EventRecord] = field(default_factory=list)
    error: StepError | None = None
    duration: float = 0.0
    rerun: bool = False
    """A failed attempt whose step the launcher already runs again (Dask re-ran it on
    another worker after the one running it died): the coordinator counts the attempt."""


@dataclass(slots=True)
class StepEnvironment:
    """What every step of a run shares."""

    run_id: str
    graph: AssetGraph
    io_managers: Mapping[str, Any]
    resources: SimpleNamespace
    configs: Mapping[Any, Any]
    run_config: Mapping[str, Any]
    checks: Mapping[AssetKey, Sequence[AssetChecksDefinition]] = field(default_factory=dict)
    instance: Any = None
    """The run's ``Instance`` for ``context.instance`` (None: not reachable from here)."""
    current_time: datetime | None = None
    """The run's time (its plan's), against which observed partition keys are checked."""


def execute_step(
    step: Step, env: StepEnvironment, input_versions: InputVersions | None = None
) -> StepOutcome:
    """Run ``step``; the outcome carries its events but its start, which the run
    coordinator records when it claims the step.

    ``input_versions`` (from the run coordinator) are the data versions of what the step
    reads; they are recorded with each materialization.
    """
    started = time.time()
    outcome = StepOutcome(step_key=step.key, status=StepStatus.SUCCESS)
    log_events = outcome.events

    def sink(level: str, text: str) -> None:
        log_events.append(_event(env.run_id, Logged(level), step, time.time(), message=text))

    assets_def = step.assets_def
    logged: list[Any] = []  # what user code passed to context.log_event, kept on failure
    observed = False
    try:
        inputs = env.graph.input_keys(assets_def)
        kwargs = _load_inputs(step, env, inputs)
        log = StepLog(step.key, sink)
        context = _step_context(step, env, inputs, log) if _needs_context(step, env) else None
        if context is not None:
            logged = context.logged_events
        if assets_def.context_param is not None and context is not None:
            kwargs[assets_def.context_param] = context
        for param in assets_def.resource_params:
            kwargs[param] = getattr(env.resources, param)
        if assets_def.config_param is not None:
            kwargs[assets_def.config_param[0]] = env.configs[assets_def]
            if context is not None:
                context.op_config = env.configs[assets_def].model_dump()
        elif assets_def.config_schema is not None and context is not None:
            context.op_config = env.configs[assets_def]
        with log.capturing():
            result, late_error = _call_user_code(step, kwargs)
        observed = True
        result, observations = _separate_observations(step, result, logged)
        outcome.events.extend(_observation_event(env.run_id, step, o) for o in observations)
        result, check_results = _separate_check_results(step, result)
        values = _split_outputs(step, result, partial=late_error is not None)
        _check_types(step, values)
        with log.capturing():  # checks are user code too
            values, crashed = _validate_outputs(
                step, env, values, check_results, context, log, outcome.events
            )
        materializations = _store_outputs(step, env, values, context, started, input_versions)
        if late_error is not None:  # what the function stored before it raised is recorded
            outcome.events.extend(materializations)
            raise _StepError(late_error)
        if crashed:
            # As in Dagster, a check that raised fails its step (and the run); the value
            # was produced and is stored, since the check did not block.
            outcome.events.extend(materializations)
            raise _StepError(_check_error(step, crashed, stored=True))
    except _StepError as exc:
        if not observed:  # as in Dagster, what was logged before the failure is kept
            outcome.events.extend(
                _observation_event(env.run_id, step, event)
                for event in logged
                if is_asset_event(event)
            )
        ended = time.time()
        outcome.status = StepStatus.FAILURE
        outcome.error = exc.error
        outcome.duration = ended - started
        failure = StepFailed(
            error=exc.error.to_payload(),
            duration=outcome.duration,
            asset_keys=tuple(key.to_string() for key in step.asset_keys),
            partition_keys=tuple(step.partition_keys),
        )
        outcome.events.append(_event(env.run_id, failure, step, ended, message=exc.error.summary()))
        return outcome
    ended = time.time()
    outcome.duration = ended - started
    outcome.events.extend(materializations)
    outcome.events.append(_event(env.run_id, StepSucceeded(outcome.duration), step, ended))
    return outcome


def skipped_outcome(step: Step, run_id: str, failed_upstream: str) -> StepOutcome:
    """The outcome of a step not run because an upstream step failed or was skipped."""
    reason = f"upstream step '{failed_upstream}' did not succeed"
    event = _event(run_id, StepSkipped(), step, time.time(), message=reason)
    return StepOutcome(step_key=step.key, status=StepStatus.SKIPPED, events=[event])


class _StepError(Exception):
    def __init__(self, error: StepError) -> None:
        super().__init__(error.message)
        self.error = error


def _needs_context(step: Step, env: StepEnvironment) -> bool:
    """Whether anything reads the step's ``AssetExecutionContext``: the function (a context
    parameter) or an ``@asset_check`` of its assets. Otherwise none is built."""
    if step.assets_def.context_param is not None:
        return True
    return any(checks_in_step(step, env, spec.key) for spec in step.assets_def.specs)


def checks_in_step(
    step: Step, env: StepEnvironment, key: AssetKey
) -> Sequence[AssetChecksDefinition]:
    """The ``@asset_check``s run in ``step`` on asset ``key``: all of its, but those
    the run leaves out (``step.skipped_checks``)."""
    checks = env.checks.get(key, ())
    if not step.skipped_checks or not checks:
        return checks
    return [
        check
        for check in checks
        if any(
            spec.key not in step.skipped_checks
            for spec in ([s for s in check.specs if s.asset_key == key] or check.specs)
        )
    ]


def _step_context(
    step: Step, env: StepEnvironment, inputs: Mapping[str, AssetKey], log: StepLog
) -> AssetExecutionContext:
    assets_def = step.assets_def
    return AssetExecutionContext(
        run_id=env.run_id,
        step_key=step.key,
        asset_keys=step.asset_keys,
        resources=env.resources,
        log=log,
        run_config=env.run_config,
        partition_keys=step.partition_keys,
        partitions_def=assets_def.partitions_def,
        input_partitions={
            param: step.input_partitions.get(upstream, ()) for param, upstream in inputs.items()
        },
        output_names={spec.key: spec.output_name for spec in assets_def.specs},
        check_keys=[c.key for c in assets_def.check_specs if c.asset_key in step.asset_keys],
        instance=env.instance,
        input_partitions_defs={
            param: env.graph.partitions_def(upstream) for param, upstream in inputs.items()
        },
    )


def _load_inputs(
    step: Step, env: StepEnvironment, inputs: Mapping[str, AssetKey]
) -> dict[str, Any]:
    """The loaded value of each input (parameter -> upstream key in ``inputs``)."""
    kwargs: dict[str, Any] = {}
    if not inputs:
        return kwargs
    assets_def = step.assets_def
    # An annotated partitioned input keeps one shape for one partition or many.
    shapes = input_shapes(assets_def.fn, assets_def.name) if step.input_partitions else {}
    managers = {i.param: i.input_manager_key for i in assets_def.inputs if i.input_manager_key}
    input_metadata = {i.param: i.metadata for i in assets_def.inputs}
    parameters = cached_signature(assets_def.fn, assets_def.name).parameters
    for param, upstream in inputs.items():
        upstream_def = env.graph.assets_def(upstream)
        spec = upstream_def.spec(upstream)
        manager = env.io_managers[managers.get(param) or spec.io_manager_key]
        partition_keys = step.input_partitions.get(upstream, ()) if step.input_partitions else ()
        # The mapping reads no partition (the first partition of a self-dependent asset)
        reads_none = not partition_keys and upstream in step.input_partitions
        if reads_none and not getattr(manager, "loads_empty_partition_sets", False):
            kwargs[param] = None
            continue
        parameter = parameters.get(param)
        if parameter is not None and parameter.annotation is not inspect.Parameter.empty:
            annotation = parameter.annotation
        else:
            annotation = stored_annotation(env.graph, upstream)
        context = InputContext(
            asset_key=upstream,
            run_id=env.run_id,
            downstream_key=step.asset_keys[0],
            resources=env.resources,
            # Dagster's input metadata (AssetIn(metadata=...), e.g. "columns") over the asset's
            metadata={**spec.metadata, **input_metadata.get(param, {})},
            partition_keys=partition_keys,
            partitions_def=upstream_def.partitions_def,
            name=param,
            upstream_output=OutputContext(
                asset_key=upstream,
                run_id=env.run_id,
                step_key=upstream_def.step_name,
                resources=env.resources,
                metadata=spec.metadata,
                partition_keys=partition_keys,
                partitions_def=upstream_def.partitions_def,
                name=spec.output_name,
            ),
            annotation=annotation,
            dagster_type=_input_dagster_type(parameter),
        )
        try:
            kwargs[param] = load_shaped(manager, context, shapes.get(param, "bare"))
        except USER_CODE_FAILURES as exc:
            raise _StepError(
                error_from(
                    exc,
                    "load_input",
                    f"could not load input '{param}' (asset '{upstream}') with "
                    f"{type(manager).__name__}: {exc}",
                )
            ) from exc
    return kwargs


@functools.lru_cache(maxsize=512)
def _dagster_type_of(annotation: Any) -> DagsterType:
    type_name = getattr(annotation, "__name__", None) or str(annotation)
    return DagsterType(lambda _context, _value: True, name=type_name, typing_type=annotation)


def _input_dagster_type(parameter: inspect.Parameter | None) -> DagsterType:
    """Dagster's ``context.dagster_type`` of an input: its ``typing_type`` is the
    parameter's own annotation, ``Any`` when it has none (not the upstream's)."""
    annotation: Any = Any
    if parameter is not None and parameter.annotation is not inspect.Parameter.empty:
        annotation = parameter.annotation
    try:
        return _dagster_type_of(annotation)
    except TypeError:  # an unhashable annotation
        return _dagster_type_of.__wrapped__(annotation)


def stored_annotation(graph: AssetGraph, key: AssetKey) -> Any:
    """The return annotation of the single asset ``key`` (None for a multi-asset's outputs)."""
    assets_def = graph.assets_def(key)
    if assets_def.is_multi:
        return None
    return resolved_return_annotation(assets_def.fn, assets_def.name)


def _call_user_code(step: Step, kwargs: dict[str, Any]) -> tuple[Any, StepError | None]:
    """The function's result, and the error of a generator that raised after yielding a
    ``MaterializeResult`` or an ``Output`` (as in Dagster, what it yielded before it raised
    is stored and recorded, with the check results yielded with it, then the step fails).
    Any other failure raises."""
    fn = step.assets_def.fn
    yielded: list[Any] = []
    try:
        result = fn(**kwargs)
        if inspect.isgenerator(result):
            yielded.extend(result)
            result = yielded
        return result, None
    except USER_CODE_FAILURES as exc:
        error = error_from(exc, "user_code", str(exc))
        if any(isinstance(item, MaterializeResult | Output) for item in yielded):
            kept = MaterializeResult | Output | AssetCheckResult
            return [i for i in yielded if isinstance(i, kept)], error
        raise _StepError(error) from exc


def _separate_observations(step: Step, result: Any, logged: Sequence[Any]) -> tuple[Any, list[Any]]:
    """The function's outputs, and the asset events (``AssetObservation``s and
    ``AssetMaterialization``s, typically of external assets) it yielded or logged with
    ``context.log_event``: recorded as they are, as Dagster does. Anything else logged is
    an error naming it."""
    events = []
    for event in logged:
        if not is_asset_event(event):
            raise _StepError(
                StepError(
                    "output",
                    "OutputError",
                    f"asset '{step.key}' called context.log_event with a "
                    f"{type(event).__name__}; it takes an AssetObservation or an "
                    "AssetMaterialization.",
                    step.assets_def.source_location,
                    "",
                )
            )
        events.append(event)
    if is_asset_event(result):
        return None, [*events, result]
    if isinstance(result, list) and any(is_asset_event(r) for r in result):
        events.extend(r for r in result if is_asset_event(r))
        rest = [r for r in result if not is_asset_event(r)]
        return (rest or None), events
    return result, events


def _observation_event(run_id: str, step: Step, event: Any) -> EventRecord:
    if not isinstance(event, AssetObservation):
        return user_event_record(event, run_id, time.time(), step.key)
    body = RuntimeObservation(
        normalize_metadata(event.metadata), event.description, dict(event.tags)
    )
    return step_event(
        run_id,
        body,
        time.time(),
        step_key=step.key,
        asset_key=event.asset_key.to_string(),
        partition_key=event.partition,
        message=event.description,
    )


def _separate_check_results(step: Step, result: Any) -> tuple[Any, list[AssetCheckResult]]:
    """The function's outputs, and the ``AssetCheckResult``s it yielded or returned beside
    them (or inside a ``MaterializeResult(check_results=...)``)."""
    if isinstance(result, AssetCheckResult):
        result = [result]
    checks: list[AssetCheckResult] = []
    if isinstance(result, list) and any(isinstance(r, AssetCheckResult) for r in result):
        checks = [r for r in result if isinstance(r, AssetCheckResult)]
        result = [r for r in result if not isinstance(r, AssetCheckResult)]
        if not result and not step.assets_def.is_multi:
            raise _StepError(
                StepError(
                    "output",
                    "OutputError",
                    f"asset '{step.key}' yielded check results but no Output or "
                    "MaterializeResult for the asset itself.",
                    step.assets_def.source_location,
                    "",
                )
            )
    for item in result if isinstance(result, list | tuple) else [result]:
        if isinstance(item, MaterializeResult):
            checks.extend(item.check_results)
    return result, checks


def _split_outputs(step: Step, result: Any, partial: bool = False) -> dict[AssetKey, Any]:
    """The value of each output; ``partial``: only those the function yielded before it
    raised (no output is missing then, nor filled in)."""
    specs = step.assets_def.specs
    if not step.assets_def.is_multi:
        if not specs[0].is_required and (result is None or result == []):
            return {}  # @asset(output_required=False) that yielded nothing
        if (
            isinstance(result, list)
            and len(result) == 1
            and isinstance(result[0], Output | MaterializeResult)
        ):
            result = result[0]
        if isinstance(result, MaterializeResult) and result.asset_key not in (None, specs[0].key):
            raise _output_error(
                step,
                f"returned MaterializeResult(asset_key={_key_repr(result.asset_key)}), which "
                f"is not its asset '{specs[0].key}'",
            )
        return {specs[0].key: result}
    by_name = {spec.output_name: spec for spec in specs}
    selected = set(step.asset_keys)
    if isinstance(result, Output):
        result = [result]
    if result is None or (isinstance(result, list) and not result):
        result = []  # every output left out: an error below unless all are optional
    if isinstance(result, MaterializeResult):
        result = [result]
    values: dict[AssetKey, Any] = {}
    if (
        isinstance(result, list | tuple)
        and result
        and all(isinstance(r, MaterializeResult) for r in result)
    ):
        values = _materialize_results_by_key(step, result)
    elif isinstance(result, list | tuple) and all(isinstance(r, Output) for r in result):
        for output in result:
            spec = by_name.get(output.output_name or "")
            if spec is None:
                raise _output_error(
                    step,
                    f"returned Output(output_name={output.output_name!r}), which is not "
                    f"one of its outs ({', '.join(by_name)})",
                )
            values[spec.key] = output
    elif isinstance(result, tuple | list) and len(result) == len(specs):
        values = {spec.key: value for spec, value in zip(specs, result, strict=True)}
    else:
        raise _output_error(
            step,
            f"must return a tuple of {len(specs)} values in the order of its outs "
            f"({', '.join(by_name)}), or Output objects; got {type(result).__name__}",
        )
    unselected = [spec.output_name for spec in specs if spec.key in values.keys() - selected]
    if unselected:
        raise _output_error(
            step,
            f"returned output(s) {', '.join(repr(n) for n in unselected)}, which this run did "
            "not select (selected: "
            + ", ".join(repr(s.output_name) for s in specs if s.key in selected)
            + "); return only context.selected_output_names",
        )
    if partial:
        return values
    if step.assets_def.outputs_from_specs:  # Dagster: a spec's output needs no value
        values.update(
            {s.key: None for s in specs if s.key in selected - values.keys() and s.is_required}
        )
    missing = [
        spec.output_name
        for spec in specs
        if spec.key in selected and spec.is_required and spec.key not in values
    ]
    if missing:
        raise _output_error(step, f"returned no value for output(s) {', '.join(missing)}")
    return values


def _check_types(step: Step, values: Mapping[AssetKey, Any]) -> None:
    """Each output with a ``DagsterType`` passes its type check, or the step fails with
    ``DagsterTypeCheckDidNotPass`` (Dagster's), before anything is stored."""
    for spec in step.assets_def.specs:
        check = getattr(spec.dagster_type, "check_value", None)
        if check is None or spec.key not in values:
            continue
        output = values[spec.key]
        value = output.value if isinstance(output, Output) else output
        try:
            check(value, f"Asset '{spec.key}'")
        except USER_CODE_FAILURES as exc:
            raise _StepError(error_from(exc, "type_check", str(exc))) from exc


def _validate_outputs(
    step: Step,
    env: StepEnvironment,
    values: dict[AssetKey, Any],
    check_results: Sequence[AssetCheckResult],
    context: AssetExecutionContext | None,
    log: StepLog,
    events: list[EventRecord],
) -> tuple[dict[AssetKey, Any], list[CheckEvaluation]]:
    """Validate each output before anything is stored: its schema, the results of its
    ``check_specs`` (reported by the function), then its ``@asset_check``s in order.

    Every evaluation is appended to ``events`` (the step's, so it is recorded whether the
    step succeeds or fails); a failed non-blocking check also logs a warning. If any
    blocking check or schema failed, or a check spec got no result, this raises once all
    have run, and nothing is stored. Returns the values and the non-blocking checks that
    raised (the step then fails after storing, as in Dagster). A single-run backfill's
    value is validated once, for all its partitions.
    """
    validated = dict(values)
    blocking: list[CheckEvaluation] = []
    crashed: list[CheckEvaluation] = []
    own_specs = [s for s in step.assets_def.check_specs if s.asset_key in values]
    own: list[CheckEvaluation] = []
    problems: list[str] = []
    if check_results or own_specs:
        own, problems = match_check_results(
            check_results, own_specs, step.assets_def.source_location
        )
    for spec in step.assets_def.specs:
        checks = checks_in_step(step, env, spec.key)
        reported = [e for e in own if e.asset_key == spec.key]
        if (spec.schema is None and not checks and not reported) or spec.key not in values:
            continue
        output = values[spec.key]
        value = output.value if isinstance(output, Output) else output
        evaluations: list[CheckEvaluation] = []
        if isinstance(output, MaterializeResult):
            value = None  # the asset stored its data itself: no value in memory
        elif spec.schema is not None:
            value, evaluation = evaluate_schema(spec.schema, value, spec.key)
            evaluations.append(evaluation)
            validated[spec.key] = (
                replace(output, value=value) if isinstance(output, Output) else value
            )
        evaluations.extend(reported)
        for check in checks:
            assert context is not None  # built for a step with checks (_needs_context)
            if isinstance(check, MaterializationChecks):
                materializing = _materializing_metadata(output, value, context, spec.key)
                evaluations.append(check.evaluate_in_step(spec.key, context, materializing))
            elif check.is_multi:
                evaluations.extend(evaluate_multi_check(check, context))
            else:
                evaluations.append(evaluate_check(check, value, context))
        for evaluation in evaluations:
            events.append(check_evaluation_event(env.run_id, step, evaluation))
            if evaluation.blocks and evaluation.asset_key in values:
                blocking.append(evaluation)
            elif evaluation.exception is not None:
                crashed.append(evaluation)
            elif not evaluation.passed:
                log.warning(
                    f"asset '{evaluation.asset_key}'{_partitions_text(step)}: "
                    f"{evaluation.summary()} (a warning: the check does not block)"
                )
    if problems:
        raise _StepError(
            StepError(
                "asset_check",
                "AssetCheckError",
                f"asset '{step.key}'{_partitions_text(step)}: "
                + "; ".join(problems)
                + "; nothing was stored",
                step.assets_def.source_location,
                "",
            )
        )
    if blocking:
        raise _StepError(_check_error(step, blocking))
    return validated, crashed


def check_evaluation_event(run_id: str, step: Step, evaluation: CheckEvaluation) -> EventRecord:
    body = CheckEvaluated.from_payload(evaluation.to_payload(step.partition_keys))
    return step_event(
        run_id,
        replace(body, partition_key=step.partition_key),
        time.time(),
        step_key=step.key,
        asset_key=evaluation.asset_key.to_string(),
        partition_key=step.partition_key,
        message=evaluation.summary(),
    )


def _check_error(step: Step, failed: list[CheckEvaluation], stored: bool = False) -> StepError:
    """The step error for failed checks: blocking ones, or ones that raised after the value
    was ``stored``; the first raising check gives the location."""
    keys = {evaluation.asset_key for evaluation in failed}
    mode = "" if stored else "blocking "
    parts = [
        (f"asset '{e.asset_key}': " if len(keys) > 1 else "") + mode + e.summary() for e in failed
    ]
    head = f"asset '{failed[0].asset_key}'" if len(keys) == 1 else f"step '{step.key}'"
    tail = "; the value was stored" if stored else "; nothing was stored"
    message = f"{head}{_partitions_text(step)}: " + "; ".join(parts) + tail
    raised = next((e for e in failed if e.exception is not None), None)
    if raised is not None and raised.exception is not None:
        error = error_from(raised.exception, "asset_check", message)
        error.location = _location_in(raised.exception, raised.location) or error.location
        return error
    location = failed[0].location or step.assets_def.source_location
    return StepError("asset_check", "AssetCheckFailure", message, location, "")


def _location_in(exc: BaseException, defined_at: str | None) -> str | None:
    """The deepest traceback line in the file a check is defined in (not a library's)."""
    if defined_at is None:
        return None
    filename = defined_at.rsplit(":", 1)[0]
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return f"{filename}:{lines[-1]}" if lines else None


def _partitions_text(step: Step) -> str:
    keys = step.partition_keys
    if not keys:
        return ""
    if len(keys) == 1:
        return f" partition '{keys[0]}'"
    return f" partitions '{keys[0]}...{keys[-1]}' ({len(keys)})"


def _materialize_results_by_key(
    step: Step, results: Sequence[MaterializeResult]
) -> dict[AssetKey, Any]:
    """A multi-asset's ``MaterializeResult``s by the asset each names with ``asset_key``."""
    by_key = {spec.key: spec for spec in step.assets_def.specs}
    values: dict[AssetKey, Any] = {}
    for materialized in results:
        key = materialized.asset_key
        if key is None and len(by_key) == 1:
            key = next(iter(by_key))
        if key is None or key not in by_key:
            raise _output_error(
                step,
                f"returned MaterializeResult(asset_key={_key_repr(key)}), which is not one of "
                f"its assets ({', '.join(k.to_string() for k in by_key)}); name the asset "
                "with asset_key=",
            )
        values[key] = materialized
    return values


def _key_repr(key: AssetKey | None) -> str:
    return "None" if key is None else f"'{key}'"


def _output_error(step: Step, message: str) -> _StepError:
    return _StepError(
        StepError("output", "OutputError", f"multi-asset '{step.key}' {message}.", None, "")
    )


def _store_outputs(
    step: Step,
    env: StepEnvironment,
    values: Mapping[AssetKey, Any],
    context: AssetExecutionContext | None,
    started: float,
    input_versions: InputVersions | None,
) -> list[EventRecord]:
    """Store each output (unselected ones, or optional ones left out, are not in
    ``values``) in dependency order: an output that reads a sibling of the same step
    records the version that sibling has just got, not the one it had before the step."""
    specs = {spec.key: spec for spec in step.assets_def.specs if spec.key in values}
    versions: InputVersions = dict(input_versions or {})
    events: list[EventRecord] = []
    for key in env.graph.toposort(specs) if len(specs) > 1 else specs:
        stored = _store_output(step, env, specs[key], values[key], context, started, versions)
        events.extend(stored)
        if key.to_string() in versions:  # a sibling reads it
            versions = {**versions, key.to_string(): _versions_stored(stored)}
    return events


def _versions_stored(events: Sequence[EventRecord]) -> dict[str, str | None]:
    """Partition key (NO_PARTITION when none) -> data version, of one output's events."""
    found: dict[str, str | None] = {}
    for event in events:
        body = Materialized.from_payload(event.payload)
        found[event.partition_key or NO_PARTITION] = body.data_version
    return read_versions_record(found)


def _store_output(
    step: Step,
    env: StepEnvironment,
    spec: AssetOutputSpec,
    value: Any,
    context: AssetExecutionContext | None,
    started: float,
    input_versions: InputVersions,
) -> list[EventRecord]:
    """Hand one output to its IO manager; one materialization event per partition stored.

    A ``MaterializeResult`` means the asset stored its data itself: no IO manager is
    called, only the materialization is recorded (as in Dagster). The data version of
    each partition: the user's, else the IO manager's content hash, else a digest of the
    code version and the input versions. Metadata is stored typed (``normalize_metadata``).
    """
    metadata: dict[str, Any] = {}
    tags: dict[str, str] = {}
    # What the function set through its context (none without one).
    user_version = context.data_versions.get(spec.key) if context is not None else None
    context_metadata = context.output_metadata.get(spec.key, {}) if context is not None else {}
    if isinstance(value, Output | MaterializeResult):
        metadata.update(normalize_metadata(value.metadata))
        tags.update(value.tags)
        if value.data_version is not None:
            user_version = value.data_version.value
    output_context = OutputContext(
        asset_key=spec.key,
        run_id=env.run_id,
        step_key=step.key,
        resources=env.resources,
        metadata=spec.metadata,
        partition_keys=tuple(step.partition_keys),
        partitions_def=step.assets_def.partitions_def,
        name=spec.output_name,
    )
    if isinstance(value, MaterializeResult) or (value is None and _returns_nothing(step)):
        metadata.update(normalize_metadata(context_metadata))
    else:
        if isinstance(value, Output):
            value = value.value
        metadata.update(value_metadata(value))
        metadata.update(normalize_metadata(context_metadata))
        manager = env.io_managers[spec.io_manager_key]
        try:
            manager.handle_output(output_context, value)
        except USER_CODE_FAILURES as exc:
            raise _StepError(
                error_from(
                    exc,
                    "handle_output",
                    f"{type(manager).__name__} could not store asset '{spec.key}': {exc}",
                )
            ) from exc
        metadata.update(normalize_metadata(output_context.output_metadata))
    now = time.time()
    code_version = step.assets_def.code_version(spec.key)
    derived = None
    events = []
    for partition in step.partition_keys or (None,):
        version = user_version or output_context.data_versions.get(partition)
        version = version or output_context.data_versions.get(None)
        if version is None:
            derived = derived or derived_data_version(code_version, input_versions)
            version = derived
        body = Materialized(
            code_version,
            version,
            input_versions,
            now - started,
            metadata,
            tags=tags,
            user_provided=user_version is not None,
        )
        events.append(
            step_event(
                env.run_id,
                body,
                now,
                step_key=step.key,
                asset_key=spec.key.to_string(),
                partition_key=partition,
            )
        )
    return events


def _returns_nothing(step: Step) -> bool:
    """True for a single asset whose function is annotated ``-> None``: as in Dagster, its
    output is Nothing, so no IO manager stores it (the asset stored its data itself)."""
    assets_def = step.assets_def
    if assets_def.is_multi:
        return False
    annotation = cached_signature(assets_def.fn, assets_def.name).return_annotation
    return annotation is None or annotation is type(None) or annotation == "None"


def _materializing_metadata(
    output: Any, value: Any, context: AssetExecutionContext, key: AssetKey
) -> dict[str, Any]:
    """The metadata the materialization being made will carry (before the IO manager's)."""
    metadata: dict[str, Any] = {}
    if isinstance(output, Output | MaterializeResult):
        metadata.update(normalize_metadata(output.metadata))
    if not isinstance(output, MaterializeResult) and value is not None:
        metadata.update(value_metadata(value))
    metadata.update(normalize_metadata(context.output_metadata.get(key, {})))
    return metadata


def value_metadata(value: Any) -> dict[str, Any]:
    """Metadata every materialization of ``value`` gets: row count and schema of frames.

    A polars LazyFrame gets its schema only (counting its rows would run its query).
    """
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.DataFrame):
        return {
            "row_count": len(value),
            "column_schema": {str(col): str(dtype) for col, dtype in value.dtypes.items()},
        }
    polars = sys.modules.get("polars")
    if polars is not None and isinstance(value, polars.LazyFrame):
        return {"column_schema": _polars_schema(value.collect_schema())}
    if polars is not None and isinstance(value, polars.DataFrame):
        return {"row_count": value.height, "column_schema": _polars_schema(value.schema)}
    return {}


def _polars_schema(schema: Mapping[str, Any]) -> dict[str, str]:
    return {str(name): str(dtype) for name, dtype in schema.items()}


def error_from(exc: BaseException, kind: str, message: str) -> StepError:
    frames = traceback.extract_tb(exc.__traceback__)
    user_frames = [f for f in frames if not f.filename.startswith(_PACKAGE_DIRS)]
    location = None
    if user_frames:
        last = user_frames[-1]
        location = f"{last.filename}:{last.lineno}"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    error = StepError(kind, type(exc).__name__, message, location, text)
    if isinstance(exc, Failure):  # Dagster's: failed on purpose, with metadata
        error.metadata = normalize_metadata(exc.metadata) or None
        error.retryable = exc.allow_retries
    return error


def _event(
    run_id: str, body: EventPayload, step: Step, timestamp: float, message: str | None = None
) -> EventRecord:
    return step_event(
        run_id,
        body,
        timestamp,
        step_key=step.key,
        partition_key=step.partition_key,
        message=message,
    )
