"""The data versions a run's steps read: loaded once from storage, updated as steps store.

The run coordinator keeps this map, so a step (in any executor) is handed the versions of
its inputs and records them with its materialization; nothing per step asks the database.
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
from assetgraph.versions.digests import digest_text

NO_PARTITION = ""
"""The partition key under which an unpartitioned asset's version is kept."""

INPUT_VERSIONS_LIMIT = 1000
"""Past this many partitions read from one upstream, only their digest is recorded."""


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
                read = {p: known.get(p) for p in partitions}
                found[name] = read if len(read) <= INPUT_VERSIONS_LIMIT else _digest_of(read)
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


def _digest_of(read: dict[str, str | None]) -> dict[str, str | None]:
    text = "\n".join(f"{k}={v}" for k, v in sorted(read.items()))
    return {"__digest__": digest_text(text), "__count__": str(len(read))}
