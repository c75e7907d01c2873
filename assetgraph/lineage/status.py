"""The current status of assets, computed in bulk from the metadata database.

One function, ``asset_statuses``, answers for every asset of a lineage export with two
queries (``partition_counts`` for all keys, ``latest_materializations`` for unpartitioned
keys) and one bulk staleness computation (``assetgraph.staleness.compute_staleness``, a
few queries for the whole selection), never one per asset.

A source asset counts as materialized where it was observed; one without an observation
function is always present (``materialized``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.graph import AssetGraph
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.partitions.subset import PartitionsSubset
    from assetgraph.storage.sql_storage import SqlStorage

Status = Literal["materialized", "partial", "stale", "missing", "failed"]
STATUSES: tuple[Status, ...] = ("materialized", "partial", "stale", "missing", "failed")
"""Every summary status, in the order legends show them."""


@dataclass(frozen=True, slots=True)
class PartitionCounts:
    """How many partitions of a partitioned asset are in each state.

    ``total`` is the definition's current count; ``failed`` partitions are those whose
    latest attempt failed (they may still hold an older materialization); ``stale`` ones
    are materialized but out of date (``assetgraph status`` says why).
    """

    total: int
    materialized: int
    failed: int
    stale: int = 0

    @property
    def missing(self) -> int:
        return max(self.total - self.materialized, 0)


@dataclass(frozen=True, slots=True)
class AssetStatus:
    """The summary status of one asset, with its last materialization when unpartitioned.

    ``stale`` holds its stale partitions (None when unpartitioned or nothing is stale).
    """

    status: Status
    last_run_id: str | None = None
    last_materialized_at: float | None = None
    partitions: PartitionCounts | None = None
    stale: PartitionsSubset | None = None


def summarize(materialized: int, failed: int, total: int, stale: int = 0) -> Status:
    """The summary status from counts (an unpartitioned asset has ``total`` 1).

    ``failed`` wins (a latest attempt failed), then ``stale`` (something built is out of
    date), then all built is ``materialized``, none built is ``missing``, anything between
    is ``partial``.
    """
    if failed:
        return "failed"
    if stale:
        return "stale"
    if total and materialized >= total:
        return "materialized"
    if materialized == 0:
        return "missing"
    return "partial"


def asset_statuses(
    graph: AssetGraph, keys: Iterable[AssetKey], storage: SqlStorage, now: datetime
) -> dict[AssetKey, AssetStatus]:
    """The status of each of ``keys``, from a few bulk queries of ``storage``.

    ``now`` fixes the current count of time-window partitions; dynamic partitions are
    counted from ``storage`` once per definition.
    """
    from assetgraph.staleness import compute_staleness

    keys = list(keys)
    counts = storage.partition_counts([key.to_string() for key in keys])
    unpartitioned = [key.to_string() for key in keys if graph.partitions_def(key) is None]
    latest = storage.latest_materializations(unpartitioned) if unpartitioned else {}
    staleness = compute_staleness(graph, keys, storage, now).assets
    totals: dict[PartitionsDefinition, int] = {}
    statuses: dict[AssetKey, AssetStatus] = {}
    for key in keys:
        materialized, failed = counts.get(key.to_string(), (0, 0))
        stale = staleness[key].stale
        if graph.is_source(key) and not graph.is_observable_source(key):
            materialized = len(staleness[key].materialized)  # always present
        partitions_def = graph.partitions_def(key)
        if partitions_def is None:
            record = latest.get((key.to_string(), None))
            statuses[key] = AssetStatus(
                status=summarize(min(materialized, 1), failed, 1, len(stale)),
                last_run_id=None if record is None else record.run_id,
                last_materialized_at=None if record is None else record.timestamp,
            )
            continue
        total = totals.get(partitions_def)
        if total is None:
            total = partitions_def.count(current_time=now, dynamic_partitions_store=storage)
            totals[partitions_def] = total
        partition_counts = PartitionCounts(
            total, min(materialized, total), min(failed, total), min(len(stale), total)
        )
        statuses[key] = AssetStatus(
            status=summarize(
                partition_counts.materialized,
                partition_counts.failed,
                total,
                partition_counts.stale,
            ),
            partitions=partition_counts,
            stale=stale if stale else None,
        )
    return statuses
