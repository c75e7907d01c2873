"""Dynamic partition keys in the metadata database: dense positions, lookups by index."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from assetgraph import DynamicPartitionsDefinition, PartitionKeyRange, UsageError
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.storage import schema
from assetgraph.storage.sql_storage import SqlStorage


def _positions(storage: SqlStorage, name: str) -> list[tuple[str, int]]:
    with storage.engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                schema.dynamic_partitions.c.partition_key, schema.dynamic_partitions.c.position
            )
            .where(schema.dynamic_partitions.c.partitions_def_name == name)
            .order_by(schema.dynamic_partitions.c.position)
        ).all()
    return [(key, int(position)) for key, position in rows]


def test_positions_stay_dense_when_added_keys_already_exist(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    assert storage.add_dynamic_partitions("c", ["a", "b", "c"]) == 3
    assert storage.add_dynamic_partitions("c", ["x", "b", "y", "a", "z"]) == 3
    assert _positions(storage, "c") == [
        ("a", 0),
        ("b", 1),
        ("c", 2),
        ("x", 3),
        ("y", 4),
        ("z", 5),
    ]
    assert storage.add_dynamic_partitions("c", ["a", "z"]) == 0
    assert storage.dynamic_partitions_count("c") == 6


def test_deleting_moves_later_keys_down_and_bumps_the_generation(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    storage.add_dynamic_partitions("c", [f"k{i}" for i in range(10)])
    assert storage.dynamic_partitions_generation("c") == 0
    assert storage.delete_dynamic_partitions("c", ["k2", "k7", "nope", "k2"]) == 2
    assert _positions(storage, "c") == [
        (f"k{i}", position) for position, i in enumerate([0, 1, 3, 4, 5, 6, 8, 9])
    ]
    assert storage.dynamic_partitions_generation("c") == 1
    assert storage.delete_dynamic_partitions("c", ["nope"]) == 0
    storage.add_dynamic_partitions("c", ["k2"])  # adding never moves a key
    assert storage.dynamic_partitions_generation("c") == 1
    assert storage.delete_dynamic_partitions("c", ["k0"]) == 1
    assert storage.dynamic_partitions_generation("c") == 2
    assert storage.dynamic_partitions_generation("other") == 0
    assert storage.dynamic_partition_keys_at("c", [0, 7, 8, -1]) == {0: "k1", 7: "k2"}


def test_lookups_by_index_answer_without_reading_every_key(storage_url: str) -> None:
    storage = SqlStorage(storage_url)
    keys = [f"item-{i:05d}" for i in range(5_000)]
    storage.add_dynamic_partitions("items", keys)
    assert storage.dynamic_partitions_count("items") == 5_000
    assert storage.dynamic_partitions_count("other") == 0
    assert storage.dynamic_partition_keys_between("items", 4_998, 6_000) == keys[4_998:]
    assert storage.dynamic_partition_keys_between("items", -5, 2) == keys[:2]
    wanted = [*keys[::3], "missing"]
    assert storage.dynamic_partition_indices("items", wanted) == {
        key: i * 3 for i, key in enumerate(keys[::3])
    }
    assert storage.dynamic_partition_index("items", "item-00042") == 42
    assert storage.dynamic_partition_index("items", "missing") is None

    items = DynamicPartitionsDefinition("items")
    calls: list[str] = []
    original = storage.get_dynamic_partitions

    def counting(name: str) -> list[str]:
        calls.append(name)
        return original(name)

    storage.get_dynamic_partitions = counting  # type: ignore[method-assign]
    store = snapshot_store(storage)
    assert items.count(None, store) == 5_000
    assert items.key_at(4_321, None, store) == "item-04321"
    assert items.index_of("item-03000", None, store) == 3_000
    assert list(items.keys_between(10, 13, None, store)) == keys[10:13]
    subset = items.subset_for_range(PartitionKeyRange("item-00100", "item-00199"), None, store)
    assert len(subset) == 100
    with pytest.raises(UsageError, match="out of range"):
        items.key_at(5_000, None, store)
    assert calls == []  # nothing above read every key
    with pytest.raises(UsageError, match="has not been added.*Did you mean 'item-04999'"):
        items.index_of("item-9999", None, store)  # few enough keys to suggest the nearest


class _PlainStore:
    """A user's store with only the two required methods."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = list(keys)

    def get_dynamic_partitions(self, name: str) -> Sequence[str]:
        return self.keys

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        return key in self.keys


def test_a_store_without_index_lookups_still_works() -> None:
    items = DynamicPartitionsDefinition("items")
    for store in (_PlainStore(["a", "b", "c"]), snapshot_store(_PlainStore(["a", "b", "c"]))):
        assert items.count(None, store) == 3
        assert items.key_at(1, None, store) == "b"
        assert items.indices_of(["c", "a"], None, store) == [2, 0]
        assert list(items.keys_between(1, 9, None, store)) == ["b", "c"]
        with pytest.raises(UsageError, match="Did you mean 'b'"):
            items.index_of("bb", None, store)


def _add_many(url: str, prefix: str) -> None:
    storage = SqlStorage(url)
    for batch in range(5):
        shared = [f"shared-{batch}-{i}" for i in range(20)]
        own = [f"{prefix}-{batch}-{i}" for i in range(20)]
        storage.add_dynamic_partitions("c", shared + own)
        time.sleep(0.01)


def test_concurrent_adders_keep_positions_dense(storage_url: str) -> None:
    SqlStorage(storage_url).upgrade()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_many, args=(storage_url, f"w{n}")) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    storage = SqlStorage(storage_url)
    found = _positions(storage, "c")
    assert [position for _, position in found] == list(range(100 + 3 * 100))
    assert len({key for key, _ in found}) == len(found)


_OPS = st.lists(
    st.tuples(st.booleans(), st.lists(st.integers(0, 30), max_size=8)), min_size=1, max_size=12
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=_OPS)
def test_positions_match_a_list_model(tmp_path_factory: pytest.TempPathFactory, ops: list) -> None:
    folder = tmp_path_factory.mktemp("dyn")
    storage = SqlStorage(f"sqlite:///{folder}/meta.db")
    model: list[str] = []
    for adding, numbers in ops:
        keys = [f"k{n}" for n in numbers]
        if adding:
            storage.add_dynamic_partitions("c", keys)
            for key in keys:
                if key not in model:
                    model.append(key)
        else:
            storage.delete_dynamic_partitions("c", keys)
            model = [key for key in model if key not in keys]
        assert _positions(storage, "c") == [(key, i) for i, key in enumerate(model)]
    storage.dispose()
