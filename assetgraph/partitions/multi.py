"""Multi-dimensional partitions: every combination of the keys of two or more definitions.

A key joins one key per dimension with ``|``, in sorted dimension-name order
(``"red|2025-01-31"`` for dimensions ``color`` and ``date``). The index of a key is a
mixed-radix number whose digits are the dimension indices, the first dimension (by name)
most significant; so keys sort by the first dimension, then the next. The radices are the
dimension sizes at ``current_time``, so indices are only meaningful with the clock (and
store) they were computed with.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from assetgraph.errors import DefinitionError, UsageError
from assetgraph.partitions.definitions import (
    DynamicPartitionsDefinition,
    DynamicPartitionsStore,
    PartitionsDefinition,
    StaticPartitionsDefinition,
    now_utc,
)
from assetgraph.partitions.subset import PartitionsSubset

SEPARATOR = "|"


class MultiPartitionKey(str):
    """A multi-dimensional key: the joined string, with ``keys_by_dimension`` kept."""

    __slots__ = ("keys_by_dimension",)
    keys_by_dimension: dict[str, str]

    def __new__(cls, keys_by_dimension: Mapping[str, str]) -> MultiPartitionKey:
        """Join ``keys_by_dimension`` in sorted dimension-name order."""
        ordered = dict(sorted(keys_by_dimension.items()))
        for name, key in ordered.items():
            if SEPARATOR in key:
                raise UsageError(
                    f"Key {key!r} of dimension {name!r} contains {SEPARATOR!r}, which "
                    "separates the dimensions of a multi-partition key."
                )
        instance = super().__new__(cls, SEPARATOR.join(ordered.values()))
        instance.keys_by_dimension = ordered
        return instance

    def __getnewargs__(self) -> tuple[dict[str, str]]:  # type: ignore[override]
        return (self.keys_by_dimension,)


class MultiPartitionsDefinition(PartitionsDefinition):
    """The cross product of two or more named partitions definitions.

    Args:
        partitions_defs: dimension name -> definition. Names may not contain ``|``, nor may
            the keys of any dimension; dimensions may not themselves be multi-dimensional.
    """

    __slots__ = ("_dimensions",)

    def __init__(self, partitions_defs: Mapping[str, PartitionsDefinition]) -> None:
        if len(partitions_defs) < 2:
            raise DefinitionError(
                "MultiPartitionsDefinition needs two or more dimensions, got "
                f"{sorted(partitions_defs)}; use the single definition directly."
            )
        for name, definition in partitions_defs.items():
            if not isinstance(name, str) or not name or SEPARATOR in name:
                raise DefinitionError(
                    f"Dimension name {name!r} must be a non-empty string without {SEPARATOR!r}."
                )
            if isinstance(definition, MultiPartitionsDefinition):
                raise DefinitionError(f"Dimension {name!r} may not be multi-dimensional itself.")
            if not isinstance(definition, PartitionsDefinition):
                raise DefinitionError(
                    f"Dimension {name!r} must be a partitions definition, got {definition!r}."
                )
            if isinstance(definition, StaticPartitionsDefinition):
                bad = [k for k in definition.keys if SEPARATOR in k]
                if bad:
                    raise DefinitionError(
                        f"Keys of dimension {name!r} may not contain {SEPARATOR!r}: {bad[:3]}."
                    )
        self._dimensions: tuple[tuple[str, PartitionsDefinition], ...] = tuple(
            sorted(partitions_defs.items())
        )

    @property
    def partitions_defs(self) -> dict[str, PartitionsDefinition]:
        """Dimension name -> definition, in sorted name order."""
        return dict(self._dimensions)

    @property
    def dimension_names(self) -> list[str]:
        """The dimension names in key order (sorted)."""
        return [name for name, _ in self._dimensions]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MultiPartitionsDefinition):
            return NotImplemented
        return self._dimensions == other._dimensions

    def __hash__(self) -> int:
        return hash(self._dimensions)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name!r}: {d!r}" for name, d in self._dimensions)
        return f"MultiPartitionsDefinition({{{inner}}})"

    # Mixed-radix arithmetic --------------------------------------------------------------

    def radices(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[int]:
        """The size of each dimension at ``current_time``, in key order."""
        return [d.count(current_time, dynamic_partitions_store) for _, d in self._dimensions]

    def _dimension_index(self, name: str) -> int:
        names = self.dimension_names
        if name not in names:
            raise DefinitionError(
                f"{self!r} has no dimension {name!r}; its dimensions are {names}."
            )
        return names.index(name)

    def count(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """The product of the dimension sizes."""
        total = 1
        for radix in self.radices(current_time, dynamic_partitions_store):
            total *= radix
        return total

    def _digits(self, index: int, radices: list[int]) -> list[int]:
        digits = []
        for radix in reversed(radices):
            index, digit = divmod(index, radix)
            digits.append(digit)
        return digits[::-1]

    def key_at(
        self,
        index: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> MultiPartitionKey:
        """The key at mixed-radix ``index``."""
        current_time = current_time or now_utc()
        radices = self.radices(current_time, dynamic_partitions_store)
        total = 1
        for radix in radices:
            total *= radix
        self._check_index(index, total)
        keys = {
            name: d.key_at(digit, current_time, dynamic_partitions_store)
            for (name, d), digit in zip(self._dimensions, self._digits(index, radices), strict=True)
        }
        return MultiPartitionKey(keys)

    def index_of(
        self,
        key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """The mixed-radix index of ``key``; ``UsageError`` naming the faulty dimension."""
        current_time = current_time or now_utc()
        parts = self.split_key(key)
        index = 0
        for (name, d), part in zip(self._dimensions, parts, strict=True):
            try:
                digit = d.index_of(part, current_time, dynamic_partitions_store)
            except UsageError as exc:
                raise UsageError(f"Partition key {key!r}: dimension {name!r}: {exc}") from None
            index = index * d.count(current_time, dynamic_partitions_store) + digit
        return index

    def split_key(self, key: str) -> list[str]:
        """The dimension keys of ``key``, in key order; ``UsageError`` if the count is off."""
        if isinstance(key, MultiPartitionKey):
            kbd = key.keys_by_dimension
            if sorted(kbd) == self.dimension_names:
                return [kbd[name] for name in self.dimension_names]
        parts = str(key).split(SEPARATOR)
        if len(parts) != len(self._dimensions):
            example = SEPARATOR.join(f"<{name}>" for name in self.dimension_names)
            raise UsageError(
                f"Partition key {key!r} is not a key of {self!r}: expected "
                f"{len(self._dimensions)} dimension keys joined by {SEPARATOR!r}, as {example}."
            )
        return parts

    def get_partition_key_from_str(self, partition_key_str: str) -> MultiPartitionKey:
        """Dagster's name: ``partition_key_str`` (``"2024-01-01|us"``) as a
        ``MultiPartitionKey``, its dimension keys by name."""
        parts = self.split_key(partition_key_str)
        return MultiPartitionKey(dict(zip(self.dimension_names, parts, strict=True)))

    def keys_between(
        self,
        start: int,
        stop: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Iterator[str]:
        """The keys at indices ``start`` to ``stop`` (excluded)."""
        current_time = current_time or now_utc()
        for index in range(start, stop):
            yield self.key_at(index, current_time, dynamic_partitions_store)

    # Between the whole and one dimension -------------------------------------------------

    def project_subset(self, subset: PartitionsSubset, dimension_name: str) -> PartitionsSubset:
        """The partitions of dimension ``dimension_name`` that appear in ``subset``."""
        position = self._dimension_index(dimension_name)
        definition = self._dimensions[position][1]
        radices = self.radices(subset.current_time, subset.dynamic_partitions_store)
        radix = radices[position]
        low = 1  # how many indices one step of this dimension spans
        for later in radices[position + 1 :]:
            low *= later
        block = radix * low
        out: list[range] = []
        for r in subset.key_ranges:
            first, last = r.start, r.stop - 1
            if last - first + 1 >= block or first // block + 1 < last // block:
                out = [range(0, radix)]
                break
            d_first, d_last = (first % block) // low, (last % block) // low
            if first // block == last // block:
                out.append(range(d_first, d_last + 1))
            else:
                out += [range(d_first, radix), range(0, d_last + 1)]
        return PartitionsSubset.from_ranges(
            definition, out, subset.current_time, subset.dynamic_partitions_store
        )

    def expand_subset(
        self,
        dimension_name: str,
        dimension_subset: PartitionsSubset,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Every partition whose ``dimension_name`` key is in ``dimension_subset``.

        Yields one interval per run of the dimension's subset for each combination of the
        dimensions before it (by name).
        """
        current_time = current_time or dimension_subset.current_time or now_utc()
        store = dynamic_partitions_store or dimension_subset.dynamic_partitions_store
        position = self._dimension_index(dimension_name)
        radices = self.radices(current_time, store)
        low = 1
        for radix in radices[position + 1 :]:
            low *= radix
        high = 1
        for radix in radices[:position]:
            high *= radix
        block = radices[position] * low
        pieces = [
            range(h * block + r.start * low, h * block + min(r.stop, radices[position]) * low)
            for h in range(high)
            for r in dimension_subset.key_ranges
        ]
        return PartitionsSubset.from_ranges(self, pieces, current_time, store)


def dynamic_partitions_names(pdef: PartitionsDefinition | None) -> list[str]:
    """The names of the ``DynamicPartitionsDefinition`` in ``pdef``: itself, or its
    dimensions for a multi-partitions definition."""
    if isinstance(pdef, DynamicPartitionsDefinition):
        return [pdef.name]
    if isinstance(pdef, MultiPartitionsDefinition):
        return [name for d in pdef.partitions_defs.values() for name in dynamic_partitions_names(d)]
    return []
