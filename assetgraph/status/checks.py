"""The latest result of every asset check, read from the event log in bulk (for ``status``).

``latest_check_statuses`` (in ``assetgraph.definitions.checks``) folds check evaluation events into
one status per (asset, check); this module answers which events those are, with one
chunked query over the events index on (asset key, event type).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from assetgraph.definitions.checks import AssetCheckStatus, latest_check_statuses
from assetgraph.storage import schema
from assetgraph.storage.chunking import rows_in
from assetgraph.storage.records import EventRecord, EventType

if TYPE_CHECKING:
    from assetgraph.storage.interface import Transactions


def check_statuses(
    storage: Transactions, asset_keys: Iterable[str]
) -> dict[str, list[AssetCheckStatus]]:
    """Asset key -> the latest status of each of its checks (assets never checked: absent)."""
    table = schema.events
    keys = list(dict.fromkeys(asset_keys))
    query = select(
        table.c.run_id,
        table.c.timestamp,
        table.c.asset_key,
        table.c.partition_key,
        table.c.payload,
    ).where(table.c.event_type == EventType.ASSET_CHECK_EVALUATION.value)

    def work(conn: Connection) -> list[Any]:
        return rows_in(conn, query, table.c.asset_key, keys)

    events = [
        EventRecord(
            run_id=run_id,
            event_type=EventType.ASSET_CHECK_EVALUATION,
            timestamp=timestamp,
            asset_key=asset_key,
            partition_key=partition_key,
            payload=json.loads(payload),
        )
        for run_id, timestamp, asset_key, partition_key, payload in storage.read(work)
    ]
    return latest_check_statuses(events)
