"""Schedules and sensors at one tick: which runs they ask for, and their cursors.

A schedule's cursor holds the last cron tick it ran for; a sensor's holds the string its
function stored (``context.update_cursor``), when it was last evaluated, and the run keys
it already used (a run key is launched once per schedule or sensor, ever). Only running
schedules and sensors are evaluated (``instigators``). A sensor that raises leaves its
cursor as it was and is tried again at the next tick; the dynamic partitions a
``SensorResult`` asks for are added or deleted before its run requests are resolved.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from assetgraph.automation.instigators import is_running
from assetgraph.automation.job_targets import find_job, job_keys, keys_of
from assetgraph.automation.requests import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
    RunRequest,
    SensorResult,
    SkipReason,
    collect,
)
from assetgraph.automation.runs import Targets
from assetgraph.automation.schedules import ScheduleDefinition, ScheduleEvaluationContext
from assetgraph.automation.sensors import SensorEvaluationContext
from assetgraph.automation.state import AssetState
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import DefinitionError, UsageError
from assetgraph.keys import AssetKey
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.automation_store import AutomationStore

RUN_KEYS_KEPT = 1000
CURSOR_SHOWN = 500  # characters of a sensor's cursor kept in its tick result


@dataclass(slots=True)
class TriggerRequest:
    """A run a schedule or sensor asks for."""

    origin: str
    targets: Targets
    tags: dict[str, str] = field(default_factory=dict)
    run_config: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class TriggerResults:
    """What the schedules and sensors did at one tick."""

    requests: list[TriggerRequest] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cursors: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per schedule or sensor evaluated at this tick: its result (see ``_outcome``)."""


def evaluate_triggers(
    defs: Definitions,
    store: AutomationStore,
    state: AssetState,
    instance: Any,
    *,
    dry_run: bool = False,
) -> TriggerResults:
    """Evaluate every running schedule and sensor of ``defs`` at ``state.now`` (with
    ``dry_run``, the dynamic partitions sensors ask for are reported, not changed)."""
    results = TriggerResults()
    for schedule in defs.schedules:
        if not is_running(store, schedule, "schedule"):
            results.notes[f"schedule:{schedule.name}"] = "stopped"
            continue
        _schedule(defs, store, state, schedule, instance, results)
    for sensor in defs.sensors:
        if not is_running(store, sensor, "sensor"):
            results.notes[f"sensor:{sensor.name}"] = "stopped"
            continue
        _sensor(defs, store, state, sensor, instance, results, dry_run)
    return results


def _schedule(
    defs: Definitions,
    store: AutomationStore,
    state: AssetState,
    schedule: ScheduleDefinition,
    instance: Any,
    results: TriggerResults,
) -> None:
    name = f"schedule:{schedule.name}"
    now = state.now_ts
    try:
        schedule = schedule.resolved_for(defs)
    except Exception as exc:  # the job's partitions cannot be found
        results.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        results.notes[name] = f"failed: {exc}"
        return
    stored = _load(store.get_cursor(name))
    tick = schedule.last_tick_at(now)
    last = stored.get("last_tick")
    due = (tick > last) if last is not None else (tick >= now)
    if not due:
        upcoming = schedule.next_tick_after(now)
        results.notes[name] = f"not due; next tick {_when(upcoming)}"
        if last is None:
            results.cursors[name] = json.dumps({"last_tick": float(tick)})
        return
    at = datetime.fromtimestamp(tick, tz=ZoneInfo(schedule.timezone))
    run_keys: list[str] = list(stored.get("run_keys", []))
    asked: list[TriggerRequest] = []
    skips: list[str] = []
    try:
        context = ScheduleEvaluationContext(scheduled_execution_time=at, instance=instance)
        with instigator_resources(defs, context, name):
            items, _ = collect(f"Schedule '{schedule.name}'", schedule.evaluate(context))
        default_keys = schedule.partition_keys_for(at)
        for item in items:
            if isinstance(item, SkipReason):
                skips.append(item.message or "skipped")
            elif item.run_key is not None and item.run_key in run_keys:
                skips.append(f"run key {item.run_key!r} already requested")
            else:
                request = _request(defs, state, name, schedule, item, at, default_keys)
                if request is not None:
                    asked.append(request)
                if item.run_key is not None:
                    run_keys.append(item.run_key)
    except Exception as exc:  # a wrong selection, a failing schedule function
        results.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        results.notes[name] = f"tick {_when(tick)} failed: {exc}"
        results.outcomes[name] = _outcome([], [], f"{type(exc).__name__}: {exc}", tick=tick)
        return
    results.cursors[name] = json.dumps(
        {"last_tick": float(tick), "run_keys": run_keys[-RUN_KEYS_KEPT:]}
    )
    results.requests.extend(asked)
    if asked:
        results.notes[name] = f"tick {_when(tick)}: {_runs_words(len(asked))}"
    elif skips:
        results.notes[name] = f"tick {_when(tick)}: skipped: {'; '.join(skips)}"
    elif items:
        results.notes[name] = f"tick {_when(tick)}: nothing to run (no partition has ended yet)"
    else:
        results.notes[name] = f"tick {_when(tick)}: skipped (the schedule asked for no run)"
    if not asked and not skips:
        skips = [results.notes[name].partition(": ")[2]]
    results.outcomes[name] = _outcome(asked, skips, None, tick=tick)


def _outcome(
    asked: list[TriggerRequest],
    skips: list[str],
    error: str | None,
    *,
    tick: float | None = None,
    notes: list[str] | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """What one schedule or sensor evaluation gave, as the tick records it: ``requested``,
    ``skipped`` or ``failure``, the runs it asked for (by partitions), its skip reasons,
    its error, the cron tick it ran for (schedules) and the cursor it left (sensors)."""
    status = "failure" if error else "requested" if asked else "skipped"
    found: dict[str, Any] = {
        "status": status,
        "run_requests": [
            {
                "run_key": request.tags.get("assetgraph/run_key"),
                "partitions": sum(len(keys) or 1 for keys in request.targets.values()),
                "assets": sorted(request.targets),
            }
            for request in asked
        ],
        "skip_reasons": skips,
        "error": error,
        "notes": notes or [],
    }
    if tick is not None:
        found["scheduled_for"] = float(tick)
    if cursor is not None:
        found["cursor"] = cursor if len(cursor) <= CURSOR_SHOWN else cursor[:CURSOR_SHOWN] + "…"
    return found


def _runs_words(count: int) -> str:
    return "run requested" if count == 1 else f"{count} runs requested"


def _sensor(
    defs: Definitions,
    store: AutomationStore,
    state: AssetState,
    sensor: Any,
    instance: Any,
    results: TriggerResults,
    dry_run: bool = False,
) -> None:
    name = f"sensor:{sensor.name}"
    now = state.now_ts
    stored = _load(store.get_cursor(name))
    last = stored.get("last_evaluated_at")
    if last is not None and 0 <= now - last < sensor.minimum_interval_seconds:
        results.notes[name] = f"not due (minimum interval {sensor.minimum_interval_seconds:g} s)"
        return
    run_keys: list[str] = list(stored.get("run_keys", []))
    context = SensorEvaluationContext(
        sensor_name=sensor.name,
        now=state.now,
        cursor=stored.get("cursor"),
        last_evaluated_at=None if last is None else datetime.fromtimestamp(last, tz=UTC),
        instance=instance,
        last_run_key=run_keys[-1] if run_keys else None,
        repository_def=defs,
    )
    try:
        with instigator_resources(defs, context, name):
            items, result = sensor.evaluate_full(context)
        notes: list[str] = []
        if result is not None:
            if result.cursor is not None:
                context.update_cursor(result.cursor)
            notes.extend(_apply_dynamic_requests(instance, result, dry_run))
            notes.extend(_record_asset_events(instance, result, dry_run))
            if result.dynamic_partitions_requests and not dry_run:  # runs may name new keys
                state = AssetState(defs.graph, store, state.now)
        asked: list[TriggerRequest] = []
        skips: list[str] = []
        for item in items:
            if isinstance(item, SkipReason):
                skips.append(item.message or "skipped")
                continue
            if item.run_key is not None and item.run_key in run_keys:
                skips.append(f"run key {item.run_key!r} already requested")
                continue
            try:
                request = _request(defs, state, name, sensor, item, state.now, None)
            except UsageError as exc:
                if not dry_run:
                    raise
                notes.append(f"a run request is not resolved in a dry run: {exc}")
                continue
            if request is not None:
                asked.append(request)
            if item.run_key is not None:
                run_keys.append(item.run_key)
    except Exception as exc:
        results.errors.append(f"{name} failed: {type(exc).__name__}: {exc}")
        results.notes[name] = f"failed: {type(exc).__name__}: {exc}"
        results.outcomes[name] = _outcome([], [], f"{type(exc).__name__}: {exc}")
        return
    results.requests.extend(asked)
    results.outcomes[name] = _outcome(asked, skips, None, notes=notes, cursor=context.cursor)
    said = [f"{len(asked)} run(s) requested"] if asked else []
    results.notes[name] = "; ".join(said + notes + skips) or "no run requested"
    results.cursors[name] = json.dumps(
        {
            "cursor": context.cursor,
            "last_evaluated_at": now,
            "run_keys": run_keys[-RUN_KEYS_KEPT:],
        }
    )


@contextmanager
def instigator_resources(defs: Definitions, context: Any, name: str) -> Iterator[None]:
    """The code location's resources on ``context`` while a schedule or sensor runs: each
    set up on first use (``EnvVar`` fields read then), torn down afterwards."""
    from assetgraph.execution.resources import resources_for_run

    with resources_for_run(defs.resources, name, needed=()) as resources:
        context.resources = resources
        context.resource_names = frozenset(defs.resources)
        yield


def _apply_dynamic_requests(instance: Any, result: SensorResult, dry_run: bool) -> list[str]:
    """Add and delete dynamic partitions as the sensor asked, in order; returns notes."""
    notes: list[str] = []
    for request in result.dynamic_partitions_requests or ():
        keys = list(request.partition_keys)
        if dry_run and isinstance(
            request, AddDynamicPartitionsRequest | DeleteDynamicPartitionsRequest
        ):
            verb = "add" if isinstance(request, AddDynamicPartitionsRequest) else "delete"
            notes.append(
                f"would {verb} {len(keys)} partition(s) of '{request.partitions_def_name}'"
            )
        elif isinstance(request, AddDynamicPartitionsRequest):
            added = instance.add_dynamic_partitions(request.partitions_def_name, keys)
            notes.append(f"added {added} partition(s) to '{request.partitions_def_name}'")
        elif isinstance(request, DeleteDynamicPartitionsRequest):
            gone = instance.delete_dynamic_partitions(request.partitions_def_name, keys)
            notes.append(f"deleted {gone} partition(s) from '{request.partitions_def_name}'")
        else:
            raise DefinitionError(
                f"dynamic_partitions_requests holds {type(request).__name__}; use "
                "DynamicPartitionsDefinition.build_add_request / build_delete_request."
            )
    return notes


def _record_asset_events(instance: Any, result: SensorResult, dry_run: bool) -> list[str]:
    """Record the sensor's ``asset_events`` (materializations and observations of assets
    written elsewhere) outside any run, as Dagster does; returns notes."""
    events = list(result.asset_events or ())
    if not events:
        return []
    if not dry_run:
        for event in events:
            instance.report_runless_asset_event(event)
    return [f"{'would record' if dry_run else 'recorded'} {len(events)} asset event(s)"]


def _request(
    defs: Definitions,
    state: AssetState,
    origin: str,
    owner: Any,
    item: RunRequest,
    at: datetime,
    default_keys: list[str] | None,
) -> TriggerRequest | None:
    """The run ``item`` asks for: the assets of its ``asset_selection``, else of its
    ``job_name``, else of the owner's job or target; None when nothing is to run."""
    job: Any = None
    if item.job_name is not None:
        job = find_job(defs, item.job_name)
    elif getattr(owner, "job_name", None) is not None:
        job = find_job(defs, owner.job_name, owner.job)
    if getattr(job, "is_op_job", False):
        return _op_job_request(origin, owner, item, job)
    if job is not None and callable(getattr(job, "keys_for_run", None)):
        selected = item.asset_selection
        if selected is not None and not isinstance(selected, list | tuple):
            selected = keys_of(defs, selected)  # an AssetSelection or a selection string
        keys = job.keys_for_run(None if selected is None else list(selected))
        keys = [key for key in keys if not defs.graph.is_source(key)]
    elif item.asset_selection is not None:
        keys = keys_of(defs, item.asset_selection)
    elif job is not None:
        keys = job_keys(defs, job)
    else:
        keys = keys_of(defs, None if owner.selection == "*" else owner.selection)
    partition_keys = item.requested_partition_keys()
    targets = targets_for_keys(
        defs, state, keys, partition_keys if partition_keys is not None else default_keys, at
    )
    if not targets:
        return None
    tags: dict[str, str] = {}
    if origin.startswith("schedule:"):
        tags.update(owner.tags)
    tags.update({str(k): str(v) for k, v in (item.tags or {}).items()})
    chosen = partition_keys if partition_keys is not None else default_keys
    config_partition = chosen[0] if chosen and len(chosen) == 1 else None
    if job is not None and callable(getattr(job, "run_tags_for_run", None)):
        tags = job.run_tags_for_run(tags, config_partition)
    elif job is not None:
        tags = {**{str(k): str(v) for k, v in (getattr(job, "tags", None) or {}).items()}, **tags}
        tags["assetgraph/job"] = str(job.name)
    kind = "schedule" if origin.startswith("schedule:") else "sensor"
    tags[f"assetgraph/{kind}"] = owner.name
    tags[f"dagster/{kind}_name"] = owner.name  # Dagster's tags, for RunsFilter(tags=...)
    if item.run_key is not None:
        tags["assetgraph/run_key"] = item.run_key
        tags["dagster/run_key"] = item.run_key
    run_config: Any = dict(item.run_config or {})
    if job is not None and callable(getattr(job, "run_config_for", None)):
        run_config = job.run_config_for(run_config, config_partition)
    elif not run_config and job is not None and isinstance(getattr(job, "config", None), Mapping):
        run_config = job.config
    return TriggerRequest(origin, targets, tags, dict(run_config or {}))


def _op_job_request(origin: str, owner: Any, item: RunRequest, job: Any) -> TriggerRequest:
    """A run of op job ``job``: no asset targets; the job tag says what the run executes."""
    tags: dict[str, str] = dict(owner.tags) if origin.startswith("schedule:") else {}
    tags.update({str(k): str(v) for k, v in (item.tags or {}).items()})
    partition = None
    if job.partitioned_config is not None and item.partition_key is not None:
        partition = str(item.partition_key)
    tags = job.run_tags_for_run(tags, partition)
    kind = "schedule" if origin.startswith("schedule:") else "sensor"
    tags[f"assetgraph/{kind}"] = owner.name
    if item.run_key is not None:
        tags["assetgraph/run_key"] = item.run_key
    run_config = job.run_config_for(dict(item.run_config or {}), partition)
    return TriggerRequest(origin, {}, tags, run_config)


def targets_for_selection(
    defs: Definitions,
    state: AssetState,
    selection: str | Any,
    partition_keys: list[str] | None,
    at: datetime,
) -> Targets:
    """What a run of ``selection`` (a selection string or list of them) builds: see
    ``targets_for_keys``."""
    from assetgraph.selection import select_assets

    strings = [selection] if isinstance(selection, str) else [str(s) for s in selection]
    keys = [k for k in select_assets(defs.graph, strings) if not defs.graph.is_source(k)]
    return targets_for_keys(defs, state, keys, partition_keys, at)


def targets_for_keys(
    defs: Definitions,
    state: AssetState,
    keys: list[AssetKey],
    partition_keys: list[str] | None,
    at: datetime,
) -> Targets:
    """What a schedule or sensor run builds: the assets ``keys``, for the named partition
    keys, or by default the latest window ended at ``at`` of each time-partitioned asset
    and every partition of other partitioned assets."""
    targets: Targets = {}
    for key in keys:
        pdef = state.pdef(key)
        if pdef is UNPARTITIONED:
            targets[key.to_string()] = []
            continue
        if partition_keys is not None:
            known = [
                k for k in partition_keys if pdef.has_partition_key(k, state.now, state.dynamic)
            ]
            if not known:
                raise UsageError(
                    f"None of the partition keys {partition_keys} is a partition of asset '{key}'."
                )
            targets[key.to_string()] = known
            continue
        tdef = state.time_def(key)
        if tdef is not None:
            count = tdef.count(at)
            if count > 0:
                targets[key.to_string()] = [tdef.key_for_index(count - 1)]
            continue
        everything = state.all(key)
        if everything:
            targets[key.to_string()] = [
                r.start if r.start == r.end else f"{r.start}...{r.end}" for r in everything.ranges()
            ]
    return targets


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


__all__ = [
    "AssetKey",
    "TriggerRequest",
    "TriggerResults",
    "evaluate_triggers",
    "targets_for_keys",
    "targets_for_selection",
]
