"""The current status of assets, computed in bulk from the metadata database.

One function, ``asset_statuses``, answers for every asset of a lineage export from a few
bulk reads, never one per asset: ``partition_counts`` and ``latest_materializations`` for
unpartitioned keys, the status kept as ranges for partitioned ones
(``assetgraph.status.partitions.partition_statuses``, so partitions the definition no
longer has are not counted), and one bulk staleness computation
(``assetgraph.status.staleness.compute_staleness``).

A source asset counts as materialized where it was observed; one without an observation
function is always present (``materialized``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from assetgraph.keys import AssetKey
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.status.partitions import partition_statuses
from assetgraph.status.staleness import compute_staleness

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
    counted from one snapshot of ``storage``.
    """
    keys = list(keys)
    partitioned: dict[AssetKey, PartitionsDefinition] = {}
    unpartitioned: list[str] = []
    for key in keys:
        partitions_def = graph.partitions_def(key)
        if partitions_def is None:
            unpartitioned.append(key.to_string())
        else:
            partitioned[key] = partitions_def
    counts = storage.partition_counts(unpartitioned) if unpartitioned else {}
    latest = storage.latest_materializations(unpartitioned) if unpartitioned else {}
    ranges = partition_statuses(partitioned, storage, now, snapshot_store(storage))
    staleness = compute_staleness(graph, keys, storage, now).assets
    statuses: dict[AssetKey, AssetStatus] = {}
    for key in keys:
        stale = staleness[key].stale
        always_present = graph.is_source(key) and not graph.is_observable_source(key)
        if key not in partitioned:
            materialized, failed = counts.get(key.to_string(), (0, 0))
            if always_present:
                materialized = len(staleness[key].materialized)
            record = latest.get((key.to_string(), None))
            statuses[key] = AssetStatus(
                status=summarize(min(materialized, 1), failed, 1, len(stale)),
                last_run_id=None if record is None else record.run_id,
                last_materialized_at=None if record is None else record.timestamp,
            )
            continue
        status = ranges[key]
        total = len(status.existing)
        materialized = (
            len(staleness[key].materialized) if always_present else len(status.materialized)
        )
        partition_counts = PartitionCounts(
            total, min(materialized, total), len(status.failed), min(len(stale), total)
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
