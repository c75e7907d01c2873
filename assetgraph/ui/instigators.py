"""Schedules and sensors for the automation pages: their running/stopped state (the store
``assetgraph schedules|sensors start|stop`` use), when they run, and their tick history,
read from the automation ticks."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assetgraph.automation.instigators import set_status, state_of
from assetgraph.definitions.default_status import RUNNING, STOPPED
from assetgraph.errors import UsageError, did_you_mean
from assetgraph.storage.automation_store import AutomationStore, TickSummaryRow
from assetgraph.ui.automation_models import InstigatorDetailOut, InstigatorOut, InstigatorTickOut

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.keys import AssetKey
    from assetgraph.storage.sql_storage import SqlStorage

KINDS = ("schedule", "sensor")


def list_instigators(defs: Definitions, storage: SqlStorage, now: datetime) -> list[InstigatorOut]:
    """Every schedule, then every sensor, of ``defs`` with its state and latest tick."""
    store = AutomationStore(storage)
    found = []
    for kind in KINDS:
        for item in _items(defs, kind):
            history = tick_history(store, kind, item.name, 1)
            found.append(_out(defs, store, kind, item, now, history[0] if history else None))
    return found


def instigator_detail(
    defs: Definitions, storage: SqlStorage, kind: str, name: str, now: datetime, limit: int
) -> InstigatorDetailOut:
    """One schedule or sensor with its latest ``limit`` evaluations, newest first."""
    item = find_instigator(defs, kind, name)
    store = AutomationStore(storage)
    history = tick_history(store, kind, name, limit)
    base = _out(defs, store, kind, item, now, history[0] if history else None)
    return InstigatorDetailOut(**base.model_dump(), ticks=history)


def set_running(
    defs: Definitions, storage: SqlStorage, kind: str, name: str, status: str, now: datetime
) -> InstigatorOut:
    """Start or stop a schedule or sensor (as ``assetgraph schedules start NAME``)."""
    item = find_instigator(defs, kind, name)
    store = AutomationStore(storage)
    stored = RUNNING if status == "running" else STOPPED
    set_status(defs, store, kind, name, stored, now.timestamp())
    history = tick_history(store, kind, name, 1)
    return _out(defs, store, kind, item, now, history[0] if history else None)


def find_instigator(defs: Definitions, kind: str, name: str) -> Any:
    """The schedule or sensor ``name``; ``UsageError`` naming the known ones when none."""
    if kind not in KINDS:
        raise UsageError(f"Unknown kind '{kind}': use schedule or sensor.")
    by_name = {item.name: item for item in _items(defs, kind)}
    found = by_name.get(name)
    if found is None:
        known = ", ".join(sorted(by_name)) or "none"
        raise UsageError(
            f"No {kind} named '{name}' in the code location (it has: {known})."
            f"{did_you_mean(name, list(by_name))}"
        )
    return found


def targeting(defs: Definitions, key: AssetKey) -> list[str]:
    """``schedule:NAME`` and ``sensor:NAME`` of those whose runs build ``key``."""
    from assetgraph.automation.job_targets import find_job, job_keys, keys_of

    found = []
    for kind in KINDS:
        for item in _items(defs, kind):
            try:
                if item.job_name is not None:
                    keys = job_keys(defs, find_job(defs, item.job_name, item.job))
                else:
                    keys = keys_of(defs, None if item.selection == "*" else item.selection)
            except Exception:  # a selection that does not resolve targets nothing here
                continue
            if key in keys:
                found.append(f"{kind}:{item.name}")
    return found


def tick_history(
    store: AutomationStore, kind: str, name: str, limit: int
) -> list[InstigatorTickOut]:
    """The ticks (newest first) that evaluated the schedule or sensor, with its result:
    those where it was stopped or not yet due recorded none."""
    origin = f"{kind}:{name}"
    # A result as a tick's summary holds it: '"sensor:NAME": {"status": ...' (a note is a
    # string): the database finds the ticks that hold one, and only their summaries are read.
    needle = json.dumps({origin: {"status": ""}})[1:-4]
    rows = store.list_tick_summaries(limit, containing=needle)
    return [entry for entry in (_tick_entry(row, origin) for row in rows) if entry]


def _tick_entry(row: TickSummaryRow, origin: str) -> InstigatorTickOut | None:
    outcome: dict[str, Any] | None = row.summary["instigators"].get(origin)
    if outcome is None:
        return None
    return InstigatorTickOut(
        tick_id=row.tick_id,
        timestamp=row.evaluated_at,
        status=str(outcome["status"]),
        note=str(row.summary["notes"].get(origin, "")),
        run_ids=list(outcome["run_ids"]),
        run_requests=list(outcome.get("run_requests", [])),
        skip_reasons=[str(s) for s in outcome.get("skip_reasons", [])],
        error=outcome.get("error"),
        notes=[str(s) for s in outcome.get("notes", [])],
        cursor=outcome.get("cursor"),
        scheduled_for=outcome.get("scheduled_for"),
    )


def _items(defs: Definitions, kind: str) -> list[Any]:
    return list(defs.schedules if kind == "schedule" else defs.sensors)


def _out(
    defs: Definitions,
    store: AutomationStore,
    kind: str,
    item: Any,
    now: datetime,
    last: InstigatorTickOut | None,
) -> InstigatorOut:
    state = state_of(store, kind, item.name, item.default_status.value)
    cron = timezone = interval = upcoming = None
    if kind == "schedule":
        try:
            resolved = item.resolved_for(defs)
        except Exception:  # its job does not resolve: the tick records why; show it as declared
            resolved = item
        cron, timezone = ", ".join(resolved.cron_schedules), resolved.timezone
        if state.running:
            upcoming = float(resolved.next_tick_after(now.timestamp()))
    else:
        interval = float(item.minimum_interval_seconds)
        if state.running:
            evaluated = _last_evaluated(store, item.name)
            upcoming = now.timestamp()  # due: the daemon's next tick evaluates it
            if evaluated is not None:
                upcoming = max(upcoming, evaluated + interval)
    target = None if item.job_name is not None else _target_text(item.selection)
    return InstigatorOut(
        kind=kind,
        name=item.name,
        status=state.status.lower(),
        default_status=state.default_status.lower(),
        set_by_user=state.stored,
        description=item.description,
        job=item.job_name,
        target=target,
        cron_schedule=cron,
        execution_timezone=timezone,
        minimum_interval_seconds=interval,
        last_tick=last,
        next_tick=upcoming,
    )


def _last_evaluated(store: AutomationStore, name: str) -> float | None:
    text = store.get_cursor(f"sensor:{name}")
    try:
        value = json.loads(text).get("last_evaluated_at") if text else None
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def _target_text(selection: Any) -> str:
    if isinstance(selection, list | tuple):
        return " ".join(_target_text(item) for item in selection)
    to_string = getattr(selection, "to_string", None)
    return str(to_string()) if callable(to_string) else str(selection)
