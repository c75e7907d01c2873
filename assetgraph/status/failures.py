"""The latest failed attempt at an asset: its run, partition, error and time (one query)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from assetgraph.storage import schema
from assetgraph.storage.records import EventType

if TYPE_CHECKING:
    from assetgraph.storage.interface import Transactions


@dataclass(frozen=True, slots=True)
class AssetFailure:
    """One failed step of an asset: which run, which partition, when, and the error."""

    run_id: str
    step_key: str | None
    partition_key: str | None
    timestamp: float
    error: str | None
    error_type: str | None


def last_failure(storage: Transactions, asset_key: str) -> AssetFailure | None:
    """The newest failure of any partition of ``asset_key`` (the ``failure_event_id`` the
    partition index keeps, so a multi-asset's failed step counts), or None."""
    index = schema.asset_partitions
    newest = (
        select(func.max(index.c.failure_event_id))
        .where(index.c.asset_key == asset_key)
        .scalar_subquery()
    )
    table = schema.events
    query = (
        select(
            table.c.run_id,
            table.c.step_key,
            table.c.partition_key,
            table.c.timestamp,
            table.c.payload,
        )
        .where(table.c.id == newest, table.c.event_type == EventType.STEP_FAILURE.value)
        .limit(1)
    )

    def work(conn: Connection) -> Any:
        return conn.execute(query).first()

    row = storage.read(work)
    if row is None:
        return None
    run_id, step_key, partition_key, timestamp, payload_text = row
    error = json.loads(payload_text or "{}").get("error")
    message = traceback = kind = None
    if isinstance(error, dict):
        message = error.get("message")
        traceback = error.get("traceback")
        kind = error.get("type") or error.get("cls_name")
    return AssetFailure(
        run_id=run_id,
        step_key=step_key,
        partition_key=partition_key or None,
        timestamp=float(timestamp),
        error=str(traceback or message) if (traceback or message) else None,
        error_type=str(kind) if kind else None,
    )
