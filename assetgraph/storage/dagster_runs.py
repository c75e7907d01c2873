"""Runs as Dagster's instance API shows them: ``DagsterRun``, ``DagsterRunStatus``,
``RunsFilter`` and the run records ``Instance.get_run_records`` returns.

A run's job is its ``assetgraph/job`` tag (``__ASSET_JOB`` for a run of no job), as run
status sensors see it. Statuses assetgraph never records (``STARTING``, ``CANCELING``...)
may be filtered on and match no run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from assetgraph.errors import UsageError
from assetgraph.storage.records import RunRecord, RunStatus

# The same values as ``definitions.jobs`` (whose module imports execution: storage may not).
JOB_TAG = "assetgraph/job"
IMPLICIT_ASSET_JOB_NAME = "__ASSET_JOB"


class DagsterRunStatus(Enum):
    """A run's status, by Dagster's names (assetgraph records five of them)."""

    QUEUED = "QUEUED"
    NOT_STARTED = "NOT_STARTED"
    MANAGED = "MANAGED"
    STARTING = "STARTING"
    STARTED = "STARTED"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"


STORED_STATUS = {
    DagsterRunStatus.QUEUED: RunStatus.QUEUED,
    DagsterRunStatus.STARTED: RunStatus.STARTED,
    DagsterRunStatus.SUCCESS: RunStatus.SUCCESS,
    DagsterRunStatus.FAILURE: RunStatus.FAILURE,
    DagsterRunStatus.CANCELED: RunStatus.CANCELED,
}
_DAGSTER_STATUS = {stored: status for status, stored in STORED_STATUS.items()}


@dataclass(frozen=True, slots=True)
class DagsterRun:
    """A run: its id, job, status, tags, config and the asset keys it built."""

    run_id: str
    job_name: str
    status: DagsterRunStatus
    tags: Mapping[str, str] = field(default_factory=dict)
    run_config: Mapping[str, Any] = field(default_factory=dict)
    asset_selection: frozenset[str] = frozenset()
    error: str | None = None

    @property
    def is_finished(self) -> bool:
        return self.status in (
            DagsterRunStatus.SUCCESS,
            DagsterRunStatus.FAILURE,
            DagsterRunStatus.CANCELED,
        )

    @property
    def is_success(self) -> bool:
        return self.status is DagsterRunStatus.SUCCESS

    @property
    def is_failure(self) -> bool:
        return self.status is DagsterRunStatus.FAILURE

    @property
    def is_failure_or_canceled(self) -> bool:
        return self.status in (DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED)

    @property
    def pipeline_name(self) -> str:
        return self.job_name


@dataclass(frozen=True, slots=True)
class DagsterRunRecord:
    """A run with its timestamps (Dagster's ``RunRecord``): seconds since the epoch."""

    dagster_run: DagsterRun
    create_timestamp: datetime
    update_timestamp: datetime
    start_time: float | None = None
    end_time: float | None = None


@dataclass(frozen=True, slots=True)
class RunsFilter:
    """Which runs ``Instance.get_runs`` returns; every field given must match.

    ``tags`` maps a tag to a value or to a list of accepted values; ``created_after`` and
    ``created_before`` (and ``updated_*``: the time a run last changed) are datetimes.
    """

    run_ids: Sequence[str] | None = None
    job_name: str | None = None
    statuses: Sequence[DagsterRunStatus] | None = None
    tags: Mapping[str, str | Sequence[str]] | None = None
    snapshot_id: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None

    def __post_init__(self) -> None:
        for status in self.statuses or ():
            if not isinstance(status, DagsterRunStatus):
                raise UsageError(
                    f"RunsFilter(statuses=...) takes DagsterRunStatus values, got {status!r}."
                )
        if self.snapshot_id is not None:
            raise UsageError(
                "RunsFilter(snapshot_id=...) is not supported: assetgraph keeps no job "
                "snapshots; filter on job_name or tags."
            )

    @classmethod
    def for_schedule(cls, schedule: Any) -> RunsFilter:
        """The runs a schedule (or schedule name) launched."""
        return cls(tags={"dagster/schedule_name": getattr(schedule, "name", schedule)})

    @classmethod
    def for_sensor(cls, sensor: Any) -> RunsFilter:
        """The runs a sensor (or sensor name) launched."""
        return cls(tags={"dagster/sensor_name": getattr(sensor, "name", sensor)})

    def stored_statuses(self) -> list[RunStatus] | None:
        """The stored statuses to look for (None: any)."""
        if self.statuses is None:
            return None
        return [STORED_STATUS[s] for s in self.statuses if s in STORED_STATUS]

    def matches(self, run: RunRecord) -> bool:
        """Whether ``run`` passes the filters a query does not apply itself."""
        if self.run_ids is not None and run.run_id not in self.run_ids:
            return False
        if self.job_name is not None and job_name_of_run(run) != self.job_name:
            return False
        for key, wanted in (self.tags or {}).items():
            accepted = [wanted] if isinstance(wanted, str) else list(wanted)
            if run.tags.get(key) not in accepted:
                return False
        updated = last_update(run)
        return (
            _after(run.created_at, self.created_after)
            and _before(run.created_at, self.created_before)
            and _after(updated, self.updated_after)
            and _before(updated, self.updated_before)
        )


def _after(timestamp: float, bound: datetime | None) -> bool:
    return bound is None or timestamp > bound.timestamp()


def _before(timestamp: float, bound: datetime | None) -> bool:
    return bound is None or timestamp < bound.timestamp()


def last_update(run: RunRecord) -> float:
    """When ``run`` last changed: its end, else its start, else its creation."""
    return run.ended_at or run.started_at or run.created_at


def job_name_of_run(run: RunRecord) -> str:
    return run.tags.get(JOB_TAG) or IMPLICIT_ASSET_JOB_NAME


def dagster_run(run: RunRecord) -> DagsterRun:
    """``run`` as Dagster's ``DagsterRun``."""
    return DagsterRun(
        run.run_id,
        job_name_of_run(run),
        _DAGSTER_STATUS[run.status],
        dict(run.tags),
        dict(run.run_config),
        frozenset(run.asset_keys),
        run.error,
    )


def dagster_run_record(run: RunRecord) -> DagsterRunRecord:
    """``run`` as Dagster's ``RunRecord``."""
    from datetime import UTC

    return DagsterRunRecord(
        dagster_run(run),
        datetime.fromtimestamp(run.created_at, tz=UTC),
        datetime.fromtimestamp(last_update(run), tz=UTC),
        run.started_at,
        run.ended_at,
    )


__all__ = [
    "DagsterRun",
    "DagsterRunRecord",
    "DagsterRunStatus",
    "RunsFilter",
    "dagster_run",
    "dagster_run_record",
]
