"""``@asset_sensor``: a sensor that fires on each new materialization of one asset.

At each evaluation it reads the asset's latest materialization; when that is newer than
the cursor (the storage id of the last one it handled), the cursor moves to it and the
function is called with ``(context, asset_event)``, an ``EventLogEntry`` (``run_id``,
``timestamp``, ``storage_id``, ``asset_materialization``, ``dagster_event.asset_key``). As
in Dagster, several materializations between two evaluations fire it once, for the latest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assetgraph.automation.requests import SkipReason
from assetgraph.automation.schedules import call_with_context, check_name
from assetgraph.automation.sensors import SensorDefinition, SensorEvaluationContext
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey


class AssetSensorDefinition(SensorDefinition):
    """A sensor watching ``asset_key``; see the module docstring."""

    def __init__(
        self,
        name: str,
        asset_key: CoercibleToAssetKey,
        asset_materialization_fn: Callable[..., Any],
        *,
        job_name: str | None = None,
        minimum_interval_seconds: float | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        required_resource_keys: set[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.asset_key = AssetKey.from_user(asset_key)
        self.asset_materialization_fn = asset_materialization_fn
        watched = self.asset_key

        def evaluate(context: SensorEvaluationContext) -> object:
            if context.instance is None:
                raise DefinitionError(f"Asset sensor '{name}' needs an instance to read events.")
            event = context.instance.get_latest_materialization_event(watched)
            cursor = context.cursor or ""
            after = int(cursor) if cursor.isdigit() else None
            if event is None or (after is not None and event.storage_id <= after):
                return SkipReason(f"no new materialization of {watched}")
            context.update_cursor(str(event.storage_id))
            return call_with_context(asset_materialization_fn, context, event)

        super().__init__(
            name=name,
            evaluation_fn=evaluate,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=job,
            jobs=jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            metadata=metadata,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """For tests, as in Dagster: with only a ``SensorEvaluationContext``
        (``build_sensor_context(instance)``), evaluate the sensor, reading the asset's latest
        materialization and moving the context's cursor, and return its ``RunRequest`` /
        ``SkipReason`` list; with ``(context, asset_event)``, call the function itself."""
        values = [*args, *kwargs.values()]
        if len(values) == 1 and isinstance(values[0], SensorEvaluationContext):
            return self.evaluate(values[0])
        return self.asset_materialization_fn(*args, **kwargs)


def asset_sensor(
    asset_key: CoercibleToAssetKey,
    *,
    job_name: str | None = None,
    name: str | None = None,
    minimum_interval_seconds: float | None = None,
    description: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    required_resource_keys: set[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], AssetSensorDefinition]:
    """Declare a sensor on ``asset_key``: ``fn(context, asset_event)`` returns or yields
    ``RunRequest`` / ``SkipReason`` for each new materialization (Dagster's decorator)."""

    def decorate(fn: Callable[..., Any]) -> AssetSensorDefinition:
        sensor_name = name or fn.__name__
        check_name("Sensor", sensor_name)
        return AssetSensorDefinition(
            sensor_name,
            asset_key,
            fn,
            job_name=job_name,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description if description is not None else fn.__doc__,
            job=job,
            jobs=jobs,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            metadata=metadata,
        )

    return decorate


__all__ = ["AssetSensorDefinition", "asset_sensor"]
