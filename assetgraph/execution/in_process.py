"""The in-process executor: runs a plan's steps one after another in this process."""

from __future__ import annotations

from collections.abc import Callable

from assetgraph.execution.data_versions import RunDataVersions
from assetgraph.execution.step import StepEnvironment, StepOutcome, execute_step, skipped_outcome
from assetgraph.planner import ExecutionPlan
from assetgraph.storage.records import EventRecord


def execute_in_process(
    plan: ExecutionPlan,
    env: StepEnvironment,
    record: Callable[[list[EventRecord]], None],
    versions: RunDataVersions | None = None,
) -> dict[str, StepOutcome]:
    """Run every step of ``plan``, in plan order, and return the outcome of each.

    The algorithm: walk the steps in topological order. A step whose upstream steps all
    succeeded runs; a step with any upstream that failed or was skipped is skipped, with
    that upstream named as the reason. Independent branches are unaffected by a failure.

    Events reach ``record`` in one write per step: what a step produced is written together
    with the start of the next step (microseconds later), and the last step's events when
    the loop ends. A step's start is therefore visible while it runs, at half the writes.
    """
    outcomes: dict[str, StepOutcome] = {}
    pending: list[EventRecord] = []

    def record_start(event: EventRecord) -> None:
        pending.append(event)
        flush()

    def flush() -> None:
        if pending:
            batch = list(pending)
            pending.clear()
            record(batch)

    try:
        for step in plan.steps:
            blocked = next(
                (up for up in step.upstream_steps if outcomes[up].status != "success"), None
            )
            if blocked is not None:
                outcome = skipped_outcome(step, env.run_id, blocked)
            else:
                inputs = versions.for_step(step) if versions is not None else None
                outcome = execute_step(step, env, record_start, inputs)
                if versions is not None:
                    versions.record(outcome.events)
            pending.extend(outcome.events)
            outcomes[step.key] = outcome
    finally:
        flush()
    return outcomes
