"""``MultiPartitionMapping``: between two multi-dimensional definitions, one mapping per
pair of dimensions.

Each ``DimensionPartitionMapping`` names, for one upstream dimension, the downstream
dimension it corresponds to and the mapping between the two. As in Dagster, a dimension
left out on either side maps to every partition of the other side's dimensions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from assetgraph.errors import DefinitionError
from assetgraph.partitions.definitions import DynamicPartitionsStore, PartitionsDefinition
from assetgraph.partitions.mappings import PartitionMapping, _context
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.subset import PartitionsSubset


@dataclass(frozen=True, slots=True)
class DimensionPartitionMapping:
    """The downstream dimension ``dimension_name`` an upstream dimension corresponds to,
    and the ``partition_mapping`` between the two dimensions' definitions."""

    dimension_name: str
    partition_mapping: PartitionMapping

    def __post_init__(self) -> None:
        if not isinstance(self.partition_mapping, PartitionMapping):
            raise DefinitionError(
                f"DimensionPartitionMapping({self.dimension_name!r}, ...): partition_mapping "
                f"must be a PartitionMapping, got {type(self.partition_mapping).__name__}."
            )


_DimensionMapper = Callable[
    [PartitionsDefinition, PartitionsSubset, PartitionsDefinition], PartitionsSubset
]


@dataclass(frozen=True, slots=True, init=False)
class MultiPartitionMapping(PartitionMapping):
    """Maps a multi-dimensional upstream to a multi-dimensional downstream, dimension by
    dimension (``downstream_mappings_by_upstream_dimension``: upstream dimension name ->
    ``DimensionPartitionMapping``)."""

    pairs: tuple[tuple[str, DimensionPartitionMapping], ...]
    """(upstream dimension, its mapping), sorted by upstream dimension."""

    def __init__(
        self, downstream_mappings_by_upstream_dimension: Mapping[str, DimensionPartitionMapping]
    ) -> None:
        pairs = []
        for upstream_dim, mapping in downstream_mappings_by_upstream_dimension.items():
            if not isinstance(mapping, DimensionPartitionMapping):
                raise DefinitionError(
                    f"MultiPartitionMapping: the mapping of upstream dimension {upstream_dim!r} "
                    f"must be a DimensionPartitionMapping, got {type(mapping).__name__}."
                )
            pairs.append((str(upstream_dim), mapping))
        downstream = [m.dimension_name for _, m in pairs]
        repeated = sorted({d for d in downstream if downstream.count(d) > 1})
        if repeated:
            raise DefinitionError(
                f"MultiPartitionMapping maps several upstream dimensions to downstream "
                f"dimension(s) {repeated}; map each dimension at most once."
            )
        object.__setattr__(self, "pairs", tuple(sorted(pairs, key=lambda pair: pair[0])))

    @property
    def downstream_mappings_by_upstream_dimension(self) -> dict[str, DimensionPartitionMapping]:
        """Upstream dimension name -> its downstream dimension and mapping."""
        return dict(self.pairs)

    def problem(
        self, upstream_def: PartitionsDefinition | None, downstream_def: PartitionsDefinition | None
    ) -> str | None:
        """Both sides multi-dimensional, every named dimension present, each pair valid."""
        if not isinstance(upstream_def, MultiPartitionsDefinition) or not isinstance(
            downstream_def, MultiPartitionsDefinition
        ):
            return f"{self!r} needs both assets to be multi-partitioned"
        up_dims, down_dims = upstream_def.partitions_defs, downstream_def.partitions_defs
        for upstream_dim, mapping in self.pairs:
            if upstream_dim not in up_dims:
                return f"the upstream has no dimension {upstream_dim!r} (it has {sorted(up_dims)})"
            if mapping.dimension_name not in down_dims:
                return (
                    f"the downstream has no dimension {mapping.dimension_name!r} "
                    f"(it has {sorted(down_dims)})"
                )
            inner = mapping.partition_mapping.problem(
                up_dims[upstream_dim], down_dims[mapping.dimension_name]
            )
            if inner:
                return f"dimension {upstream_dim!r} -> {mapping.dimension_name!r}: {inner}"
        return None

    def _multi_defs(
        self, a: PartitionsDefinition, b: PartitionsDefinition
    ) -> tuple[MultiPartitionsDefinition, MultiPartitionsDefinition]:
        if not isinstance(a, MultiPartitionsDefinition) or not isinstance(
            b, MultiPartitionsDefinition
        ):
            raise DefinitionError(
                f"{self!r} joins two multi-partitioned assets, not {a!r} and {b!r}."
            )
        return a, b

    def upstream_subset(
        self,
        downstream_def: PartitionsDefinition,
        downstream_subset: PartitionsSubset,
        upstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The upstream partitions each downstream partition reads, dimension by dimension."""
        down, up = self._multi_defs(downstream_def, upstream_def)
        now, store = _context(downstream_subset, current_time, dynamic_partitions_store)
        pairs = [
            (m.dimension_name, up_dim, _upstream_mapper(m.partition_mapping, now, store))
            for up_dim, m in self.pairs
        ]
        return _map_by_dimension(down, downstream_subset, up, pairs, now, store)

    def downstream_subset(
        self,
        upstream_def: PartitionsDefinition,
        upstream_subset: PartitionsSubset,
        downstream_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The downstream partitions that read any of ``upstream_subset``."""
        up, down = self._multi_defs(upstream_def, downstream_def)
        now, store = _context(upstream_subset, current_time, dynamic_partitions_store)
        pairs = [
            (up_dim, m.dimension_name, _downstream_mapper(m.partition_mapping, now, store))
            for up_dim, m in self.pairs
        ]
        return _map_by_dimension(up, upstream_subset, down, pairs, now, store)


def _upstream_mapper(
    mapping: PartitionMapping, now: datetime, store: DynamicPartitionsStore | None
) -> _DimensionMapper:
    return lambda down_def, subset, up_def: mapping.upstream_subset(
        down_def, subset, up_def, now, store
    )


def _downstream_mapper(
    mapping: PartitionMapping, now: datetime, store: DynamicPartitionsStore | None
) -> _DimensionMapper:
    return lambda up_def, subset, down_def: mapping.downstream_subset(
        up_def, subset, down_def, now, store
    )


def _map_by_dimension(
    source: MultiPartitionsDefinition,
    subset: PartitionsSubset,
    target: MultiPartitionsDefinition,
    pairs: list[tuple[str, str, _DimensionMapper]],
    now: datetime,
    store: DynamicPartitionsStore | None,
) -> PartitionsSubset:
    """Map ``subset`` of ``source`` into ``target``: each (source dimension, target
    dimension, mapper) pair maps one dimension; target dimensions no pair names take all
    their partitions.

    With one pair, the subset is projected on its dimension and mapped at once. With
    several, each index range of the subset is cut into boxes (a range of keys per
    dimension, at most two per dimension and range); the image of a box is the
    intersection of each paired target dimension's image expanded over the others. Only
    ranges are handled, never one partition at a time.
    """
    if not subset:
        return PartitionsSubset.empty(target)
    source_dims, target_dims = source.partitions_defs, target.partitions_defs
    if not pairs:
        return PartitionsSubset.all(target, now, store)
    if len(pairs) == 1:
        source_dim, target_dim, mapper = pairs[0]
        projected = source.project_subset(subset, source_dim)
        image = mapper(source_dims[source_dim], projected, target_dims[target_dim])
        return target.expand_subset(target_dim, image, now, store)
    positions = [source.dimension_names.index(source_dim) for source_dim, _, _ in pairs]
    radices = source.radices(now, store)
    result = PartitionsSubset.empty(target)
    seen: set[tuple[range, ...]] = set()
    for whole in subset.key_ranges:
        for box in _boxes(whole.start, whole.stop, radices):
            paired = tuple(box[position] for position in positions)
            if paired in seen:
                continue
            seen.add(paired)
            image = PartitionsSubset.all(target, now, store)
            for (source_dim, target_dim, mapper), digits in zip(pairs, paired, strict=True):
                part = PartitionsSubset.from_ranges(source_dims[source_dim], [digits], now, store)
                mapped = mapper(source_dims[source_dim], part, target_dims[target_dim])
                image = image & target.expand_subset(target_dim, mapped, now, store)
            result = result | image
    return result


def _boxes(lo: int, hi: int, radices: list[int]) -> list[tuple[range, ...]]:
    """The mixed-radix indices ``[lo, hi)`` as boxes: one range of digits per dimension."""
    if lo >= hi:
        return []
    if len(radices) == 1:
        return [(range(lo, hi),)]
    block = 1
    for radix in radices[1:]:
        block *= radix
    first, last = lo // block, (hi - 1) // block
    inner = radices[1:]
    if first == last:
        head = range(first, first + 1)
        return [(head, *box) for box in _boxes(lo - first * block, hi - first * block, inner)]
    boxes: list[tuple[range, ...]] = []
    full_from, full_to = first, last + 1
    if lo % block:
        full_from = first + 1
        head = range(first, first + 1)
        boxes += [(head, *box) for box in _boxes(lo % block, block, inner)]
    if hi % block:
        full_to = last
        tail = range(last, last + 1)
        boxes += [(tail, *box) for box in _boxes(0, hi % block, inner)]
    if full_from < full_to:
        boxes.append((range(full_from, full_to), *(range(0, radix) for radix in inner)))
    return boxes
