"""``MultiPartitionMapping`` (dimension by dimension) and ``SpecificPartitionsPartitionMapping``,
in both directions, checked against a key-by-key reference."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest

from assetgraph.errors import DefinitionError
from assetgraph.partitions import (
    DailyPartitionsDefinition,
    IdentityPartitionMapping,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    PartitionsDefinition,
    PartitionsSubset,
    StaticPartitionMapping,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    WeeklyPartitionsDefinition,
)
from assetgraph.partitions.multi_mappings import DimensionPartitionMapping, MultiPartitionMapping
from assetgraph.partitions.specific_mapping import SpecificPartitionsPartitionMapping

NOW = datetime(2025, 2, 1, tzinfo=UTC)
DAILY = DailyPartitionsDefinition("2025-01-05", end_date="2025-01-19")
WEEKLY = WeeklyPartitionsDefinition("2025-01-05", end_date="2025-01-19")
ABC = StaticPartitionsDefinition(["a", "b", "c"])
NUMBERS = StaticPartitionsDefinition(["1", "2", "3"])
UP = MultiPartitionsDefinition({"abc": ABC, "weekly": WEEKLY})
DOWN = MultiPartitionsDefinition({"123": NUMBERS, "daily": DAILY})


def keys(definition: PartitionsDefinition, *wanted: str) -> PartitionsSubset:
    return definition.subset_for_keys(wanted, NOW)


def test_each_dimension_maps_through_its_own_mapping() -> None:
    mapping = MultiPartitionMapping(
        {
            "abc": DimensionPartitionMapping("123", StaticPartitionMapping({"a": "1", "b": "2"})),
            "weekly": DimensionPartitionMapping("daily", TimeWindowPartitionMapping()),
        }
    )
    assert mapping.problem(UP, DOWN) is None
    down = keys(DOWN, "2|2025-01-07", "2|2025-01-14")
    up = mapping.upstream_subset(DOWN, down, UP, NOW)
    assert sorted(up.keys()) == ["b|2025-01-05", "b|2025-01-12"]

    back = mapping.downstream_subset(UP, keys(UP, "a|2025-01-12"), DOWN, NOW)
    assert sorted(back.keys()) == [f"1|2025-01-{day}" for day in range(12, 19)]


def test_a_dimension_left_out_maps_to_all_its_partitions() -> None:
    daily_abc = MultiPartitionsDefinition({"abc": ABC, "daily": DAILY})
    daily_123 = MultiPartitionsDefinition({"123": NUMBERS, "daily": DAILY})
    mapping = MultiPartitionMapping(
        {"daily": DimensionPartitionMapping("daily", IdentityPartitionMapping())}
    )
    up = mapping.upstream_subset(daily_123, keys(daily_123, "1|2025-01-06"), daily_abc, NOW)
    assert sorted(up.keys()) == ["a|2025-01-06", "b|2025-01-06", "c|2025-01-06"]
    down = mapping.downstream_subset(daily_abc, keys(daily_abc, "c|2025-01-10"), daily_123, NOW)
    assert sorted(down.keys()) == ["1|2025-01-10", "2|2025-01-10", "3|2025-01-10"]


def test_ranges_of_the_one_mapped_dimension_match_a_key_by_key_reference() -> None:
    daily_abc = MultiPartitionsDefinition({"abc": ABC, "daily": DAILY})
    weekly_abc = MultiPartitionsDefinition({"abc": ABC, "weekly": WEEKLY})
    mapping = MultiPartitionMapping(
        {"weekly": DimensionPartitionMapping("daily", TimeWindowPartitionMapping())}
    )
    down = daily_abc.subset_for_range(PartitionKeyRange("a|2025-01-10", "b|2025-01-06"), NOW)
    got = set(mapping.upstream_subset(daily_abc, down, weekly_abc, NOW).keys())
    expected = set()
    for key in down:
        day = daily_abc.split_key(key)[1]
        week = TimeWindowPartitionMapping().upstream_subset(DAILY, keys(DAILY, day), WEEKLY, NOW)
        expected |= {f"{letter}|{w}" for letter, w in product("abc", week.keys())}
    assert got == expected


def test_bad_multi_mappings_name_the_problem() -> None:
    with pytest.raises(DefinitionError, match="DimensionPartitionMapping"):
        MultiPartitionMapping({"abc": IdentityPartitionMapping()})  # type: ignore[dict-item]
    unknown = MultiPartitionMapping(
        {"xyz": DimensionPartitionMapping("123", IdentityPartitionMapping())}
    )
    assert "no dimension 'xyz'" in (unknown.problem(UP, DOWN) or "")
    assert "multi-partitioned" in (unknown.problem(ABC, DOWN) or "")


def test_specific_partitions_are_read_by_every_downstream_partition() -> None:
    mapping = SpecificPartitionsPartitionMapping(["b"])
    up = mapping.upstream_subset(NUMBERS, keys(NUMBERS, "1"), ABC, NOW)
    assert list(up.keys()) == ["b"]
    assert not mapping.upstream_subset(NUMBERS, PartitionsSubset.empty(NUMBERS), ABC, NOW)
    assert list(mapping.downstream_subset(ABC, keys(ABC, "b", "c"), NUMBERS, NOW).keys()) == [
        "1",
        "2",
        "3",
    ]
    assert not mapping.downstream_subset(ABC, keys(ABC, "a", "c"), NUMBERS, NOW)
    assert "not in" in (SpecificPartitionsPartitionMapping(["z"]).problem(ABC, NUMBERS) or "")
    with pytest.raises(DefinitionError, match="non-empty list"):
        SpecificPartitionsPartitionMapping("b")


def test_two_mapped_dimensions_match_a_key_by_key_reference_on_any_range() -> None:
    mapping = MultiPartitionMapping(
        {
            "abc": DimensionPartitionMapping(
                "123", StaticPartitionMapping({"a": ["1", "2"], "c": "3"})
            ),
            "weekly": DimensionPartitionMapping("daily", TimeWindowPartitionMapping()),
        }
    )
    every_key = list(DOWN.subset_for_range(PartitionKeyRange("1|2025-01-05", "3|2025-01-18"), NOW))

    def reference(down_keys: list[str]) -> set[str]:
        found: set[str] = set()
        for key in down_keys:
            number, day = DOWN.split_key(key)
            letters = mapping.pairs[0][1].partition_mapping.upstream_subset(
                NUMBERS, keys(NUMBERS, number), ABC, NOW
            )
            weeks = TimeWindowPartitionMapping().upstream_subset(
                DAILY, keys(DAILY, day), WEEKLY, NOW
            )
            found |= {f"{letter}|{week}" for letter, week in product(letters, weeks)}
        return found

    for start, stop in [(0, 42), (3, 17), (13, 15), (6, 40), (20, 21)]:
        down = DOWN.subset_for_keys(every_key[start:stop], NOW)
        got = set(mapping.upstream_subset(DOWN, down, UP, NOW).keys())
        assert got == reference(every_key[start:stop]), (start, stop)
