"""What the metadata database stores: runs, events and materializations.

Plain frozen value objects; the storage layer turns them into rows and back. Payloads
are JSON-serializable dicts and carry ``PAYLOAD_VERSION`` when stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

PAYLOAD_VERSION = 1


class RunStatus(StrEnum):
    """Where a run is in its lifecycle."""

    QUEUED = "queued"
    STARTED = "started"
    SUCCESS = "success"
    FAILURE = "failure"
    CANCELED = "canceled"

    @property
    def is_finished(self) -> bool:
        return self in (RunStatus.SUCCESS, RunStatus.FAILURE, RunStatus.CANCELED)


class StepStatus(StrEnum):
    """How a step of a run ended (``StepOutcome.status``); the values are the strings
    stored, printed and returned as JSON."""

    SUCCESS = "success"
    FAILURE = "failure"
    SKIPPED = "skipped"


class EventType(StrEnum):
    """The kinds of entries in the append-only event log."""

    RUN_START = "run_start"
    RUN_SUCCESS = "run_success"
    RUN_FAILURE = "run_failure"
    RUN_CANCELED = "run_canceled"
    STEP_START = "step_start"
    STEP_SUCCESS = "step_success"
    STEP_FAILURE = "step_failure"
    STEP_SKIPPED = "step_skipped"
    ASSET_MATERIALIZATION = "asset_materialization"
    ASSET_OBSERVATION = "asset_observation"
    ASSET_CHECK_EVALUATION = "asset_check_evaluation"
    LOG = "log"
    FRESHNESS_STATE_CHANGE = "freshness_state_change"
    RUNTIME_OBSERVATION = "runtime_observation"
    """An ``AssetObservation`` user code recorded: metadata only, no new data version."""


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run: a plan executed against the definitions of a code location."""

    run_id: str
    status: RunStatus
    created_at: float
    selection: str = "*"
    asset_keys: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    run_config: dict[str, Any] = field(default_factory=dict)
    started_at: float | None = None
    ended_at: float | None = None
    error: str | None = None
    pid: int | None = None
    hostname: str | None = None
    heartbeat_at: float | None = None
    cancel_requested: bool = False

    @property
    def duration(self) -> float | None:
        """Seconds from start to end, or None while unfinished."""
        if self.started_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.started_at


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One entry of the event log.

    ``asset_key`` is the key's string form; ``partition_key`` is None for unpartitioned
    assets. ``event_id`` is assigned by the database and is None before storing.
    """

    run_id: str
    event_type: EventType
    timestamp: float
    step_key: str | None = None
    asset_key: str | None = None
    partition_key: str | None = None
    message: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    event_id: int | None = None


@dataclass(frozen=True, slots=True)
class MaterializationRecord:
    """The latest materialization of one (asset, partition), from the index table.

    ``payload`` of the materialization event holds ``code_version``, ``data_version``,
    ``input_versions`` (upstream key -> partition key, "" when unpartitioned -> the data
    version read), ``duration`` (seconds) and ``metadata`` (a JSON-serializable dict).
    ``data_version_event_id`` is the event that last changed the data version.
    """

    asset_key: str
    partition_key: str | None
    run_id: str
    event_id: int
    timestamp: float
    code_version: str | None
    data_version: str | None
    duration: float | None
    metadata: dict[str, Any]
    data_version_event_id: int | None = None


@dataclass(frozen=True, slots=True)
class VersionSummary:
    """The versions of one asset's materialized partitions, summed up in one row."""

    materialized: int
    first_event_id: int | None
    last_change_event_id: int | None
    code_version_count: int
    a_code_version: str | None


@dataclass(frozen=True, slots=True)
class VersionRow:
    """The versions of one materialized (asset, partition)."""

    partition_key: str | None
    event_id: int
    code_version: str | None
    data_version: str | None
    data_version_event_id: int | None
