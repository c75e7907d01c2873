"""What the lineage page shows: every node with its status, last materialization, partition
counts and check state, limited to a selection; and the state version pages poll to refresh.

A fixed number of bulk queries whatever the number of assets, like ``catalog``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from assetgraph.keys import AssetKey
from assetgraph.lineage.model import describe_mapping
from assetgraph.status.assets import asset_statuses
from assetgraph.storage import schema
from assetgraph.ui import history
from assetgraph.ui.catalog import check_names, partition_counts, status_styles
from assetgraph.ui.models import (
    CheckStateOut,
    LineageEdge,
    LineageNode,
    LineageOut,
)

if TYPE_CHECKING:
    from assetgraph.definitions.checks import AssetChecksDefinition
    from assetgraph.graph import AssetGraph
    from assetgraph.storage.sql_storage import SqlStorage


def state_version(storage: SqlStorage) -> str:
    """A string that changes whenever a run, an event or a dynamic partition is added or a
    run changes status: three aggregate queries a page can poll every few seconds."""
    runs, events, dynamic = schema.runs, schema.events, schema.dynamic_partitions
    with storage.engine.connect() as conn:
        last_event = conn.execute(select(func.max(events.c.id))).scalar()
        last_key = conn.execute(select(func.max(dynamic.c.id))).scalar()
        run_count, last_end = conn.execute(select(func.count(), func.max(runs.c.ended_at))).one()
    return f"{last_event or 0}.{last_key or 0}.{run_count}.{last_end or 0}"


def check_states(
    graph: AssetGraph,
    keys: Sequence[AssetKey],
    storage: SqlStorage,
    asset_checks: Sequence[AssetChecksDefinition],
) -> dict[AssetKey, CheckStateOut]:
    """Each asset with checks -> how many passed and failed at their latest evaluation."""
    from assetgraph.status.checks import check_statuses

    latest = check_statuses(storage, [key.to_string() for key in keys])
    states = {}
    for key in keys:
        results = {s.check_name: s for s in latest.get(key.to_string(), [])}
        names = list(dict.fromkeys([*check_names(graph, key, asset_checks), *results]))
        if not names:
            continue
        passed = sum(1 for s in results.values() if s.passed)
        failed = len(results) - passed
        status = "failed" if failed else "passed" if results else "not_evaluated"
        states[key] = CheckStateOut(status=status, total=len(names), passed=passed, failed=failed)
    return states


def lineage(
    graph: AssetGraph,
    storage: SqlStorage,
    now: datetime,
    asset_checks: Sequence[AssetChecksDefinition] = (),
    selection: str | None = None,
) -> LineageOut:
    """Nodes and edges of the graph, or of the assets ``selection`` names (the CLI's
    ``--select`` language; a ``SelectionError`` says what is wrong with it)."""
    from assetgraph.selection import select_assets

    version = state_version(storage)  # read first: a change made meanwhile shows next poll
    keys = select_assets(graph, selection) if selection else list(graph.all_keys)
    chosen = set(keys)
    statuses = asset_statuses(graph, keys, storage, now)
    last = history.last_materialized_at(storage, [key.to_string() for key in keys])
    checks = check_states(graph, keys, storage, asset_checks)
    nodes = [
        LineageNode(
            key=key.to_string(),
            group=graph.group_of(key),
            status=statuses[key].status,
            partitioned=graph.partitions_def(key) is not None,
            last_materialized_at=statuses[key].last_materialized_at or last.get(key.to_string()),
            partitions=partition_counts(statuses[key]),
            checks=checks.get(key),
        )
        for key in keys
    ]
    edges = []
    for key in keys:
        for parent in graph.parents(key):
            if parent not in chosen:
                continue
            mapping = describe_mapping(graph.partition_mapping(key, parent))
            edges.append(
                LineageEdge(
                    source=parent.to_string(),
                    target=key.to_string(),
                    partition_mapping=None if mapping is None else mapping.text,
                )
            )
    shown = {node.group for node in nodes}
    groups = [group for group in graph.groups() if group in shown]
    return LineageOut(
        nodes=nodes,
        edges=edges,
        groups=groups,
        statuses=status_styles(),
        selection=selection,
        version=version,
    )
