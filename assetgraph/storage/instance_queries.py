"""The questions Dagster code asks its instance, mostly inside sensors: runs by filter,
event records, the materializations and observations of an asset.

``Instance`` inherits these; each reads the metadata database in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.storage.dagster_runs import (
    DagsterRun,
    DagsterRunRecord,
    RunsFilter,
    dagster_run,
    dagster_run_record,
)
from assetgraph.storage.event_entries import AssetMaterialization, EventLogEntry, entry_of
from assetgraph.storage.event_queries import (
    AssetRecordsFilter,
    DagsterEventType,
    EventLogRecord,
    EventRecordsFilter,
    EventRecordsResult,
    event_records_query,
    key_of,
)
from assetgraph.storage.records import RunRecord

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage


class InstanceQueries:
    """Dagster's read API of ``DagsterInstance``, over ``self.storage``."""

    storage: SqlStorage

    # -- runs -----------------------------------------------------------------------------

    def _runs(
        self, filters: RunsFilter | None, limit: int | None, ascending: bool
    ) -> list[RunRecord]:
        if filters is not None and not isinstance(filters, RunsFilter):
            raise UsageError(f"filters= takes a RunsFilter, got {type(filters).__name__}.")
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise UsageError(f"limit= must be a number >= 0, got {limit!r}.")
        statuses = None if filters is None else filters.stored_statuses()
        if statuses == []:  # only statuses assetgraph never records
            return []
        tags = {k: v for k, v in ((filters and filters.tags) or {}).items() if isinstance(v, str)}
        runs = self.storage.list_runs(limit=None, statuses=statuses, tags=tags)
        found = [run for run in runs if filters is None or filters.matches(run)]
        if ascending:
            found.reverse()
        return found if limit is None else found[:limit]

    def get_runs(
        self,
        filters: RunsFilter | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        bucket_by: Any = None,
        ascending: bool = False,
    ) -> list[DagsterRun]:
        """Runs matching ``filters``, newest first (``ascending``: oldest first); ``cursor``
        is a run id: only runs after it in that order."""
        if bucket_by is not None:
            raise UsageError("get_runs(bucket_by=...) is not supported by assetgraph.")
        runs = self._runs(filters, None, ascending)
        if cursor is not None:
            ids = [run.run_id for run in runs]
            runs = runs[ids.index(cursor) + 1 :] if cursor in ids else []
        runs = runs if limit is None else runs[:limit]
        return [dagster_run(run) for run in runs]

    def get_run_records(
        self,
        filters: RunsFilter | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        ascending: bool = False,
        cursor: str | None = None,
    ) -> list[DagsterRunRecord]:
        """Runs matching ``filters`` with their timestamps (``start_time``, ``end_time``,
        ``create_timestamp``), newest first."""
        if order_by not in (None, "create_timestamp", "id"):
            raise UsageError(f"get_run_records(order_by={order_by!r}) is not supported.")
        runs = self._runs(filters, None, ascending)
        if cursor is not None:
            ids = [run.run_id for run in runs]
            runs = runs[ids.index(cursor) + 1 :] if cursor in ids else []
        runs = runs if limit is None else runs[:limit]
        return [dagster_run_record(run) for run in runs]

    def get_runs_count(self, filters: RunsFilter | None = None) -> int:
        return len(self._runs(filters, None, False))

    def get_run_ids(self, filters: RunsFilter | None = None, limit: int | None = None) -> list[str]:
        return [run.run_id for run in self._runs(filters, limit, False)]

    def get_run_by_id(self, run_id: str) -> DagsterRun | None:
        run = self.storage.get_run(run_id)
        return None if run is None else dagster_run(run)

    def has_run(self, run_id: str) -> bool:
        return self.storage.get_run(run_id) is not None

    # -- events ---------------------------------------------------------------------------

    def get_event_records(
        self,
        event_records_filter: EventRecordsFilter,
        limit: int | None = None,
        ascending: bool = False,
    ) -> list[EventLogRecord]:
        """The events ``event_records_filter`` selects, newest first unless ``ascending``."""
        if not isinstance(event_records_filter, EventRecordsFilter):
            raise UsageError(
                "get_event_records takes an EventRecordsFilter, got "
                f"{type(event_records_filter).__name__}."
            )
        query = event_records_query(event_records_filter, limit, ascending)
        return [_record(event) for event in self.storage.select_events(query)]

    def fetch_materializations(
        self,
        records_filter: CoercibleToAssetKey | AssetRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """A page of ``limit`` materializations of one asset, newest first unless
        ``ascending``; pass the result's ``cursor`` for the next page."""
        return self._fetch(
            DagsterEventType.ASSET_MATERIALIZATION, records_filter, limit, cursor, ascending
        )

    def fetch_observations(
        self,
        records_filter: CoercibleToAssetKey | AssetRecordsFilter,
        limit: int,
        cursor: str | None = None,
        ascending: bool = False,
    ) -> EventRecordsResult:
        """As ``fetch_materializations``, for observations."""
        return self._fetch(
            DagsterEventType.ASSET_OBSERVATION, records_filter, limit, cursor, ascending
        )

    def _fetch(
        self,
        event_type: DagsterEventType,
        records_filter: CoercibleToAssetKey | AssetRecordsFilter,
        limit: int,
        cursor: str | None,
        ascending: bool,
    ) -> EventRecordsResult:
        if not isinstance(limit, int) or limit < 1:
            raise UsageError(f"limit= must be a number >= 1, got {limit!r}.")
        query_filter = key_of(records_filter).to_event_records_filter(event_type, cursor, ascending)
        records = self.get_event_records(query_filter, limit=limit + 1, ascending=ascending)
        page = records[:limit]
        next_cursor = str(page[-1].storage_id) if page else (cursor or "")
        return EventRecordsResult(page, next_cursor, len(records) > limit)

    def get_latest_data_version_record(
        self,
        key: CoercibleToAssetKey,
        is_source: bool | None = None,
        partition_key: str | None = None,
    ) -> EventLogRecord | None:
        """The latest materialization or observation of ``key`` (one partition, with
        ``partition_key``) that recorded a data version, or None (Dagster's)."""
        asset_key = AssetKey.from_user(key)
        partitions = None if partition_key is None else [partition_key]
        kinds = [DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_OBSERVATION]
        if is_source is not None:  # a source is observed; any other asset materialized
            kinds = [kinds[1] if is_source else kinds[0]]
        found = [
            record
            for kind in kinds
            for record in self.get_event_records(
                EventRecordsFilter(kind, asset_key=asset_key, asset_partitions=partitions), limit=1
            )
            if record.event_log_entry.dagster_event is not None
            and _data_version_tag(record.event_log_entry) is not None
        ]
        return max(found, key=lambda record: record.storage_id, default=None)

    def get_latest_materialization_event(self, asset_key: Any) -> EventLogEntry | None:
        """The latest materialization of ``asset_key`` (of any partition), or None (Dagster's)."""
        return self.get_latest_materialization_events([asset_key])[AssetKey.from_user(asset_key)]

    def get_latest_materialization_events(
        self, asset_keys: Iterable[CoercibleToAssetKey]
    ) -> dict[AssetKey, EventLogEntry | None]:
        """The latest materialization of each asset (of any partition), None when never."""
        from assetgraph.definitions.metadata import metadata_from_stored

        keys = [AssetKey.from_user(key) for key in asset_keys]
        latest: dict[AssetKey, EventLogEntry | None] = dict.fromkeys(keys)
        records = self.storage.latest_materializations([key.to_string() for key in keys])
        for record in sorted(records.values(), key=lambda r: r.event_id):
            key = AssetKey.from_user(record.asset_key)
            metadata = metadata_from_stored(record.metadata)
            materialization = AssetMaterialization(key, record.partition_key, metadata)
            latest[key] = EventLogEntry(
                record.run_id,
                record.timestamp,
                record.event_id,
                materialization,
                asset_key=key,
                partition=record.partition_key,
            )
        return latest

    def get_materialized_partitions(self, asset_key: CoercibleToAssetKey) -> set[str]:
        """The partition keys of ``asset_key`` ever materialized."""
        key = AssetKey.from_user(asset_key).to_string()
        found = self.storage.materialized_partitions([key]).get(key, [])
        return {partition for partition in found if partition is not None}


def _data_version_tag(entry: EventLogEntry) -> str | None:
    event = entry.asset_materialization or entry.asset_observation
    return None if event is None else event.tags.get("dagster/data_version")


def _record(event: Any) -> EventLogRecord:
    entry = entry_of(event)
    return EventLogRecord(entry.storage_id, entry)
