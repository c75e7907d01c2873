"""Multi-dimensional partitions: key format, mixed-radix indices, subsets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assetgraph.errors import DefinitionError, UsageError
from assetgraph.partitions import (
    DailyPartitionsDefinition,
    DynamicPartitionsDefinition,
    InMemoryDynamicPartitionsStore,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)

NOW = datetime(2025, 1, 4, tzinfo=UTC)  # three days: 01, 02, 03
COLOR = StaticPartitionsDefinition(["red", "blue"])
DATE = DailyPartitionsDefinition("2025-01-01")
REGION = DynamicPartitionsDefinition("region")


@pytest.fixture
def store() -> InMemoryDynamicPartitionsStore:
    s = InMemoryDynamicPartitionsStore()
    s.add_dynamic_partitions("region", ["eu", "us"])
    return s


def three_dims() -> MultiPartitionsDefinition:
    return MultiPartitionsDefinition({"region": REGION, "date": DATE, "color": COLOR})


def test_keys_join_dimension_keys_in_sorted_name_order(
    store: InMemoryDynamicPartitionsStore,
) -> None:
    multi = three_dims()
    assert multi.dimension_names == ["color", "date", "region"]
    keys = multi.get_partition_keys(NOW, store)
    assert len(keys) == 2 * 3 * 2 == multi.count(NOW, store)
    assert keys[:3] == ["red|2025-01-01|eu", "red|2025-01-01|us", "red|2025-01-02|eu"]
    assert keys[-1] == "blue|2025-01-03|us"
    key = multi.key_at(7, NOW, store)
    assert isinstance(key, MultiPartitionKey)
    assert key.keys_by_dimension == {"color": "blue", "date": "2025-01-01", "region": "us"}
    made = MultiPartitionKey({"region": "us", "date": "2025-01-01", "color": "blue"})
    assert made == "blue|2025-01-01|us"
    assert multi.index_of(made, NOW, store) == 7


def test_index_round_trip(store: InMemoryDynamicPartitionsStore) -> None:
    multi = three_dims()
    for index, key in enumerate(multi.get_partition_keys(NOW, store)):
        assert multi.index_of(key, NOW, store) == index
        assert multi.key_at(index, NOW, store) == key


def test_subsets_by_range_and_set_algebra(store: InMemoryDynamicPartitionsStore) -> None:
    multi = three_dims()
    subset = multi.subset_for_range(
        PartitionKeyRange("red|2025-01-02|us", "blue|2025-01-01|us"), NOW, store
    )
    assert list(subset.keys()) == [
        "red|2025-01-02|us",
        "red|2025-01-03|eu",
        "red|2025-01-03|us",
        "blue|2025-01-01|eu",
        "blue|2025-01-01|us",
    ]
    everything = multi.all_subset(NOW, store)
    assert len(everything - subset) == 7
    assert "red|2025-01-02|us" in subset and "red|2025-01-02|eu" not in subset


def test_projection_and_expansion_along_one_dimension(
    store: InMemoryDynamicPartitionsStore,
) -> None:
    multi = three_dims()
    days = DATE.subset_for_keys(["2025-01-01", "2025-01-03"], NOW)
    expanded = multi.expand_subset("date", days, NOW, store)
    assert len(expanded) == 2 * 2 * 2
    assert all(k.split("|")[1] in ("2025-01-01", "2025-01-03") for k in expanded)
    assert list(multi.project_subset(expanded, "date").keys()) == ["2025-01-01", "2025-01-03"]
    assert list(multi.project_subset(expanded, "color").keys()) == ["red", "blue"]


def test_bad_multi_definitions_and_keys(store: InMemoryDynamicPartitionsStore) -> None:
    with pytest.raises(DefinitionError, match="two or more"):
        MultiPartitionsDefinition({"color": COLOR})
    with pytest.raises(DefinitionError, match=r"'\|'"):
        MultiPartitionsDefinition({"a": StaticPartitionsDefinition(["x|y"]), "b": COLOR})
    with pytest.raises(DefinitionError, match="multi-dimensional itself"):
        MultiPartitionsDefinition({"a": three_dims(), "b": COLOR})
    multi = three_dims()
    with pytest.raises(UsageError, match=r"3 dimension keys joined by '\|'"):
        multi.index_of("red|2025-01-01", NOW, store)
    with pytest.raises(UsageError, match=r"dimension 'color'.*Did you mean 'red'"):
        multi.index_of("rde|2025-01-01|eu", NOW, store)
    with pytest.raises(UsageError, match=r"'\|'"):
        MultiPartitionKey({"a": "x|y", "b": "z"})


def test_a_key_string_read_back_as_a_multi_partition_key() -> None:
    two = MultiPartitionsDefinition({"date": DATE, "color": COLOR})
    key = two.get_partition_key_from_str("red|2025-01-02")
    assert isinstance(key, MultiPartitionKey) and key == "red|2025-01-02"
    assert key.keys_by_dimension == {"color": "red", "date": "2025-01-02"}
    with pytest.raises(UsageError, match="expected 2 dimension keys"):
        two.get_partition_key_from_str("red")
