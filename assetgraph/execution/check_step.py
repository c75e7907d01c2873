"""Executing one check step: run asset checks on what is stored of their asset.

The check kind of step (``StepKind.CHECK``), for checks selected without their asset (as
Dagster's checks-only runs): nothing is materialized. A check that takes the asset's
value gets the latest stored value, loaded through the asset's IO manager; a check with
no value input (``build_metadata_bounds_checks``, say) just runs. Each evaluation is
recorded as an ``asset_check_evaluation`` event. A failed check does not fail the step (no
value waits on it); a check that raised, or a value that could not be loaded, does.
"""

from __future__ import annotations

import inspect
import time
from typing import Any

from assetgraph.context import AssetExecutionContext, StepLog
from assetgraph.definitions.check_evaluation import (
    CheckEvaluation,
    evaluate_check,
    evaluate_multi_check,
)
from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.signatures import cached_signature
from assetgraph.errors import USER_CODE_FAILURES
from assetgraph.execution.step import (
    StepEnvironment,
    StepError,
    StepOutcome,
    check_evaluation_event,
    error_from,
    stored_annotation,
)
from assetgraph.io import InputContext
from assetgraph.planning.planner import Step
from assetgraph.storage.events import EventPayload, Logged, StepFailed, StepSucceeded, step_event
from assetgraph.storage.records import StepStatus


def run_check_step(step: Step, env: StepEnvironment) -> StepOutcome:
    """Run the checks of ``step`` (``step.checks``) on their asset's stored value."""
    started = time.time()
    outcome = StepOutcome(step_key=step.key, status=StepStatus.SUCCESS)
    events = outcome.events

    def sink(level: str, text: str) -> None:
        events.append(
            step_event(env.run_id, Logged(level), time.time(), step_key=step.key, message=text)
        )

    log = StepLog(step.key, sink)
    context = AssetExecutionContext(
        run_id=env.run_id,
        step_key=step.key,
        asset_keys=step.asset_keys,
        resources=env.resources,
        log=log,
        run_config=env.run_config,
        check_keys=list(step.checks),
        instance=env.instance,
    )
    with log.capturing():
        evaluations, error = _evaluate(step, env, context)
    wanted = {(key.asset_key, key.name) for key in step.checks}
    for evaluation in evaluations:
        if (evaluation.asset_key, evaluation.check_name) not in wanted:
            continue
        events.append(check_evaluation_event(env.run_id, step, evaluation))
        if evaluation.exception is not None and error is None:
            error = error_from(
                evaluation.exception,
                "asset_check",
                f"asset '{evaluation.asset_key}': {evaluation.summary()}",
            )
        elif not evaluation.passed:
            log.warning(f"asset '{evaluation.asset_key}': {evaluation.summary()}")
    ended = time.time()
    outcome.duration = ended - started
    if error is not None:
        outcome.status = StepStatus.FAILURE
        outcome.error = error
        body: EventPayload = StepFailed(error=error.to_payload(), duration=outcome.duration)
    else:
        body = StepSucceeded(outcome.duration)
    message = None if error is None else error.summary()
    events.append(step_event(env.run_id, body, ended, step_key=step.key, message=message))
    return outcome


def _evaluate(
    step: Step, env: StepEnvironment, context: AssetExecutionContext
) -> tuple[list[CheckEvaluation], StepError | None]:
    """Run each check definition of the step once; the error when a value cannot be
    loaded (no check runs then)."""
    definitions: dict[int, AssetChecksDefinition] = {}
    for key in step.checks:
        for check in _defining(env, key):
            definitions.setdefault(id(check), check)
    evaluations: list[CheckEvaluation] = []
    for check in definitions.values():
        if check.is_multi:
            evaluations.extend(evaluate_multi_check(check, context))
            continue
        value = None
        if check.value_param is not None:
            value, error = _load_value(check, env)
            if error is not None:
                return [], error
        evaluations.append(evaluate_check(check, value, context))
    return evaluations, None


def _defining(env: StepEnvironment, key: AssetCheckKey) -> list[AssetChecksDefinition]:
    """The check definition(s) that report ``key``."""
    return [
        check
        for checks in env.checks.values()
        for check in checks
        if any(spec.key == key for spec in check.specs)
    ]


def _load_value(check: AssetChecksDefinition, env: StepEnvironment) -> tuple[Any, StepError | None]:
    """The latest stored value of the checked asset, as its IO manager loads it (or why
    it could not be loaded)."""
    key = check.asset_key
    graph = env.graph
    spec = graph.spec(key)
    parameter = cached_signature(check.fn, check.name).parameters.get(check.value_param or "")
    annotation = (
        parameter.annotation
        if parameter is not None and parameter.annotation is not inspect.Parameter.empty
        else stored_annotation(graph, key)
    )
    manager = env.io_managers[spec.io_manager_key]
    context = InputContext(
        asset_key=key,
        run_id=env.run_id,
        resources=env.resources,
        metadata=dict(spec.metadata),
        partitions_def=graph.partitions_def(key),
        name=check.value_param,
        annotation=annotation,
    )
    try:
        return manager.load_input(context), None
    except USER_CODE_FAILURES as exc:
        message = (
            f"asset check '{check.check_key}' could not load the stored value of asset "
            f"'{key}' with {type(manager).__name__}: {exc}; materialize the asset first"
        )
        return None, error_from(exc, "load_input", message)
