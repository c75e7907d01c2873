"""One tick's view of the metadata database: index rows of the assets it looks at.

Rows are read in batches (every asset waiting in the evaluator's queue, with its parents,
in one query), never one query per asset, and kept for the length of the tick.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from assetgraph.errors import UsageError
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import PartitionsDefinition
from assetgraph.partitions.mappings import IdentityPartitionMapping, PartitionMapping
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.automation_store import AutomationStore, IndexRow

_IDENTITY = IdentityPartitionMapping()


class AssetState:
    """Index rows, materialized subsets and partition arithmetic for one tick at ``now``."""

    def __init__(self, graph: AssetGraph, store: AutomationStore, now: datetime) -> None:
        self.graph = graph
        self.store = store
        self.now = now
        self.now_ts = now.timestamp()
        self.dynamic = snapshot_store(store.storage)
        self._rows: dict[AssetKey, dict[int, IndexRow]] = {}
        self._all: dict[AssetKey, PartitionsSubset] = {}
        self._materialized: dict[AssetKey, PartitionsSubset] = {}
        self.queries = 0

    # -- partitions -----------------------------------------------------------------------

    def pdef(self, key: AssetKey) -> PartitionsDefinition:
        """The asset's partitions definition (one pseudo-partition when unpartitioned)."""
        return self.graph.partitions_def(key) or UNPARTITIONED

    def time_def(self, key: AssetKey) -> TimeWindowPartitionsDefinition | None:
        pdef = self.graph.partitions_def(key)
        return pdef if isinstance(pdef, TimeWindowPartitionsDefinition) else None

    def all(self, key: AssetKey) -> PartitionsSubset:
        """Every partition of the asset that exists now."""
        found = self._all.get(key)
        if found is None:
            found = self._all[key] = PartitionsSubset.all(self.pdef(key), self.now, self.dynamic)
        return found

    def empty(self, key: AssetKey) -> PartitionsSubset:
        return PartitionsSubset(self.pdef(key), (), self.now, self.dynamic)

    def subset(self, key: AssetKey, indices: Iterable[int]) -> PartitionsSubset:
        return PartitionsSubset.from_indices(self.pdef(key), indices, self.now, self.dynamic)

    def ranges_subset(self, key: AssetKey, ranges: Iterable[range]) -> PartitionsSubset:
        return PartitionsSubset.from_ranges(self.pdef(key), ranges, self.now, self.dynamic)

    def mapping(self, key: AssetKey, parent: AssetKey) -> PartitionMapping:
        """The edge's mapping, lenient about upstream partitions before the start."""
        mapping = self.graph.partition_mapping(key, parent) or _IDENTITY
        if getattr(mapping, "allow_nonexistent_upstream_partitions", True) is False:
            mapping = dataclasses.replace(mapping, allow_nonexistent_upstream_partitions=True)  # type: ignore[type-var]
        return mapping

    def upstream(
        self, key: AssetKey, subset: PartitionsSubset, parent: AssetKey
    ) -> PartitionsSubset:
        """The partitions of ``parent`` that ``subset`` of ``key`` reads."""
        up_def = self.pdef(parent)
        if not subset:
            return self.empty(parent)
        if up_def is UNPARTITIONED:
            return self.all(parent)
        if self.pdef(key) is UNPARTITIONED:
            return self.all(parent)
        mapping = self.mapping(key, parent)
        if isinstance(mapping, IdentityPartitionMapping) and up_def == subset.partitions_def:
            return subset & self.all(parent)
        found = mapping.upstream_subset(self.pdef(key), subset, up_def, self.now, self.dynamic)
        return found & self.all(parent)

    def downstream(
        self, parent: AssetKey, subset: PartitionsSubset, key: AssetKey
    ) -> PartitionsSubset:
        """The partitions of ``key`` that read some of ``subset`` of ``parent``."""
        if not subset:
            return self.empty(key)
        pdef = self.pdef(key)
        if pdef is UNPARTITIONED:
            return self.all(key)
        if self.pdef(parent) is UNPARTITIONED:
            return self.all(key)
        mapping = self.mapping(key, parent)
        if isinstance(mapping, IdentityPartitionMapping) and pdef == subset.partitions_def:
            return subset & self.all(key)
        found = mapping.downstream_subset(self.pdef(parent), subset, pdef, self.now, self.dynamic)
        return found & self.all(key)

    # -- index rows -----------------------------------------------------------------------

    def is_loaded(self, key: AssetKey) -> bool:
        return key in self._rows

    def load(self, keys: Iterable[AssetKey]) -> None:
        """Read the index rows of ``keys`` not read yet, in one batch."""
        wanted = [key for key in dict.fromkeys(keys) if key not in self._rows]
        if not wanted:
            return
        self.queries += 1
        found = self.store.index_rows([key.to_string() for key in wanted])
        for key in wanted:
            self._rows[key] = self._by_index(key, found.get(key.to_string(), []))

    def rows(self, key: AssetKey) -> dict[int, IndexRow]:
        """Partition index -> index row (materialized or failed), for existing partitions."""
        if key not in self._rows:
            self.load([key])
        return self._rows[key]

    def materialized(self, key: AssetKey) -> PartitionsSubset:
        """The partitions with a materialization (observations count for source assets)."""
        found = self._materialized.get(key)
        if found is None:
            rows = self.rows(key)
            found = self.subset(key, (i for i, row in rows.items() if row.event_id is not None))
            self._materialized[key] = found
        return found

    def _by_index(self, key: AssetKey, rows: list[IndexRow]) -> dict[int, IndexRow]:
        pdef = self.pdef(key)
        if pdef is UNPARTITIONED:
            whole = [row for row in rows if row.partition_key is None]
            return {0: whole[0]} if whole else {}
        keyed = {row.partition_key: row for row in rows if row.partition_key is not None}
        indices = pdef.known_indices(list(keyed), self.now, self.dynamic)
        return {index: keyed[key] for key, index in indices.items()}

    def describe(self, key: AssetKey, subset: PartitionsSubset | None = None) -> str:
        """``key`` or ``key[first...last, ...]`` for messages."""
        if subset is None or subset.partitions_def is UNPARTITIONED:
            return key.to_string()
        return f"{key}[{ranges_text(subset)}]"


def ranges_text(subset: PartitionsSubset, shown: int = 3) -> str:
    """``2025-01-01...2025-01-03, 2025-01-07`` (the first few runs, then a count)."""
    ranges = subset.ranges()
    text = ", ".join(
        r.start if r.start == r.end else f"{r.start}...{r.end}" for r in ranges[:shown]
    )
    return text + (f", +{len(ranges) - shown} more" if len(ranges) > shown else "")


def subset_to_json(subset: PartitionsSubset) -> list[str]:
    """A subset as a list of ``key`` / ``first...last`` strings (``[]``: unpartitioned)."""
    if subset.partitions_def is UNPARTITIONED:
        return []
    return [r.start if r.start == r.end else f"{r.start}...{r.end}" for r in subset.ranges()]


def subset_from_json(state: AssetState, key: AssetKey, ranges: list[str]) -> PartitionsSubset:
    """The inverse of ``subset_to_json`` (keys that no longer exist are dropped)."""
    from assetgraph.partitions.key_range import PartitionKeyRange

    pdef = state.pdef(key)
    if pdef is UNPARTITIONED:
        return state.all(key)
    found = state.empty(key)
    for text in ranges:
        start, _, end = text.partition("...")
        try:
            found = found | pdef.subset_for_range(
                PartitionKeyRange(start, end or start), state.now, state.dynamic
            )
        except UsageError:
            continue
    return found
