"""Where each freshness policy stands, and the changes of state the daemon records.

``evaluate_policy`` judges one policy at the tick's ``now`` (pass, warn, fail, unknown):

- ``lag``: the data time is at most ``maximum_lag_minutes`` old (at each cron tick, with a
  cron schedule); no data is a failure.
- ``partition_deadline``: the partitions whose window ended more than the deadline ago
  and are still missing are *overdue* (fail); those past the warning only are *late*
  (warn).
- ``time_window`` and ``cron`` (Dagster's): judged on the time of the asset's latest
  materialization, which is the tick time for runs launched by automation (as for data
  times, so replays with ``--now`` are consistent) and the event's time otherwise; never
  materialized is ``unknown``.

Each status also says when it may next change with no new event (``next_change``), so the
daemon re-judges a policy only when its asset changed or that moment came.
``freshness_changes`` compares with the states in the cursor ``automation/freshness`` and
returns one ``FreshnessStateChanged`` event per change: written once, not every tick.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assetgraph.automation.state import AssetState, subset_to_json
from assetgraph.definitions.policies import FreshnessPolicy, FreshnessState, next_tick
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.storage.events import FRESHNESS_RUN_ID, FreshnessStateChanged
from assetgraph.storage.records import EventRecord

if TYPE_CHECKING:
    from assetgraph.automation.data_time import DataTimes
    from assetgraph.graph import AssetGraph
    from assetgraph.storage.interface import AutomationBackend

FRESHNESS_CURSOR = "automation/freshness"


@dataclass(frozen=True, slots=True)
class FreshnessStatus:
    """Where one freshness policy stands at ``now``."""

    key: AssetKey
    policy: FreshnessPolicy
    state: FreshnessState
    now: float
    data_time: float | None = None
    lag_minutes: float | None = None
    required_data_time: float | None = None
    last_updated: float | None = None
    overdue: PartitionsSubset | None = None
    late: PartitionsSubset | None = None
    next_change: float | None = None
    note: str | None = None

    @property
    def violated(self) -> bool:
        return self.state is FreshnessState.FAIL

    def describe(self) -> str:
        """One line: ``lag 75 min > 60 min``, ``3 partitions overdue: ...`` and the like
        (the state itself is printed next to it, not in it)."""
        if self.note is not None:
            return f"{self.note}; policy: {self.policy.describe()}"
        kind = self.policy.kind
        if kind == "lag":
            limit = _minutes(self.policy.maximum_lag_minutes or 0.0)
            if self.data_time is None:
                return f"no data yet; policy: {self.policy.describe()}"
            lag = _minutes(self.lag_minutes or 0.0)
            if self.policy.cron_schedule is None:
                return f"lag {lag} min {'>' if self.violated else '<='} {limit} min"
            return f"lag {lag} min; {self.policy.describe()}"
        if kind == "partition_deadline":
            parts = []
            if self.overdue:
                parts.append(f"{_count(self.overdue)} overdue: {_ranges(self.overdue)}")
            if self.late:
                parts.append(f"{_count(self.late)} late (warn): {_ranges(self.late)}")
            if not parts:
                parts.append("no partition overdue")
            return "; ".join(parts) + f"; policy: {self.policy.describe()}"
        if self.last_updated is None:
            return f"never materialized; policy: {self.policy.describe()}"
        age = _minutes(max(0.0, self.now - self.last_updated) / 60.0)
        return f"last materialized {age} min ago ({_when(self.last_updated)}); " + (
            f"policy: {self.policy.describe()}"
        )

    def to_json(self) -> dict[str, Any]:
        policy = self.policy
        return {
            "kind": policy.kind,
            "state": self.state.value,
            "violated": self.violated,
            "policy": policy.describe(),
            "maximum_lag_minutes": policy.maximum_lag_minutes,
            "cron_schedule": policy.cron_schedule,
            "cron_timezone": policy.cron_timezone,
            "partition_deadline_minutes": policy.partition_deadline_minutes,
            "partition_warn_minutes": policy.partition_warn_minutes,
            "fail_window_minutes": _td_minutes(policy.fail_window),
            "warn_window_minutes": _td_minutes(policy.warn_window),
            "deadline_cron": policy.deadline_cron,
            "lower_bound_delta_minutes": _td_minutes(policy.lower_bound_delta),
            "data_time": self.data_time,
            "lag_minutes": self.lag_minutes,
            "required_data_time": self.required_data_time,
            "last_updated": self.last_updated,
            "overdue_partitions": None if self.overdue is None else subset_to_json(self.overdue),
            "overdue_count": None if self.overdue is None else len(self.overdue),
            "late_partitions": None if self.late is None else subset_to_json(self.late),
            "next_change": self.next_change,
            "text": self.describe(),
        }


def evaluate_policy(times: DataTimes, key: AssetKey, policy: FreshnessPolicy) -> FreshnessStatus:
    """The policy's standing at the state's ``now`` (see the module docstring)."""
    state = times.state
    now = state.now_ts
    kind = policy.kind
    if kind == "lag":
        data_time = times.current(key)
        required = policy.required_data_time(now)
        lag = None if data_time is None else max(0.0, (now - data_time) / 60.0)
        violated = data_time is None or (required is not None and data_time < required)
        return FreshnessStatus(
            key,
            policy,
            FreshnessState.FAIL if violated else FreshnessState.PASS,
            now,
            data_time=data_time,
            lag_minutes=lag,
            required_data_time=required,
            next_change=None if violated else policy.next_check(data_time, now),
        )
    if kind == "partition_deadline":
        return _partition_deadline(state, key, policy)
    updated = last_updated(times, key)
    if kind == "time_window":
        verdict = policy.time_window_state(updated, now)
        assert policy.fail_window is not None
        upcoming: float | None = None
        if updated is not None and verdict is FreshnessState.PASS and policy.warn_window:
            upcoming = updated + policy.warn_window.total_seconds()
        elif updated is not None and verdict is not FreshnessState.FAIL:
            upcoming = updated + policy.fail_window.total_seconds()
        return FreshnessStatus(
            key, policy, verdict, now, last_updated=updated, next_change=upcoming
        )
    assert policy.deadline_cron is not None
    start, _deadline = policy.cron_window(now)
    if updated is None:
        verdict = FreshnessState.UNKNOWN
    else:
        verdict = FreshnessState.PASS if updated >= start else FreshnessState.FAIL
    upcoming = float(next_tick(policy.deadline_cron, policy.cron_timezone, now))
    return FreshnessStatus(
        key,
        policy,
        verdict,
        now,
        last_updated=updated,
        required_data_time=start,
        next_change=None if updated is None else upcoming,
    )


def _partition_deadline(
    state: AssetState, key: AssetKey, policy: FreshnessPolicy
) -> FreshnessStatus:
    now = state.now_ts
    tdef = state.time_def(key)
    if tdef is None:
        return FreshnessStatus(
            key, policy, FreshnessState.UNKNOWN, now, note="not a time-partitioned asset"
        )
    existing = len(state.all(key))
    materialized = state.materialized(key)

    def ended_by(ts: float) -> int:
        """How many windows ended at or before ``ts`` (of those that exist)."""
        return min(existing, max(0, tdef.floor_index(int(ts))))

    deadline = float(policy.partition_deadline_minutes or 0.0) * 60.0
    warning = (
        deadline
        if policy.partition_warn_minutes is None
        else float(policy.partition_warn_minutes) * 60.0
    )
    due = ended_by(now - deadline)
    overdue = state.ranges_subset(key, [range(0, due)]) - materialized
    late = state.ranges_subset(key, [range(due, ended_by(now - warning))]) - materialized
    verdict = (
        FreshnessState.FAIL if overdue else FreshnessState.WARN if late else FreshnessState.PASS
    )
    upcoming = min(
        tdef.start_ts(tdef.floor_index(int(now - deadline)) + 1) + deadline,
        tdef.start_ts(tdef.floor_index(int(now - warning)) + 1) + warning,
    )
    return FreshnessStatus(
        key,
        policy,
        verdict,
        now,
        overdue=overdue,
        late=late,
        next_change=float(upcoming),
    )


def last_updated(times: DataTimes, key: AssetKey) -> float | None:
    """When the asset (any partition) was last materialized: the tick time of an automation
    run, else the event's time; None when never."""
    rows = [row for row in times.state.rows(key).values() if row.event_id is not None]
    if not rows:
        return None
    latest = max(rows, key=lambda row: row.event_id or 0)
    tick_time = times.tick_time(latest.run_id)
    return tick_time if tick_time is not None else latest.timestamp


def freshness_statuses(
    graph: AssetGraph, storage: AutomationBackend, keys: Iterable[AssetKey], now: Any
) -> list[FreshnessStatus]:
    """The freshness status at ``now`` of each of ``keys`` that has a policy."""
    from assetgraph.automation.data_time import DATA_TIMES_CURSOR, DataTimes
    from assetgraph.storage.automation_store import AutomationStore

    store = AutomationStore(storage)
    wanted = [
        key
        for key in keys
        if graph.has(key) and not graph.is_source(key) and graph.spec(key).freshness_policy
    ]
    if not wanted:
        return []
    state = AssetState(graph, store, now)
    times = DataTimes.from_cursor(state, store.get_cursor(DATA_TIMES_CURSOR))
    state.load(wanted)
    found = []
    for key in wanted:
        policy = graph.spec(key).freshness_policy
        assert policy is not None
        found.append(evaluate_policy(times, key, policy))
    return found


# -- changes of state, for the daemon --------------------------------------------------------


@dataclass(slots=True)
class FreshnessChanges:
    """What one tick found: the events to write (one per change) and the next cursor."""

    events: list[EventRecord]
    cursor: str
    statuses: list[FreshnessStatus]


def freshness_changes(
    times: DataTimes,
    policies: Mapping[AssetKey, FreshnessPolicy],
    cursor_text: str | None,
    changed: set[AssetKey] | None,
) -> FreshnessChanges:
    """Judge the policies that may have changed (asset changed, policy new or edited, or
    ``next_change`` came; all when ``changed`` is None) and return an event per change."""
    state = times.state
    now = state.now_ts
    previous = _load(cursor_text)
    entries: dict[str, dict[str, Any]] = {}
    wanted: list[AssetKey] = []
    for key, policy in policies.items():
        name = key.to_string()
        entry = previous.get(name)
        digest = _digest(policy)
        if (
            changed is None
            or entry is None
            or entry.get("digest") != digest
            or key in changed
            or (entry.get("next") is not None and float(entry["next"]) <= now)
        ):
            wanted.append(key)
        else:
            entries[name] = entry
    state.load(wanted)
    events: list[EventRecord] = []
    statuses: list[FreshnessStatus] = []
    for key in wanted:
        policy = policies[key]
        status = evaluate_policy(times, key, policy)
        statuses.append(status)
        name = key.to_string()
        before = previous.get(name, {}).get("state")
        entries[name] = {
            "state": status.state.value,
            "next": status.next_change,
            "digest": _digest(policy),
        }
        if before == status.state.value or (
            before is None and status.state is FreshnessState.UNKNOWN
        ):
            continue
        body = FreshnessStateChanged(
            new_state=status.state.value,
            previous_state=before or FreshnessState.UNKNOWN.value,
            policy=policy.describe(),
            overdue_partitions=tuple(subset_to_json(status.overdue)) if status.overdue else (),
            overdue_count=len(status.overdue) if status.overdue else 0,
            last_updated=status.last_updated,
        )
        events.append(
            EventRecord(
                run_id=FRESHNESS_RUN_ID,
                event_type=body.kind,
                timestamp=now,
                asset_key=name,
                message=f"freshness of {name}: {body.previous_state} -> {body.new_state} "
                f"({status.describe()})",
                payload=body.to_payload(),
            )
        )
    cursor = json.dumps({"v": 1, "assets": entries}, separators=(",", ":"), sort_keys=True)
    return FreshnessChanges(events, cursor, statuses)


def _load(text: str | None) -> dict[str, dict[str, Any]]:
    if not text:
        return {}
    try:
        loaded = json.loads(text)
        assets = loaded.get("assets", {}) if isinstance(loaded, dict) else {}
        return {str(k): dict(v) for k, v in assets.items() if isinstance(v, dict)}
    except (ValueError, TypeError, AttributeError):
        return {}


@functools.lru_cache(maxsize=1024)
def _digest(policy: FreshnessPolicy) -> str:
    return hashlib.sha1(repr(policy).encode()).hexdigest()[:12]


def _ranges(subset: PartitionsSubset, shown: int = 4) -> str:
    ranges = subset_to_json(subset)
    text = ", ".join(ranges[:shown])
    return text + (f", +{len(ranges) - shown} more ranges" if len(ranges) > shown else "")


def _count(subset: PartitionsSubset) -> str:
    n = len(subset)
    return f"{n} partition{'s' if n != 1 else ''}"


def _minutes(value: float) -> str:
    return str(round(value)) if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _td_minutes(value: Any) -> float | None:
    return None if value is None else value.total_seconds() / 60.0


def _when(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


__all__ = [
    "FRESHNESS_CURSOR",
    "FreshnessChanges",
    "FreshnessStatus",
    "evaluate_policy",
    "freshness_changes",
    "freshness_statuses",
    "last_updated",
]
