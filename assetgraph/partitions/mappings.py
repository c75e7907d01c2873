"""Partition mappings: which upstream partitions each downstream partition reads.

A mapping works on subsets (index intervals) both ways: ``upstream_subset`` answers "what
must exist before these downstream partitions can run", ``downstream_subset`` answers "what
is affected when these upstream partitions change". Time-window mappings compute both by
interval arithmetic on window boundaries, never by listing partitions.

Upstream partitions a mapping points to that do not exist (before the upstream's first
partition, or not yet ended) raise ``UsageError`` unless the mapping allows them, in which
case they are dropped. Downstream partitions that do not exist are always dropped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from assetgraph.errors import DefinitionError, UsageError
from assetgraph.partitions.definitions import (
    DynamicPartitionsStore,
    PartitionsDefinition,
    StaticPartitionsDefinition,
    now_utc,
)
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition


class PartitionMapping(ABC):
    """Maps partitions of a downstream asset to the partitions of an upstream it reads."""

    __slots__ = ()

    @abstractmethod
    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The upstream partitions that ``downstream_subset`` reads."""

    @abstractmethod
    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The downstream partitions that read any of ``upstream_subset``."""

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """Why this mapping cannot join the two definitions, or None when it can."""
        if upstream_def is None or downstream_def is None:
            return f"{self!r} needs both assets to be partitioned"
        return None


def _context(
    subset: PartitionsSubset,
    current_time: datetime | None,
    store: DynamicPartitionsStore | None,
) -> tuple[datetime, DynamicPartitionsStore | None]:
    return (
        current_time or subset.current_time or now_utc(),
        store or subset.dynamic_partitions_store,
    )


def _clip(
    ranges: list[range],
    count: int,
    mapping: PartitionMapping,
    allow_nonexistent: bool,
    downstream_def: PartitionsDefinition,
    downstream_subset: PartitionsSubset,
    upstream_def: PartitionsDefinition,
) -> list[range]:
    """Keep the parts of ``ranges`` inside ``[0, count)``; raise for the rest unless allowed."""
    inside = [range(max(r.start, 0), min(r.stop, count)) for r in ranges]
    outside = [r for r in ranges if r.start < 0 or r.stop > count]
    if outside and not allow_nonexistent:
        missing = []
        for r in outside:
            for lo, hi in ((r.start, min(r.stop, 0)), (max(r.start, count), r.stop)):
                if lo < hi:
                    missing.append(_describe_indices(upstream_def, lo, hi))
        existing = (
            f"from {upstream_def.key_at(0)!r} to {upstream_def.key_at(count - 1)!r}"
            if count and not isinstance(upstream_def, MultiPartitionsDefinition)
            else f"{count} partitions"
        )
        raise UsageError(
            f"{mapping!r} maps downstream partitions {downstream_subset} of {downstream_def!r} "
            f"to upstream partitions {', '.join(missing)} of {upstream_def!r}, which do not "
            f"exist (it has {existing} at that time). Select later downstream partitions, or "
            "pass allow_nonexistent_upstream_partitions=True to skip missing upstream ones."
        )
    return inside


def _describe_indices(definition: PartitionsDefinition, lo: int, hi: int) -> str:
    if isinstance(definition, TimeWindowPartitionsDefinition):
        first, last = definition.key_for_index(lo), definition.key_for_index(hi - 1)
        return repr(first) if lo == hi - 1 else f"{first}...{last}"
    return f"at indices {lo}..{hi - 1}"


def _as_subset_of(
    definition: PartitionsDefinition,
    ranges: list[range] | tuple[range, ...],
    current_time: datetime,
    store: DynamicPartitionsStore | None,
) -> PartitionsSubset:
    return PartitionsSubset.from_ranges(definition, ranges, current_time, store)


def _time_defs(
    mapping: PartitionMapping, a: PartitionsDefinition, b: PartitionsDefinition
) -> tuple[TimeWindowPartitionsDefinition, TimeWindowPartitionsDefinition]:
    if not (
        isinstance(a, TimeWindowPartitionsDefinition)
        and isinstance(b, TimeWindowPartitionsDefinition)
    ):
        raise DefinitionError(
            f"{mapping!r} joins time-window partitions only, not {a!r} and {b!r}."
        )
    return a, b


@dataclass(frozen=True, slots=True)
class TimeWindowPartitionMapping(PartitionMapping):
    """Each downstream window reads the upstream windows overlapping it, shifted.

    ``start_offset`` and ``end_offset`` move the start and end of the downstream window,
    counted in downstream windows (as Dagster counts them), before the upstream windows
    overlapping it are read: ``start_offset=-6`` reads the six windows before plus the
    current one (a rolling 7 days between daily definitions); ``start_offset=end_offset=-1``
    reads the previous window only. Between granularities, a day reads its 24 hours (23 or
    25 on DST change days), ``start_offset=-1`` of a day reads yesterday's hours too, and an
    hour reads its day.
    """

    start_offset: int = 0
    end_offset: int = 0
    allow_nonexistent_upstream_partitions: bool = False

    def __post_init__(self) -> None:
        if self.start_offset > self.end_offset:
            raise DefinitionError(
                f"TimeWindowPartitionMapping: start_offset={self.start_offset} is after "
                f"end_offset={self.end_offset}; the first upstream window must not come after "
                "the last."
            )

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """Both sides must be time-window definitions."""
        if not isinstance(upstream_def, TimeWindowPartitionsDefinition) or not isinstance(
            downstream_def, TimeWindowPartitionsDefinition
        ):
            return f"{self!r} joins time-window partitions only"
        return None

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Upstream windows overlapping each downstream run of windows, offset."""
        down, up = _time_defs(self, downstream_def, upstream_def)
        now, store = _context(downstream_subset, current_time, dynamic_partitions_store)
        ranges = [
            range(
                up.floor_index(down.start_ts(r.start + self.start_offset)),
                up.ceil_index(down.start_ts(r.stop + self.end_offset)),
            )
            for r in downstream_subset.key_ranges
        ]
        kept = _clip(
            ranges,
            up.count(now),
            self,
            self.allow_nonexistent_upstream_partitions,
            down,
            downstream_subset,
            up,
        )
        return _as_subset_of(up, kept, now, store)

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Downstream windows whose (offset) upstream windows meet ``upstream_subset``."""
        up, down = _time_defs(self, upstream_def, downstream_def)
        now, store = _context(upstream_subset, current_time, dynamic_partitions_store)
        count = down.count(now)
        ranges = []
        for r in upstream_subset.key_ranges:
            # d reads the upstream windows overlapping its shifted span
            # [start(d + start_offset), start(d + 1 + end_offset)): those that meet r's time
            lo = down.floor_index(up.start_ts(r.start)) - self.end_offset
            hi = down.ceil_index(up.start_ts(r.stop)) - self.start_offset
            ranges.append(range(max(lo, 0), min(hi, count)))
        return _as_subset_of(down, ranges, now, store)


@dataclass(frozen=True, slots=True)
class IdentityPartitionMapping(PartitionMapping):
    """Each downstream partition reads the upstream partition with the same key."""

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """Equal definitions, time windows of one schedule, or static keys found upstream."""
        if upstream_def is None or downstream_def is None:
            return "identity mapping needs both assets to be partitioned"
        if upstream_def == downstream_def:
            return None
        if isinstance(upstream_def, TimeWindowPartitionsDefinition) and isinstance(
            downstream_def, TimeWindowPartitionsDefinition
        ):
            if upstream_def.is_same_schedule(downstream_def):
                return None
            return "the time windows differ (use TimeWindowPartitionMapping)"
        if isinstance(upstream_def, StaticPartitionsDefinition) and isinstance(
            downstream_def, StaticPartitionsDefinition
        ):
            missing = [k for k in downstream_def.keys if k not in upstream_def._index]
            if not missing:
                return None
            return f"downstream keys {missing[:5]} are not upstream keys"
        return f"{downstream_def!r} and {upstream_def!r} differ"

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The same keys upstream (same indices when the definitions are equal)."""
        now, store = _context(downstream_subset, current_time, dynamic_partitions_store)
        if downstream_def == upstream_def:
            return _as_subset_of(upstream_def, downstream_subset.key_ranges, now, store)
        if isinstance(downstream_def, TimeWindowPartitionsDefinition) and isinstance(
            upstream_def, TimeWindowPartitionsDefinition
        ):
            return TimeWindowPartitionMapping().upstream_subset(
                downstream_def, downstream_subset, upstream_def, now, store
            )
        # Different key sets: map key by key.
        return upstream_def.subset_for_keys(downstream_subset.keys(), now, store)

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The same keys downstream, dropping those it does not have."""
        now, store = _context(upstream_subset, current_time, dynamic_partitions_store)
        if downstream_def == upstream_def:
            return _as_subset_of(downstream_def, upstream_subset.key_ranges, now, store)
        if isinstance(downstream_def, TimeWindowPartitionsDefinition) and isinstance(
            upstream_def, TimeWindowPartitionsDefinition
        ):
            return TimeWindowPartitionMapping().downstream_subset(
                upstream_def, upstream_subset, downstream_def, now, store
            )
        keys = [k for k in upstream_subset if downstream_def.has_partition_key(k, now, store)]
        return downstream_def.subset_for_keys(keys, now, store)


@dataclass(frozen=True, slots=True)
class AllPartitionMapping(PartitionMapping):
    """Every downstream partition reads every upstream partition."""

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """Any two definitions; either side may be unpartitioned."""
        return None

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """All upstream partitions, if any downstream partition is asked for."""
        now, store = _context(downstream_subset, current_time, dynamic_partitions_store)
        if not downstream_subset:
            return PartitionsSubset.empty(upstream_def)
        return PartitionsSubset.all(upstream_def, now, store)

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """All downstream partitions, if any upstream partition is given."""
        now, store = _context(upstream_subset, current_time, dynamic_partitions_store)
        if not upstream_subset:
            return PartitionsSubset.empty(downstream_def)
        return PartitionsSubset.all(downstream_def, now, store)


@dataclass(frozen=True, slots=True)
class LastPartitionMapping(PartitionMapping):
    """Every downstream partition reads the last upstream partition that exists."""

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """The upstream must be partitioned; the downstream may be unpartitioned."""
        if upstream_def is None:
            return f"{self!r} needs the upstream asset to be partitioned"
        return None

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The last upstream partition (none when the upstream has none yet)."""
        now, store = _context(downstream_subset, current_time, dynamic_partitions_store)
        count = upstream_def.count(now, store)
        if not downstream_subset or count == 0:
            return PartitionsSubset.empty(upstream_def)
        return _as_subset_of(upstream_def, [range(count - 1, count)], now, store)

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """All downstream partitions if the last upstream partition is given, else none."""
        now, store = _context(upstream_subset, current_time, dynamic_partitions_store)
        count = upstream_def.count(now, store)
        if count and upstream_subset.contains_index(count - 1):
            return PartitionsSubset.all(downstream_def, now, store)
        return PartitionsSubset.empty(downstream_def)


class StaticPartitionMapping(PartitionMapping):
    """An explicit table: upstream key -> the downstream key or keys that read it."""

    __slots__ = ("_pairs",)

    def __init__(
        self,
        downstream_partition_keys_by_upstream_partition_key: Mapping[str, str | Collection[str]],
    ) -> None:
        pairs = []
        for up, downs in downstream_partition_keys_by_upstream_partition_key.items():
            down_keys = (downs,) if isinstance(downs, str) else tuple(downs)
            pairs.append((up, tuple(sorted(set(down_keys)))))
        self._pairs: tuple[tuple[str, tuple[str, ...]], ...] = tuple(sorted(pairs))

    @property
    def downstream_partition_keys_by_upstream_partition_key(self) -> dict[str, frozenset[str]]:
        """The table, with each value as a set of downstream keys."""
        return {up: frozenset(downs) for up, downs in self._pairs}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StaticPartitionMapping) and self._pairs == other._pairs

    def __hash__(self) -> int:
        return hash(self._pairs)

    def __repr__(self) -> str:
        return f"StaticPartitionMapping({dict(self._pairs)!r})"

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """Keys in the table must be keys of static definitions on each side."""
        base = PartitionMapping.problem(self, upstream_def, downstream_def)
        if base:
            return base
        if isinstance(upstream_def, StaticPartitionsDefinition):
            unknown = [up for up, _ in self._pairs if up not in upstream_def._index]
            if unknown:
                return f"upstream keys {unknown[:5]} of the mapping are not in {upstream_def!r}"
        if isinstance(downstream_def, StaticPartitionsDefinition):
            unknown = [
                d for _, downs in self._pairs for d in downs if d not in downstream_def._index
            ]
            if unknown:
                return f"downstream keys {unknown[:5]} of the mapping are not in {downstream_def!r}"
        return None

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The upstream keys whose downstream keys meet ``downstream_subset``."""
        now, store = _context(downstream_subset, current_time, dynamic_partitions_store)
        wanted = [up for up, downs in self._pairs if any(d in downstream_subset for d in downs)]
        return upstream_def.subset_for_keys(wanted, now, store)

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The downstream keys listed for upstream keys in ``upstream_subset``."""
        now, store = _context(upstream_subset, current_time, dynamic_partitions_store)
        keys = {d for up, downs in self._pairs if up in upstream_subset for d in downs}
        return downstream_def.subset_for_keys(sorted(keys), now, store)


@dataclass(frozen=True, slots=True)
class MultiToSingleDimensionPartitionMapping(PartitionMapping):
    """Joins a multi-dimensional definition and a single one equal to one of its dimensions.

    Either side may be the multi-dimensional one. A single-dimension partition maps to every
    multi partition with that dimension key. ``partition_dimension_name`` may be left out
    when exactly one dimension equals the single definition.
    """

    partition_dimension_name: str | None = None

    def dimension(self, multi: MultiPartitionsDefinition, single: PartitionsDefinition) -> str:
        """The dimension of ``multi`` that ``single`` stands for; ``DefinitionError`` if none."""
        if self.partition_dimension_name is not None:
            name = self.partition_dimension_name
            defs = multi.partitions_defs
            if name not in defs:
                raise DefinitionError(
                    f"{multi!r} has no dimension {name!r}; its dimensions are {sorted(defs)}."
                )
            if defs[name] != single:
                raise DefinitionError(
                    f"Dimension {name!r} of {multi!r} is {defs[name]!r}, not {single!r}."
                )
            return name
        matches = [n for n, d in multi.partitions_defs.items() if d == single]
        if len(matches) != 1:
            raise DefinitionError(
                f"{len(matches) or 'No'} dimensions of {multi!r} equal {single!r}: pass "
                "partition_dimension_name= to MultiToSingleDimensionPartitionMapping."
            )
        return matches[0]

    def _sides(
        self, a: PartitionsDefinition, b: PartitionsDefinition
    ) -> tuple[MultiPartitionsDefinition, str]:
        if isinstance(a, MultiPartitionsDefinition) and not isinstance(
            b, MultiPartitionsDefinition
        ):
            return a, self.dimension(a, b)
        if isinstance(b, MultiPartitionsDefinition) and not isinstance(
            a, MultiPartitionsDefinition
        ):
            return b, self.dimension(b, a)
        raise DefinitionError(
            f"{self!r} joins a multi-dimensional definition and a single one, not {a!r} and {b!r}."
        )

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """One side multi-dimensional, the other equal to one of its dimensions."""
        if upstream_def is None or downstream_def is None:
            return f"{self!r} needs both assets to be partitioned"
        try:
            self._sides(upstream_def, downstream_def)
        except DefinitionError as exc:
            return str(exc).rstrip(".")
        return None

    def _map(
        self,
        source_def: PartitionsDefinition,
        source: PartitionsSubset,
        target_def: PartitionsDefinition,
        current_time: datetime | None,
        store: DynamicPartitionsStore | None,
    ) -> PartitionsSubset:
        now, store = _context(source, current_time, store)
        multi, name = self._sides(source_def, target_def)
        if source_def is multi:
            projected = multi.project_subset(source, name)
            return _as_subset_of(target_def, projected.key_ranges, now, store)
        return multi.expand_subset(name, source, now, store)

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Project onto the dimension, or expand across the other dimensions."""
        return self._map(
            downstream_def, downstream_subset, upstream_def, current_time, dynamic_partitions_store
        )

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Project onto the dimension, or expand across the other dimensions."""
        return self._map(
            upstream_def, upstream_subset, downstream_def, current_time, dynamic_partitions_store
        )
