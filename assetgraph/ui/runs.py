"""What the runs pages show: run summaries, a run's step timeline, and its event log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assetgraph.planning.targets import describe_run_partitions, plain_run_targets
from assetgraph.status.runs import event_page, find_runs, launched_by
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.ui.models import EventLogOut, EventOut, RunDetail, RunSummary, StepOut

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage

STEP_END = {
    EventType.STEP_SUCCESS: "success",
    EventType.STEP_FAILURE: "failure",
    EventType.STEP_SKIPPED: "skipped",
}


def run_summary(run: RunRecord) -> RunSummary:
    return RunSummary(
        run_id=run.run_id,
        status=run.status.value,
        selection=run.selection,
        asset_keys=list(run.asset_keys),
        partitions=describe_run_partitions(run),
        targets=plain_run_targets(run),
        tags=dict(run.tags),
        launched_by=launched_by(run),
        created_at=run.created_at,
        started_at=run.started_at,
        ended_at=run.ended_at,
        duration=run.duration,
        error=run.error,
    )


def list_runs(
    storage: SqlStorage,
    limit: int,
    status: str | None,
    tags: dict[str, str] | None = None,
    asset_key: str | None = None,
    partition_key: str | None = None,
    launcher: str | None = None,
) -> list[RunSummary]:
    """The newest ``limit`` runs matching every filter (see ``status.runs.find_runs``)."""
    statuses = [RunStatus(status)] if status else None
    found = find_runs(storage, limit, statuses, tags, asset_key, partition_key, launcher)
    return [run_summary(run) for run in found]


def run_log(
    storage: SqlStorage,
    run_id: str,
    offset: int,
    limit: int,
    step_key: str | None,
    kinds: list[str],
    levels: list[str],
    search: str | None,
) -> EventLogOut:
    """One page of a run's event log, filtered (see ``status.runs.event_page``)."""
    page = event_page(storage, run_id, offset, limit, step_key, kinds, levels, search)
    return EventLogOut(
        events=[event_out(event) for event in page.events],
        total=page.total,
        offset=offset,
        steps=page.steps,
        kinds=page.kinds,
    )


def step_timeline(events: list[EventRecord]) -> list[StepOut]:
    """One entry per step, in the order steps started (skipped steps where they were skipped).

    A step with a start and no end yet is ``running``.
    """
    steps: dict[str, StepOut] = {}
    for event in events:
        if event.step_key is None:
            continue
        step = steps.get(event.step_key)
        if step is None:
            step = StepOut(
                step_key=event.step_key,
                asset_key=_asset_of(event),
                partition_key=event.partition_key,
                status="running",
                started_at=None,
                ended_at=None,
            )
            steps[event.step_key] = step
        if event.event_type == EventType.STEP_START:
            step.started_at = event.timestamp
        elif event.event_type in STEP_END:
            step.status = STEP_END[event.event_type]
            step.ended_at = event.timestamp
        if step.asset_key is None and event.asset_key is not None:
            step.asset_key = event.asset_key
    return list(steps.values())


def run_detail(storage: SqlStorage, run: RunRecord) -> RunDetail:
    return RunDetail(run=run_summary(run), steps=step_timeline(storage.events_for_run(run.run_id)))


def event_out(event: EventRecord) -> EventOut:
    assert event.event_id is not None
    error = event.payload.get("error")
    traceback = error.get("traceback") if isinstance(error, dict) else None
    if traceback is None and isinstance(error, dict):
        traceback = error.get("message")
    level = event.payload.get("level")
    metadata = event.payload.get("metadata")
    return EventOut(
        event_id=event.event_id,
        event_type=event.event_type.value,
        timestamp=event.timestamp,
        step_key=event.step_key,
        asset_key=event.asset_key,
        partition_key=event.partition_key,
        message=event.message,
        level=level if isinstance(level, str) else None,
        error=traceback if isinstance(traceback, str) else None,
        metadata=metadata if isinstance(metadata, dict) and metadata else None,
    )


def run_events(storage: SqlStorage, run_id: str, after_id: int | None) -> list[EventOut]:
    """A run's events after ``after_id`` (all when None), in the order they were stored."""
    return [event_out(event) for event in storage.events_for_run(run_id, after_id=after_id)]


def _asset_of(event: EventRecord) -> str | None:
    """The asset of a step: the event's own, else the step key before ``[partition]``."""
    if event.asset_key is not None:
        return event.asset_key
    assert event.step_key is not None
    return event.step_key.split("[", 1)[0] or None
