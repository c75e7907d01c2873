"""The ``PartitionsDefinition`` base class, static and dynamic definitions, key validation.

Every definition numbers its partitions: the index of a key is its position in definition
order (0, 1, 2, ...). Sets of partitions (``PartitionsSubset``) are intervals of indices, so
a definition must turn an index into a key and a key into an index without listing the
others whenever it can.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from assetgraph.errors import DefinitionError, UsageError, did_you_mean
from assetgraph.partitions.clock import now_utc as now_utc
from assetgraph.partitions.dynamic_requests import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
)
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.subset import PartitionsSubset

if TYPE_CHECKING:
    from assetgraph.partitions.dynamic_requests import (
        AddDynamicPartitionsRequest,
        DeleteDynamicPartitionsRequest,
    )

MAX_KEY_BYTES = 255
# Exactly the Unicode category Cc (control characters), as one fast regex.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Suggesting the nearest key compares strings one by one; past this many keys it costs more
# than the error is worth.
_MAX_SUGGESTION_CANDIDATES = 10_000


@runtime_checkable
class DynamicPartitionsStore(Protocol):
    """Where the keys of dynamic partitions definitions live (the metadata database)."""

    def get_dynamic_partitions(self, name: str) -> Sequence[str]:
        """The keys of the dynamic definition ``name``, in the order they were added."""
        ...

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        """Whether ``key`` was added to the dynamic definition ``name``."""
        ...


@runtime_checkable
class IndexedDynamicPartitionsStore(DynamicPartitionsStore, Protocol):
    """A store that answers by index, so that no question reads every key.

    The metadata database, the in-memory store and their snapshots are all indexed; a
    store with only the two methods above still works, by reading its keys.
    """

    def dynamic_partitions_count(self, name: str) -> int:
        """How many keys ``name`` has."""
        ...

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int) -> Sequence[str]:
        """The keys of ``name`` at indices ``start`` to ``stop`` (excluded)."""
        ...

    def dynamic_partition_indices(self, name: str, keys: Iterable[str]) -> dict[str, int]:
        """Key -> index for those of ``keys`` that ``name`` has."""
        ...

    def dynamic_partition_keys_at(self, name: str, indices: Iterable[int]) -> dict[int, str]:
        """Index -> key for those of ``indices`` that ``name`` has."""
        ...

    def dynamic_partitions_generation(self, name: str) -> int:
        """A number that changes whenever keys of ``name`` move (a delete), never on add."""
        ...


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-:|@+=,;~ ]{1,200}(?:\.[A-Za-z0-9_\-:|@+=,;~ ]{1,50})*")
"""Keys made of these characters, with no '..', cannot break a rule: no need to check."""


def partition_key_problem(key: object) -> str | None:
    """Why ``key`` cannot be a partition key, or None when it can."""
    if type(key) is str and _PLAIN_KEY.fullmatch(key) and len(key) <= MAX_KEY_BYTES:
        return None
    if not isinstance(key, str):
        return f"a partition key must be a string, not {type(key).__name__}"
    if not key:
        return "a partition key must not be empty"
    if "..." in key:
        return "a partition key must not contain '...' (it separates the ends of a range)"
    control = _CONTROL.search(key)
    if control:
        return f"a partition key must not contain control characters (found {control[0]!r})"
    if "/" in key or "\\" in key:
        return "a partition key must not contain '/' or '\\' (IO managers store one file per key)"
    if key in (".", ".."):
        return "a partition key must not be '.' or '..' (a path segment)"
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        return f"a partition key must be at most {MAX_KEY_BYTES} bytes long in UTF-8"
    return None


def validate_partition_key(key: str) -> None:
    """Raise ``UsageError`` naming ``key`` and the rule it breaks, if it is not a valid key.

    Keys may not be empty, longer than 255 bytes in UTF-8, or contain ``...``, ``/``, ``\\``
    or control characters such as NUL, and may not be the path segments ``.`` or ``..``.
    """
    problem = partition_key_problem(key)
    if problem is not None:
        raise UsageError(f"Invalid partition key {key!r}: {problem}.")


class PartitionsDefinition(ABC):
    """How an asset is split into partitions: an ordered set of string keys.

    Subclasses implement ``count``, ``key_at`` and ``index_of``; every other method is
    built on them. Methods take the clock (``current_time``, default now) and, for dynamic
    partitions, the ``dynamic_partitions_store`` that holds their keys.
    """

    __slots__ = ()

    @abstractmethod
    def count(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many partitions exist at ``current_time``."""

    @abstractmethod
    def key_at(
        self,
        index: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str:
        """The key at position ``index``; ``UsageError`` unless ``0 <= index < count``."""

    @abstractmethod
    def index_of(
        self,
        key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """The position of ``key``; ``UsageError`` naming the nearest key if it is unknown."""

    def keys_between(
        self,
        start: int,
        stop: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Iterator[str]:
        """The keys at indices ``start`` (included) to ``stop`` (excluded), lazily."""
        for index in range(start, stop):
            yield self.key_at(index, current_time, dynamic_partitions_store)

    def keys_at(
        self,
        indices: Iterable[int],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The key at each of ``indices`` (each must exist), looked up in bulk where the
        definition can."""
        return [self.key_at(i, current_time, dynamic_partitions_store) for i in indices]

    # Names as in Dagster -------------------------------------------------------------------

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """Every key that exists at ``current_time``, in definition order."""
        current_time = current_time or now_utc()
        n = self.count(current_time, dynamic_partitions_store)
        return list(self.keys_between(0, n, current_time, dynamic_partitions_store))

    def get_partition_keys_in_range(
        self,
        partition_key_range: PartitionKeyRange,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The keys from ``partition_key_range.start`` to ``.end``, both included."""
        subset = self.subset_for_range(partition_key_range, current_time, dynamic_partitions_store)
        return list(subset.keys())

    def has_partition_key(
        self,
        partition_key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> bool:
        """Whether ``partition_key`` exists at ``current_time``."""
        try:
            self.index_of(partition_key, current_time, dynamic_partitions_store)
        except UsageError:
            return False
        return True

    def get_num_partitions(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many partitions exist at ``current_time`` (same as ``count``)."""
        return self.count(current_time, dynamic_partitions_store)

    def get_first_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The first key that exists at ``current_time``, or None when there is none."""
        current_time = current_time or now_utc()
        if self.count(current_time, dynamic_partitions_store) == 0:
            return None
        return self.key_at(0, current_time, dynamic_partitions_store)

    def get_last_partition_key(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str | None:
        """The last key that exists at ``current_time`` (for time windows, the latest
        window that has ended), or None when there is none."""
        current_time = current_time or now_utc()
        n = self.count(current_time, dynamic_partitions_store)
        return self.key_at(n - 1, current_time, dynamic_partitions_store) if n else None

    # Subsets -----------------------------------------------------------------------------

    def subset_for_range(
        self,
        partition_key_range: PartitionKeyRange,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The partitions from the range's start to its end, both included.

        Raises ``UsageError`` when an end is unknown or the end comes before the start.
        """
        current_time = current_time or now_utc()
        first = self.index_of(partition_key_range.start, current_time, dynamic_partitions_store)
        last = self.index_of(partition_key_range.end, current_time, dynamic_partitions_store)
        if last < first:
            raise UsageError(
                f"Partition range {partition_key_range} is reversed: {partition_key_range.end!r}"
                f" comes before {partition_key_range.start!r} in {self!r}. "
                f"Write it as {partition_key_range.end}...{partition_key_range.start}."
            )
        return PartitionsSubset.from_ranges(
            self, [range(first, last + 1)], current_time, dynamic_partitions_store
        )

    def subset_for_keys(
        self,
        keys: Iterable[str],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """The partitions with the given keys; ``UsageError`` for an unknown key."""
        current_time = current_time or now_utc()
        indices = self.indices_of(keys, current_time, dynamic_partitions_store)
        return PartitionsSubset.from_indices(self, indices, current_time, dynamic_partitions_store)

    def indices_of(
        self,
        keys: Iterable[str],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[int]:
        """The index of each key, in the order given (override to batch lookups)."""
        current_time = current_time or now_utc()
        return [self.index_of(k, current_time, dynamic_partitions_store) for k in keys]

    def known_indices(
        self,
        keys: Sequence[str],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> dict[str, int]:
        """Key -> index for the keys that exist; others (stored keys the definition no longer
        has, say) are left out rather than refused."""
        if not keys:
            return {}
        try:
            indices = self.indices_of(keys, current_time, dynamic_partitions_store)
            return dict(zip(keys, indices, strict=True))
        except UsageError:
            found: dict[str, int] = {}
            for key in keys:
                try:
                    found[key] = self.index_of(key, current_time, dynamic_partitions_store)
                except UsageError:
                    continue
            return found

    def all_subset(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> PartitionsSubset:
        """Every partition that exists at ``current_time``."""
        return PartitionsSubset.all(self, current_time, dynamic_partitions_store)

    def empty_subset(self) -> PartitionsSubset:
        """No partition of this definition."""
        return PartitionsSubset.empty(self)

    # Helpers for subclasses ---------------------------------------------------------------

    def _check_index(self, index: int, count: int) -> None:
        if not 0 <= index < count:
            raise UsageError(
                f"Partition index {index} is out of range for {self!r}, "
                f"which has {count} partitions."
            )


def _suggest(key: str, keys: Sequence[str]) -> str:
    if len(keys) > _MAX_SUGGESTION_CANDIDATES:
        return ""
    return did_you_mean(key, keys)


@dataclass(frozen=True, slots=True, eq=True, repr=False)
class StaticPartitionsDefinition(PartitionsDefinition):
    """A fixed list of keys, in the order given; duplicates and invalid keys are refused."""

    keys: tuple[str, ...]
    _index: dict[str, int] = field(init=False, compare=False, hash=False)

    def __init__(self, keys: Sequence[str]) -> None:
        if isinstance(keys, str):
            raise DefinitionError(
                f"StaticPartitionsDefinition takes a list of keys, not the string {keys!r}."
            )
        keys = tuple(keys)
        index: dict[str, int] = {}
        for position, key in enumerate(keys):
            problem = partition_key_problem(key)
            if problem is not None:
                raise DefinitionError(
                    f"StaticPartitionsDefinition: invalid partition key {key!r}: {problem}."
                )
            if key in index:
                raise DefinitionError(
                    f"StaticPartitionsDefinition: partition key {key!r} appears twice "
                    f"(positions {index[key]} and {position}); keys must be unique."
                )
            index[key] = position
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        shown = ", ".join(repr(k) for k in self.keys[:5])
        more = f", ... {len(self.keys)} keys" if len(self.keys) > 5 else ""
        return f"StaticPartitionsDefinition([{shown}{more}])"

    def count(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many keys the definition lists."""
        return len(self.keys)

    def key_at(
        self,
        index: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str:
        """The key at ``index`` in the order given."""
        self._check_index(index, len(self.keys))
        return self.keys[index]

    def index_of(
        self,
        key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """The position of ``key`` in the order given."""
        try:
            return self._index[key]
        except (KeyError, TypeError):
            raise UsageError(
                f"Partition key {key!r} is not one of the keys of {self!r}."
                + _suggest(str(key), self.keys)
            ) from None

    def keys_between(
        self,
        start: int,
        stop: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Iterator[str]:
        """The keys at indices ``start`` to ``stop`` (excluded)."""
        return iter(self.keys[max(start, 0) : stop])

    def get_partition_keys(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """Every key, in the order given."""
        return list(self.keys)

    def known_indices(
        self,
        keys: Sequence[str],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> dict[str, int]:
        """Key -> index for the keys the definition lists; others are left out."""
        return {key: self._index[key] for key in keys if key in self._index}


@dataclass(frozen=True, slots=True, repr=False)
class DynamicPartitionsDefinition(PartitionsDefinition):
    """Keys added at run time and kept in the metadata database under ``name``.

    The order of keys is the order they were added. Every method needs the
    ``dynamic_partitions_store`` that holds them (``Instance`` storage, or
    ``InMemoryDynamicPartitionsStore`` in tests).
    """

    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise DefinitionError(
                f"DynamicPartitionsDefinition needs a non-empty name, got {self.name!r}."
            )

    def __repr__(self) -> str:
        return f"DynamicPartitionsDefinition(name={self.name!r})"

    def build_add_request(self, partition_keys: Sequence[str]) -> AddDynamicPartitionsRequest:
        """A request, for ``SensorResult(dynamic_partitions_requests=)``, adding these keys."""
        return AddDynamicPartitionsRequest(self.name, tuple(str(k) for k in partition_keys))

    def build_delete_request(self, partition_keys: Sequence[str]) -> DeleteDynamicPartitionsRequest:
        """A request, for ``SensorResult(dynamic_partitions_requests=)``, deleting these keys."""
        return DeleteDynamicPartitionsRequest(self.name, tuple(str(k) for k in partition_keys))

    def _store(self, store: DynamicPartitionsStore | None) -> DynamicPartitionsStore:
        if store is None:
            raise UsageError(
                f"{self!r} keeps its keys in the metadata database: pass "
                "dynamic_partitions_store= (an Instance's storage, or "
                "InMemoryDynamicPartitionsStore in tests)."
            )
        return store

    def _keys(self, store: DynamicPartitionsStore | None) -> Sequence[str]:
        return self._store(store).get_dynamic_partitions(self.name)

    def count(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """How many keys have been added."""
        store = self._store(dynamic_partitions_store)
        if isinstance(store, IndexedDynamicPartitionsStore):
            return store.dynamic_partitions_count(self.name)
        return len(self._keys(store))

    def key_at(
        self,
        index: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str:
        """The ``index``-th key added."""
        store = self._store(dynamic_partitions_store)
        if isinstance(store, IndexedDynamicPartitionsStore):
            found = store.dynamic_partition_keys_between(self.name, index, index + 1)
            if index < 0 or not found:
                self._check_index(index, store.dynamic_partitions_count(self.name))
            return found[0]
        keys = self._keys(store)
        self._check_index(index, len(keys))
        return keys[index]

    def index_of(
        self,
        key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """The position of ``key`` in the order keys were added."""
        return self.indices_of([key], current_time, dynamic_partitions_store)[0]

    def indices_of(
        self,
        keys: Iterable[str],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[int]:
        """The index of each key, looked up in bulk."""
        store = self._store(dynamic_partitions_store)
        wanted = list(keys)
        if isinstance(store, IndexedDynamicPartitionsStore):
            position = store.dynamic_partition_indices(self.name, wanted)
        else:
            position = {k: i for i, k in enumerate(self._keys(store))}
        result = []
        for key in wanted:
            found = position.get(key)
            if found is None:
                raise UsageError(
                    f"Partition key {key!r} has not been added to {self!r}."
                    + self._suggestion(key, store)
                )
            result.append(found)
        return result

    def known_indices(
        self,
        keys: Sequence[str],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> dict[str, int]:
        """Key -> index for the keys that were added; others are left out (in bulk)."""
        store = self._store(dynamic_partitions_store)
        if isinstance(store, IndexedDynamicPartitionsStore):
            return store.dynamic_partition_indices(self.name, keys)
        position = {k: i for i, k in enumerate(self._keys(store))}
        return {key: position[key] for key in keys if key in position}

    def _suggestion(self, key: str, store: DynamicPartitionsStore) -> str:
        """The nearest key, when there are few enough keys to look."""
        if self.count(None, store) > _MAX_SUGGESTION_CANDIDATES:
            return ""
        return _suggest(str(key), self._keys(store))

    def keys_at(
        self,
        indices: Iterable[int],
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> list[str]:
        """The key at each of ``indices``, read in bulk."""
        store = self._store(dynamic_partitions_store)
        wanted = list(indices)
        if not isinstance(store, IndexedDynamicPartitionsStore):
            return [self.key_at(i, current_time, store) for i in wanted]
        found = store.dynamic_partition_keys_at(self.name, wanted)
        for index in wanted:
            if index not in found:
                self._check_index(index, store.dynamic_partitions_count(self.name))
        return [found[index] for index in wanted]

    def keys_between(
        self,
        start: int,
        stop: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Iterator[str]:
        """The keys at indices ``start`` to ``stop`` (excluded), read in one query."""
        store = self._store(dynamic_partitions_store)
        if isinstance(store, IndexedDynamicPartitionsStore):
            return iter(store.dynamic_partition_keys_between(self.name, max(start, 0), stop))
        keys = self._keys(store)
        return (keys[i] for i in range(max(start, 0), min(stop, len(keys))))


class InMemoryDynamicPartitionsStore:
    """A ``DynamicPartitionsStore`` in a dict, for tests and ephemeral instances."""

    def __init__(self) -> None:
        self._keys: dict[str, list[str]] = {}
        self._index: dict[str, dict[str, int]] = {}
        self._deletions: dict[str, int] = {}

    def add_dynamic_partitions(self, name: str, keys: Iterable[str]) -> None:
        """Add ``keys`` (validated) to definition ``name``; keys already there are skipped."""
        new = list(keys)
        for key in new:
            validate_partition_key(key)
        stored = self._keys.setdefault(name, [])
        index = self._index.setdefault(name, {})
        for key in new:
            if key not in index:
                index[key] = len(stored)
                stored.append(key)

    def delete_dynamic_partition(self, name: str, key: str) -> None:
        """Remove ``key``; the keys after it move one place down."""
        stored = self._keys.get(name, [])
        if key in self._index.get(name, {}):
            stored.remove(key)
            self._index[name] = {k: i for i, k in enumerate(stored)}
            self._deletions[name] = self._deletions.get(name, 0) + 1

    def get_dynamic_partitions(self, name: str) -> Sequence[str]:
        """The keys of ``name`` in insertion order."""
        return self._keys.get(name, [])

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        """Whether ``key`` was added to ``name``."""
        return key in self._index.get(name, {})

    def dynamic_partitions_count(self, name: str) -> int:
        return len(self._keys.get(name, ()))

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int) -> Sequence[str]:
        return self._keys.get(name, [])[max(start, 0) : max(stop, 0)]

    def dynamic_partition_indices(self, name: str, keys: Iterable[str]) -> dict[str, int]:
        index = self._index.get(name, {})
        return {key: index[key] for key in keys if key in index}

    def dynamic_partition_keys_at(self, name: str, indices: Iterable[int]) -> dict[int, str]:
        stored = self._keys.get(name, [])
        return {i: stored[i] for i in indices if 0 <= i < len(stored)}

    def dynamic_partitions_generation(self, name: str) -> int:
        return self._deletions.get(name, 0)


UNPARTITIONED = StaticPartitionsDefinition(["__unpartitioned__"])
"""An unpartitioned asset seen as an asset of this one partition, where a partition
mapping or a subset needs a definition (status, automation, planning)."""
