"""Schedules and sensors at one tick: which runs they ask for, and their cursors.

A schedule's cursor holds the last cron tick it ran for; a sensor's holds the string its
function stored (``context.update_cursor``), when it was last evaluated, and the run keys
it already used. A sensor that raises leaves its cursor as it was and is tried again at
the next tick.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assetgraph.automation.policies import next_tick, previous_tick
from assetgraph.automation.runs import Targets
from assetgraph.automation.schedules import ScheduleDefinition
from assetgraph.automation.sensors import RunRequest, SensorEvaluationContext, SkipReason
from assetgraph.automation.state import AssetState
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.automation_store import AutomationStore

RUN_KEYS_KEPT = 1000


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


def evaluate_triggers(
    defs: Definitions, store: AutomationStore, state: AssetState, instance: Any
) -> TriggerResults:
    """Evaluate every schedule and sensor of ``defs`` at ``state.now``."""
    results = TriggerResults()
    for schedule in defs.schedules:
        _schedule(defs, store, state, schedule, results)
    for sensor in defs.sensors:
        _sensor(defs, store, state, sensor, instance, results)
    return results


def _schedule(
    defs: Definitions,
    store: AutomationStore,
    state: AssetState,
    schedule: ScheduleDefinition,
    results: TriggerResults,
) -> None:
    name = f"schedule:{schedule.name}"
    now = state.now_ts
    stored = _load(store.get_cursor(name))
    tick = previous_tick(schedule.cron_schedule, schedule.timezone, now)
    last = stored.get("last_tick")
    due = (tick > last) if last is not None else (tick >= now)
    if not due:
        upcoming = next_tick(schedule.cron_schedule, schedule.timezone, now)
        results.notes[name] = f"not due; next tick {_when(upcoming)}"
        if last is None:
            results.cursors[name] = json.dumps({"last_tick": float(tick)})
        return
    at = datetime.fromtimestamp(tick, tz=UTC)
    try:
        targets = targets_for_selection(
            defs, state, schedule.selection, schedule.partition_keys_for(at), at
        )
    except Exception as exc:  # a wrong selection or a failing partitions function
        results.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        results.notes[name] = f"tick {_when(tick)} failed: {exc}"
        return
    results.cursors[name] = json.dumps({"last_tick": float(tick)})
    if not targets:
        results.notes[name] = f"tick {_when(tick)}: nothing to run (no partition has ended yet)"
        return
    tags = {**schedule.tags, "assetgraph/schedule": schedule.name}
    results.requests.append(TriggerRequest(name, targets, tags, dict(schedule.run_config)))
    results.notes[name] = f"tick {_when(tick)}: run requested"


def _sensor(
    defs: Definitions,
    store: AutomationStore,
    state: AssetState,
    sensor: Any,
    instance: Any,
    results: TriggerResults,
) -> None:
    name = f"sensor:{sensor.name}"
    now = state.now_ts
    stored = _load(store.get_cursor(name))
    last = stored.get("last_evaluated_at")
    if last is not None and 0 <= now - last < sensor.minimum_interval_seconds:
        results.notes[name] = f"not due (minimum interval {sensor.minimum_interval_seconds:g} s)"
        return
    context = SensorEvaluationContext(
        sensor_name=sensor.name,
        now=state.now,
        cursor=stored.get("cursor"),
        last_evaluated_at=None if last is None else datetime.fromtimestamp(last, tz=UTC),
        instance=instance,
    )
    try:
        items = sensor.evaluate(context)
        run_keys: list[str] = list(stored.get("run_keys", []))
        asked: list[TriggerRequest] = []
        skips: list[str] = []
        for item in items:
            if isinstance(item, SkipReason):
                skips.append(item.message or "skipped")
                continue
            if item.run_key is not None and item.run_key in run_keys:
                skips.append(f"run key {item.run_key!r} already requested")
                continue
            asked.append(_sensor_request(defs, state, name, sensor, item))
            if item.run_key is not None:
                run_keys.append(item.run_key)
    except Exception as exc:
        results.errors.append(f"{name} failed: {type(exc).__name__}: {exc}")
        results.notes[name] = f"failed: {type(exc).__name__}: {exc}"
        return
    results.requests.extend(asked)
    notes = [f"{len(asked)} run(s) requested"] if asked else []
    results.notes[name] = "; ".join(notes + skips) or "no run requested"
    results.cursors[name] = json.dumps(
        {
            "cursor": context.cursor,
            "last_evaluated_at": now,
            "run_keys": run_keys[-RUN_KEYS_KEPT:],
        }
    )


def _sensor_request(
    defs: Definitions, state: AssetState, origin: str, sensor: Any, item: RunRequest
) -> TriggerRequest:
    selection = item.asset_selection if item.asset_selection is not None else sensor.selection
    keys = None if item.partition_keys is None else [str(k) for k in item.partition_keys]
    targets = targets_for_selection(defs, state, selection, keys, state.now)
    tags = {**item.tags, "assetgraph/sensor": sensor.name}
    if item.run_key is not None:
        tags["assetgraph/run_key"] = item.run_key
    return TriggerRequest(origin, targets, tags, dict(item.run_config))


def targets_for_selection(
    defs: Definitions,
    state: AssetState,
    selection: str | Any,
    partition_keys: list[str] | None,
    at: datetime,
) -> Targets:
    """What a schedule or sensor run builds: the selected assets (sources left out), for
    the named partition keys, or by default the latest window ended at ``at`` of each
    time-partitioned asset and every partition of other partitioned assets."""
    from assetgraph.selection import select_assets

    strings = [selection] if isinstance(selection, str) else [str(s) for s in selection]
    keys = [k for k in select_assets(defs.graph, strings) if not defs.graph.is_source(k)]
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
    "targets_for_selection",
]
