"""Running hooks after a step: the success hooks after a success, the failure hooks after
a failure (skipped steps run none), for the ops of an op job and the asset steps of an
asset job's runs. A hook only observes: one that raises is recorded as an error line in
the step's log (Dagster's ``HOOK_ERRORED``) and the run goes on with its outcome unchanged.
After an asset step that failed, ``op_exception`` is a ``StepFailure`` naming the error
(the step may have run in another process)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.hooks import HookContext, HookDefinition, HookOp
from assetgraph.errors import ResourceError, StepFailure, did_you_mean
from assetgraph.storage.events import Logged, step_event
from assetgraph.storage.records import EventRecord, StepStatus

if TYPE_CHECKING:
    from assetgraph.definitions.op_plan import FlatOp
    from assetgraph.execution.op_step import OpRunEnvironment, OpStepResult
    from assetgraph.execution.step import StepEnvironment, StepOutcome
    from assetgraph.planning.planner import Step

HOOK_ERRORED = "HOOK_ERRORED"


def hook_resource_keys(hooks: Iterable[HookDefinition], declared: Iterable[str]) -> set[str]:
    """The resources the hooks need; a ``ResourceError`` names a hook's missing one."""
    available = list(declared)
    needed: set[str] = set()
    for hook in hooks:
        for key in sorted(hook.required_resource_keys):
            if key not in available:
                raise ResourceError(
                    f"Hook '{hook.name}' needs resource '{key}', which is not given: add it "
                    "to the job's resource_defs or Definitions(resources=...)."
                    + did_you_mean(key, available)
                )
        needed |= hook.required_resource_keys
    return needed


def run_step_hooks(
    flat_op: FlatOp,
    result: OpStepResult,
    env: OpRunEnvironment,
    job_hooks: frozenset[HookDefinition],
) -> None:
    """Run the hooks of ``flat_op`` (its own and the job's) that follow ``result``."""
    if result.status not in (StepStatus.SUCCESS, StepStatus.FAILURE):
        return
    succeeded = result.status is StepStatus.SUCCESS
    hooks = sorted(flat_op.hooks | job_hooks, key=lambda hook: hook.name)
    for hook in hooks:
        if not hook.runs_after(succeeded):
            continue
        context = HookContext(
            resources=env.resources,
            op=HookOp(flat_op.handle.rsplit(".", 1)[-1], flat_op.op.name),
            step_key=result.step_key,
            run_id=env.run_id,
            job_name=env.job_name,
            op_exception=result.exception,
            op_output_values=dict(result.outputs) if succeeded else {},
            op_config=env.configs.get(flat_op.handle),
            instance=env.instance,
            hook_def=hook,
        )
        env.record(_call_hook(hook, context, env.run_id, result.step_key))


def run_asset_step_hooks(
    hooks: frozenset[HookDefinition],
    step: Step,
    outcome: StepOutcome,
    env: StepEnvironment,
    job_name: str | None,
) -> list[EventRecord]:
    """Run the job's hooks that follow an asset step's final ``outcome``; the events of
    those that raised."""
    if outcome.status not in (StepStatus.SUCCESS, StepStatus.FAILURE):
        return []
    succeeded = outcome.status is StepStatus.SUCCESS
    error = outcome.error
    exception = None
    if not succeeded and error is not None:
        exception = StepFailure(f"{error.type_name}: {error.message}")
    events: list[EventRecord] = []
    for hook in sorted(hooks, key=lambda hook: hook.name):
        if not hook.runs_after(succeeded):
            continue
        context = HookContext(
            resources=env.resources,
            op=HookOp(step.assets_def.step_name, step.assets_def.name),
            step_key=step.key,
            run_id=env.run_id,
            job_name=job_name,
            op_exception=exception,
            instance=env.instance,
            hook_def=hook,
        )
        events.extend(_call_hook(hook, context, env.run_id, step.key))
    return events


def _call_hook(
    hook: HookDefinition, context: HookContext, run_id: str, step_key: str
) -> list[EventRecord]:
    """Call ``hook``; the ``HOOK_ERRORED`` event when it raised (else nothing)."""
    try:
        hook.fn(context)
    except Exception as exc:  # a hook's failure does not fail the run
        text = f"{HOOK_ERRORED}: hook '{hook.name}' raised {type(exc).__name__}: {exc}"
        body: Any = Logged("ERROR")
        return [step_event(run_id, body, time.time(), step_key=step_key, message=text)]
    return []
