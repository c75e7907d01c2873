"""One tick's view of the metadata database: index rows of the assets it looks at.

Rows are read in batches (every asset waiting in the evaluator's queue, with its parents,
in one query), never one query per asset, and kept for the length of the tick.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from assetgraph.errors import UsageError
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import PartitionsDefinition
from assetgraph.partitions.key_table import KEY_TABLE_LIMIT, key_table
from assetgraph.partitions.mappings import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    PartitionMapping,
)
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
        self._pdefs: dict[AssetKey, PartitionsDefinition] = {}
        self._empty: dict[AssetKey, PartitionsSubset] = {}
        # Subsets are immutable: every unpartitioned asset shares these two.
        self._whole = PartitionsSubset.all(UNPARTITIONED, now, self.dynamic)
        self._none = PartitionsSubset(UNPARTITIONED, (), now, self.dynamic)
        self._rows: dict[AssetKey, dict[int, IndexRow]] = {}
        self._all: dict[AssetKey, PartitionsSubset] = {}
        self._materialized: dict[AssetKey, PartitionsSubset] = {}
        self._status: dict[AssetKey, tuple[PartitionsSubset, PartitionsSubset]] = {}
        """Materialized and failed partitions of assets read by ``load_status``."""
        self._oldest: dict[AssetKey, int | None] = {}
        self._failed: dict[AssetKey, PartitionsSubset] = {}
        self._after: dict[AssetKey, tuple[int, dict[int, IndexRow]]] = {}
        """Rows materialized after an event id (and perhaps more), by asset."""
        self.queries = 0

    # -- partitions -----------------------------------------------------------------------

    def pdef(self, key: AssetKey) -> PartitionsDefinition:
        """The asset's partitions definition (one pseudo-partition when unpartitioned)."""
        found = self._pdefs.get(key)
        if found is None:
            found = self._pdefs[key] = self.graph.partitions_def(key) or UNPARTITIONED
        return found

    def time_def(self, key: AssetKey) -> TimeWindowPartitionsDefinition | None:
        pdef = self.pdef(key)
        return pdef if isinstance(pdef, TimeWindowPartitionsDefinition) else None

    def all(self, key: AssetKey) -> PartitionsSubset:
        """Every partition of the asset that exists now."""
        found = self._all.get(key)
        if found is None:
            pdef = self.pdef(key)
            found = self._all[key] = (
                self._whole
                if pdef is UNPARTITIONED
                else PartitionsSubset.all(pdef, self.now, self.dynamic)
            )
        return found

    def empty(self, key: AssetKey) -> PartitionsSubset:
        found = self._empty.get(key)
        if found is None:
            pdef = self.pdef(key)
            found = self._empty[key] = (
                self._none
                if pdef is UNPARTITIONED
                else PartitionsSubset(pdef, (), self.now, self.dynamic)
            )
        return found

    def subset(self, key: AssetKey, indices: Iterable[int]) -> PartitionsSubset:
        pdef = self.pdef(key)
        if pdef is not UNPARTITIONED:
            return PartitionsSubset.from_indices(pdef, indices, self.now, self.dynamic)
        present = set(indices)  # the common case, without building a subset each time
        if not present:
            return self._none
        if present == {0}:
            return self._whole
        return PartitionsSubset.from_indices(pdef, present, self.now, self.dynamic)

    def ranges_subset(self, key: AssetKey, ranges: Iterable[range]) -> PartitionsSubset:
        return PartitionsSubset.from_ranges(self.pdef(key), ranges, self.now, self.dynamic)

    def mapping(self, key: AssetKey, parent: AssetKey) -> PartitionMapping:
        """The edge's mapping, lenient about upstream partitions before the start."""
        mapping = self.graph.partition_mapping(key, parent) or _IDENTITY
        if getattr(mapping, "allow_nonexistent_upstream_partitions", True) is False:
            mapping = dataclasses.replace(mapping, allow_nonexistent_upstream_partitions=True)  # type: ignore[type-var]
        return mapping

    def is_identity(self, key: AssetKey, parent: AssetKey) -> bool:
        """Whether each partition of ``key`` reads the partition of ``parent`` with its
        index (same partitions definition, identity mapping)."""
        pdef = self.pdef(key)
        up = self.pdef(parent)
        if pdef is UNPARTITIONED or (up is not pdef and up != pdef):
            return False
        return isinstance(self.mapping(key, parent), IdentityPartitionMapping)

    def upstream(
        self, key: AssetKey, subset: PartitionsSubset, parent: AssetKey
    ) -> PartitionsSubset:
        """The partitions of ``parent`` that ``subset`` of ``key`` reads."""
        up_def = self.pdef(parent)
        if not subset:
            return self.empty(parent)
        if up_def is UNPARTITIONED:
            return self.all(parent)
        mapping = self.mapping(key, parent)
        if self.pdef(key) is UNPARTITIONED and isinstance(mapping, AllPartitionMapping):
            return self.all(parent)  # else the mapping names what it reads (last, specific)
        if isinstance(mapping, IdentityPartitionMapping) and up_def == subset.partitions_def:
            return _within(subset, self.all(parent))
        found = mapping.upstream_subset(self.pdef(key), subset, up_def, self.now, self.dynamic)
        return found & self.all(parent)

    def downstream(
        self, parent: AssetKey, subset: PartitionsSubset, key: AssetKey
    ) -> PartitionsSubset:
        """The partitions of ``key`` that read some of ``subset`` of ``parent``."""
        if not subset:
            return self.empty(key)
        pdef = self.pdef(key)
        if self.pdef(parent) is UNPARTITIONED:
            return self.all(key)
        mapping = self.mapping(key, parent)
        if pdef is UNPARTITIONED and isinstance(mapping, AllPartitionMapping):
            return self.all(key)
        if isinstance(mapping, IdentityPartitionMapping) and pdef == subset.partitions_def:
            return _within(subset, self.all(key))
        found = mapping.downstream_subset(self.pdef(parent), subset, pdef, self.now, self.dynamic)
        return found & self.all(key)

    # -- index rows -----------------------------------------------------------------------
    #
    # Two ways to read an asset. ``load`` reads every index row (conditions, data times and
    # freshness look at rows one by one). ``load_status`` reads what eager and cron policies
    # need of a partitioned asset without one row per partition: its materialized and
    # failed partitions as index ranges (the stored partition status), the oldest event id
    # among its materializations, and, on demand, only the rows materialized after an
    # event id (``rows_after``) or of given partitions (``rows_at``).

    def is_loaded(self, key: AssetKey) -> bool:
        return key in self._rows or key in self._status

    def is_ranges_only(self, key: AssetKey) -> bool:
        """Whether the asset was read by ``load_status`` as ranges (its rows not read)."""
        return key in self._status and key not in self._rows

    def load(self, keys: Iterable[AssetKey]) -> None:
        """Read every index row of ``keys`` not read yet, in one batch."""
        wanted = [key for key in dict.fromkeys(keys) if key not in self._rows]
        if not wanted:
            return
        self.queries += 1
        found = self.store.index_rows([key.to_string() for key in wanted])
        for key in wanted:
            self._rows[key] = self._by_index(key, found.get(key.to_string(), []))

    def load_status(self, keys: Iterable[AssetKey]) -> None:
        """Read the status of ``keys`` not read yet, in a few queries: partitioned assets as
        ranges with their oldest materialization, unpartitioned ones as their one row."""
        from assetgraph.status.partitions import partition_statuses

        wanted = [key for key in dict.fromkeys(keys) if not self.is_loaded(key)]
        partitioned = {
            key: pdef for key in wanted if (pdef := self.graph.partitions_def(key)) is not None
        }
        self.load(key for key in wanted if key not in partitioned)
        if not partitioned:
            return
        self.queries += 2
        storage: Any = self.store.storage
        statuses = partition_statuses(partitioned, storage, self.now, self.dynamic)
        oldest = self.store.oldest_materializations(key.to_string() for key in partitioned)
        for key, status in statuses.items():
            self._status[key] = (status.materialized, status.failed)
            self._oldest[key] = oldest.get(key.to_string())

    def rows(self, key: AssetKey) -> dict[int, IndexRow]:
        """Partition index -> index row (materialized or failed), for existing partitions."""
        found = self._rows.get(key)
        if found is None:
            self.load([key])
            found = self._rows[key]
        return found

    def materialized(self, key: AssetKey) -> PartitionsSubset:
        """The partitions with a materialization (observations count for source assets)."""
        found = self._materialized.get(key)
        if found is None:
            status = self._status.get(key)
            if status is not None and self.is_ranges_only(key):
                found = status[0]
            else:
                rows = self.rows(key)
                found = self.subset(key, (i for i, row in rows.items() if row.event_id is not None))
            self._materialized[key] = found
        return found

    def failed(self, key: AssetKey) -> PartitionsSubset:
        """The partitions whose latest attempt failed."""
        status = self._status.get(key)
        if status is not None and self.is_ranges_only(key):
            return status[1]
        found = self._failed.get(key)
        if found is None:
            found = self._failed[key] = self.subset(key, self.failed_rows(key))
        return found

    def recorded(self, key: AssetKey) -> bool:
        """Whether the index has any row of the asset (materialized or failed)."""
        status = self._status.get(key)
        if status is not None and self.is_ranges_only(key):
            return bool(status[0] or status[1])
        return bool(self.rows(key))

    def oldest_materialization(self, key: AssetKey) -> int | None:
        """The lowest event id among the latest materializations of the asset's
        partitions (None: nothing materialized)."""
        if self.is_ranges_only(key):
            return self._oldest.get(key)
        ids = [row.event_id for row in self.rows(key).values() if row.event_id is not None]
        return min(ids, default=None)

    def failed_rows(self, key: AssetKey) -> dict[int, IndexRow]:
        """Partition index -> index row, for the partitions whose latest attempt failed."""
        if self.is_ranges_only(key):
            rows = self.rows_at(key, self._status[key][1])
        else:
            rows = self.rows(key)
        return {
            i: row
            for i, row in rows.items()
            if row.failure_event_id is not None and row.failure_event_id > (row.event_id or -1)
        }

    def prefetch_after(self, after: dict[AssetKey, int]) -> None:
        """Read, in one batch, the rows each asset had materialized after the event id given
        for it (see ``rows_after``)."""
        wanted = {
            key: event_id
            for key, event_id in after.items()
            if key not in self._rows and self._after.get(key, (event_id + 1,))[0] > event_id
        }
        if not wanted:
            return
        self.queries += 1
        found = self.store.index_rows_after({k.to_string(): e for k, e in wanted.items()})
        for key, event_id in wanted.items():
            self._after[key] = (event_id, self._by_index(key, found.get(key.to_string(), [])))

    def rows_after(self, key: AssetKey, event_id: int) -> dict[int, IndexRow]:
        """Partition index -> index row, at least for every partition materialized after
        ``event_id`` (perhaps more)."""
        if key in self._rows or key not in self._status:
            return self.rows(key)
        self.prefetch_after({key: event_id})
        return self._after[key][1]

    def rows_at(self, key: AssetKey, subset: PartitionsSubset) -> dict[int, IndexRow]:
        """Partition index -> index row, for the partitions of ``subset`` the index has."""
        if key in self._rows or key not in self._status:
            rows = self.rows(key)
            return {i: rows[i] for i in subset.indices() if i in rows}
        if not subset:
            return {}
        self.queries += 1
        keys = self.pdef(key).keys_at(list(subset.indices()), self.now, self.dynamic)
        found = self.store.index_rows_for(key.to_string(), keys)
        return self._by_index(key, found)

    def _by_index(self, key: AssetKey, rows: list[IndexRow]) -> dict[int, IndexRow]:
        pdef = self.pdef(key)
        if pdef is UNPARTITIONED:
            whole = [row for row in rows if row.partition_key is None]
            return {0: whole[0]} if whole else {}
        keyed = {row.partition_key: row for row in rows if row.partition_key is not None}
        tdef = self.time_def(key)
        count = len(self.all(key))
        if tdef is not None and len(keyed) > 32 and count <= KEY_TABLE_LIMIT:
            # Many keys of one time schedule: look them up in the schedule's key table
            # (built once per schedule) instead of parsing each.
            table = key_table(tdef, count)
            found = ((k, table.index.get(k)) for k in keyed)
            indices = {k: i for k, i in found if i is not None and i < count}
        else:
            indices = pdef.known_indices(list(keyed), self.now, self.dynamic)
        return {index: keyed[key] for key, index in indices.items()}

    def describe(self, key: AssetKey, subset: PartitionsSubset | None = None) -> str:
        """``key`` or ``key[first...last, ...]`` for messages."""
        if subset is None or subset.partitions_def is UNPARTITIONED:
            return key.to_string()
        return f"{key}[{ranges_text(subset)}]"


def _within(subset: PartitionsSubset, everything: PartitionsSubset) -> PartitionsSubset:
    """``subset & everything``, without the work when ``everything`` is one span from the
    first partition that holds ``subset`` (time partitions: the usual case)."""
    spans = everything.key_ranges
    runs = subset.key_ranges
    if len(spans) == 1 and spans[0].start == 0 and (not runs or runs[-1].stop <= spans[0].stop):
        return subset
    return subset & everything


def _range_texts(subset: PartitionsSubset, limit: int | None = None) -> list[str]:
    """``key`` / ``first...last`` per run of the subset (the first ``limit`` runs)."""
    runs = subset.key_ranges if limit is None else subset.key_ranges[:limit]
    pdef = subset.partitions_def
    if isinstance(pdef, TimeWindowPartitionsDefinition) and runs:
        stop = max(r.stop for r in runs)
        if stop <= KEY_TABLE_LIMIT:
            keys = key_table(pdef, stop).keys
            return [
                keys[r.start] if len(r) == 1 else f"{keys[r.start]}...{keys[r.stop - 1]}"
                for r in runs
            ]
    ranges = subset.ranges() if limit is None else subset.ranges()[:limit]
    return [r.start if r.start == r.end else f"{r.start}...{r.end}" for r in ranges]


def ranges_text(subset: PartitionsSubset, shown: int = 3) -> str:
    """``2025-01-01...2025-01-03, 2025-01-07`` (the first few runs, then a count)."""
    text = ", ".join(_range_texts(subset, shown))
    more = len(subset.key_ranges) - shown
    return text + (f", +{more} more" if more > 0 else "")


def subset_to_json(subset: PartitionsSubset) -> list[str]:
    """A subset as a list of ``key`` / ``first...last`` strings (``[]``: unpartitioned)."""
    if subset.partitions_def is UNPARTITIONED:
        return []
    return _range_texts(subset)


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
