"""The status of every partition of an asset, compressed into runs of equal status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import PartitionsDefinition
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.partitions.subset import PartitionsSubset


@dataclass(frozen=True, slots=True)
class StatusRange:
    """Partitions ``first`` to ``last`` (both included, ``count`` of them) share ``status``."""

    status: str  # "materialized" | "stale" | "failed" | "missing"
    first: str
    last: str
    count: int


def partition_status_ranges(
    key: AssetKey,
    pdef: PartitionsDefinition,
    storage: Any,
    current_time: datetime | None = None,
    stale: PartitionsSubset | None = None,
) -> list[StatusRange]:
    """Materialized / failed / missing runs of partitions of ``key``, in definition order.

    ``storage`` answers ``partition_states(asset_key)`` and holds dynamic partition keys.
    Stored partitions that no longer exist in the definition are left out. ``stale``
    (from ``assetgraph.staleness``) turns those materialized partitions into ``stale``.
    """
    states = storage.partition_states(key.to_string())
    store = snapshot_store(storage)
    by_status: dict[str, list[int]] = {"materialized": [], "failed": []}
    for partition, state in states.items():
        if partition is None:
            continue
        try:
            by_status[state].append(pdef.index_of(partition, current_time, store))
        except UsageError:  # a key the definition no longer has
            continue
    subsets = {
        status: PartitionsSubset.from_indices(pdef, indices, current_time, store)
        for status, indices in by_status.items()
    }
    everything = PartitionsSubset.all(pdef, current_time, store)
    subsets["missing"] = everything - subsets["materialized"] - subsets["failed"]
    if stale is not None:
        subsets["stale"] = subsets["materialized"] & stale
        subsets["materialized"] = subsets["materialized"] - stale
    runs: list[tuple[int, int, str]] = [
        (r.start, r.stop, status) for status, subset in subsets.items() for r in subset.key_ranges
    ]
    runs.sort()
    return [
        StatusRange(
            status,
            pdef.key_at(start, current_time, store),
            pdef.key_at(stop - 1, current_time, store),
            stop - start,
        )
        for start, stop, status in runs
    ]
