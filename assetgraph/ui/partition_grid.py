"""The partitions of a multi-partitioned asset as a grid: rows of its first dimension,
columns of the others, one status character per cell (a compact answer for the page to
draw, whatever the size: 1,096 days x 100 regions is 110 KB)."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import TYPE_CHECKING

from assetgraph.errors import UsageError
from assetgraph.partitions.multi import SEPARATOR, MultiPartitionsDefinition
from assetgraph.partitions.snapshot import snapshot_store
from assetgraph.status.partitions import partition_status_subsets
from assetgraph.ui.models import GridDimensionOut, PartitionGridOut

if TYPE_CHECKING:
    from assetgraph.graph import AssetGraph
    from assetgraph.keys import AssetKey
    from assetgraph.storage.sql_storage import SqlStorage

CODES = {"m": "materialized", "s": "stale", "f": "failed", "x": "missing"}
MAX_CELLS = 4_000_000
"""The largest grid one answer holds (4 MB of cells)."""


def partition_grid(
    graph: AssetGraph, key: AssetKey, storage: SqlStorage, now: datetime
) -> PartitionGridOut:
    """The status of every partition of ``key`` as a grid; a ``UsageError`` if ``key`` is not
    multi-partitioned or the grid is larger than ``MAX_CELLS``."""
    from assetgraph.status.staleness import compute_staleness

    pdef = graph.partitions_def(key)
    if not isinstance(pdef, MultiPartitionsDefinition):
        raise UsageError(
            f"Asset '{key.to_string()}' is not multi-partitioned: its partitions are a strip "
            "(/api/partitions/), not a grid."
        )
    store = snapshot_store(storage)
    total = pdef.count(now, store)
    if total > MAX_CELLS:
        raise UsageError(
            f"Asset '{key.to_string()}' has {total:,} partitions, more than the grid shows "
            f"({MAX_CELLS:,}): inspect partitions by key on the Partitions tab."
        )
    names = pdef.dimension_names
    keys = [d.get_partition_keys(now, store) for d in pdef.partitions_defs.values()]
    columns = (
        keys[1] if len(keys) == 2 else [SEPARATOR.join(c) for c in itertools.product(*keys[1:])]
    )
    status = partition_status_subsets(key, pdef, storage, now, store)
    stale = compute_staleness(graph, [key], storage, now)[key].stale
    succeeded = status.succeeded
    cells = bytearray(b"x" * total)
    layers = [(b"m", succeeded), (b"f", status.failed)]
    if stale is not None:
        layers.insert(1, (b"s", succeeded & stale))
    for code, subset in layers:
        for run in subset.key_ranges:
            cells[run.start : run.stop] = code * (run.stop - run.start)
    return PartitionGridOut(
        key=key.to_string(),
        dimensions=[
            GridDimensionOut(name=names[0], keys=keys[0]),
            GridDimensionOut(name=SEPARATOR.join(names[1:]), keys=columns),
        ],
        cells=cells.decode("ascii"),
        codes=CODES,
    )
