"""The in-process executor: runs a plan's steps one after another in this process."""

from __future__ import annotations

from collections.abc import Callable

from assetgraph.execution.step import StepEnvironment, StepOutcome, execute_step, skipped_outcome
from assetgraph.planner import ExecutionPlan
from assetgraph.storage.records import EventRecord


def execute_in_process(
    plan: ExecutionPlan,
    env: StepEnvironment,
    record: Callable[[list[EventRecord]], None],
) -> dict[str, StepOutcome]:
    """Run every step of ``plan``, in plan order, and return the outcome of each.

    The algorithm: walk the steps in topological order. A step whose upstream steps all
    succeeded runs; a step with any upstream that failed or was skipped is skipped, with
    that upstream named as the reason. Independent branches are unaffected by a failure.
    ``record`` stores events: once when a step starts, once more with everything the
    step produced when it ends.
    """
    outcomes: dict[str, StepOutcome] = {}
    for step in plan.steps:
        blocked = next((up for up in step.upstream_steps if outcomes[up].status != "success"), None)
        if blocked is not None:
            outcome = skipped_outcome(step, env.run_id, blocked)
        else:
            outcome = execute_step(step, env, lambda event: record([event]))
        record(outcome.events)
        outcomes[step.key] = outcome
    return outcomes
