"""A read-once snapshot of a dynamic partitions store."""

from __future__ import annotations

from collections.abc import Sequence

from assetgraph.partitions.definitions import DynamicPartitionsStore


class DynamicPartitionsSnapshot:
    """The keys of each dynamic definition, read once, with a key -> index map.

    Wrap a store (the metadata database) in one for the length of one task — a plan, a
    status report — so that asking for many keys' positions costs one read, not one each.
    """

    def __init__(self, store: DynamicPartitionsStore) -> None:
        self._store = store
        self._keys: dict[str, Sequence[str]] = {}
        self._index: dict[str, dict[str, int]] = {}

    def get_dynamic_partitions(self, name: str) -> Sequence[str]:
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = list(self._store.get_dynamic_partitions(name))
        return keys

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        return self.dynamic_partition_index(name, key) is not None

    def dynamic_partition_index(self, name: str, key: str) -> int | None:
        index = self._index.get(name)
        if index is None:
            index = self._index[name] = {
                k: i for i, k in enumerate(self.get_dynamic_partitions(name))
            }
        return index.get(key)


def snapshot_store(store: DynamicPartitionsStore | None) -> DynamicPartitionsStore | None:
    """``store`` wrapped in a snapshot (None and snapshots are returned as they are)."""
    if store is None or isinstance(store, DynamicPartitionsSnapshot):
        return store
    return DynamicPartitionsSnapshot(store)
