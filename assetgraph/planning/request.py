"""A planning request: the partitions of each asset a run should build.

A request is a mapping, asset key -> its target partitions as a ``PartitionsSubset``
(None for an unpartitioned asset). ``build_plan_for_targets`` plans one; whatever chose
the partitions (CLI options, automation, a re-execution) builds the request first.
``targets_for_selection`` builds one from selected assets and partition options (a
``PartitionSelection``: keys, ranges, every partition, only missing or stale ones).

This module knows nothing of the planner's steps, so status and automation can read
partition options without depending on planning a run.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.mappings import TimeWindowPartitionMapping
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.partitions.time_window import (
    DailyPartitionsDefinition,
    TimeWindowPartitionsDefinition,
)

if TYPE_CHECKING:
    from assetgraph.definitions.assets import AssetsDefinition
    from assetgraph.graph import AssetGraph
    from assetgraph.partitions.definitions import DynamicPartitionsStore, PartitionsDefinition
    from assetgraph.partitions.subset import PartitionsSubset
    from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition

RANGE_SEPARATOR = "..."

Targets = Mapping[AssetKey, "PartitionsSubset | None"]
"""A planning request: asset key -> its target partitions (None: an unpartitioned asset)."""

MaterializedPartitions = Mapping[AssetKey, "Collection[str | None] | PartitionsSubset"]
"""Asset key -> the partitions materialized so far: a ``PartitionsSubset`` of its definition,
or keys (None for an unpartitioned asset)."""


@dataclass(frozen=True, slots=True)
class PartitionSelection:
    """Which partitions of the selected partitioned assets to materialize.

    ``keys`` and ``ranges`` name partitions explicitly; ``all_partitions`` takes every
    partition that exists; ``missing`` keeps only those never materialized, ``stale``
    only those that are stale, and both together either (of the named ones, or of all).
    Unpartitioned assets in the selection run once (with ``missing`` / ``stale``: only if
    missing / stale).
    """

    keys: tuple[str, ...] = ()
    ranges: tuple[PartitionKeyRange, ...] = ()
    all_partitions: bool = False
    missing: bool = False
    stale: bool = False

    @property
    def names_partitions(self) -> bool:
        """True when the selection says which partitions (not only ``missing``)."""
        return bool(self.keys or self.ranges or self.all_partitions)

    @property
    def is_empty(self) -> bool:
        return not (self.names_partitions or self.missing or self.stale)

    @property
    def filters(self) -> bool:
        """True when only missing and/or stale partitions are kept."""
        return self.missing or self.stale

    def to_json(self) -> str:
        """This selection as JSON (kept with a run, so it can be re-executed exactly)."""
        return json.dumps(
            {
                "keys": list(self.keys),
                "ranges": [[r.start, r.end] for r in self.ranges],
                "all_partitions": self.all_partitions,
                "missing": self.missing,
                "stale": self.stale,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> PartitionSelection:
        data = json.loads(text)
        return cls(
            tuple(data.get("keys", ())),
            tuple(PartitionKeyRange(a, b) for a, b in data.get("ranges", ())),
            bool(data.get("all_partitions")),
            bool(data.get("missing")),
            bool(data.get("stale")),
        )

    def to_tag_text(self) -> str:
        """This selection as the run tag ``assetgraph/partitions`` stores it.

        The stored form spells the options as the CLI takes them (``--partition KEY``,
        ``--partition-range FIRST...LAST``, ``--all-partitions``, ``--missing``,
        ``--stale``), as every version has stored it; ``from_tag_text`` reads it back.
        """
        words = [f"--partition {key}" for key in self.keys]
        words += [f"--partition-range {r.start}{RANGE_SEPARATOR}{r.end}" for r in self.ranges]
        if self.all_partitions:
            words.append("--all-partitions")
        if self.missing:
            words.append("--missing")
        if self.stale:
            words.append("--stale")
        return " ".join(words)

    @classmethod
    def from_tag_text(cls, text: str) -> PartitionSelection:
        """The selection a run tag ``assetgraph/partitions`` holds; words it cannot read
        (a hand-written tag) are skipped."""
        words = text.split()
        keys: list[str] = []
        ranges: list[PartitionKeyRange] = []
        for flag, value in zip(words, [*words[1:], ""], strict=True):
            if flag == "--partition" and value:
                keys.append(value)
            elif flag == "--partition-range" and value.count(RANGE_SEPARATOR) == 1:
                start, end = value.split(RANGE_SEPARATOR)
                if start and end:
                    ranges.append(PartitionKeyRange(start, end))
        return cls(
            tuple(keys),
            tuple(ranges),
            "--all-partitions" in words,
            "--missing" in words,
            "--stale" in words,
        )


def parse_partition_range(text: str | PartitionKeyRange | Sequence[str]) -> PartitionKeyRange:
    """``"2025-01-01...2025-01-31"`` (or a pair, or a range) -> ``PartitionKeyRange``."""
    if isinstance(text, PartitionKeyRange):
        return text
    if not isinstance(text, str):
        start, end = text
        return PartitionKeyRange(start, end)
    if text.count(RANGE_SEPARATOR) != 1:
        raise UsageError(
            f"Invalid partition range {text!r}: write FIRST{RANGE_SEPARATOR}LAST, e.g. "
            f"2025-01-01{RANGE_SEPARATOR}2025-01-31 (both ends included)."
        )
    start, end = text.split(RANGE_SEPARATOR)
    if not start or not end:
        raise UsageError(f"Invalid partition range {text!r}: both ends are needed.")
    return PartitionKeyRange(start, end)


def targets_for_selection(
    graph: AssetGraph,
    keys: Sequence[AssetKey],
    partitions: PartitionSelection,
    *,
    current_time: datetime,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
    materialized: MaterializedPartitions | None = None,
    stale: Mapping[AssetKey, PartitionsSubset] | None = None,
) -> dict[AssetKey, PartitionsSubset | None]:
    """The request ``partitions`` makes of the assets ``keys`` (source assets excluded).

    Each partitioned asset gets the partitions named (all when none are named), minus,
    with ``missing`` / ``stale``, those not in ``materialized`` / not in ``stale``; an
    asset left with none is left out. An unpartitioned asset maps to None (with
    ``missing`` / ``stale``: only when missing / stale). A multi-asset's keys share the
    partitions of their definition. A key or range that a definition lacks is a
    ``UsageError`` naming the asset.
    """
    resolver = _Resolver(
        graph,
        partitions,
        current_time,
        snapshot_store(dynamic_partitions_store),
        materialized or {},
        stale or {},
    )
    return resolver.targets(keys, for_plan=True)


def named_partitions(
    graph: AssetGraph,
    keys: Sequence[AssetKey],
    partitions: PartitionSelection,
    current_time: datetime,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
) -> dict[AssetKey, PartitionsSubset]:
    """For each partitioned key (source assets too), the partitions ``partitions`` names
    (all when it names none), whatever is materialized or stale."""
    named = PartitionSelection(partitions.keys, partitions.ranges, partitions.all_partitions)
    store = snapshot_store(dynamic_partitions_store)
    resolver = _Resolver(graph, named, current_time, store, {}, {})
    targets = resolver.targets(keys, for_plan=False)
    return {key: subset for key, subset in targets.items() if subset is not None}


class _Resolver:
    """Works out the target partitions of asset definitions from a ``PartitionSelection``."""

    def __init__(
        self,
        graph: AssetGraph,
        selection: PartitionSelection,
        now: datetime,
        store: DynamicPartitionsStore | None,
        materialized: MaterializedPartitions,
        stale: Mapping[AssetKey, PartitionsSubset],
    ) -> None:
        self.graph = graph
        self.selection = selection
        self.now = now
        self.store = store
        self.materialized = materialized
        self.stale = stale
        self.time_defs = _time_defs_of(graph.assets_defs)

    def targets(
        self, keys: Sequence[AssetKey], *, for_plan: bool
    ) -> dict[AssetKey, PartitionsSubset | None]:
        """The target of each key; ``for_plan``: leaving out source assets and what has
        nothing to build."""
        found: dict[AssetKey, PartitionsSubset | None] = {}
        done: dict[int, tuple[bool, PartitionsSubset | None]] = {}
        for key in keys:
            if for_plan and self.graph.is_source(key):
                continue
            assets_def = self.graph.assets_def(key)
            if id(assets_def) not in done:
                done[id(assets_def)] = self.target(assets_def)
            wanted, subset = done[id(assets_def)]
            if wanted or not for_plan:
                found[key] = subset
        return found

    def target(self, assets_def: AssetsDefinition) -> tuple[bool, PartitionsSubset | None]:
        """Whether ``assets_def`` is wanted, and its target partitions (None: unpartitioned)."""
        pdef = assets_def.partitions_def
        if pdef is None:
            return (not self.selection.filters or self._unpartitioned_wanted(assets_def)), None
        subset = self._target_subset(assets_def, pdef)
        return bool(subset), subset

    def _target_subset(
        self, assets_def: AssetsDefinition, pdef: PartitionsDefinition
    ) -> PartitionsSubset:
        selection = self.selection
        name = assets_def.step_name
        if selection.all_partitions or not selection.names_partitions:
            target = PartitionsSubset.all(pdef, self.now, self.store)
        else:
            target = PartitionsSubset.empty(pdef)
            for key in selection.keys:
                target = target | self._named(name, pdef, PartitionKeyRange(key, key))
            for key_range in selection.ranges:
                target = target | self._named(name, pdef, key_range)
        if selection.filters:
            kept = PartitionsSubset.empty(pdef)
            if selection.missing:
                kept = kept | (target - self._materialized_subset(assets_def, pdef))
            if selection.stale:
                for asset_key in assets_def.keys:
                    found = self.stale.get(asset_key)
                    if found is not None:
                        kept = kept | (target & found)
            target = kept
        return target

    def _unpartitioned_wanted(self, assets_def: AssetsDefinition) -> bool:
        """Whether ``missing`` / ``stale`` keep an unpartitioned asset definition."""
        for key in assets_def.keys:
            if self.selection.missing and None not in self.materialized.get(key, ()):
                return True
            if self.selection.stale and self.stale.get(key):
                return True
        return False

    def _named(
        self, name: str, pdef: PartitionsDefinition, key_range: PartitionKeyRange
    ) -> PartitionsSubset:
        """The partitions of ``pdef`` a key or range names, read in another time definition
        of the graph when ``pdef`` does not know the keys (hourly assets for a day)."""
        try:
            return pdef.subset_for_range(key_range, self.now, self.store)
        except UsageError as exc:
            error = exc
        excluded = isinstance(pdef, TimeWindowPartitionsDefinition) and any(
            pdef.is_excluded_key(key) for key in (key_range.start, key_range.end)
        )
        if isinstance(pdef, TimeWindowPartitionsDefinition) and not excluded:
            for other in [*self.time_defs, _daily_like(pdef)]:
                if other == pdef:
                    continue
                try:
                    other_subset = other.subset_for_range(key_range, self.now, self.store)
                except UsageError:
                    continue
                assert isinstance(other, TimeWindowPartitionsDefinition)
                # Time outside pdef's partitions is an error, as a key of pdef's own would
                # be, never a silent cut (a day after pdef's end, a range running past it).
                first, stop = other_subset.key_ranges[0].start, other_subset.key_ranges[-1].stop
                try:
                    span = other.start_ts(first), other.start_ts(stop)
                    pdef.check_span(key_range, *span, self.now)
                except UsageError as exc:
                    raise UsageError(f"Asset '{name}': {exc}") from None
                return TimeWindowPartitionMapping().downstream_subset(
                    other, other_subset, pdef, self.now, self.store
                )
        raise UsageError(f"Asset '{name}': {error}") from None

    def _materialized_subset(
        self, assets_def: AssetsDefinition, pdef: PartitionsDefinition
    ) -> PartitionsSubset:
        """Partitions materialized for every key of the definition (known keys only)."""
        result: PartitionsSubset | None = None
        for key in assets_def.keys:
            done = self.materialized.get(key, ())
            if isinstance(done, PartitionsSubset) and done.partitions_def == pdef:
                subset = done
            else:
                found = [k for k in done if k is not None]
                indices = pdef.known_indices(found, self.now, self.store).values()
                subset = PartitionsSubset.from_indices(pdef, indices, self.now, self.store)
            result = subset if result is None else result & subset
        return result if result is not None else PartitionsSubset.empty(pdef)


def _time_defs_of(defs: Sequence[AssetsDefinition]) -> list[PartitionsDefinition]:
    found: list[PartitionsDefinition] = []
    for assets_def in defs:
        pdef = assets_def.partitions_def
        if isinstance(pdef, TimeWindowPartitionsDefinition) and pdef not in found:
            found.append(pdef)
    return found


def _daily_like(pdef: TimeWindowPartitionsDefinition) -> PartitionsDefinition:
    """Days in ``pdef``'s time zone, so that a date names the windows of that day."""
    return DailyPartitionsDefinition(
        start_date=pdef.start.strftime("%Y-%m-%d"), timezone=pdef.timezone
    )
