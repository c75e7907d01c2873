"""Key tables: the keys of a time schedule's first windows and their indices, so that
many keys are looked up in a dict instead of each being parsed and cron-stepped."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition

KEY_TABLE_LIMIT = 200_000
"""Time schedules with at most this many partitions get a key table (key <-> index)."""


class KeyTable:
    """The keys of a time schedule's first windows, and their indices, grown on demand."""

    __slots__ = ("index", "keys")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.index: dict[str, int] = {}


_TABLES: dict[int, tuple[TimeWindowPartitionsDefinition, KeyTable]] = {}
"""Key tables by the identity of their definition (hashing one costs cron arithmetic)."""


def _table(tdef: TimeWindowPartitionsDefinition) -> KeyTable:
    found = _TABLES.get(id(tdef))
    if found is not None and found[0] is tdef:
        return found[1]
    if len(_TABLES) >= 256:  # definitions reloaded many times: start afresh
        _TABLES.clear()
    table = _by_value(tdef)
    _TABLES[id(tdef)] = (tdef, table)
    return table


@functools.lru_cache(maxsize=64)
def _by_value(tdef: TimeWindowPartitionsDefinition) -> KeyTable:
    """Equal definitions (e.g. one per asset) share a table."""
    return KeyTable()


def key_table(tdef: TimeWindowPartitionsDefinition, count: int) -> KeyTable:
    """The key table of ``tdef`` covering at least its first ``count`` windows."""
    table = _table(tdef)
    have = len(table.keys)
    if count > have:
        new = list(tdef.keys_between(have, count))
        table.index.update(zip(new, range(have, count), strict=True))
        table.keys.extend(new)
    return table


def key_indices(
    tdef: TimeWindowPartitionsDefinition, keys: Iterable[str], count: int
) -> dict[str, int | None]:
    """Key -> index (``index_for_key``: None for a key of no window) for many keys: those
    among the first ``count`` windows from the key table, the others parsed one by one."""
    if count > KEY_TABLE_LIMIT:
        return {key: tdef.index_for_key(key) for key in keys}
    index = key_table(tdef, count).index
    found: dict[str, int | None] = {}
    for key in keys:
        at = index.get(key)
        found[key] = at if at is not None else tdef.index_for_key(key)
    return found
