"""``PartitionsSubset``: a set of partitions of one definition, held as index intervals.

A subset never lists its keys: it keeps sorted, disjoint, non-adjacent half-open ``range``
objects of partition indices, so a million partitions in a few runs cost a few integers.
Set operations merge the interval lists in one pass.

Indices of time-window, static and dynamic definitions do not move as time passes (while no
dynamic key is deleted); those of a multi-dimensional definition depend on the size of each
dimension, so a subset remembers the ``current_time`` and store it was built with and uses
them to turn indices back into keys.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from assetgraph.errors import UsageError
from assetgraph.partitions.clock import now_utc
from assetgraph.partitions.key_range import PartitionKeyRange

if TYPE_CHECKING:
    from assetgraph.partitions.definitions import DynamicPartitionsStore, PartitionsDefinition


def normalize_ranges(ranges: Iterable[range | tuple[int, int]]) -> tuple[range, ...]:
    """Sort and merge half-open intervals; empty ones are dropped, touching ones joined."""
    spans = sorted(
        (r.start, r.stop) if isinstance(r, range) else (r[0], r[1])
        for r in ranges
        if (len(r) if isinstance(r, range) else r[1] - r[0]) > 0
    )
    merged: list[range] = []
    for start, stop in spans:
        if merged and start <= merged[-1].stop:
            if stop > merged[-1].stop:
                merged[-1] = range(merged[-1].start, stop)
        else:
            merged.append(range(start, stop))
    return tuple(merged)


def _intersect(a: tuple[range, ...], b: tuple[range, ...]) -> tuple[range, ...]:
    if not a or not b:
        return ()
    if len(b) == 1:
        return _clip(a, b[0])
    if len(a) == 1:
        return _clip(b, a[0])
    out: list[range] = []
    append = out.append
    i = j = 0
    len_a, len_b = len(a), len(b)
    ra, rb = a[0], b[0]
    while True:
        start = ra.start if ra.start > rb.start else rb.start
        if ra.stop < rb.stop:
            if start < ra.stop:
                append(range(start, ra.stop))
            i += 1
            if i == len_a:
                break
            ra = a[i]
        else:
            if start < rb.stop:
                append(range(start, rb.stop))
            j += 1
            if j == len_b:
                break
            rb = b[j]
    return tuple(out)


def _clip(runs: tuple[range, ...], span: range) -> tuple[range, ...]:
    """``runs`` intersected with one interval ``span``."""
    lo, hi = span.start, span.stop
    if runs[0].start >= lo and runs[-1].stop <= hi:
        return runs
    first = bisect.bisect_right(runs, lo, key=_stop)
    last = bisect.bisect_left(runs, hi, key=_start)
    inside = list(runs[first:last])
    if inside:
        if inside[0].start < lo:
            inside[0] = range(lo, inside[0].stop)
        if inside[-1].stop > hi:
            inside[-1] = range(inside[-1].start, hi)
    return tuple(inside)


def _start(r: range) -> int:
    return r.start


def _stop(r: range) -> int:
    return r.stop


def _union(a: tuple[range, ...], b: tuple[range, ...]) -> tuple[range, ...]:
    if not a or b == a:
        return b
    if not b:
        return a
    if a[-1].stop < b[0].start:
        return a + b
    if b[-1].stop < a[0].start:
        return b + a
    out: list[range] = []
    i = j = 0
    len_a, len_b = len(a), len(b)
    while i < len_a or j < len_b:
        if j == len_b or (i < len_a and a[i].start <= b[j].start):
            r = a[i]
            i += 1
        else:
            r = b[j]
            j += 1
        if out and r.start <= out[-1].stop:
            if r.stop > out[-1].stop:
                out[-1] = range(out[-1].start, r.stop)
        else:
            out.append(r)
    return tuple(out)


def _subtract(a: tuple[range, ...], b: tuple[range, ...]) -> tuple[range, ...]:
    if not a or not b:
        return a
    if b[0].start >= a[-1].stop or b[-1].stop <= a[0].start:
        return a
    out: list[range] = []
    append = out.append
    j = 0
    len_b = len(b)
    for r in a:
        start, stop = r.start, r.stop
        while j < len_b and b[j].stop <= start:
            j += 1
        k = j
        while k < len_b:
            cut = b[k]
            if cut.start >= stop:
                break
            if cut.start > start:
                append(range(start, cut.start))
            if cut.stop > start:
                start = cut.stop
            k += 1
        if start < stop:
            append(range(start, stop))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PartitionsSubset:
    """An immutable set of partitions of ``partitions_def``, as sorted index intervals.

    ``key_ranges`` holds disjoint, non-touching, half-open ``range`` objects in increasing
    order. Two subsets are equal when their definitions and intervals are equal.
    """

    partitions_def: PartitionsDefinition
    key_ranges: tuple[range, ...]
    current_time: datetime | None = field(default=None, compare=False)
    dynamic_partitions_store: DynamicPartitionsStore | None = field(
        default=None, compare=False, repr=False
    )

    # Construction ------------------------------------------------------------------------

    @classmethod
    def from_ranges(
        cls,
        partitions_def: PartitionsDefinition,
        ranges: Iterable[range | tuple[int, int]],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The partitions whose indices fall in ``ranges`` (half-open, any order)."""
        return cls(partitions_def, normalize_ranges(ranges), current_time, dynamic_partitions_store)

    @classmethod
    def from_indices(
        cls,
        partitions_def: PartitionsDefinition,
        indices: Iterable[int],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The partitions at the given indices."""
        runs: list[range] = []
        for index in sorted(set(indices)):
            if runs and runs[-1].stop == index:
                runs[-1] = range(runs[-1].start, index + 1)
            else:
                runs.append(range(index, index + 1))
        return cls(partitions_def, tuple(runs), current_time, dynamic_partitions_store)

    @classmethod
    def empty(cls, partitions_def: PartitionsDefinition) -> PartitionsSubset:
        """No partition of ``partitions_def``."""
        return cls(partitions_def, ())

    @classmethod
    def all(
        cls,
        partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Every partition of ``partitions_def`` that exists at ``current_time``."""
        current_time = current_time or now_utc()
        n = partitions_def.count(current_time, dynamic_partitions_store)
        return cls.from_ranges(
            partitions_def, [range(0, n)], current_time, dynamic_partitions_store
        )

    def with_ranges(self, ranges: Iterable[range | tuple[int, int]]) -> PartitionsSubset:
        """A subset of the same definition and context with other index intervals."""
        return PartitionsSubset(
            self.partitions_def,
            normalize_ranges(ranges),
            self.current_time,
            self.dynamic_partitions_store,
        )

    # Set operations ----------------------------------------------------------------------

    def _check_same(self, other: object, op: str) -> PartitionsSubset:
        if not isinstance(other, PartitionsSubset):
            raise TypeError(f"cannot {op} a PartitionsSubset and {type(other).__name__}")
        if other.partitions_def is not self.partitions_def and (
            other.partitions_def != self.partitions_def
        ):  # identity first: equality of time-window definitions costs cron arithmetic
            raise UsageError(
                f"Cannot {op} subsets of different partitions definitions: "
                f"{self.partitions_def!r} and {other.partitions_def!r}."
            )
        return other

    def _merged(self, other: PartitionsSubset, ranges: tuple[range, ...]) -> PartitionsSubset:
        return PartitionsSubset(
            self.partitions_def,
            ranges,
            self.current_time or other.current_time,
            self.dynamic_partitions_store or other.dynamic_partitions_store,
        )

    def __or__(self, other: PartitionsSubset) -> PartitionsSubset:
        other = self._check_same(other, "join")
        return self._merged(other, _union(self.key_ranges, other.key_ranges))

    def __and__(self, other: PartitionsSubset) -> PartitionsSubset:
        other = self._check_same(other, "intersect")
        return self._merged(other, _intersect(self.key_ranges, other.key_ranges))

    def __sub__(self, other: PartitionsSubset) -> PartitionsSubset:
        other = self._check_same(other, "subtract")
        return self._merged(other, _subtract(self.key_ranges, other.key_ranges))

    # Questions ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return sum(len(r) for r in self.key_ranges)

    def __bool__(self) -> bool:
        return bool(self.key_ranges)

    def contains_index(self, index: int) -> bool:
        """Whether the partition at ``index`` is in the subset."""
        pos = bisect.bisect_right(self.key_ranges, index, key=lambda r: r.start) - 1
        return pos >= 0 and index < self.key_ranges[pos].stop

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str) or not self.key_ranges:
            return False
        try:
            index = self.partitions_def.index_of(
                key, self.current_time, self.dynamic_partitions_store
            )
        except UsageError:
            return False
        return self.contains_index(index)

    def indices(self) -> Iterator[int]:
        """The indices in the subset, in increasing order, lazily."""
        for r in self.key_ranges:
            yield from r

    def keys(self) -> Iterator[str]:
        """The keys in the subset, in definition order, lazily."""
        for r in self.key_ranges:
            yield from self.partitions_def.keys_between(
                r.start, r.stop, self.current_time, self.dynamic_partitions_store
            )

    def __iter__(self) -> Iterator[str]:
        return self.keys()

    def _key(self, index: int) -> str:
        return self.partitions_def.key_at(index, self.current_time, self.dynamic_partitions_store)

    @property
    def first_key(self) -> str | None:
        """The first key in definition order, or None when the subset is empty."""
        return self._key(self.key_ranges[0].start) if self.key_ranges else None

    @property
    def last_key(self) -> str | None:
        """The last key in definition order, or None when the subset is empty."""
        return self._key(self.key_ranges[-1].stop - 1) if self.key_ranges else None

    def ranges(self) -> list[PartitionKeyRange]:
        """The subset as key ranges (both ends included), one per run of adjacent keys."""
        return [
            PartitionKeyRange(self._key(r.start), self._key(r.stop - 1)) for r in self.key_ranges
        ]

    def __str__(self) -> str:
        parts = [str(r) if r.start != r.end else r.start for r in self.ranges()[:10]]
        more = f", ... ({len(self.key_ranges)} runs)" if len(self.key_ranges) > 10 else ""
        return "{" + ", ".join(parts) + more + "}"
