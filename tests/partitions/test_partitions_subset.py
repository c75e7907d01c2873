"""PartitionsSubset: interval set algebra against a plain-set reference."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from assetgraph.errors import UsageError
from assetgraph.partitions import (
    PartitionKeyRange,
    PartitionsSubset,
    StaticPartitionsDefinition,
)

KEYS = [f"p{i:03d}" for i in range(200)]
STATIC = StaticPartitionsDefinition(KEYS)

index_sets = st.sets(st.integers(0, 199), max_size=120)


def subset_of(indices: set[int]) -> PartitionsSubset:
    return PartitionsSubset.from_indices(STATIC, indices)


@settings(max_examples=100, deadline=None)
@given(index_sets, index_sets)
def test_set_operations_match_python_sets(a: set[int], b: set[int]) -> None:
    sa, sb = subset_of(a), subset_of(b)
    for op, expected in (
        (sa | sb, a | b),
        (sa & sb, a & b),
        (sa - sb, a - b),
    ):
        assert list(op.indices()) == sorted(expected)
        assert len(op) == len(expected)
        assert bool(op) == bool(expected)
        assert list(op.keys()) == [KEYS[i] for i in sorted(expected)]
        # Intervals are sorted, disjoint and never touching.
        for left, right in itertools.pairwise(op.key_ranges):
            assert left.stop < right.start
        assert op == subset_of(expected)


@settings(max_examples=100, deadline=None)
@given(index_sets)
def test_membership_first_last_and_ranges(a: set[int]) -> None:
    subset = subset_of(a)
    for i in range(200):
        assert (KEYS[i] in subset) == (i in a)
    assert subset.first_key == (KEYS[min(a)] if a else None)
    assert subset.last_key == (KEYS[max(a)] if a else None)
    expanded = [
        k
        for r in subset.ranges()
        for k in STATIC.get_partition_keys_in_range(PartitionKeyRange(r.start, r.end))
    ]
    assert expanded == [KEYS[i] for i in sorted(a)]


def test_from_ranges_merges_overlapping_and_touching_intervals() -> None:
    subset = PartitionsSubset.from_ranges(STATIC, [range(5, 8), (0, 3), range(3, 4), (7, 10)])
    assert subset.key_ranges == (range(0, 4), range(5, 10))
    assert str(subset) == "{p000...p003, p005...p009}"
    assert PartitionsSubset.empty(STATIC).key_ranges == ()
    assert "nope" not in subset
    assert len(PartitionsSubset.all(STATIC)) == 200


def test_mixing_definitions_is_refused() -> None:
    other = StaticPartitionsDefinition(["x"])
    with pytest.raises(UsageError, match="different partitions definitions"):
        _ = subset_of({1}) | PartitionsSubset.all(other)
