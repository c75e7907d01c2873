"""Dagster-shaped views of stored events, for ``context.instance`` and ``Instance`` callers.

``Instance.get_latest_materialization_event(key)`` answers as Dagster's does: an
``EventLogEntry`` whose ``asset_materialization`` holds the asset key, the partition and
the metadata recorded with it (None when the asset was never materialized).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assetgraph.keys import AssetKey


@dataclass(frozen=True, slots=True)
class AssetMaterialization:
    """One recorded materialization: its asset, partition and metadata."""

    asset_key: AssetKey
    partition: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EventLogEntry:
    """A stored event: the run that recorded it, when, and the materialization it holds."""

    run_id: str
    timestamp: float
    storage_id: int
    asset_materialization: AssetMaterialization | None

    @property
    def dagster_event(self) -> DagsterEvent | None:
        """The event as Dagster's ``EventLogEntry.dagster_event`` shows it (asset sensors
        read ``asset_event.dagster_event.asset_key``)."""
        found = self.asset_materialization
        if found is None:
            return None
        return DagsterEvent("ASSET_MATERIALIZATION", found.asset_key, found.partition, found)


@dataclass(frozen=True, slots=True)
class DagsterEvent:
    """The typed event inside an ``EventLogEntry``: its type, asset key and partition."""

    event_type_value: str
    asset_key: AssetKey | None
    partition: str | None
    asset_materialization: AssetMaterialization | None = None

    @property
    def is_step_materialization(self) -> bool:
        return self.event_type_value == "ASSET_MATERIALIZATION"


class DagsterEventType(StrEnum):
    """Dagster's names of the events of a step, as ``events_for_node`` reports them."""

    STEP_START = "STEP_START"
    STEP_OUTPUT = "STEP_OUTPUT"
    HANDLED_OUTPUT = "HANDLED_OUTPUT"
    STEP_SUCCESS = "STEP_SUCCESS"
    STEP_FAILURE = "STEP_FAILURE"
    STEP_SKIPPED = "STEP_SKIPPED"
    STEP_EXPECTATION_RESULT = "STEP_EXPECTATION_RESULT"
    ASSET_MATERIALIZATION = "ASSET_MATERIALIZATION"
    ASSET_OBSERVATION = "ASSET_OBSERVATION"
