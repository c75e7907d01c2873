"""The payloads of the event log, one frozen class per kind of event.

The JSON a payload is stored as is written (``to_payload``) and read back
(``from_payload``) here and nowhere else, so its schema lives in one place. Keys that were
absent in older payloads stay optional: a database written by any earlier assetgraph reads
the same. ``parse_payload`` turns a stored event's payload into its class.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

from assetgraph.storage.records import EventRecord, EventType

InputVersions: TypeAlias = dict[str, dict[str, str | None]]
"""Upstream key -> partition key ("" when unpartitioned) -> data version read (None: none).

Past a size limit an upstream's partitions are replaced by ``{"__digest__": ...,
"__count__": ...}``: a digest of what was read, which no single partition matches.
"""


def _mapping(value: Any) -> dict[str, Any]:
    """A stored JSON object as a dict (anything else, e.g. a missing key, as empty)."""
    return dict(value) if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class StepStarted:
    """A step began (its leases granted); ``attempt`` counts retries from 1."""

    kind: ClassVar[EventType] = EventType.STEP_START
    attempt: int = 1

    def to_payload(self) -> dict[str, Any]:
        return {"attempt": self.attempt} if self.attempt > 1 else {}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> StepStarted:
        return cls(attempt=int(payload.get("attempt", 1)))


@dataclass(frozen=True, slots=True)
class StepSucceeded:
    """A step stored all its outputs, in ``duration`` seconds."""

    kind: ClassVar[EventType] = EventType.STEP_SUCCESS
    duration: float | None = None

    def to_payload(self) -> dict[str, Any]:
        return {} if self.duration is None else {"duration": self.duration}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> StepSucceeded:
        return cls(duration=payload.get("duration"))


@dataclass(frozen=True, slots=True)
class StepFailed:
    """A step failed.

    ``error`` is the error's JSON (kind, type, message, location, traceback), kept as
    stored (older or hand-written payloads may hold a plain string).
    ``asset_keys`` and ``partition_keys`` say which (asset, partition) pairs failed; None
    where the writer did not know them (an observation, a lost worker before the run
    filled them in). ``retry_in`` is set when the step will be tried again.
    """

    kind: ClassVar[EventType] = EventType.STEP_FAILURE
    error: Mapping[str, Any] | str | None = None
    duration: float | None = None
    asset_keys: tuple[str, ...] | None = None
    partition_keys: tuple[str, ...] | None = None
    attempt: int | None = None
    retry_in: float | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        if self.error is not None:
            payload["error"] = self.error
        if self.duration is not None:
            payload["duration"] = self.duration
        if self.asset_keys is not None:
            payload["asset_keys"] = list(self.asset_keys)
        if self.partition_keys is not None:
            payload["partition_keys"] = list(self.partition_keys)
        if self.attempt is not None:
            payload["attempt"] = self.attempt
        if self.retry_in is not None:
            payload["retry_in"] = self.retry_in
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> StepFailed:
        assets = payload.get("asset_keys")
        partitions = payload.get("partition_keys")
        return cls(
            error=payload.get("error"),
            duration=payload.get("duration"),
            asset_keys=None if assets is None else tuple(assets),
            partition_keys=None if partitions is None else tuple(partitions),
            attempt=payload.get("attempt"),
            retry_in=payload.get("retry_in"),
        )

    def failed_pairs(self, partition_key: str | None) -> Iterator[tuple[str, str | None]]:
        """Each failed (asset key, partition key); ``partition_key`` (the event's) stands in
        when the payload lists no partitions."""
        partitions: tuple[str | None, ...] = self.partition_keys or (partition_key,)
        for asset_key in self.asset_keys or ():
            for partition in partitions:
                yield asset_key, partition


@dataclass(frozen=True, slots=True)
class StepSkipped:
    """A step was not run: an upstream did not succeed, or the run was canceled."""

    kind: ClassVar[EventType] = EventType.STEP_SKIPPED
    canceled: bool = False

    def to_payload(self) -> dict[str, Any]:
        return {"canceled": True} if self.canceled else {}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> StepSkipped:
        return cls(canceled=bool(payload.get("canceled", False)))


@dataclass(frozen=True, slots=True)
class Materialized:
    """An (asset, partition) was stored: its versions, what it read, how long it took."""

    kind: ClassVar[EventType] = EventType.ASSET_MATERIALIZATION
    code_version: str | None
    data_version: str | None
    input_versions: InputVersions = field(default_factory=dict)
    duration: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    """``Output(tags=)`` / ``MaterializeResult(tags=)`` (stored only when given)."""
    user_provided: bool = False
    """The data version was given by user code (stored only when true)."""

    def to_payload(self) -> dict[str, Any]:
        payload = {
            "code_version": self.code_version,
            "data_version": self.data_version,
            "input_versions": self.input_versions,
            "duration": self.duration,
            "metadata": self.metadata,
        }
        if self.tags:
            payload["tags"] = dict(self.tags)
        if self.user_provided:
            payload["data_version_is_user_provided"] = True
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Materialized:
        return cls(
            code_version=payload.get("code_version"),
            data_version=payload.get("data_version"),
            input_versions=_mapping(payload.get("input_versions")),
            duration=payload.get("duration"),
            metadata=_mapping(payload.get("metadata")),
            tags=dict(payload.get("tags") or {}),
            user_provided=bool(payload.get("data_version_is_user_provided")),
        )

    def read_partitions(self, upstream: str) -> dict[str, str | None] | None:
        """Partition key ("" when unpartitioned) -> data version this materialization read
        of ``upstream``; None when it recorded nothing for it. (Past the size limit the map
        is a digest, whose keys match no partition.)"""
        read = self.input_versions.get(upstream)
        return read if isinstance(read, dict) else None


@dataclass(frozen=True, slots=True)
class Observed:
    """A source asset's (partition's) data version, as its observe function saw it."""

    kind: ClassVar[EventType] = EventType.ASSET_OBSERVATION
    data_version: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    duration: float | None = None

    def to_payload(self) -> dict[str, Any]:
        return {
            "data_version": self.data_version,
            "metadata": self.metadata,
            "duration": self.duration,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Observed:
        return cls(
            data_version=payload.get("data_version"),
            metadata=_mapping(payload.get("metadata")),
            duration=payload.get("duration"),
        )


@dataclass(frozen=True, slots=True)
class CheckEvaluated:
    """The result of one asset check (or schema validation) on a step's output."""

    kind: ClassVar[EventType] = EventType.ASSET_CHECK_EVALUATION
    check_name: str
    asset_key: str
    passed: bool
    partition_keys: tuple[str, ...] = ()
    blocking: bool = False
    severity: str = "ERROR"
    description: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    failure_cases: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    partition_key: str | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "check_name": self.check_name,
            "asset_key": self.asset_key,
            "partition_keys": list(self.partition_keys),
            "passed": self.passed,
            "blocking": self.blocking,
            "severity": self.severity,
            "description": self.description,
            "metadata": self.metadata,
        }
        if self.failure_cases is not None:
            payload["failure_cases"] = dict(self.failure_cases)
        if self.error is not None:
            payload["error"] = dict(self.error)
        payload["partition_key"] = self.partition_key
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> CheckEvaluated:
        return cls(
            check_name=str(payload.get("check_name")),
            asset_key=str(payload.get("asset_key")),
            passed=bool(payload.get("passed")),
            partition_keys=tuple(payload.get("partition_keys") or ()),
            blocking=bool(payload.get("blocking")),
            severity=str(payload.get("severity", "ERROR")),
            description=payload.get("description"),
            metadata=_mapping(payload.get("metadata")),
            failure_cases=payload.get("failure_cases"),
            error=payload.get("error"),
            partition_key=payload.get("partition_key"),
        )


@dataclass(frozen=True, slots=True)
class Logged:
    """A line a step logged (or printed: level ``STDOUT`` / ``STDERR``)."""

    kind: ClassVar[EventType] = EventType.LOG
    level: str = "INFO"

    def to_payload(self) -> dict[str, Any]:
        return {"level": self.level}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Logged:
        return cls(level=str(payload.get("level", "INFO")))


@dataclass(frozen=True, slots=True)
class RuntimeObservation:
    """An ``AssetObservation`` recorded by user code while a step ran: its metadata,
    description and tags. It changes no data version (unlike ``Observed``)."""

    kind: ClassVar[EventType] = EventType.RUNTIME_OBSERVATION
    metadata: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"metadata": self.metadata}
        if self.description is not None:
            payload["description"] = self.description
        if self.tags:
            payload["tags"] = dict(self.tags)
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> RuntimeObservation:
        return cls(
            metadata=_mapping(payload.get("metadata")),
            description=payload.get("description"),
            tags=dict(payload.get("tags") or {}),
        )


FRESHNESS_RUN_ID = "__freshness__"
"""The run id freshness state changes are stored under: the automation daemon writes them,
outside any run (``events_for_run(FRESHNESS_RUN_ID, ...)`` reads them back)."""


@dataclass(frozen=True, slots=True)
class FreshnessStateChanged:
    """A freshness policy's state changed (Dagster's ``FreshnessStateChange``): pass, warn,
    fail or unknown; for a partition deadline, the partitions overdue then."""

    kind: ClassVar[EventType] = EventType.FRESHNESS_STATE_CHANGE
    new_state: str
    previous_state: str
    policy: str = ""
    overdue_partitions: tuple[str, ...] = ()
    overdue_count: int = 0
    last_updated: float | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "new_state": self.new_state,
            "previous_state": self.previous_state,
            "policy": self.policy,
        }
        if self.overdue_count:
            payload["overdue_partitions"] = list(self.overdue_partitions)
            payload["overdue_count"] = self.overdue_count
        if self.last_updated is not None:
            payload["last_updated"] = self.last_updated
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> FreshnessStateChanged:
        return cls(
            new_state=str(payload.get("new_state", "unknown")),
            previous_state=str(payload.get("previous_state", "unknown")),
            policy=str(payload.get("policy", "")),
            overdue_partitions=tuple(payload.get("overdue_partitions") or ()),
            overdue_count=int(payload.get("overdue_count", 0)),
            last_updated=payload.get("last_updated"),
        )


EventPayload: TypeAlias = (
    StepStarted
    | StepSucceeded
    | StepFailed
    | StepSkipped
    | Materialized
    | Observed
    | CheckEvaluated
    | Logged
    | FreshnessStateChanged
    | RuntimeObservation
)

_CLASSES: dict[EventType, Any] = {
    cls.kind: cls
    for cls in (
        StepStarted,
        StepSucceeded,
        StepFailed,
        StepSkipped,
        Materialized,
        Observed,
        CheckEvaluated,
        Logged,
        FreshnessStateChanged,
        RuntimeObservation,
    )
}


def parse_payload(event_type: EventType, payload: Mapping[str, Any]) -> EventPayload | None:
    """The typed payload of an event of ``event_type``; None for run events (whose only
    content is their message)."""
    cls = _CLASSES.get(event_type)
    if cls is None:
        return None
    parsed: EventPayload = cls.from_payload(payload)
    return parsed


def step_event(
    run_id: str,
    body: EventPayload,
    timestamp: float,
    *,
    step_key: str | None = None,
    asset_key: str | None = None,
    partition_key: str | None = None,
    message: str | None = None,
) -> EventRecord:
    """The event record that stores ``body`` (its kind gives the event type)."""
    return EventRecord(
        run_id=run_id,
        event_type=body.kind,
        timestamp=timestamp,
        step_key=step_key,
        asset_key=asset_key,
        partition_key=partition_key,
        message=message,
        payload=body.to_payload(),
    )
