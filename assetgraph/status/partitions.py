"""The status of every partition of an asset: kept as index ranges, shown as runs of keys.

Status is kept in the metadata database (``assetgraph.storage.status_store``): per asset,
the index ranges of partitions ever materialized and of those whose latest attempt
failed, the fingerprint of the definition that numbered them, and a cursor. A read:

1. fingerprints the definition (``status_fingerprint``);
2. with a stored row of that fingerprint, starts from its ranges and applies the index
   rows changed after ``cursor - lookback``; otherwise starts from nothing and applies
   every row of the asset;
3. stores the new ranges and cursor when they changed (best effort: a database that
   refuses the write, locked or read-only, still gets its answer);
4. clips the ranges to the partitions that exist now.

Applying a row is idempotent, since a row alone says its partition's state: rows read
again after the cursor change nothing. So only rows changed since the last read are
turned into indices, and nothing on the way enumerates every key.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from assetgraph.errors import StorageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import (
    DynamicPartitionsDefinition,
    DynamicPartitionsStore,
    PartitionsDefinition,
    now_utc,
)
from assetgraph.partitions.fingerprint import status_fingerprint
from assetgraph.partitions.key_table import key_indices
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.storage.sql_storage import SqlStorage
    from assetgraph.storage.status_store import PartitionRow, PositionRow, StatusRow

logger = logging.getLogger(__name__)

LOOKBACK = 10_000
"""Event ids before the cursor whose rows are read again on PostgreSQL (see ``lookback``)."""


def lookback(dialect: str) -> int:
    """How far before its cursor a stored status reads rows again, on ``dialect``.

    PostgreSQL takes event ids from a sequence before commit, so a transaction can commit
    an id lower than one a reader has already seen. SQLite has one writer at a time, and
    ids are assigned inside its write lock: they commit in order.
    """
    return 0 if dialect == "sqlite" else LOOKBACK


@dataclass(frozen=True, slots=True)
class StatusRange:
    """Partitions ``first`` to ``last`` (both included, ``count`` of them) share ``status``."""

    status: str  # "materialized" | "stale" | "failed" | "missing"
    first: str
    last: str
    count: int


@dataclass(frozen=True, slots=True)
class PartitionStatusSubsets:
    """The partitions of one asset by status, among those that exist now.

    ``materialized`` holds every partition ever materialized (what ``--missing`` leaves
    out), including those whose latest attempt then failed; ``failed`` those whose latest
    attempt failed.
    """

    existing: PartitionsSubset
    materialized: PartitionsSubset
    failed: PartitionsSubset

    @property
    def succeeded(self) -> PartitionsSubset:
        """Materialized, and the latest attempt did not fail."""
        return self.materialized - self.failed

    @property
    def missing(self) -> PartitionsSubset:
        """Never materialized and not failed: nothing was attempted, or not yet."""
        return self.existing - self.materialized - self.failed

    @property
    def unmaterialized(self) -> PartitionsSubset:
        """Never materialized, failed or not."""
        return self.existing - self.materialized


def partition_status_subsets(
    key: AssetKey,
    pdef: PartitionsDefinition,
    storage: SqlStorage,
    current_time: datetime | None = None,
    store: DynamicPartitionsStore | None = None,
) -> PartitionStatusSubsets:
    """The materialized and failed partitions of ``key`` (see ``partition_statuses``)."""
    return partition_statuses({key: pdef}, storage, current_time, store)[key]


def partition_statuses(
    assets: Mapping[AssetKey, PartitionsDefinition],
    storage: SqlStorage,
    current_time: datetime | None = None,
    store: DynamicPartitionsStore | None = None,
) -> dict[AssetKey, PartitionStatusSubsets]:
    """The status of the partitions of each asset, from the stored ranges, in bulk.

    A few queries whatever the number of assets: stored rows, rows changed since them,
    all rows of assets to recompute, and one write. ``store`` is a view of the dynamic keys
    of the same database (default: a snapshot of ``storage``); ``current_time`` (default
    now) fixes which partitions exist.
    """
    from assetgraph.storage import status_store

    if not assets:
        return {}
    current_time = current_time or now_utc()
    store = snapshot_store(storage if store is None else store)
    fingerprints = {
        key: status_fingerprint(pdef, current_time, store) for key, pdef in assets.items()
    }
    stored = status_store.status_rows(storage, [key.to_string() for key in assets])
    previous = {
        key: row
        for key in assets
        if (row := stored.get(key.to_string())) is not None and row.fingerprint == fingerprints[key]
    }
    changes = _read_changes(assets, previous, storage, current_time, store)
    results: dict[AssetKey, PartitionStatusSubsets] = {}
    writes: list[StatusRow] = []
    for key, pdef in assets.items():
        last_event_id, rows = changes[key]
        before = previous.get(key)
        materialized, failed = _apply(pdef, before, rows, current_time, store)
        row = status_store.StatusRow(
            asset_key=key.to_string(),
            fingerprint=fingerprints[key],
            cursor=max(last_event_id, 0 if before is None else before.cursor),
            materialized=_pairs(materialized),
            failed=_pairs(failed),
        )
        if row != before:
            writes.append(row)
        existing = PartitionsSubset.all(pdef, current_time, store)
        results[key] = PartitionStatusSubsets(existing, materialized & existing, failed & existing)
    _save(storage, writes)
    return results


def _read_changes(
    assets: Mapping[AssetKey, PartitionsDefinition],
    previous: Mapping[AssetKey, StatusRow],
    storage: SqlStorage,
    current_time: datetime,
    store: DynamicPartitionsStore | None,
) -> dict[AssetKey, tuple[int, Sequence[PositionRow]]]:
    """Per asset, the index rows to apply to its stored status, by partition index, and
    the highest event id read (the next cursor).

    An asset with a stored status reads the rows changed after its cursor, less the
    lookback; one without reads every row: by position, from a join with the keys of its
    definition, when that is dynamic; by key otherwise.
    """
    from assetgraph.storage import status_store

    back = lookback(storage.engine.dialect.name)
    cursors = {key.to_string(): row.cursor - back for key, row in previous.items()}
    changed = status_store.partitions_changed_after(storage, cursors) if cursors else {}
    to_recompute = {key: pdef for key, pdef in assets.items() if key not in previous}
    dynamic = {
        key.to_string(): pdef.name
        for key, pdef in to_recompute.items()
        if isinstance(pdef, DynamicPartitionsDefinition)
    }
    by_key = [key.to_string() for key in to_recompute if key.to_string() not in dynamic]
    everything = status_store.partition_rows(storage, by_key) if by_key else {}
    by_position = status_store.dynamic_partition_positions(storage, dynamic) if dynamic else {}
    changes: dict[AssetKey, tuple[int, Sequence[PositionRow]]] = {}
    for key, pdef in assets.items():
        name = key.to_string()
        if name in dynamic:
            positioned = by_position.get(name, [])
            changes[key] = (_last_event_id(positioned), positioned)
        else:
            rows = (changed if key in previous else everything).get(name, [])
            changes[key] = (_last_event_id(rows), _indexed(pdef, rows, current_time, store))
    return changes


def partition_status_ranges(
    key: AssetKey,
    pdef: PartitionsDefinition,
    storage: SqlStorage,
    current_time: datetime | None = None,
    stale: PartitionsSubset | None = None,
) -> list[StatusRange]:
    """Materialized / failed / missing runs of partitions of ``key``, in definition order.

    ``storage`` is the metadata database, which also holds dynamic partition keys.
    Stored partitions that no longer exist in the definition are left out. ``stale``
    (from ``assetgraph.status.staleness``) turns those materialized partitions into ``stale``.
    """
    current_time = current_time or now_utc()
    store = snapshot_store(storage)
    status = partition_status_subsets(key, pdef, storage, current_time, store)
    subsets = {
        "materialized": status.succeeded,
        "failed": status.failed,
        "missing": status.missing,
    }
    if stale is not None:
        subsets["stale"] = subsets["materialized"] & stale
        subsets["materialized"] = subsets["materialized"] - stale
    runs = sorted(
        (r.start, r.stop, name) for name, subset in subsets.items() for r in subset.key_ranges
    )
    ends = [index for start, stop, _ in runs for index in (start, stop - 1)]
    keys = pdef.keys_at(ends, current_time, store)  # one bulk lookup, not two per run
    return [
        StatusRange(name, keys[2 * i], keys[2 * i + 1], stop - start)
        for i, (start, stop, name) in enumerate(runs)
    ]


def _apply(
    pdef: PartitionsDefinition,
    previous: StatusRow | None,
    rows: Sequence[PositionRow],
    current_time: datetime,
    store: DynamicPartitionsStore | None,
) -> tuple[PartitionsSubset, PartitionsSubset]:
    """The (ever materialized, latest failed) subsets: ``previous`` with ``rows`` applied."""
    materialized = PartitionsSubset.from_ranges(
        pdef, () if previous is None else previous.materialized, current_time, store
    )
    failed = PartitionsSubset.from_ranges(
        pdef, () if previous is None else previous.failed, current_time, store
    )
    if not rows:
        return materialized, failed
    done = [row.position for row in rows if row.materialization_event_id is not None]
    now_failed: list[int] = []
    now_fine: list[int] = []
    for row in rows:
        (now_failed if row.failed else now_fine).append(row.position)

    def subset(indices: list[int]) -> PartitionsSubset:
        return PartitionsSubset.from_indices(pdef, indices, current_time, store)

    return materialized | subset(done), (failed - subset(now_fine)) | subset(now_failed)


def _indexed(
    pdef: PartitionsDefinition,
    rows: Sequence[PartitionRow],
    current_time: datetime,
    store: DynamicPartitionsStore | None,
) -> list[PositionRow]:
    """``rows`` by the index of their key; keys the definition does not have are left out."""
    from assetgraph.storage.status_store import PositionRow

    if not rows:
        return []
    # An unpartitioned row (key "") is no partition of any definition.
    index = _key_indices(
        pdef, [row.partition_key for row in rows if row.partition_key], current_time, store
    )
    return [
        PositionRow(index[row.partition_key], row.materialization_event_id, row.failure_event_id)
        for row in rows
        if row.partition_key in index
    ]


def _key_indices(
    pdef: PartitionsDefinition,
    keys: Sequence[str],
    current_time: datetime,
    store: DynamicPartitionsStore | None,
) -> dict[str, int]:
    """Key -> index for the keys the definition has; the others are left out.

    A time window that has not ended (or lies past ``end``) keeps its index: the ranges
    are clipped on every read, and a later clock or end date shows it.
    """
    if isinstance(pdef, TimeWindowPartitionsDefinition):
        found = key_indices(pdef, keys, pdef.count(current_time))
        return {key: index for key, index in found.items() if index is not None and index >= 0}
    return pdef.known_indices(keys, current_time, store)


def _last_event_id(rows: Sequence[PartitionRow | PositionRow]) -> int:
    """The highest event id of ``rows`` (0 when there are none)."""
    return max(
        (max(row.materialization_event_id or 0, row.failure_event_id or 0) for row in rows),
        default=0,
    )


def _pairs(subset: PartitionsSubset) -> tuple[tuple[int, int], ...]:
    return tuple((r.start, r.stop) for r in subset.key_ranges)


def _save(storage: SqlStorage, rows: Sequence[StatusRow]) -> None:
    """Store the status rows if the database lets us; a read never fails for it."""
    from assetgraph.storage import status_store

    if not rows:
        return
    try:
        status_store.upsert_status_rows(storage, rows)
    except StorageError as exc:
        logger.debug("Partition status not stored (it is recomputed next time): %s", exc)


def materialized_by_asset(
    defs: Definitions, keys: Sequence[AssetKey], storage: SqlStorage, now: datetime
) -> dict[AssetKey, PartitionsSubset | Collection[str | None]]:
    """What is materialized of ``keys`` (what ``--missing`` leaves out): partitions as
    ranges, from the status kept as ranges; unpartitioned assets as ``[None]`` when
    materialized."""
    partitioned = {
        key: pdef for key in keys if (pdef := defs.graph.partitions_def(key)) is not None
    }
    found: dict[AssetKey, PartitionsSubset | Collection[str | None]] = {
        key: status.materialized
        for key, status in partition_statuses(partitioned, storage, now).items()
    }
    plain = [key.to_string() for key in keys if key not in partitioned]
    if plain:
        for name, done in storage.materialized_partitions(plain).items():
            found[AssetKey.from_user(name)] = done
    return found
