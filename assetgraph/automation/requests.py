"""What schedules and sensors hand back: ``RunRequest``, ``SkipReason``, ``SensorResult``.

These are Dagster's names with Dagster's fields: a ``RunRequest`` names a job
(``job_name``, or the schedule's or sensor's own target), optionally a subset of its assets
(``asset_selection``) and a ``partition_key``; a ``run_key`` is launched at most once per
schedule or sensor, ever.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assetgraph.definitions.asset_observation import AssetObservation
from assetgraph.definitions.op_events import AssetMaterialization
from assetgraph.errors import DefinitionError
from assetgraph.partitions.dynamic_requests import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
)


@dataclass(frozen=True, slots=True)
class RunRequest:
    """Ask for one run of the requesting schedule's or sensor's target (or of ``job_name``).

    ``asset_selection`` (asset keys) narrows the run to those assets; ``partition_key``
    builds that partition of the partitioned assets (``partition_keys``, an assetgraph
    extension, names several). A ``run_key`` already launched by this schedule or sensor
    is skipped. ``stale_assets_only`` and ``asset_check_keys`` are accepted for Dagster
    compatibility; checks run with their assets.
    """

    run_key: str | None = None
    run_config: Mapping[str, Any] | None = None
    tags: Mapping[str, str] | None = None
    job_name: str | None = None
    asset_selection: Sequence[Any] | str | None = None
    stale_assets_only: bool = False
    partition_key: str | None = None
    asset_check_keys: Sequence[Any] | None = None
    partition_keys: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if self.run_key is not None and not isinstance(self.run_key, str):
            raise DefinitionError(
                f"RunRequest(run_key=...) must be a string, got {self.run_key!r}."
            )
        to_dict = getattr(self.run_config, "to_config_dict", None)  # Dagster's RunConfig
        if callable(to_dict):
            object.__setattr__(self, "run_config", to_dict())
        if self.partition_key is not None and self.partition_keys is not None:
            raise DefinitionError("RunRequest takes partition_key or partition_keys, not both.")

    def requested_partition_keys(self) -> list[str] | None:
        """The partition keys this request names (None: the target's default choice)."""
        if self.partition_key is not None:
            return [str(self.partition_key)]
        if self.partition_keys is not None:
            return [str(key) for key in self.partition_keys]
        return None

    def with_replaced_attributes(self, **changes: Any) -> RunRequest:
        """A copy with ``changes`` applied (Dagster's name for ``dataclasses.replace``)."""
        from dataclasses import replace

        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class SkipReason:
    """Why a schedule or sensor asked for nothing this time (shown in the tick's record)."""

    skip_message: str | None = None

    @property
    def message(self) -> str:
        return self.skip_message or ""


@dataclass(frozen=True, slots=True)
class SensorResult:
    """Everything one sensor evaluation returns at once, as Dagster's ``SensorResult``.

    Dynamic partitions requests are applied before the run requests are launched, so a
    run may target a partition added in the same result. ``cursor`` replaces the stored
    cursor; ``skip_reason`` is recorded when no run is requested. ``asset_events``
    (``AssetMaterialization``s and ``AssetObservation``s of assets written elsewhere) are
    recorded outside any run, as Dagster does.
    """

    run_requests: Sequence[RunRequest] | None = None
    skip_reason: SkipReason | str | None = None
    cursor: str | None = None
    dynamic_partitions_requests: (
        Sequence[AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest] | None
    ) = None
    asset_events: Sequence[Any] | None = None

    def __post_init__(self) -> None:
        if self.run_requests and self.skip_reason is not None:
            raise DefinitionError("SensorResult takes run_requests or skip_reason, not both.")
        asset_event = AssetMaterialization | AssetObservation
        wrong = [e for e in self.asset_events or () if not isinstance(e, asset_event)]
        if wrong:
            raise DefinitionError(
                "SensorResult(asset_events=...) takes AssetMaterialization and "
                f"AssetObservation objects, got {type(wrong[0]).__name__}."
            )

    @property
    def skip_message(self) -> str | None:
        if self.skip_reason is None:
            return None
        if isinstance(self.skip_reason, SkipReason):
            return self.skip_reason.message
        return str(self.skip_reason)


Requested = RunRequest | SkipReason
"""One item a schedule or sensor function returns or yields."""


def collect(what: str, result: object) -> tuple[list[Requested], SensorResult | None]:
    """What a schedule or sensor function gave: its run requests and skip reasons, and the
    ``SensorResult`` when it returned one (whose requests are included)."""
    if result is None:
        return [], None
    if isinstance(result, SensorResult):
        found: list[Requested] = list(result.run_requests or ())
        message = result.skip_message
        if not found and message is not None:
            found.append(SkipReason(message))
        return found, result
    if isinstance(result, RunRequest | SkipReason):
        return [result], None
    if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
        raise DefinitionError(
            f"{what} returned {type(result).__name__}; return or yield RunRequest(...), "
            "SkipReason(...) or SensorResult(...)."
        )
    items: list[Requested] = []
    sensor_result: SensorResult | None = None
    for item in result:
        if isinstance(item, SensorResult):
            if sensor_result is not None:
                raise DefinitionError(f"{what} yielded more than one SensorResult.")
            more, sensor_result = collect(what, item)
            items.extend(more)
            continue
        if not isinstance(item, RunRequest | SkipReason):
            raise DefinitionError(
                f"{what} yielded {type(item).__name__}; yield RunRequest(...) or SkipReason(...)."
            )
        items.append(item)
    return items, sensor_result


__all__ = [
    "AddDynamicPartitionsRequest",
    "DeleteDynamicPartitionsRequest",
    "RunRequest",
    "SensorResult",
    "SkipReason",
    "collect",
]
