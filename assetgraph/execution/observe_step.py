"""Executing one observe step: call a source asset's observation function, record what it saw.

The observe kind of step (``StepKind.OBSERVE``), run by the same coordinator, launchers
and workers as a materialization: the coordinator records its start, and this returns
its outcome with one ``asset_observation`` event per (source, partition) observed and the
step's ``success`` or ``failure``. Nothing is loaded or stored through IO managers.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence

from assetgraph.context import AssetExecutionContext, StepLog
from assetgraph.definitions.source_assets import ObservedVersion, SourceAsset, normalize_observation
from assetgraph.errors import USER_CODE_FAILURES, AssetgraphError, UsageError
from assetgraph.execution.step import StepEnvironment, StepError, StepOutcome
from assetgraph.planning.planner import Step
from assetgraph.storage.events import (
    EventPayload,
    Logged,
    Observed,
    StepFailed,
    StepSucceeded,
    step_event,
)
from assetgraph.storage.records import EventRecord, StepStatus


def observe_step(step: Step, env: StepEnvironment) -> StepOutcome:
    """Run the observe step ``step``: its source's function, once, for every partition."""
    source = step.assets_def
    assert isinstance(source, SourceAsset) and source.observe_fn is not None
    started = time.time()
    outcome = StepOutcome(step_key=step.key, status=StepStatus.SUCCESS)
    logs = outcome.events

    def sink(level: str, text: str) -> None:
        logs.append(_event(env.run_id, Logged(level), step, time.time(), text))

    context = AssetExecutionContext(
        run_id=env.run_id,
        step_key=step.key,
        asset_keys=step.asset_keys,
        resources=env.resources,
        log=StepLog(step.key, sink),
        partitions_def=source.partitions_def,
        instance=env.instance,
    )
    try:
        with context.log.capturing():
            versions = _observe(source, context, env)
    except _ObserveError as exc:
        ended = time.time()
        outcome.status = StepStatus.FAILURE
        outcome.error = exc.error
        outcome.duration = ended - started
        # No asset keys: a failed observation is no failed materialization of the source.
        failure = StepFailed(error=exc.error.to_payload(), duration=outcome.duration)
        outcome.events.append(_event(env.run_id, failure, step, ended, exc.error.summary()))
        return outcome
    ended = time.time()
    outcome.duration = ended - started
    name = step.asset_keys[0].to_string()
    for found in versions:
        observed = Observed(found.data_version, dict(found.metadata), outcome.duration)
        outcome.events.append(
            step_event(
                env.run_id,
                observed,
                ended,
                step_key=step.key,
                asset_key=name,
                partition_key=found.partition_key,
            )
        )
    done = StepSucceeded(outcome.duration)
    outcome.events.append(_event(env.run_id, done, step, ended, f"{len(versions)} observation(s)"))
    return outcome


def _observe(
    source: SourceAsset, context: AssetExecutionContext, env: StepEnvironment
) -> list[ObservedVersion]:
    """Call the observation function and check what it returned."""
    assert source.observe_fn is not None
    kwargs = {} if source.context_param is None else {source.context_param: context}
    try:
        returned = source.observe_fn(**kwargs)
    except USER_CODE_FAILURES as exc:
        raise _ObserveError(_user_code_error(source, exc)) from exc
    try:
        versions = normalize_observation(source, returned)
        _check_partitions(source, versions, env)
    except AssetgraphError as exc:
        raise _ObserveError(StepError("output", type(exc).__name__, str(exc), None, "")) from exc
    return versions


def _check_partitions(
    source: SourceAsset, versions: Sequence[ObservedVersion], env: StepEnvironment
) -> None:
    """Refuse versions of partitions the source's partitions definition does not have
    (at the run's time; dynamic partitions as the run's instance has them)."""
    pdef = source.partitions_def
    if pdef is None:
        return
    store = env.instance.storage if env.instance is not None else None
    unknown = [
        v.partition_key
        for v in versions
        if v.partition_key is not None
        and not pdef.has_partition_key(v.partition_key, env.current_time, store)
    ]
    if unknown:
        shown = ", ".join(repr(k) for k in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise UsageError(
            f"The observe function of source asset '{source.name}' returned versions for "
            f"partition(s) {shown}{more}, which its partitions definition does not have."
        )


def _user_code_error(source: SourceAsset, exc: BaseException) -> StepError:
    """The error of an observation function that raised, located in the user's code."""
    frames = traceback.extract_tb(exc.__traceback__)
    user = frames[1:] or frames  # the first frame is the call in ``_observe``
    location = f"{user[-1].filename}:{user[-1].lineno}" if user else None
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    message = f"the observe function of source asset '{source.name}' raised: {exc}"
    return StepError("user_code", type(exc).__name__, message, location, text)


class _ObserveError(Exception):
    def __init__(self, error: StepError) -> None:
        super().__init__(error.message)
        self.error = error


def _event(
    run_id: str, body: EventPayload, step: Step, timestamp: float, message: str | None = None
) -> EventRecord:
    return step_event(run_id, body, timestamp, step_key=step.key, message=message)
