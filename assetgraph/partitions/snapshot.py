"""A per-task view of a dynamic partitions store that asks each question once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assetgraph.partitions.definitions import (
    DynamicPartitionsStore,
    IndexedDynamicPartitionsStore,
)


class DynamicPartitionsSnapshot:
    """Counts and key positions of dynamic definitions, remembered for one task.

    Wrap a store (the metadata database) in one for the length of one task — a plan, a
    status report — so that asking for the same count or key position again costs nothing.
    Over an indexed store nothing reads every key; over a plain store the keys are read
    once per definition.
    """

    def __init__(self, store: DynamicPartitionsStore) -> None:
        self._store = store
        self._keys: dict[str, Sequence[str]] = {}
        self._counts: dict[str, int] = {}
        self._positions: dict[str, dict[str, int | None]] = {}
        self._at: dict[str, dict[int, str]] = {}
        self._generations: dict[str, int] = {}

    def get_dynamic_partitions(self, name: str) -> Sequence[str]:
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = list(self._store.get_dynamic_partitions(name))
        return keys

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        return key in self.dynamic_partition_indices(name, [key])

    def dynamic_partitions_count(self, name: str) -> int:
        found = self._counts.get(name)
        if found is None:
            if isinstance(self._store, IndexedDynamicPartitionsStore):
                found = self._store.dynamic_partitions_count(name)
            else:
                found = len(self.get_dynamic_partitions(name))
            self._counts[name] = found
        return found

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int) -> Sequence[str]:
        if stop - start == 1:  # one key (a run's end, a dimension's key): remember it
            found = self.dynamic_partition_keys_at(name, [start])
            return [found[start]] if start in found else []
        if isinstance(self._store, IndexedDynamicPartitionsStore):
            return self._store.dynamic_partition_keys_between(name, start, stop)
        return self.get_dynamic_partitions(name)[max(start, 0) : max(stop, 0)]

    def dynamic_partition_keys_at(self, name: str, indices: Iterable[int]) -> dict[int, str]:
        known = self._at.setdefault(name, {})
        wanted = list(indices)
        unknown = [i for i in dict.fromkeys(wanted) if i not in known]
        if unknown:
            if isinstance(self._store, IndexedDynamicPartitionsStore):
                known.update(self._store.dynamic_partition_keys_at(name, unknown))
            else:
                keys = self.get_dynamic_partitions(name)
                known.update((i, keys[i]) for i in unknown if 0 <= i < len(keys))
        return {i: known[i] for i in wanted if i in known}

    def dynamic_partitions_generation(self, name: str) -> int:
        found = self._generations.get(name)
        if found is None:
            getter = getattr(self._store, "dynamic_partitions_generation", None)
            found = self._generations[name] = int(getter(name)) if callable(getter) else 0
        return found

    def dynamic_partition_indices(self, name: str, keys: Iterable[str]) -> dict[str, int]:
        known = self._positions.setdefault(name, {})
        wanted = list(keys)
        unknown = [key for key in dict.fromkeys(wanted) if key not in known]
        if unknown:
            if isinstance(self._store, IndexedDynamicPartitionsStore):
                found = self._store.dynamic_partition_indices(name, unknown)
                known.update((key, found.get(key)) for key in unknown)
            else:
                everything = self.get_dynamic_partitions(name)
                if len(known) < len(everything):
                    known.update((key, i) for i, key in enumerate(everything))
                known.update((key, None) for key in unknown if key not in known)
        result: dict[str, int] = {}
        for key in wanted:
            position = known[key]
            if position is not None:
                result[key] = position
        return result


def snapshot_store(store: DynamicPartitionsStore | None) -> DynamicPartitionsStore | None:
    """``store`` wrapped in a snapshot (None and snapshots are returned as they are)."""
    if store is None or isinstance(store, DynamicPartitionsSnapshot):
        return store
    return DynamicPartitionsSnapshot(store)
