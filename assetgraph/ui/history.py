"""Read-only questions the UI asks of the metadata database that ``SqlStorage`` lacks.

Each query is a function named for the question it answers, reads through
``storage.engine`` with SQLAlchemy Core, chunks its ``IN`` lists and is limited, so a page
costs a few queries whatever the number of assets, partitions or events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from assetgraph.storage import schema
from assetgraph.storage.chunking import rows_in
from assetgraph.storage.events import Materialized
from assetgraph.storage.records import EventType

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage

MAX_HISTORY = 500
"""The most materializations of one asset a page can ask for."""


@dataclass(frozen=True, slots=True)
class MaterializationEvent:
    """One past materialization of an asset, as the history table and plot show it."""

    event_id: int
    run_id: str
    timestamp: float
    partition_key: str | None
    code_version: str | None
    data_version: str | None
    duration: float | None
    metadata: dict[str, Any]


def last_materialized_at(storage: SqlStorage, asset_keys: Iterable[str]) -> dict[str, float]:
    """Asset key -> when any of its partitions was last materialized (one grouped query)."""
    table = schema.asset_partitions
    query = (
        select(table.c.asset_key, func.max(table.c.materialized_at))
        .where(table.c.materialization_event_id.is_not(None))
        .group_by(table.c.asset_key)
    )
    found: dict[str, float] = {}
    with storage.engine.connect() as conn:
        for asset_key, at in rows_in(conn, query, table.c.asset_key, asset_keys):
            if at is not None:
                found[asset_key] = float(at)
    return found


def recent_materializations(
    storage: SqlStorage, asset_key: str, limit: int = 100
) -> list[MaterializationEvent]:
    """The latest ``limit`` materializations of ``asset_key``, newest first (any partition)."""
    table = schema.events
    query = (
        select(
            table.c.id,
            table.c.run_id,
            table.c.timestamp,
            table.c.partition_key,
            table.c.payload,
        )
        .where(
            table.c.asset_key == asset_key,
            table.c.event_type == EventType.ASSET_MATERIALIZATION.value,
        )
        .order_by(table.c.id.desc())
        .limit(max(1, min(limit, MAX_HISTORY)))
    )
    with storage.engine.connect() as conn:
        rows = conn.execute(query).all()
    history = []
    for event_id, run_id, timestamp, partition_key, payload_text in rows:
        body = Materialized.from_payload(json.loads(payload_text or "{}"))
        history.append(
            MaterializationEvent(
                event_id=int(event_id),
                run_id=run_id,
                timestamp=float(timestamp),
                partition_key=partition_key or None,
                code_version=body.code_version,
                data_version=body.data_version,
                duration=body.duration,
                metadata=body.metadata,
            )
        )
    return history


def run_counts_by_status(storage: SqlStorage) -> dict[str, int]:
    """Run status -> how many runs have it (one grouped query)."""
    table = schema.runs
    query = select(table.c.status, func.count()).group_by(table.c.status)
    with storage.engine.connect() as conn:
        return {status: int(count) for status, count in conn.execute(query)}


def materialization_counts(storage: SqlStorage) -> dict[str, int]:
    """Asset key -> how many materializations the event log holds for it."""
    table = schema.events
    query = (
        select(table.c.asset_key, func.count())
        .where(table.c.event_type == EventType.ASSET_MATERIALIZATION.value)
        .group_by(table.c.asset_key)
    )
    with storage.engine.connect() as conn:
        return {key: int(count) for key, count in conn.execute(query) if key is not None}


def recent_step_durations(storage: SqlStorage, limit: int) -> list[tuple[str, float]]:
    """(``success`` | ``failure``, seconds) of the latest ``limit`` finished steps."""
    table = schema.events
    kinds = {EventType.STEP_SUCCESS.value: "success", EventType.STEP_FAILURE.value: "failure"}
    query = (
        select(table.c.event_type, table.c.payload)
        .where(table.c.event_type.in_(list(kinds)))
        .order_by(table.c.id.desc())
        .limit(limit)
    )
    durations: list[tuple[str, float]] = []
    with storage.engine.connect() as conn:
        for event_type, payload_text in conn.execute(query):
            duration = json.loads(payload_text or "{}").get("duration")
            if isinstance(duration, int | float):
                durations.append((kinds[event_type], float(duration)))
    return durations
