"""Stale status: which (asset, partition) pairs are missing, stale (and why), or fresh.

An (asset, partition) is *missing* when it was never materialized (a source asset: never
observed; one without an observation function is always present); *stale* when its code
version changed since (``code_changed``), when a partition it reads changed its data
version since (``upstream_changed``), or when a partition it reads is itself stale or
missing (``upstream_stale`` / ``upstream_missing``); *fresh* otherwise. A rebuild that
keeps its data version changes nothing downstream (early cut-off).

The algorithm, in one pass in topological order over the selection and its ancestors:

1. one query sums up each asset's materialized partitions: how many, the oldest
   materialization, the newest data-version change, its code versions;
2. only where a summary cannot settle it (some partitions missing, several code versions,
   an upstream that changed after the oldest materialization) are per-partition rows read,
   in one more query, plus the upstream partitions that changed;
3. each asset's partition sets are index ranges: missing = all - materialized; causes
   flow down each edge through its partition mapping, and an upstream change is confirmed
   partition by partition against the versions the downstream recorded reading.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import (
    UNPARTITIONED as UNPARTITIONED,  # re-exported: where callers have found it
    PartitionsDefinition,
)
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.mappings import IdentityPartitionMapping, PartitionMapping
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.planning.request import named_partitions
from assetgraph.selection import select_assets

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.planning.request import PartitionSelection
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.interface import StatusSource
    from assetgraph.storage.records import VersionRow, VersionSummary


_IDENTITY = IdentityPartitionMapping()


class StaleCause(StrEnum):
    """Why a materialized (asset, partition) is stale."""

    CODE_CHANGED = "code_changed"
    UPSTREAM_CHANGED = "upstream_changed"
    UPSTREAM_STALE = "upstream_stale"
    UPSTREAM_MISSING = "upstream_missing"


@dataclass(frozen=True, slots=True)
class CauseRange:
    """Partitions of an asset that are stale for one reason (and through one upstream)."""

    cause: StaleCause
    partitions: PartitionsSubset
    upstream: AssetKey | None = None
    upstream_partitions: PartitionsSubset | None = None
    detail: str = ""

    def describe(self, key: AssetKey) -> str:
        """One line, e.g. ``revenue: upstream cleaned_orders[2025-01-03] changed``."""
        what = _name(key, self.partitions)
        up = "" if self.upstream is None else _name(self.upstream, self.upstream_partitions)
        if self.cause is StaleCause.CODE_CHANGED:
            return f"{what}: code changed ({self.detail})"
        if self.cause is StaleCause.UPSTREAM_CHANGED:
            return f"{what}: upstream {up} changed"
        if self.cause is StaleCause.UPSTREAM_STALE:
            return f"{what}: upstream {up} is stale"
        return f"{what}: upstream {up} is missing"


@dataclass(frozen=True, slots=True)
class AssetStaleness:
    """The status of every partition of one asset (one pseudo-partition if unpartitioned)."""

    key: AssetKey
    partitions_def: PartitionsDefinition | None
    materialized: PartitionsSubset
    missing: PartitionsSubset
    stale: PartitionsSubset
    causes: tuple[CauseRange, ...] = ()

    @property
    def is_partitioned(self) -> bool:
        return self.partitions_def is not None

    @property
    def fresh(self) -> PartitionsSubset:
        return self.materialized - self.stale

    @property
    def status(self) -> str:
        """``stale`` if any partition is, else ``missing`` if any is, else ``fresh``."""
        if self.stale:
            return "stale"
        if self.missing:
            return "missing"
        return "fresh"

    def restricted_to(self, subset: PartitionsSubset) -> AssetStaleness:
        """The same status, for only the partitions in ``subset``."""
        causes = tuple(
            CauseRange(c.cause, c.partitions & subset, c.upstream, c.upstream_partitions, c.detail)
            for c in self.causes
            if c.partitions & subset
        )
        return AssetStaleness(
            self.key,
            self.partitions_def,
            self.materialized & subset,
            self.missing & subset,
            self.stale & subset,
            causes,
        )


@dataclass(frozen=True, slots=True)
class StalenessReport:
    """The status of the selected assets, by key, in topological order."""

    assets: dict[AssetKey, AssetStaleness] = field(default_factory=dict)
    ancestors: dict[AssetKey, AssetStaleness] = field(default_factory=dict, repr=False)

    def root_causes(self, key: AssetKey | str) -> list[str]:
        """The causes that start a chain of ``upstream_stale`` ending at ``key``, described.

        ``revenue`` stale because ``cleaned`` is stale because ``raw``'s code changed gives
        ``["raw[...]: code changed (v: 1 -> 2)"]``.
        """
        found = {cause.describe(at): None for at, cause in self.root_cause_ranges(key)}
        return list(found)

    def root_cause_ranges(self, key: AssetKey | str) -> list[tuple[AssetKey, CauseRange]]:
        """The causes ``root_causes`` describes, each with the asset it belongs to."""
        found: list[tuple[AssetKey, CauseRange]] = []
        start = AssetKey.from_user(key)
        seen: set[AssetKey] = set()
        frontier = [start]
        while frontier:
            current = frontier.pop()
            if current in seen:
                continue
            seen.add(current)
            # Upstream assets are traced in full, even when the report is narrowed.
            if current == start:
                status = self.assets.get(current)
            else:
                status = self.ancestors.get(current) or self.assets.get(current)
            if status is None:
                continue
            for cause in status.causes:
                if cause.cause is StaleCause.UPSTREAM_STALE and cause.upstream is not None:
                    frontier.append(cause.upstream)
                else:
                    found.append((current, cause))
        return found

    def __getitem__(self, key: AssetKey | str) -> AssetStaleness:
        return self.assets[AssetKey.from_user(key)]

    def __iter__(self) -> Any:
        return iter(self.assets.values())

    def stale_or_missing(
        self, *, stale: bool = True, missing: bool = True
    ) -> dict[AssetKey, PartitionsSubset]:
        """Asset key -> its stale and/or missing partitions (what ``--stale`` rebuilds)."""
        found: dict[AssetKey, PartitionsSubset] = {}
        for status in self.assets.values():
            subset = PartitionsSubset.empty(status.materialized.partitions_def)
            if stale:
                subset = subset | status.stale
            if missing:
                subset = subset | status.missing
            found[status.key] = subset
        return found


def stale_status(
    defs: Definitions,
    selection: str | Sequence[str] | None = None,
    partitions: PartitionSelection | None = None,
    instance: Instance | None = None,
    current_time: datetime | None = None,
) -> StalenessReport:
    """Missing, stale (with causes) and fresh partitions of the selected assets (all by default).

    ``partitions`` narrows the report to some partitions (keys or ranges, as for
    ``materialize``). Without ``instance``, ``Instance.from_env()`` is read.
    """
    from assetgraph.storage.instance import Instance

    instance = instance or Instance.from_env()
    keys = select_assets(defs.graph, selection)
    now = current_time or datetime.now(UTC)
    report = compute_staleness(defs.graph, keys, instance.storage, now)
    if partitions is None or not partitions.names_partitions:
        return report

    targets = named_partitions(defs.graph, keys, partitions, now, instance.storage)
    return StalenessReport(
        {
            key: status.restricted_to(targets[key]) if key in targets else status
            for key, status in report.assets.items()
        },
        {**report.ancestors, **report.assets},
    )


def compute_staleness(
    graph: AssetGraph, keys: Iterable[AssetKey], storage: StatusSource, now: datetime
) -> StalenessReport:
    """The status of ``keys`` (computed with every ancestor they depend on)."""
    wanted = set(keys)
    closure = _with_ancestors(graph, wanted)
    order = graph.toposort(closure)
    walk = _Walk(graph, order, storage, now)
    statuses: dict[AssetKey, AssetStaleness] = {}
    for key in order:
        statuses[key] = walk.status_of(key, statuses)
    return StalenessReport(
        {key: statuses[key] for key in order if key in wanted},
        {key: statuses[key] for key in order if key not in wanted},
    )


def _with_ancestors(graph: AssetGraph, keys: set[AssetKey]) -> set[AssetKey]:
    seen = set(keys)
    frontier = list(keys)
    while frontier:
        key = frontier.pop()
        for parent in graph.parents(key):
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    return seen


class _Walk:
    """The data of one status computation, read from storage in a few bulk queries."""

    def __init__(
        self,
        graph: AssetGraph,
        order: Sequence[AssetKey],
        storage: StatusSource,
        now: datetime,
    ) -> None:
        self.graph = graph
        self.storage = storage
        self.now = now
        self.store = snapshot_store(storage)
        names = [key.to_string() for key in order]
        self.summaries: dict[str, VersionSummary] = storage.version_summaries(names)
        self.needs_rows: set[AssetKey] = set()
        self.changed_edges: dict[AssetKey, list[AssetKey]] = {}
        threshold: int | None = None
        for key in order:
            summary = self.summaries.get(key.to_string())
            if summary is None:
                continue
            if self._needs_rows(key, summary):
                self.needs_rows.add(key)
            for parent in graph.parents(key):
                up = self.summaries.get(parent.to_string())
                if (
                    up is not None
                    and up.last_change_event_id is not None
                    and summary.first_event_id is not None
                    and up.last_change_event_id > summary.first_event_id
                ):
                    self.changed_edges.setdefault(key, []).append(parent)
                    self.needs_rows.add(key)
                    first = summary.first_event_id
                    threshold = first if threshold is None else min(threshold, first)
        self.rows: dict[str, list[VersionRow]] = (
            storage.version_rows([k.to_string() for k in self.needs_rows])
            if self.needs_rows
            else {}
        )
        changed_parents = {p.to_string() for ps in self.changed_edges.values() for p in ps}
        self.changed_rows: dict[str, list[VersionRow]] = (
            storage.version_rows(changed_parents, changed_after=threshold)
            if changed_parents
            else {}
        )

    def pdef(self, key: AssetKey) -> PartitionsDefinition:
        return self.graph.partitions_def(key) or UNPARTITIONED

    def mapping(self, key: AssetKey, parent: AssetKey) -> PartitionMapping:
        """The edge's mapping; one that refuses upstream partitions before the upstream's
        start is made lenient, since a status report has no partitions to refuse."""
        mapping = self.graph.partition_mapping(key, parent) or _IDENTITY
        if getattr(mapping, "allow_nonexistent_upstream_partitions", True) is False:
            mapping = dataclasses.replace(mapping, allow_nonexistent_upstream_partitions=True)  # type: ignore[type-var]
        return mapping

    def _needs_rows(self, key: AssetKey, summary: VersionSummary) -> bool:
        if self.graph.is_source(key):
            if not self.graph.is_observable_source(key):
                return False  # always present, whatever was observed
        else:
            current = self.graph.assets_def(key).code_version(key)
            if summary.code_version_count != 1 or summary.a_code_version != current:
                return True
        total = self.pdef(key).count(self.now, self.store)
        return summary.materialized != total

    def status_of(self, key: AssetKey, done: Mapping[AssetKey, AssetStaleness]) -> AssetStaleness:
        pdef = self.pdef(key)
        everything = PartitionsSubset.all(pdef, self.now, self.store)
        summary = self.summaries.get(key.to_string())
        empty = PartitionsSubset.empty(pdef)
        shown_def = self.graph.partitions_def(key)
        if self.graph.is_source(key) and not self.graph.is_observable_source(key):
            # A source nobody observes is taken as present: never missing, never stale.
            return AssetStaleness(key, shown_def, everything, empty, empty)
        if summary is None:
            return AssetStaleness(key, shown_def, empty, everything, empty)
        rows = self.rows.get(key.to_string())
        indexed = self._indexed(pdef, rows) if rows is not None else None
        materialized = (
            everything if indexed is None else self._subset(pdef, indexed.keys()) & everything
        )
        causes: list[CauseRange] = []
        if indexed is not None and not self.graph.is_source(key):
            causes.extend(self._code_changes(key, pdef, indexed, rows or []))
        for parent in self.graph.parents(key):
            upstream = done[parent]
            mapping = self.mapping(key, parent)
            up_def = self.pdef(parent)
            if parent in self.changed_edges.get(key, ()) and indexed is not None:
                changed = self._upstream_changes(key, parent, pdef, indexed, materialized)
                if changed is not None:
                    causes.append(changed)
            for cause, up_subset in (
                (StaleCause.UPSTREAM_STALE, upstream.stale),
                (StaleCause.UPSTREAM_MISSING, upstream.missing),
            ):
                if not up_subset:
                    continue
                hit = mapping.downstream_subset(up_def, up_subset, pdef, self.now, self.store)
                hit = hit & materialized
                if hit:
                    causes.append(CauseRange(cause, hit, parent, up_subset))
        stale = empty
        for found in causes:
            stale = stale | found.partitions
        return AssetStaleness(
            key, shown_def, materialized, everything - materialized, stale, tuple(causes)
        )

    def _indexed(
        self, pdef: PartitionsDefinition, rows: Sequence[VersionRow]
    ) -> dict[int, VersionRow]:
        """Rows by the index of their partition (rows of keys that no longer exist dropped)."""
        if pdef is UNPARTITIONED:
            whole = [row for row in rows if row.partition_key is None]
            return {0: whole[0]} if whole else {}
        keys = [row.partition_key for row in rows if row.partition_key is not None]
        indices = pdef.known_indices(keys, self.now, self.store)
        by_key = {row.partition_key: row for row in rows}
        return {index: by_key[key] for key, index in indices.items()}

    def _subset(self, pdef: PartitionsDefinition, indices: Iterable[int]) -> PartitionsSubset:
        return PartitionsSubset.from_indices(pdef, indices, self.now, self.store)

    def _code_changes(
        self,
        key: AssetKey,
        pdef: PartitionsDefinition,
        indexed: Mapping[int, VersionRow],
        rows: Sequence[VersionRow],
    ) -> list[CauseRange]:
        current = self.graph.assets_def(key).code_version(key)
        by_old: dict[str | None, list[int]] = {}
        for index, row in indexed.items():
            if row.code_version != current:
                by_old.setdefault(row.code_version, []).append(index)
        return [
            CauseRange(
                StaleCause.CODE_CHANGED,
                self._subset(pdef, indices),
                detail=f"v: {_short(old)} -> {_short(current)}",
            )
            for old, indices in sorted(by_old.items(), key=lambda item: str(item[0]))
        ]

    def _upstream_changes(
        self,
        key: AssetKey,
        parent: AssetKey,
        pdef: PartitionsDefinition,
        indexed: Mapping[int, VersionRow],
        materialized: PartitionsSubset,
    ) -> CauseRange | None:
        """Partitions of ``key`` that read a partition of ``parent`` changed since."""
        up_def = self.pdef(parent)
        changed_rows = self.changed_rows.get(parent.to_string(), [])
        if not changed_rows:
            return None
        changed = self._indexed(up_def, changed_rows)
        changed_subset = self._subset(up_def, changed)
        mapping = self.mapping(key, parent)
        candidates = mapping.downstream_subset(up_def, changed_subset, pdef, self.now, self.store)
        candidates = candidates & materialized
        suspects: dict[int, list[int]] = {}
        for index in candidates.indices():
            row = indexed.get(index)
            if row is None:
                continue
            single = self._subset(pdef, [index])
            reads = mapping.upstream_subset(pdef, single, up_def, self.now, self.store)
            newer = [
                u
                for u in (reads & changed_subset).indices()
                if (changed[u].data_version_event_id or 0) > row.event_id
            ]
            if newer:
                suspects[index] = newer
        confirmed = self._confirm(parent, up_def, indexed, changed, suspects)
        if not confirmed:
            return None
        culprits = {u for ups in confirmed.values() for u in ups}
        return CauseRange(
            StaleCause.UPSTREAM_CHANGED,
            self._subset(pdef, confirmed),
            parent,
            self._subset(up_def, culprits),
        )

    def _confirm(
        self,
        parent: AssetKey,
        up_def: PartitionsDefinition,
        indexed: Mapping[int, VersionRow],
        changed: Mapping[int, VersionRow],
        suspects: Mapping[int, list[int]],
    ) -> dict[int, list[int]]:
        """Drop upstream partitions whose version is the one the downstream recorded reading
        (changed and changed back since)."""
        if not suspects:
            return {}
        from assetgraph.storage.events import Materialized  # the event classes cost an import

        payloads = self.storage.event_payloads(indexed[i].event_id for i in suspects)
        name = parent.to_string()
        confirmed: dict[int, list[int]] = {}
        for index, ups in suspects.items():
            body = Materialized.from_payload(payloads.get(indexed[index].event_id, {}))
            read = body.read_partitions(name)
            still = [
                u
                for u in ups
                if read is None or read.get(_partition_name(changed[u])) != changed[u].data_version
            ]
            if still:
                confirmed[index] = still
        return confirmed


def _partition_name(row: VersionRow) -> str:
    return "" if row.partition_key is None else row.partition_key


def _short(version: str | None) -> str:
    return "none" if version is None else version[:8]


def _name(key: AssetKey, subset: PartitionsSubset | None) -> str:
    if subset is None or subset.partitions_def is UNPARTITIONED:
        return key.to_string()
    ranges = subset.ranges()
    shown = ", ".join(_range_text(r) for r in ranges[:3])
    more = f", +{len(ranges) - 3} more" if len(ranges) > 3 else ""
    return f"{key}[{shown}{more}]"


def _range_text(key_range: PartitionKeyRange) -> str:
    if key_range.start == key_range.end:
        return key_range.start
    return f"{key_range.start}...{key_range.end}"
