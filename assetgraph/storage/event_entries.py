"""Dagster-shaped views of stored events, for ``context.instance`` and ``Instance`` callers.

``Instance.get_latest_materialization_event(key)`` answers as Dagster's does: an
``EventLogEntry`` whose ``asset_materialization`` holds the asset key, the partition and
the metadata recorded with it (as ``MetadataValue`` entries); None when the asset was never
materialized. ``entry.dagster_event`` is the typed event (``event_type_value`` is Dagster's,
e.g. ``"ASSET_MATERIALIZATION"``, ``"STEP_FAILURE"``, ``"PIPELINE_SUCCESS"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assetgraph.keys import AssetKey
from assetgraph.storage.records import EventRecord, EventType

DAGSTER_EVENT_TYPE_VALUES: dict[EventType, str] = {
    EventType.RUN_START: "PIPELINE_START",
    EventType.RUN_SUCCESS: "PIPELINE_SUCCESS",
    EventType.RUN_FAILURE: "PIPELINE_FAILURE",
    EventType.RUN_CANCELED: "PIPELINE_CANCELED",
    EventType.STEP_START: "STEP_START",
    EventType.STEP_SUCCESS: "STEP_SUCCESS",
    EventType.STEP_FAILURE: "STEP_FAILURE",
    EventType.STEP_SKIPPED: "STEP_SKIPPED",
    EventType.ASSET_MATERIALIZATION: "ASSET_MATERIALIZATION",
    EventType.ASSET_OBSERVATION: "ASSET_OBSERVATION",
    EventType.RUNTIME_OBSERVATION: "ASSET_OBSERVATION",
    EventType.ASSET_CHECK_EVALUATION: "ASSET_CHECK_EVALUATION",
    EventType.FRESHNESS_STATE_CHANGE: "FRESHNESS_STATE_CHANGE",
}
"""Each stored event type as Dagster's ``DagsterEventType`` value (log lines are not
Dagster events)."""


class DagsterEventType(StrEnum):
    """The kinds of events, by Dagster's names and values (strings, as Dagster's are).

    assetgraph records the run, step, materialization, observation, check and freshness
    events; filtering on another kind is an error saying so."""

    RUN_ENQUEUED = "PIPELINE_ENQUEUED"
    RUN_DEQUEUED = "PIPELINE_DEQUEUED"
    RUN_STARTING = "PIPELINE_STARTING"
    RUN_START = "PIPELINE_START"
    RUN_SUCCESS = "PIPELINE_SUCCESS"
    RUN_FAILURE = "PIPELINE_FAILURE"
    RUN_CANCELING = "PIPELINE_CANCELING"
    RUN_CANCELED = "PIPELINE_CANCELED"
    STEP_START = "STEP_START"
    STEP_SUCCESS = "STEP_SUCCESS"
    STEP_FAILURE = "STEP_FAILURE"
    STEP_SKIPPED = "STEP_SKIPPED"
    STEP_OUTPUT = "STEP_OUTPUT"
    STEP_INPUT = "STEP_INPUT"
    STEP_UP_FOR_RETRY = "STEP_UP_FOR_RETRY"
    STEP_RESTARTED = "STEP_RESTARTED"
    STEP_EXPECTATION_RESULT = "STEP_EXPECTATION_RESULT"
    ASSET_MATERIALIZATION = "ASSET_MATERIALIZATION"
    ASSET_MATERIALIZATION_PLANNED = "ASSET_MATERIALIZATION_PLANNED"
    ASSET_OBSERVATION = "ASSET_OBSERVATION"
    ASSET_CHECK_EVALUATION = "ASSET_CHECK_EVALUATION"
    ASSET_CHECK_EVALUATION_PLANNED = "ASSET_CHECK_EVALUATION_PLANNED"
    FRESHNESS_STATE_CHANGE = "FRESHNESS_STATE_CHANGE"
    HANDLED_OUTPUT = "HANDLED_OUTPUT"
    LOADED_INPUT = "LOADED_INPUT"
    ENGINE_EVENT = "ENGINE_EVENT"
    LOGS_CAPTURED = "LOGS_CAPTURED"


@dataclass(frozen=True, slots=True)
class AssetMaterialization:
    """One recorded materialization: its asset, partition, metadata and tags."""

    asset_key: AssetKey
    partition: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None


@dataclass(frozen=True, slots=True)
class AssetObservationEntry:
    """One recorded observation: its asset, partition, metadata and tags."""

    asset_key: AssetKey
    partition: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None


@dataclass(frozen=True, slots=True)
class EventSpecificData:
    """Dagster's ``dagster_event.event_specific_data``: the materialization or the
    observation an asset event holds."""

    materialization: AssetMaterialization | None = None
    asset_observation: AssetObservationEntry | None = None


@dataclass(frozen=True, slots=True)
class DagsterEvent:
    """The typed event inside an ``EventLogEntry``: its type, asset key and partition."""

    event_type_value: str
    asset_key: AssetKey | None
    partition: str | None
    asset_materialization: AssetMaterialization | None = None
    step_key: str | None = None
    message: str | None = None
    asset_observation: AssetObservationEntry | None = None

    @property
    def is_step_materialization(self) -> bool:
        return self.event_type_value == "ASSET_MATERIALIZATION"

    @property
    def event_type(self) -> DagsterEventType:
        """The event's ``DagsterEventType``."""
        return DagsterEventType(self.event_type_value)

    @property
    def event_specific_data(self) -> EventSpecificData:
        return EventSpecificData(self.asset_materialization, self.asset_observation)

    @property
    def step_materialization_data(self) -> EventSpecificData:
        return self.event_specific_data


@dataclass(frozen=True, slots=True)
class EventLogEntry:
    """A stored event: the run that recorded it, when, and the materialization it holds.

    ``dagster_event`` is None for a log line (``user_message`` holds it), as in Dagster.
    """

    run_id: str
    timestamp: float
    storage_id: int
    asset_materialization: AssetMaterialization | None
    event_type_value: str | None = "ASSET_MATERIALIZATION"
    step_key: str | None = None
    user_message: str = ""
    asset_observation: AssetObservationEntry | None = None
    asset_key: AssetKey | None = None
    partition: str | None = None

    @property
    def dagster_event(self) -> DagsterEvent | None:
        """The event as Dagster's ``EventLogEntry.dagster_event`` shows it (asset sensors
        read ``asset_event.dagster_event.asset_key``)."""
        if self.event_type_value is None:
            return None
        found = self.asset_materialization
        key = self.asset_key or (found.asset_key if found is not None else None)
        partition = self.partition or (found.partition if found is not None else None)
        return DagsterEvent(
            self.event_type_value,
            key,
            partition,
            found,
            self.step_key,
            self.user_message or None,
            self.asset_observation,
        )

    @property
    def is_dagster_event(self) -> bool:
        return self.event_type_value is not None

    @property
    def dagster_event_type(self) -> Any:
        """The ``DagsterEventType`` of the event (None for a log line)."""
        event = self.dagster_event
        return None if event is None else event.event_type

    @property
    def message(self) -> str:
        return self.user_message


def entry_of(record: EventRecord) -> EventLogEntry:
    """A stored event as Dagster's ``EventLogEntry``."""
    from assetgraph.definitions.metadata import metadata_from_stored

    assert record.event_id is not None
    key = AssetKey.from_user(record.asset_key) if record.asset_key else None
    payload = record.payload
    metadata = metadata_from_stored(payload.get("metadata"))
    tags = dict(payload.get("tags") or {})
    if payload.get("data_version") is not None:  # shown as Dagster shows it
        tags.setdefault("dagster/data_version", str(payload["data_version"]))
    materialization = observation = None
    if record.event_type is EventType.ASSET_MATERIALIZATION and key is not None:
        materialization = AssetMaterialization(key, record.partition_key, metadata, tags)
    observed = (EventType.ASSET_OBSERVATION, EventType.RUNTIME_OBSERVATION)
    if record.event_type in observed and key is not None:
        description = payload.get("description")
        observation = AssetObservationEntry(key, record.partition_key, metadata, tags, description)
    return EventLogEntry(
        run_id=record.run_id,
        timestamp=record.timestamp,
        storage_id=record.event_id,
        asset_materialization=materialization,
        event_type_value=DAGSTER_EVENT_TYPE_VALUES.get(record.event_type),
        step_key=record.step_key,
        user_message=record.message or "",
        asset_observation=observation,
        asset_key=key,
        partition=record.partition_key,
    )
