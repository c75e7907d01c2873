"""Re-executing a run: exactly the partitions it built, with its run config; all its steps,
or only those that did not succeed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.definitions import Definitions
from assetgraph.execution.coordinator import step_statuses
from assetgraph.execution.materialize import PARTITION_SELECTION_TAG
from assetgraph.keys import AssetKey
from assetgraph.planning.planner import (
    ExecutionPlan,
    PartitionSelection,
    Step,
    build_plan_for_targets,
)
from assetgraph.planning.targets import recorded_targets
from assetgraph.storage.records import RunRecord

if TYPE_CHECKING:
    from assetgraph.partitions.subset import PartitionsSubset

EXCLUDE_TAG = "assetgraph/exclude"
PARENT_RUN_TAG = "assetgraph/parent_run"


def plan_reexecution(
    defs: Definitions,
    run: RunRecord,
    instance: Any,
    *,
    from_failure: bool,
    current_time: datetime | None = None,
) -> ExecutionPlan:
    """The plan that builds again what ``run`` targeted (its recorded targets: the same
    partitions, never those added or made missing since); ``from_failure`` keeps only
    the steps that did not succeed in ``run`` (failed, skipped, canceled, never ran).

    A run recorded before targets were kept is planned from its selection and partition
    options again, as it was then (``--missing`` / ``--stale`` evaluated anew).
    """
    now = current_time or datetime.now(UTC)
    store = instance.storage
    targets = recorded_targets(run)
    if targets is not None:
        subsets = targets.to_subsets(defs.graph, now, store)
        plan = build_plan_for_targets(
            defs.graph, subsets, current_time=now, dynamic_partitions_store=store
        )
    else:
        plan = _plan_from_options(defs, run, instance, now)
    if not from_failure:
        return plan
    succeeded = {
        key
        for key, status in step_statuses(store.events_for_run(run.run_id)).items()
        if status == "success"
    }
    remaining = _targets_of(
        defs, (step for step in plan.iter_steps() if step.key not in succeeded), now, store
    )
    return build_plan_for_targets(
        defs.graph, remaining, current_time=now, dynamic_partitions_store=store
    )


def reexecution_tags(run: RunRecord) -> dict[str, str]:
    """The tags of a re-execution of ``run``: its own, and the parent run's id. (What the
    new run builds is recorded from its plan, in place of the parent's.)"""
    return {**run.tags, PARENT_RUN_TAG: run.run_id}


def _plan_from_options(
    defs: Definitions, run: RunRecord, instance: Any, now: datetime
) -> ExecutionPlan:
    """The plan of an older run, from its selection and partition options."""
    from assetgraph.execution.materialize import plan_for_selection

    saved = run.tags.get(PARTITION_SELECTION_TAG)
    partitions = PartitionSelection.from_json(saved) if saved else PartitionSelection()
    selection = None if run.selection == "*" else run.selection
    return plan_for_selection(
        defs,
        selection,
        run.tags.get(EXCLUDE_TAG),
        partitions,
        instance=instance,
        current_time=now,
    )


def _targets_of(
    defs: Definitions, steps: Iterable[Step], now: datetime, store: Any
) -> dict[AssetKey, PartitionsSubset | None]:
    """Asset key -> the partitions ``steps`` build (None: unpartitioned), read in bulk."""
    keys: dict[AssetKey, list[str] | None] = {}
    for step in steps:
        for key in step.asset_keys:
            if not step.partition_keys:
                keys[key] = None
            else:
                found = keys.setdefault(key, [])
                assert found is not None
                found.extend(step.partition_keys)
    subsets: dict[AssetKey, PartitionsSubset | None] = {}
    for key, partitions in keys.items():
        pdef = defs.graph.partitions_def(key)
        if partitions is None or pdef is None:
            subsets[key] = None
        else:
            subsets[key] = pdef.subset_for_keys(partitions, now, store)
    return subsets
