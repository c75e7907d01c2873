"""One partition of one asset in detail: its latest materialization (run, time, code and
data version, metadata) and its latest failure (run, time, error), from the partition
index and the event log (two queries)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from assetgraph.storage import schema
from assetgraph.storage.status_store import latest_attempt_failed

if TYPE_CHECKING:
    from assetgraph.storage.interface import Transactions


@dataclass(frozen=True, slots=True)
class PartitionDetail:
    """What the index and event log know of one (asset, partition)."""

    asset_key: str
    partition_key: str | None
    materialized: bool
    materialization_run_id: str | None = None
    materialized_at: float | None = None
    code_version: str | None = None
    data_version: str | None = None
    duration: float | None = None
    metadata: dict[str, Any] | None = None
    failed: bool = False
    failure_run_id: str | None = None
    failed_at: float | None = None
    error: str | None = None


def partition_detail(
    storage: Transactions, asset_key: str, partition_key: str | None
) -> PartitionDetail:
    """The detail of ``partition_key`` of ``asset_key`` (None: an unpartitioned asset)."""
    index = schema.asset_partitions
    events = schema.events
    stored_key = schema.NO_PARTITION if partition_key is None else partition_key
    query = select(
        index.c.materialization_event_id,
        index.c.materialization_run_id,
        index.c.materialized_at,
        index.c.code_version,
        index.c.data_version,
        index.c.duration,
        index.c.metadata,
        index.c.failure_event_id,
        index.c.failure_run_id,
        index.c.failed_at,
    ).where(index.c.asset_key == asset_key, index.c.partition_key == stored_key)

    def work(conn: Connection) -> tuple[Any, str | None]:
        row = conn.execute(query).first()
        if row is None or row.failure_event_id is None:
            return row, None
        payload = conn.execute(
            select(events.c.payload).where(events.c.id == row.failure_event_id)
        ).scalar()
        return row, payload

    row, failure_payload = storage.read(work)
    if row is None:
        return PartitionDetail(asset_key, partition_key, materialized=False)
    error = None
    if failure_payload:
        stored = json.loads(failure_payload).get("error")
        if isinstance(stored, dict):
            error = stored.get("traceback") or stored.get("message")
        elif isinstance(stored, str):
            error = stored
    return PartitionDetail(
        asset_key=asset_key,
        partition_key=partition_key,
        materialized=row.materialization_event_id is not None,
        materialization_run_id=row.materialization_run_id,
        materialized_at=row.materialized_at,
        code_version=row.code_version,
        data_version=row.data_version,
        duration=row.duration,
        metadata=json.loads(row.metadata) if row.metadata else None,
        failed=latest_attempt_failed(row.materialization_event_id, row.failure_event_id),
        failure_run_id=row.failure_run_id,
        failed_at=row.failed_at,
        error=str(error) if error else None,
    )
