"""The data versions a run's steps read: loaded once from storage, updated as steps store.

The run coordinator keeps this map, so a step (in any executor) is handed the versions of
its inputs and records them with its materialization; nothing per step asks the database.
It lives in ``execution/``, not ``versions/``: it is state of one run, built from the
run's plan, its graph and storage; what is recorded of the versions read is the rule
``assetgraph.versions.digests.read_versions_record``.
"""

from __future__ import annotations

from collections.abc import Iterable

from assetgraph.graph import AssetGraph
from assetgraph.planning.planner import ExecutionPlan, Step
from assetgraph.storage.events import (  # InputVersions: the payload's schema, re-exported
    InputVersions as InputVersions,
    Materialized,
    Observed,
)
from assetgraph.storage.interface import MaterializationIndex
from assetgraph.storage.records import EventRecord, EventType
from assetgraph.versions.digests import read_versions_record

NO_PARTITION = ""
"""The partition key under which an unpartitioned asset's version is kept."""


class RunDataVersions:
    """Current data version of every (asset, partition) the steps of a plan read."""

    def __init__(
        self, graph: AssetGraph, plan: ExecutionPlan, storage: MaterializationIndex
    ) -> None:
        self._graph = graph
        upstream = {
            parent.to_string()
            for step in plan.steps
            for key in step.asset_keys
            for parent in graph.parents(key)
        }
        self._versions: dict[str, dict[str, str | None]] = {}
        if upstream:
            for (asset_key, partition), record in storage.latest_materializations(upstream).items():
                by_partition = self._versions.setdefault(asset_key, {})
                by_partition[NO_PARTITION if partition is None else partition] = record.data_version

    def for_step(self, step: Step) -> InputVersions:
        """The versions of everything ``step`` reads, by upstream asset and partition."""
        found: InputVersions = {}
        for key in step.asset_keys:
            for parent in self._graph.parents(key):
                name = parent.to_string()
                if name in found:
                    continue
                known = self._versions.get(name, {})
                partitions = step.input_partitions.get(parent, (NO_PARTITION,))
                found[name] = read_versions_record({p: known.get(p) for p in partitions})
        return found

    def record(self, events: Iterable[EventRecord]) -> None:
        """Take the data versions of the materializations and observations a step just
        recorded."""
        for event in events:
            if event.event_type is EventType.ASSET_MATERIALIZATION and event.asset_key:
                version = Materialized.from_payload(event.payload).data_version
            elif event.event_type is EventType.ASSET_OBSERVATION and event.asset_key:
                version = Observed.from_payload(event.payload).data_version
            else:
                continue
            partition = NO_PARTITION if event.partition_key is None else event.partition_key
            self._versions.setdefault(event.asset_key, {})[partition] = version
