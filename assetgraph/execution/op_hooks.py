"""Running an op's hooks after its step: the success hooks after a success, the failure
hooks after a failure (skipped steps run none). A hook only observes: one that raises is
recorded as an error line in the step's log (Dagster's ``HOOK_ERRORED``) and the run goes
on with its outcome unchanged."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.hooks import HookContext, HookDefinition, HookOp
from assetgraph.errors import ResourceError, did_you_mean
from assetgraph.storage.events import Logged, step_event
from assetgraph.storage.records import StepStatus

if TYPE_CHECKING:
    from assetgraph.definitions.op_plan import FlatOp
    from assetgraph.execution.op_step import OpRunEnvironment, OpStepResult

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
        try:
            hook.fn(context)
        except Exception as exc:  # a hook's failure does not fail the run
            _record_hook_error(env, result.step_key, hook, exc)


def _record_hook_error(
    env: OpRunEnvironment, step_key: str, hook: HookDefinition, exc: Exception
) -> None:
    text = f"{HOOK_ERRORED}: hook '{hook.name}' raised {type(exc).__name__}: {exc}"
    body: Any = Logged("ERROR")
    env.record([step_event(env.run_id, body, time.time(), step_key=step_key, message=text)])
