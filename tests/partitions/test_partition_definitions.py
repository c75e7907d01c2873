"""Static and dynamic definitions, key validation, and the shared definition methods."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assetgraph.errors import DefinitionError, UsageError
from assetgraph.partitions import (
    DynamicPartitionsDefinition,
    InMemoryDynamicPartitionsStore,
    PartitionKeyRange,
    StaticPartitionsDefinition,
    validate_partition_key,
)


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("", "must not be empty"),
        ("a...b", "'...'"),
        ("a/b", "'/'"),
        ("a\\b", "'/' or '\\'"),
        ("..", "'..'"),
        ("../etc", "'/'"),
        ("a\x00b", "control characters"),
        ("line\nbreak", "control characters"),
        ("x" * 256, "255 bytes"),
        ("é" * 128, "255 bytes"),
    ],
)
def test_invalid_keys_are_refused_naming_key_and_rule(key: str, rule: str) -> None:
    with pytest.raises(UsageError) as error:
        validate_partition_key(key)
    message = str(error.value)
    assert repr(key) in message
    assert rule in message


@pytest.mark.parametrize("key", ["2025-01-31", "red", "a.b", "a..b", "é" * 127, "x" * 255])
def test_valid_keys_pass(key: str) -> None:
    validate_partition_key(key)


def test_static_keeps_given_order_and_refuses_duplicates_and_bad_keys() -> None:
    static = StaticPartitionsDefinition(["b", "a", "c"])
    assert static.get_partition_keys() == ["b", "a", "c"]
    assert static.index_of("a") == 1
    assert static.key_at(2) == "c"
    with pytest.raises(DefinitionError, match=r"'a' appears twice"):
        StaticPartitionsDefinition(["a", "b", "a"])
    with pytest.raises(DefinitionError, match=r"'x/y'.*'/'"):
        StaticPartitionsDefinition(["x/y"])
    with pytest.raises(DefinitionError, match=r"'\.\.\.'"):
        StaticPartitionsDefinition(["a...b"])


def test_static_unknown_key_suggests_the_nearest() -> None:
    static = StaticPartitionsDefinition(["red", "green", "blue"])
    with pytest.raises(UsageError, match=r"'gren'.*Did you mean 'green'"):
        static.index_of("gren")
    assert not static.has_partition_key("gren")
    assert static.has_partition_key("green")
    with pytest.raises(UsageError, match="out of range"):
        static.key_at(3)


def test_range_methods_on_static() -> None:
    static = StaticPartitionsDefinition(list("abcdef"))
    assert static.get_partition_keys_in_range(PartitionKeyRange("b", "d")) == ["b", "c", "d"]
    assert static.get_num_partitions() == 6
    with pytest.raises(UsageError, match=r"reversed.*'b' comes before 'e'.*b\.\.\.e"):
        static.subset_for_range(PartitionKeyRange("e", "b"))
    with pytest.raises(UsageError, match="'z'"):
        static.subset_for_range(PartitionKeyRange("a", "z"))


def test_dynamic_needs_a_store_and_follows_insertion_order() -> None:
    regions = DynamicPartitionsDefinition("regions")
    with pytest.raises(UsageError, match=r"regions.*dynamic_partitions_store"):
        regions.get_partition_keys()
    store = InMemoryDynamicPartitionsStore()
    assert regions.get_partition_keys(dynamic_partitions_store=store) == []
    store.add_dynamic_partitions("regions", ["eu", "us", "asia", "eu"])
    assert regions.get_partition_keys(dynamic_partitions_store=store) == ["eu", "us", "asia"]
    assert regions.index_of("asia", dynamic_partitions_store=store) == 2
    assert store.has_dynamic_partition("regions", "us")
    with pytest.raises(UsageError, match=r"'uss'.*Did you mean 'us'"):
        regions.index_of("uss", dynamic_partitions_store=store)
    with pytest.raises(UsageError, match="'bad/key'"):
        store.add_dynamic_partitions("regions", ["bad/key"])
    store.delete_dynamic_partition("regions", "eu")
    assert regions.get_partition_keys(dynamic_partitions_store=store) == ["us", "asia"]
    assert DynamicPartitionsDefinition("regions") == regions
    with pytest.raises(DefinitionError):
        DynamicPartitionsDefinition("")


def test_million_key_dynamic_and_static_subsets_are_cheap() -> None:
    keys = [f"k{i:07d}" for i in range(1_000_000)]
    store = InMemoryDynamicPartitionsStore()
    store.add_dynamic_partitions("big", keys)
    dynamic = DynamicPartitionsDefinition("big")
    everything = dynamic.all_subset(dynamic_partitions_store=store)
    middle = dynamic.subset_for_range(
        PartitionKeyRange("k0250000", "k0749999"), dynamic_partitions_store=store
    )
    assert len(everything) == 1_000_000
    assert len(everything & middle) == 500_000
    assert len(everything - middle) == 500_000
    assert len(everything | middle) == 1_000_000
    assert (everything - middle).ranges() == [
        PartitionKeyRange("k0000000", "k0249999"),
        PartitionKeyRange("k0750000", "k0999999"),
    ]
    static = StaticPartitionsDefinition(keys)
    odd = static.subset_for_keys(keys[1::2][:1000])
    assert len(static.all_subset() - odd) == 999_000
    assert "k0000001" in odd and "k0000002" not in odd


def test_importing_partitions_loads_nothing_heavy() -> None:
    probe = (
        "import sys, assetgraph.partitions\n"
        "print(','.join(m for m in ('cronsim','pandas','sqlalchemy','pydantic','networkx')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
