"""``@multi_asset_sensor``: a sensor over the materializations of several assets.

As Dagster's: the function receives a ``MultiAssetSensorEvaluationContext`` that reads the
materializations of the monitored assets *not yet consumed*, and consumes them with
``advance_cursor({key: record})`` or ``advance_all_cursors()``. The cursor keeps, per asset,
the storage id of the last consumed materialization and, for partitioned assets, the
events of other partitions read but left unconsumed before it (so that a partition
materialized early is still seen once its companions arrive). A sensor without a cursor
sees every materialization ever recorded.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assetgraph.automation.schedules import call_with_context, check_name
from assetgraph.automation.sensors import SensorDefinition, SensorEvaluationContext
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.errors import DefinitionError, UsageError
from assetgraph.keys import AssetKey

FETCH_LIMIT = 1000
"""At most this many unconsumed events are read per asset and call (the rest next time)."""


@dataclass(slots=True)
class _AssetCursor:
    """Where one asset's consumption stands."""

    latest_consumed_event_id: int | None = None
    latest_consumed_event_partition: str | None = None
    trailing_unconsumed_partitioned_event_ids: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> list[Any]:
        return [
            self.latest_consumed_event_partition,
            self.latest_consumed_event_id,
            self.trailing_unconsumed_partitioned_event_ids,
        ]

    @classmethod
    def from_json(cls, value: Any) -> _AssetCursor:
        partition, event_id, trailing = value
        return cls(event_id, partition, {str(k): int(v) for k, v in (trailing or {}).items()})


class MultiAssetSensorEvaluationContext(SensorEvaluationContext):
    """What a multi-asset sensor function sees: the monitored ``asset_keys`` and their
    unconsumed materializations (``EventLogRecord``s, oldest first where a list)."""

    def __init__(
        self,
        *,
        sensor_name: str,
        now: datetime,
        cursor: str | None,
        last_evaluated_at: datetime | None,
        instance: Any,
        monitored_assets: Sequence[Any] | Any,
        repository_def: Any = None,
        last_run_key: str | None = None,
        resources: Any = None,
        resource_names: Iterable[str] | None = None,
    ) -> None:
        super().__init__(
            sensor_name=sensor_name,
            now=now,
            cursor=cursor,
            last_evaluated_at=last_evaluated_at,
            instance=instance,
            last_run_key=last_run_key,
            repository_def=repository_def,
            resources=resources,
            resource_names=resource_names,
        )
        if instance is None:
            raise UsageError(
                f"Multi-asset sensor '{sensor_name}' needs an instance to read materializations:"
                " pass instance= to build_multi_asset_sensor_context."
            )
        self.asset_keys: list[AssetKey] = _monitored_keys(
            sensor_name, monitored_assets, repository_def
        )
        self._cursors = _load_cursor(sensor_name, cursor, self.asset_keys)
        self._read: dict[AssetKey, dict[int, Any]] = {key: {} for key in self.asset_keys}

    # -- reading --------------------------------------------------------------------------

    def _check(self, asset_key: Any) -> AssetKey:
        key = AssetKey.from_user(asset_key)
        if key not in self._cursors:
            monitored = ", ".join(k.to_string() for k in self.asset_keys)
            raise UsageError(
                f"Multi-asset sensor '{self.sensor_name}' does not monitor asset '{key}' "
                f"(it monitors {monitored})."
            )
        return key

    def _after_cursor(self, key: AssetKey, limit: int | None, ascending: bool) -> list[Any]:
        from assetgraph.storage.event_queries import DagsterEventType, EventRecordsFilter

        records_filter = EventRecordsFilter(
            DagsterEventType.ASSET_MATERIALIZATION,
            key,
            after_cursor=self._cursors[key].latest_consumed_event_id,
        )
        found = list(self.instance.get_event_records(records_filter, limit, ascending))
        self._read[key].update((record.storage_id, record) for record in found)
        return found

    def latest_materialization_records_by_key(
        self, asset_keys: Sequence[Any] | None = None
    ) -> dict[AssetKey, Any]:
        """For each asset (default: every monitored one), its latest unconsumed
        materialization record, or None."""
        keys = self.asset_keys if asset_keys is None else [self._check(k) for k in asset_keys]
        latest: dict[AssetKey, Any] = {}
        for key in keys:
            found = self._after_cursor(key, 1, ascending=False)
            latest[key] = found[0] if found else None
        return latest

    def materialization_records_for_key(
        self, asset_key: Any, limit: int | None = None
    ) -> list[Any]:
        """The unconsumed materialization records of ``asset_key``, oldest first."""
        return self._after_cursor(self._check(asset_key), limit or FETCH_LIMIT, ascending=True)

    def latest_materialization_records_by_partition(
        self, asset_key: Any, after_cursor_partition: bool = False
    ) -> dict[str, Any]:
        """Partition key -> the latest unconsumed materialization record of that partition
        of ``asset_key``, ordered by when they happened. ``after_cursor_partition``: only
        partitions after the partition of the last consumed event (in the definition's
        order)."""
        from assetgraph.storage.event_queries import DagsterEventType, EventRecordsFilter

        key = self._check(asset_key)
        cursor = self._cursors[key]
        records = self._after_cursor(key, FETCH_LIMIT, ascending=True)
        trailing = sorted(cursor.trailing_unconsumed_partitioned_event_ids.values())
        if trailing:
            earlier = self.instance.get_event_records(
                EventRecordsFilter(
                    DagsterEventType.ASSET_MATERIALIZATION, key, storage_ids=trailing
                ),
                ascending=True,
            )
            self._read[key].update((record.storage_id, record) for record in earlier)
            records = [*earlier, *records]
        latest: dict[str, Any] = {}
        for record in sorted(records, key=lambda r: r.storage_id):
            if record.partition_key is not None:
                latest.pop(record.partition_key, None)
                latest[record.partition_key] = record
        if after_cursor_partition and cursor.latest_consumed_event_partition is not None:
            latest = self._partitions_after(key, cursor.latest_consumed_event_partition, latest)
        return latest

    def _partitions_after(
        self, key: AssetKey, partition: str, records: dict[str, Any]
    ) -> dict[str, Any]:
        partitions_def = self._partitions_def(key)
        order = partitions_def.known_indices(
            [partition, *records], dynamic_partitions_store=self.instance
        )
        start = order.get(partition, -1)
        return {p: r for p, r in records.items() if order.get(p, -1) > start}

    def latest_materialization_records_by_partition_and_asset(
        self,
    ) -> dict[str, dict[AssetKey, Any]]:
        """Partition key -> asset key -> latest unconsumed materialization record, for
        monitored assets that share one partitions definition."""
        defs = {self._partitions_def(key) for key in self.asset_keys}
        if len(defs) != 1:
            raise UsageError(
                f"Multi-asset sensor '{self.sensor_name}': "
                "latest_materialization_records_by_partition_and_asset needs every monitored "
                "asset to have the same partitions definition."
            )
        found: dict[str, dict[AssetKey, Any]] = {}
        for key in self.asset_keys:
            for partition, record in self.latest_materialization_records_by_partition(key).items():
                found.setdefault(partition, {})[key] = record
        return found

    def all_partitions_materialized(
        self, asset_key: Any, partitions: Sequence[str] | None = None
    ) -> bool:
        """Whether every partition in ``partitions`` (default: every partition of the asset)
        of ``asset_key`` has been materialized, ever (consumed or not)."""
        key = AssetKey.from_user(asset_key)
        done = self.instance.get_materialized_partitions(key)
        if partitions is None:
            partitions = self._partitions_def(key).get_partition_keys(
                current_time=self.now, dynamic_partitions_store=self.instance
            )
        return all(partition in done for partition in partitions)

    def get_downstream_partition_keys(
        self, partition_key: str, from_asset_key: Any, to_asset_key: Any
    ) -> list[str]:
        """The partitions of ``to_asset_key`` that ``partition_key`` of ``from_asset_key``
        maps to: through the partition mapping of ``to_asset_key``'s input when it reads
        ``from_asset_key``, else the default mapping between their definitions."""
        from assetgraph.partitions.compatibility import default_partition_mapping

        source, target = AssetKey.from_user(from_asset_key), AssetKey.from_user(to_asset_key)
        source_def, target_def = self._partitions_def(source), self._partitions_def(target)
        graph = self._graph()
        try:
            mapping = graph.partition_mapping(target, source)
        except KeyError:
            mapping = None
        if mapping is None:
            mapping = default_partition_mapping(source_def, target_def)
        assert mapping is not None
        subset = source_def.subset_for_keys(
            [partition_key], current_time=self.now, dynamic_partitions_store=self.instance
        )
        found = mapping.downstream_subset(
            source_def, subset, target_def, self.now, dynamic_partitions_store=self.instance
        )
        return list(found.keys())

    def get_cursor_partition(self, asset_key: Any) -> str | None:
        """The partition of the last consumed materialization of ``asset_key``."""
        return self._cursors[self._check(asset_key)].latest_consumed_event_partition

    def get_trailing_unconsumed_events(self, asset_key: Any) -> list[Any]:
        """The records of ``asset_key`` read but not consumed before its cursor, oldest
        first."""
        from assetgraph.storage.event_queries import DagsterEventType, EventRecordsFilter

        ids = sorted(
            self._cursors[self._check(asset_key)].trailing_unconsumed_partitioned_event_ids.values()
        )
        if not ids:
            return []
        records_filter = EventRecordsFilter(
            DagsterEventType.ASSET_MATERIALIZATION, AssetKey.from_user(asset_key), storage_ids=ids
        )
        return list(self.instance.get_event_records(records_filter, ascending=True))

    # -- consuming ------------------------------------------------------------------------

    def advance_cursor(self, materialization_records_by_key: Mapping[Any, Any]) -> None:
        """Mark each record given (per asset key) as consumed, and every earlier
        unpartitioned one; earlier records of other partitions that were read stay
        unconsumed and are seen again."""
        for asset_key, record in materialization_records_by_key.items():
            key = self._check(asset_key)
            if record is not None:
                self._consume(key, record)
        self._store_cursor()

    def _consume(self, key: AssetKey, record: Any) -> None:
        cursor = self._cursors[key]
        trailing = {
            partition: event_id
            for partition, event_id in cursor.trailing_unconsumed_partitioned_event_ids.items()
            if not (partition == record.partition_key and event_id <= record.storage_id)
        }
        consumed = cursor.latest_consumed_event_id or 0
        if record.storage_id > consumed:
            for read in self._read[key].values():  # read, passed over and not consumed
                partition = read.partition_key
                if (
                    partition is not None
                    and partition != record.partition_key
                    and consumed < read.storage_id < record.storage_id
                ):
                    trailing[partition] = max(trailing.get(partition, 0), read.storage_id)
            cursor.latest_consumed_event_id = record.storage_id
            cursor.latest_consumed_event_partition = record.partition_key
        cursor.trailing_unconsumed_partitioned_event_ids = trailing

    def advance_all_cursors(self) -> None:
        """Mark every materialization of every monitored asset, up to the latest, consumed."""
        latest = self.instance.get_latest_materialization_events(self.asset_keys)
        for key in self.asset_keys:
            entry = latest[key]
            cursor = self._cursors[key]
            if entry is not None:
                cursor.latest_consumed_event_id = entry.storage_id
                cursor.latest_consumed_event_partition = entry.partition
            cursor.trailing_unconsumed_partitioned_event_ids = {}
        self._store_cursor()

    def update_cursor(self, cursor: str | None) -> None:
        raise UsageError(
            f"Multi-asset sensor '{self.sensor_name}': update_cursor is not supported; "
            "use context.advance_cursor({asset_key: record}) or context.advance_all_cursors()."
        )

    def _store_cursor(self) -> None:
        self.cursor = json.dumps(
            {key.to_string(): c.to_json() for key, c in self._cursors.items()}, sort_keys=True
        )
        self.cursor_updated = True

    # -- definitions ----------------------------------------------------------------------

    def _graph(self) -> Any:
        if self.repository_def is None:
            raise UsageError(
                f"Multi-asset sensor '{self.sensor_name}' needs the code location's "
                "definitions for partitions: pass definitions= to build_multi_asset_sensor_context."
            )
        return self.repository_def.graph

    def _partitions_def(self, key: AssetKey) -> Any:
        graph = self._graph()
        if key not in set(graph.all_keys):
            raise UsageError(f"Multi-asset sensor '{self.sensor_name}': unknown asset '{key}'.")
        found = graph.partitions_def(key)
        if found is None:
            raise UsageError(
                f"Multi-asset sensor '{self.sensor_name}': asset '{key}' is not partitioned."
            )
        return found

    @property
    def assets_defs_by_key(self) -> dict[AssetKey, Any]:
        graph = self._graph()
        return {key: graph.assets_def(key) for key in self.asset_keys if key in set(graph.all_keys)}


def _monitored_keys(name: str, monitored: Any, repository_def: Any) -> list[AssetKey]:
    from assetgraph.definitions.asset_selection import AssetSelection

    if isinstance(monitored, AssetSelection):
        if repository_def is None:
            raise UsageError(
                f"Multi-asset sensor '{name}' monitors an AssetSelection: pass definitions= "
                "to build_multi_asset_sensor_context to resolve it."
            )
        graph = repository_def.graph
        resolved: list[AssetKey] = graph.toposort(monitored.resolve(graph))
        return resolved
    keys = [AssetKey.from_user(getattr(item, "key", item)) for item in monitored]
    return list(dict.fromkeys(keys))


def _load_cursor(
    name: str, text: str | None, keys: Sequence[AssetKey]
) -> dict[AssetKey, _AssetCursor]:
    stored: dict[str, Any] = {}
    if text:
        try:
            stored = json.loads(text)
            assert isinstance(stored, dict)
        except (ValueError, AssertionError):
            raise UsageError(
                f"Multi-asset sensor '{name}': cursor {text!r} is not a multi-asset sensor "
                "cursor; reset it."
            ) from None
    found: dict[AssetKey, _AssetCursor] = {}
    for key in keys:
        value = stored.get(key.to_string())
        found[key] = _AssetCursor() if value is None else _AssetCursor.from_json(value)
    return found


class MultiAssetSensorDefinition(SensorDefinition):
    """A sensor over ``monitored_assets``; see the module docstring."""

    def __init__(
        self,
        name: str,
        monitored_assets: Sequence[Any] | Any,
        asset_materialization_fn: Callable[..., Any],
        *,
        job_name: str | None = None,
        minimum_interval_seconds: float | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        request_assets: Any = None,
        required_resource_keys: set[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        target: Any = None,
    ) -> None:
        self.monitored_assets = monitored_assets
        self.asset_materialization_fn = asset_materialization_fn

        def evaluate(context: SensorEvaluationContext) -> object:
            multi = MultiAssetSensorEvaluationContext(
                sensor_name=name,
                now=context.now,
                cursor=context.cursor,
                last_evaluated_at=context.last_evaluated_at,
                instance=context.instance,
                monitored_assets=monitored_assets,
                repository_def=context.repository_def,
                last_run_key=context.last_run_key,
                resources=context.resources,
                resource_names=context.resource_names,
            )
            result = call_with_context(asset_materialization_fn, multi)
            if inspect.isgenerator(result):  # it advances the cursor as it yields
                result = list(result)
            if multi.cursor_updated:
                context.update_cursor(multi.cursor)
            return result

        super().__init__(
            name=name,
            evaluation_fn=evaluate,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            asset_selection=request_assets,
            target=target,
            required_resource_keys=required_resource_keys,
            metadata=metadata,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the user's function directly with a ``MultiAssetSensorEvaluationContext``
        (``build_multi_asset_sensor_context``), for tests."""
        return self.asset_materialization_fn(*args, **kwargs)


def multi_asset_sensor(
    monitored_assets: Sequence[Any] | Any = None,
    *,
    job_name: str | None = None,
    name: str | None = None,
    minimum_interval_seconds: float | None = None,
    description: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_assets: Any = None,
    required_resource_keys: set[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    target: Any = None,
    asset_keys: Sequence[Any] | None = None,
) -> Callable[[Callable[..., Any]], MultiAssetSensorDefinition]:
    """Declare a sensor over several assets (Dagster's decorator): ``fn(context)`` reads
    unconsumed materializations from its ``MultiAssetSensorEvaluationContext``, consumes
    them with ``advance_cursor``/``advance_all_cursors``, and returns or yields
    ``RunRequest``/``SkipReason`` (or a ``SensorResult``). ``monitored_assets``: asset keys
    or an ``AssetSelection`` (``asset_keys=``, Dagster's older name, works too)."""
    monitored = monitored_assets if monitored_assets is not None else asset_keys
    if monitored is None:
        raise DefinitionError("@multi_asset_sensor needs monitored_assets=[...].")

    def decorate(fn: Callable[..., Any]) -> MultiAssetSensorDefinition:
        sensor_name = name or fn.__name__
        check_name("Sensor", sensor_name)
        return MultiAssetSensorDefinition(
            sensor_name,
            monitored,
            fn,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description if description is not None else fn.__doc__,
            job=job,
            jobs=jobs,
            default_status=default_status,
            request_assets=request_assets,
            required_resource_keys=required_resource_keys,
            metadata=metadata,
            target=target,
        )

    return decorate


def build_multi_asset_sensor_context(
    *,
    monitored_assets: Sequence[Any] | Any,
    repository_def: Any = None,
    instance: Any = None,
    cursor: str | None = None,
    repository_name: str | None = None,
    cursor_from_latest_materializations: bool = False,
    resources: Mapping[str, Any] | None = None,
    definitions: Any = None,
    last_sensor_start_time: float | None = None,
) -> MultiAssetSensorEvaluationContext:
    """A context to call a multi-asset sensor function with in tests (Dagster's helper).
    ``definitions`` (or ``repository_def``) resolves an ``AssetSelection`` and answers
    partition questions; ``cursor_from_latest_materializations`` starts after what is
    already materialized."""
    if cursor is not None and cursor_from_latest_materializations:
        raise UsageError("Give cursor= or cursor_from_latest_materializations=True, not both.")
    context = MultiAssetSensorEvaluationContext(
        sensor_name="test_multi_asset_sensor",
        now=datetime.now(UTC),
        cursor=cursor,
        last_evaluated_at=None,
        instance=instance,
        monitored_assets=monitored_assets,
        repository_def=definitions if definitions is not None else repository_def,
        resources=resources,
    )
    if cursor_from_latest_materializations:
        context.advance_all_cursors()
        context.cursor_updated = False
    return context


__all__ = [
    "MultiAssetSensorDefinition",
    "MultiAssetSensorEvaluationContext",
    "build_multi_asset_sensor_context",
    "multi_asset_sensor",
]
