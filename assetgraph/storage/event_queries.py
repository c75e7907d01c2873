"""Reading the event log as Dagster's instance API does: ``DagsterEventType``,
``EventRecordsFilter`` (``Instance.get_event_records``), ``AssetRecordsFilter``
(``Instance.fetch_materializations`` / ``fetch_observations``) and the ``EventLogRecord``
both return.

A record's ``storage_id`` is the event's id in the log: ids grow with time, so a sensor
keeps the last one it handled as its cursor. One query per call, on the index of the
events table by (asset, event type, id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.storage import schema
from assetgraph.storage.event_entries import (
    DAGSTER_EVENT_TYPE_VALUES,
    DagsterEventType,
    EventLogEntry,
    entry_of,
)
from assetgraph.storage.records import EventType


def stored_types(event_type: DagsterEventType) -> list[EventType]:
    """The stored event types that answer for ``event_type``; an error when none do."""
    if not isinstance(event_type, DagsterEventType):
        raise UsageError(f"Expected a DagsterEventType, got {event_type!r}.")
    found = [t for t, value in DAGSTER_EVENT_TYPE_VALUES.items() if value == event_type.value]
    if not found:
        recorded = sorted({v for v in DAGSTER_EVENT_TYPE_VALUES.values()})
        names = [t.name for t in DagsterEventType if t.value in recorded]
        raise UsageError(
            f"assetgraph does not record {event_type.name} events; it records {', '.join(names)}."
        )
    return found


@dataclass(frozen=True, slots=True)
class EventRecordsFilter:
    """Which events ``Instance.get_event_records`` returns: one event type, optionally of
    one asset (and some of its partitions), between cursors (storage ids) or timestamps."""

    event_type: DagsterEventType
    asset_key: AssetKey | None = None
    asset_partitions: Sequence[str] | None = None
    after_cursor: int | None = None
    before_cursor: int | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    storage_ids: Sequence[int] | None = None
    tags: Any = None

    def __post_init__(self) -> None:
        stored_types(self.event_type)
        if self.asset_key is not None:
            object.__setattr__(self, "asset_key", AssetKey.from_user(self.asset_key))
        if self.tags:
            raise UsageError(
                "EventRecordsFilter(tags=...) is not supported: read the tags of each "
                "record (record.asset_materialization.tags) instead."
            )


@dataclass(frozen=True, slots=True)
class AssetRecordsFilter:
    """Which events of one asset ``Instance.fetch_materializations`` /
    ``fetch_observations`` return."""

    asset_key: AssetKey
    asset_partitions: Sequence[str] | None = None
    after_timestamp: float | None = None
    before_timestamp: float | None = None
    after_storage_id: int | None = None
    before_storage_id: int | None = None
    storage_ids: Sequence[int] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "asset_key", AssetKey.from_user(self.asset_key))

    def to_event_records_filter(
        self, event_type: DagsterEventType, cursor: str | None, ascending: bool
    ) -> EventRecordsFilter:
        """The same question as an ``EventRecordsFilter``, past ``cursor``."""
        after, before = self.after_storage_id, self.before_storage_id
        if cursor is not None:
            position = parse_cursor(cursor)
            if ascending:
                after = position if after is None else max(after, position)
            else:
                before = position if before is None else min(before, position)
        return EventRecordsFilter(
            event_type,
            self.asset_key,
            self.asset_partitions,
            after,
            before,
            self.after_timestamp,
            self.before_timestamp,
            self.storage_ids,
        )


@dataclass(frozen=True, slots=True)
class EventLogRecord:
    """One stored event and its storage id (Dagster's ``EventLogRecord``)."""

    storage_id: int
    event_log_entry: EventLogEntry

    @property
    def run_id(self) -> str:
        return self.event_log_entry.run_id

    @property
    def timestamp(self) -> float:
        return self.event_log_entry.timestamp

    @property
    def asset_key(self) -> AssetKey | None:
        return self.event_log_entry.asset_key

    @property
    def partition_key(self) -> str | None:
        return self.event_log_entry.partition

    @property
    def asset_materialization(self) -> Any:
        return self.event_log_entry.asset_materialization

    @property
    def asset_observation(self) -> Any:
        return self.event_log_entry.asset_observation

    @property
    def event_type(self) -> DagsterEventType | None:
        value = self.event_log_entry.event_type_value
        return None if value is None else DagsterEventType(value)


@dataclass(frozen=True, slots=True)
class EventRecordsResult:
    """A page of records, the cursor to pass for the next page, and whether there is one."""

    records: Sequence[EventLogRecord]
    cursor: str
    has_more: bool


def parse_cursor(cursor: str) -> int:
    """The storage id a ``fetch_*`` cursor holds."""
    try:
        return int(cursor)
    except (TypeError, ValueError):
        raise UsageError(
            f"Invalid cursor {cursor!r}: pass the cursor of an EventRecordsResult."
        ) from None


def event_records_query(
    records_filter: EventRecordsFilter, limit: int | None, ascending: bool
) -> Select[Any]:
    """The query for ``records_filter``, newest first unless ``ascending``."""
    table = schema.events
    query = select(table).where(
        table.c.event_type.in_([t.value for t in stored_types(records_filter.event_type)])
    )
    if records_filter.asset_key is not None:
        query = query.where(table.c.asset_key == records_filter.asset_key.to_string())
    if records_filter.asset_partitions is not None:
        query = query.where(table.c.partition_key.in_(list(records_filter.asset_partitions)))
    if records_filter.after_cursor is not None:
        query = query.where(table.c.id > _storage_id(records_filter.after_cursor))
    if records_filter.before_cursor is not None:
        query = query.where(table.c.id < _storage_id(records_filter.before_cursor))
    if records_filter.after_timestamp is not None:
        query = query.where(table.c.timestamp > records_filter.after_timestamp)
    if records_filter.before_timestamp is not None:
        query = query.where(table.c.timestamp < records_filter.before_timestamp)
    if records_filter.storage_ids is not None:
        query = query.where(table.c.id.in_(list(records_filter.storage_ids)))
    query = query.order_by(table.c.id.asc() if ascending else table.c.id.desc())
    return query if limit is None else query.limit(limit)


def _storage_id(cursor: Any) -> int:
    """A cursor as a storage id: an int, or an object with ``storage_id``."""
    if isinstance(cursor, int):
        return cursor
    found = getattr(cursor, "storage_id", None)
    if isinstance(found, int):
        return found
    raise UsageError(f"Invalid event cursor {cursor!r}: pass a storage id (an int).")


def key_of(value: CoercibleToAssetKey | AssetRecordsFilter) -> AssetRecordsFilter:
    """An asset key or a filter, as a filter."""
    if isinstance(value, AssetRecordsFilter):
        return value
    return AssetRecordsFilter(AssetKey.from_user(value))


__all__ = [
    "AssetRecordsFilter",
    "DagsterEventType",
    "EventLogRecord",
    "EventRecordsFilter",
    "EventRecordsResult",
    "entry_of",
]
