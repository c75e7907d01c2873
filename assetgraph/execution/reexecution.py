"""Re-executing a run: the same selection, partitions and config, all steps or the failed."""

from __future__ import annotations

from typing import Any

from assetgraph.definitions import Definitions
from assetgraph.execution.coordinator import step_statuses
from assetgraph.planner import ExecutionPlan, PartitionSelection
from assetgraph.storage.records import RunRecord

PARTITION_SELECTION_TAG = "assetgraph/partition_selection"
EXCLUDE_TAG = "assetgraph/exclude"


def plan_reexecution(
    defs: Definitions, run: RunRecord, instance: Any, *, from_failure: bool
) -> ExecutionPlan:
    """The plan of ``run`` made again (``--missing`` / ``--stale`` are evaluated anew, so
    they keep what is still missing or stale); ``from_failure`` drops the steps that
    succeeded in ``run``, and keeps only the steps downstream dependencies among the rest."""
    from assetgraph.execution.materialize import plan_for_selection

    saved = run.tags.get(PARTITION_SELECTION_TAG)
    partitions = PartitionSelection.from_json(saved) if saved else PartitionSelection()
    selection = None if run.selection == "*" else run.selection
    plan = plan_for_selection(
        defs, selection, run.tags.get(EXCLUDE_TAG), partitions, instance=instance
    )
    if not from_failure:
        return plan
    succeeded = {
        key
        for key, status in step_statuses(instance.storage.events_for_run(run.run_id)).items()
        if status == "success"
    }
    kept = tuple(step for step in plan.steps if step.key not in succeeded)
    kept_keys = {step.key for step in kept}
    for step in kept:
        step.upstream_steps = tuple(up for up in step.upstream_steps if up in kept_keys)
    return ExecutionPlan(kept, plan.selected_keys, plan.current_time, plan.partitions)
