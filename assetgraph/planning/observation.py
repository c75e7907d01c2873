"""The plan of an observation run: one observe step per observable source asset.

An observe step calls a source asset's observation function once; a partitioned source
returns the versions of its partitions from that one call, so its step names no
partitions. Observations read nothing that another observation writes: the steps have
no upstream steps, and one that fails skips nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from assetgraph.errors import UsageError
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.planning.planner import ExecutionPlan, Step


def build_observation_plan(
    graph: AssetGraph,
    sources: Iterable[AssetKey],
    *,
    current_time: datetime | None = None,
) -> ExecutionPlan:
    """The observe steps of ``sources`` (observable source assets), in topological order.

    ``current_time`` is the time the observed partition keys are checked against.
    """
    keys = graph.toposort(sources)
    not_observable = [key.to_string() for key in keys if not graph.is_observable_source(key)]
    if not_observable:
        raise UsageError(
            f"Only observable source assets can be observed, not {', '.join(not_observable)}: "
            "declare a source with @observable_source_asset (a function returning its "
            "DataVersion)."
        )
    steps = [
        Step(key.to_string(), graph.assets_def(key), (key,), upstream_steps=()) for key in keys
    ]
    return ExecutionPlan(steps, keys, current_time or datetime.now(UTC))
