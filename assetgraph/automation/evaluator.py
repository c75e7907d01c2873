"""The tick evaluator: which (asset, partition) pairs to build now, and why.

The algorithm, for one tick at ``now`` (all reads are a few bulk queries):

1. Read the event log after the cursor: the assets materialized, observed or failed since
   the last tick. Read which partitions runs in flight (or just launched) will build.
2. Pick the candidates: assets downstream of a change, assets left unresolved by the last
   tick, time-partitioned assets with a new window, freshness policies whose deadline came
   (or whose asset changed), on_cron assets whose tick passed — every asset on the first
   tick or after the definitions changed. Nothing else is looked at.
3. Freshness first: for each candidate policy that needs newer data than the asset has,
   walk upstream and mark what must be built (the asset, and lazy or eager upstreams too
   old or missing) — ``freshness_needs``.
4. Walk the candidates in topological order (adding the eager children of whatever gets
   requested): eager assets want their missing partitions (within the catch-up horizon,
   capped per tick), partitions whose upstream has newer data, and partitions reading
   something requested this tick; on_cron assets want their latest partition when a tick
   passed and it is missing or behind; add what freshness marked. Then drop what runs in
   flight cover, what waits on missing or in-flight upstream partitions, and what failed
   last time with nothing new upstream. What is left is requested.
   An asset with an ``AutomationCondition`` is evaluated at every tick instead: its tree,
   per partition (``condition_evaluation``); the partitions where it is true, less what
   runs in flight cover, are requested.
5. Record, for every asset looked at, the conditions that held and why it was or was not
   requested; the next cursor remembers the unresolved assets and the next deadlines.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assetgraph.automation import conditions
from assetgraph.automation.condition_evaluation import ConditionTick, condition_digest
from assetgraph.automation.conditions import NOTHING_NEW, Covered, Finding
from assetgraph.automation.data_time import DataTimes
from assetgraph.automation.freshness import evaluate_policy, last_updated
from assetgraph.automation.freshness_needs import FreshnessNeeds
from assetgraph.automation.retries import Attempts, RetryVerdict, verdict
from assetgraph.automation.state import AssetState, ranges_text, subset_from_json, subset_to_json
from assetgraph.definitions.automation_condition import AutomationCondition
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.policies import (
    AutomationPolicy,
    FreshnessPolicy,
    next_tick,
    previous_tick,
)
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition
from assetgraph.status.staleness import UNPARTITIONED
from assetgraph.storage.automation_store import AutomationStore, IndexRow

CURSOR = "automation"


@dataclass(frozen=True, slots=True)
class EvaluationSettings:
    """How the evaluator behaves.

    ``catch_up``: for policies with ``catch_up="latest"``, how far back missing partitions
    are filled when automation starts (or resumes after a pause longer than
    ``pause_after``); None means the latest window only. Other policies say themselves.
    ``run_grouping``: ``"partitions_set"`` (one run per set of partitions, runs that depend
    on each other merged) or ``"tick"`` (one run for everything a tick requests).
    """

    catch_up: timedelta | None = None
    pause_after: timedelta = timedelta(hours=2)
    run_grouping: str = "partitions_set"


@dataclass(slots=True)
class AssetDecision:
    """What the tick concluded for one asset: what it requested, and why (not)."""

    key: AssetKey
    requested: PartitionsSubset | None = None
    reasons: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    missing: int | None = None
    """How many missing partitions within its catch-up the asset had (eager policies)."""
    partitions: dict[str, PartitionsSubset] = field(default_factory=dict)
    """The partitions each reason or skip note is about (partitioned assets), so that
    ``automate why ASSET --partition KEY`` shows only what concerns that partition."""

    def add(self, findings: Sequence[Finding], *, skipped: bool) -> None:
        """Record findings as reasons (or skip notes), each with its partitions."""
        into = self.skipped if skipped else self.reasons
        for finding in findings:
            if finding.reason in into:
                continue
            into.append(finding.reason)
            if finding.partitions.partitions_def is not UNPARTITIONED:
                self.partitions[finding.reason] = finding.partitions

    condition: dict[str, Any] | None = None
    """The evaluated ``AutomationCondition`` tree (versioned JSON), for assets with one."""

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "requested": None if not self.requested else subset_to_json(self.requested),
            "reasons": self.reasons,
            "skipped": self.skipped,
        }
        if self.requested:
            found["requested_count"] = len(self.requested)
        if self.missing:
            found["missing_count"] = self.missing
        if self.partitions:
            found["partitions"] = {
                text: subset_to_json(subset) for text, subset in self.partitions.items()
            }
        if self.condition is not None:
            found["condition"] = self.condition
        return found


@dataclass(slots=True)
class CursorState:
    """What one tick leaves for the next (stored as JSON in the ``automation`` cursor)."""

    event_id: int = 0
    evaluated_at: float | None = None
    horizon: float = 0.0
    digest: str = ""
    pending: list[str] = field(default_factory=list)
    checks: dict[str, float] = field(default_factory=dict)
    cron: dict[str, float] = field(default_factory=dict)
    failed_code: dict[str, str] = field(default_factory=dict)
    """Per asset with partitions held back by a failure: its code version when first held."""
    code_retried: dict[str, int] = field(default_factory=dict)
    """Per asset retried after a code change: the last event id of that tick (its retry
    policy counts the attempts after it)."""

    @classmethod
    def from_text(cls, text: str | None) -> CursorState | None:
        if not text:
            return None
        try:
            data = json.loads(text)
            return cls(
                event_id=int(data["event_id"]),
                evaluated_at=data.get("evaluated_at"),
                horizon=float(data.get("horizon", 0.0)),
                digest=str(data.get("digest", "")),
                pending=list(data.get("pending", [])),
                checks={str(k): float(v) for k, v in data.get("checks", {}).items()},
                cron={str(k): float(v) for k, v in data.get("cron", {}).items()},
                failed_code={str(k): str(v) for k, v in data.get("failed_code", {}).items()},
                code_retried={str(k): int(v) for k, v in data.get("code_retried", {}).items()},
            )
        except (ValueError, KeyError, TypeError):
            return None

    def to_text(self) -> str:
        return json.dumps(
            {
                "v": 1,
                "event_id": self.event_id,
                "evaluated_at": self.evaluated_at,
                "horizon": self.horizon,
                "digest": self.digest,
                "pending": self.pending,
                "checks": self.checks,
                "cron": self.cron,
                "failed_code": self.failed_code,
                "code_retried": self.code_retried,
            },
            separators=(",", ":"),
        )


@dataclass(slots=True)
class Evaluation:
    """The outcome of evaluating the policies at one tick."""

    now: datetime
    decisions: dict[AssetKey, AssetDecision]
    requested: dict[AssetKey, PartitionsSubset]
    cursor: CursorState
    data_times: DataTimes
    state: AssetState
    full: bool = False
    changed: set[AssetKey] | None = None
    """Assets with new events since the last tick (None: every asset is looked at)."""
    freshness: dict[AssetKey, FreshnessPolicy] = field(default_factory=dict)
    freshness_events: list[dict[str, Any]] = field(default_factory=list)
    """The changes of freshness state this tick recorded (filled by the daemon)."""
    condition_cursor: str | None = None
    """The state ``AutomationCondition`` evaluation keeps for the next tick (None: none)."""
    run_tags: dict[AssetKey, dict[str, str]] = field(default_factory=dict)
    """The run tags of the automation condition sensors that evaluate each asset."""

    def requested_json(self) -> dict[str, list[str]]:
        return {key.to_string(): subset_to_json(subset) for key, subset in self.requested.items()}


InFlight = Sequence[tuple[str, Mapping[str, list[str] | None]]]
"""Runs in flight: (label, asset key -> partition ranges, or None for every partition)."""


def evaluate(
    defs: Definitions,
    store: AutomationStore,
    now: datetime,
    *,
    in_flight: InFlight = (),
    settings: EvaluationSettings | None = None,
    cursor: CursorState | None = None,
    data_times_text: str | None = None,
    conditions_text: str | None = None,
) -> Evaluation:
    """Evaluate every automation and freshness policy, and every ``AutomationCondition``, of
    ``defs`` at ``now`` (``conditions_text``: the state conditions kept from the last tick)."""
    tick = _Tick(
        defs, store, now, in_flight, settings or EvaluationSettings(), cursor, data_times_text
    )
    tick.conditions_text = conditions_text
    return tick.run()


@dataclass(frozen=True, slots=True)
class DeclaredPolicies:
    """What the definitions declare for automation, derived once per asset graph: a daemon
    evaluates the same definitions tick after tick."""

    automation: dict[AssetKey, AutomationPolicy]
    freshness: dict[AssetKey, FreshnessPolicy]
    conditions: dict[AssetKey, AutomationCondition]
    order: dict[AssetKey, int]
    """Each key's position in the graph's topological order."""
    digest: str
    """``policies_digest`` of the three mappings."""
    managed: frozenset[AssetKey]
    """Every key with a policy or a condition."""
    by_kind: dict[str, tuple[AssetKey, ...]]
    """The keys of ``automation`` by policy kind (``eager``, ``on_cron``, ``lazy``), in its
    order."""
    eager_timed: tuple[AssetKey, ...]
    """The eager keys partitioned by time windows."""


_DECLARED: weakref.WeakKeyDictionary[AssetGraph, DeclaredPolicies] = weakref.WeakKeyDictionary()


def declared_policies(graph: AssetGraph) -> DeclaredPolicies:
    """The policies and conditions of ``graph``'s assets (computed once per graph)."""
    found = _DECLARED.get(graph)
    if found is not None:
        return found
    automation: dict[AssetKey, AutomationPolicy] = {}
    freshness: dict[AssetKey, FreshnessPolicy] = {}
    conditions: dict[AssetKey, AutomationCondition] = {}
    for key in graph.all_keys:
        if graph.is_source(key):
            continue
        spec = graph.spec(key)
        if spec.automation_condition is not None:
            conditions[key] = spec.automation_condition
        if spec.automation_policy is not None:
            automation[key] = spec.automation_policy
        if spec.freshness_policy is not None:
            freshness[key] = spec.freshness_policy
    by_kind: dict[str, list[AssetKey]] = {}
    for key, policy in automation.items():
        by_kind.setdefault(policy.kind, []).append(key)
    found = _DECLARED[graph] = DeclaredPolicies(
        automation,
        freshness,
        conditions,
        {key: i for i, key in enumerate(graph.all_keys)},
        policies_digest(graph, automation, freshness, conditions),
        frozenset(automation) | frozenset(freshness) | frozenset(conditions),
        {kind: tuple(keys) for kind, keys in by_kind.items()},
        tuple(
            key
            for key in by_kind.get("eager", ())
            if isinstance(graph.partitions_def(key), TimeWindowPartitionsDefinition)
        ),
    )
    return found


def policies_digest(
    graph: AssetGraph,
    automation: Mapping[AssetKey, AutomationPolicy],
    freshness: Mapping[AssetKey, FreshnessPolicy],
    conditions: Mapping[AssetKey, AutomationCondition],
) -> str:
    """A digest of every asset's policies and condition: the cursor's test of whether the
    definitions changed since the last tick."""
    texts: dict[object, str] = {}  # many assets have equal policies: one repr each

    def text(policy: object) -> str:
        found = texts.get(policy)
        if found is None:
            found = texts[policy] = repr(policy)
        return found

    parts = [
        f"{key}|{text(automation.get(key))}|{text(freshness.get(key))}"
        + (f"|{condition_digest(conditions[key])}" if key in conditions else "")
        for key in graph.all_keys
        if key in automation or key in freshness or key in conditions
    ]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


class _Tick:
    def __init__(
        self,
        defs: Definitions,
        store: AutomationStore,
        now: datetime,
        in_flight: InFlight,
        settings: EvaluationSettings,
        cursor: CursorState | None,
        data_times_text: str | None,
    ) -> None:
        self.graph = defs.graph
        self.store = store
        self.now = now
        self.now_ts = now.timestamp()
        self.settings = settings
        self.cursor = cursor
        self.state = AssetState(self.graph, store, now)
        self.data_times = DataTimes.from_cursor(self.state, data_times_text)
        self.defs = defs
        declared = declared_policies(self.graph)
        self.automation: dict[AssetKey, AutomationPolicy] = dict(declared.automation)
        self.freshness: dict[AssetKey, FreshnessPolicy] = declared.freshness
        self.conditions: dict[AssetKey, AutomationCondition] = dict(declared.conditions)
        self.conditions_text: str | None = None
        self.condition_tick: ConditionTick | None = None
        self.declared = declared
        self.as_declared = not defs.sensors
        """No sensor changes what the definitions declare (their digest and keys hold)."""
        self.reconciled: list[AssetKey] = []
        """Keys the definitions give no policy that a reconciliation sensor makes eager."""
        self.run_tags: dict[AssetKey, dict[str, str]] = {}
        if defs.sensors:  # Dagster's build_asset_reconciliation_sensor: eager for its selection
            from assetgraph.automation.condition_sensors import condition_scope
            from assetgraph.automation.instigators import is_running
            from assetgraph.automation.legacy import reconciled_keys

            running = lambda sensor: is_running(store, sensor, "sensor")  # noqa: E731
            for key in reconciled_keys(defs.sensors, self.graph, running):
                if (
                    not self.graph.is_source(key)
                    and key not in self.conditions
                    and key not in self.automation
                ):
                    self.automation[key] = AutomationPolicy.eager()
                    self.reconciled.append(key)
            # Dagster's AutomationConditionSensorDefinition: a stopped one's targets wait.
            scope = condition_scope(defs.sensors, self.graph, running)
            for key in scope.stopped:
                self.conditions.pop(key, None)
            for key, condition in scope.defaults.items():
                if self.graph.has(key) and not self.graph.is_source(key):
                    self.conditions.setdefault(key, condition)
            self.run_tags = scope.run_tags
        self.order = declared.order
        self.in_flight = in_flight
        self.covered: dict[AssetKey, list[Covered]] = {}
        self.decisions: dict[AssetKey, AssetDecision] = {}
        self.requested: dict[AssetKey, PartitionsSubset] = {}
        self.forced: dict[AssetKey, list[Finding]] = {}
        self.pending: set[AssetKey] = set()
        self.failed_code: dict[str, str] = dict(cursor.failed_code) if cursor is not None else {}
        self.code_retried: dict[str, int] = dict(cursor.code_retried) if cursor is not None else {}
        self.last_event = 0

    # -- the tick -------------------------------------------------------------------------

    def run(self) -> Evaluation:
        last_event = self.last_event = self.store.last_event_id()
        digest = self._digest()
        previous = self.cursor
        full = previous is None or previous.digest != digest
        resumed = (
            previous is None
            or previous.evaluated_at is None
            or self.now_ts < previous.evaluated_at
            or self.now_ts - previous.evaluated_at > self.settings.pause_after.total_seconds()
        )
        horizon = self.now_ts if resumed or previous is None else previous.horizon
        changed: set[AssetKey] = set()
        if previous is not None and not full:
            for name, _partition, _type in self.store.changes_after(previous.event_id, last_event):
                key = AssetKey.from_user(name)
                if self.graph.has(key):
                    changed.add(key)
        self._read_in_flight()
        if self.conditions:
            self.condition_tick = ConditionTick(
                self.defs,
                self.state,
                self.conditions,
                self.covered,
                self.conditions_text,
                last_event,
            )
        self.cron = self._cron_state(previous)
        candidates = self._candidates(previous, full, changed)
        checks = self._freshness_pass(candidates, previous, full, changed)
        cron = self._walk(candidates, horizon)
        cursor = CursorState(
            event_id=last_event,
            evaluated_at=self.now_ts,
            horizon=horizon,
            digest=digest,
            pending=sorted(key.to_string() for key in self.pending),
            checks=checks,
            cron=cron,
            failed_code={
                name: code
                for name, code in self.failed_code.items()
                if self.graph.has(AssetKey.from_user(name))
            },
            code_retried={
                name: event_id
                for name, event_id in self.code_retried.items()
                if self.graph.has(AssetKey.from_user(name))
            },
        )
        return Evaluation(
            self.now,
            self.decisions,
            self.requested,
            cursor,
            self.data_times,
            self.state,
            full,
            None if full else changed,
            self.freshness,
            condition_cursor=None
            if self.condition_tick is None
            else self.condition_tick.to_cursor(self.requested),
            run_tags=self.run_tags,
        )

    def _on_cron_keys(self) -> tuple[AssetKey, ...]:
        """The keys with an on_cron policy (a reconciliation sensor only adds eager ones)."""
        return self.declared.by_kind.get("on_cron", ())

    def _digest(self) -> str:
        if self.as_declared:
            return self.declared.digest
        return policies_digest(self.graph, self.automation, self.freshness, self.conditions)

    def _read_in_flight(self) -> None:
        for label, covers in self.in_flight:
            for name, ranges in covers.items():
                key = AssetKey.from_user(name)
                if not self.graph.has(key):
                    continue
                subset = (
                    self.state.all(key)
                    if ranges is None
                    else subset_from_json(self.state, key, ranges)
                )
                if subset:
                    self.covered.setdefault(key, []).append(Covered(subset, label))

    def _decision(self, key: AssetKey) -> AssetDecision:
        found = self.decisions.get(key)
        if found is None:
            found = self.decisions[key] = AssetDecision(key)
        return found

    # -- candidates -----------------------------------------------------------------------

    def _candidates(
        self, previous: CursorState | None, full: bool, changed: set[AssetKey]
    ) -> set[AssetKey]:
        if self.as_declared:
            managed = set(self.declared.managed)
        else:
            managed = set(self.automation) | set(self.freshness) | set(self.conditions)
        if full or previous is None:
            return managed
        found: set[AssetKey] = set(self.conditions)  # conditions are evaluated every tick
        for key in changed:
            if key in managed:
                found.add(key)
            found.update(child for child in self.graph.children(key) if child in managed)
        for name in previous.pending:
            key = AssetKey.from_user(name)
            if self.graph.has(key) and key in managed:
                found.add(key)
        found.update(self._new_windows(previous))
        for key in self.freshness:
            if previous.checks.get(key.to_string(), 0.0) <= self.now_ts:
                found.add(key)
        for key in self._on_cron_keys():
            if self._cron_due(key, self.automation[key]) is not None:
                found.add(key)
        return found

    def _new_windows(self, previous: CursorState) -> set[AssetKey]:
        """Eager time-partitioned assets with a window that ended since the last tick."""
        if previous.evaluated_at is None:
            return set()
        before = datetime.fromtimestamp(previous.evaluated_at, tz=self.now.tzinfo)
        counts: dict[Any, bool] = {}
        found: set[AssetKey] = set()
        for key in (*self.declared.eager_timed, *self.reconciled):
            tdef = self.state.time_def(key)
            if tdef is None:
                continue
            grew = counts.get(tdef)
            if grew is None:
                grew = counts[tdef] = tdef.count(self.now) > tdef.count(before)
            if grew:
                found.add(key)
        return found

    def _cron_state(self, previous: CursorState | None) -> dict[str, float]:
        """The last cron tick handled per on_cron asset; one seen for the first time starts
        from now (a tick at this very moment is due, earlier ones are not)."""
        cron = dict(previous.cron) if previous is not None else {}
        for key in self._on_cron_keys():
            policy = self.automation[key]
            if key.to_string() in cron:
                continue
            assert policy.cron_schedule is not None
            tick = previous_tick(policy.cron_schedule, policy.cron_timezone, self.now_ts)
            cron[key.to_string()] = tick - 1.0 if tick >= self.now_ts else float(tick)
        return cron

    def _cron_due(self, key: AssetKey, policy: AutomationPolicy) -> float | None:
        assert policy.cron_schedule is not None
        tick = previous_tick(policy.cron_schedule, policy.cron_timezone, self.now_ts)
        last = self.cron.get(key.to_string(), float(tick))
        return float(tick) if tick > last else None

    # -- freshness ------------------------------------------------------------------------

    def _freshness_pass(
        self,
        candidates: set[AssetKey],
        previous: CursorState | None,
        full: bool,
        changed: set[AssetKey],
    ) -> dict[str, float]:
        checks = dict(previous.checks) if previous is not None and not full else {}
        keys = [key for key in self.graph.all_keys if key in self.freshness and key in candidates]
        self.state.load(keys)
        for key in keys:
            policy = self.freshness[key]
            if policy.kind != "lag":
                self._deadline(key, policy, checks)
                continue
            target, tick = policy.target_data_time(self.now_ts)
            data_time = self.data_times.current(key)
            if data_time is not None and data_time >= target:
                checks[key.to_string()] = policy.next_check(data_time, self.now_ts)
                status = evaluate_policy(self.data_times, key, policy)
                self._decision(key).reasons.append(f"freshness: {status.describe()}")
                continue
            checks[key.to_string()] = self.now_ts  # look again next tick
            reason = _freshness_words(policy, data_time, target, tick, self.now_ts)
            self._needs(key, target, reason)
        return {
            name: when for name, when in checks.items() if self.graph.has(AssetKey.from_user(name))
        }

    def _needs(
        self, key: AssetKey, target: float, reason: str, force: PartitionsSubset | None = None
    ) -> None:
        """Mark what ``key``'s policy needs built (``force``: these partitions of ``key``
        whatever its data time), with the lazy or eager upstreams too old for ``target``."""
        needs = FreshnessNeeds(self.state, self.data_times, self.automation, key, target)
        needs.run(force)
        decision = self._decision(key)
        if not needs.wanted:
            decision.reasons.append(reason)
        decision.skipped.extend(needs.notes)
        for up, subset in needs.wanted.items():
            words = reason if up == key else f"needed by the freshness policy of {key} ({reason})"
            self.forced.setdefault(up, []).append(Finding(subset, words))

    def _deadline(self, key: AssetKey, policy: FreshnessPolicy, checks: dict[str, float]) -> None:
        """A partition deadline, time window or cron deadline: request what it needs before
        it fails (and while it fails)."""
        state = self.state
        now = self.now_ts
        name = key.to_string()
        decision = self._decision(key)
        status = evaluate_policy(self.data_times, key, policy)
        words = f"freshness {status.state.value}: {status.describe()}"
        if policy.kind == "partition_deadline":
            tdef = state.time_def(key)
            if tdef is None:
                decision.reasons.append(words)
                return
            ended = min(len(state.all(key)), max(0, tdef.floor_index(int(now))))
            needed = state.ranges_subset(key, [range(0, ended)]) - state.materialized(key)
            if not needed:
                checks[name] = float(tdef.start_ts(tdef.floor_index(int(now)) + 1))
                decision.reasons.append(words)
                return
            checks[name] = now
            minutes = _num(policy.partition_deadline_minutes or 0.0)
            overdue = len(status.overdue) if status.overdue else 0
            reason = (
                f"freshness: {state.describe(key, needed)} ended and must be materialized "
                f"within {minutes} min of its window's end ({overdue} overdue)"
            )
            self._needs(key, now, reason, needed)
            return
        updated = last_updated(self.data_times, key)
        if policy.kind == "time_window":
            assert policy.fail_window is not None
            window = (policy.warn_window or policy.fail_window).total_seconds()
            start = now - window
            if updated is not None and updated > start:
                checks[name] = updated + window
                decision.reasons.append(words)
                return
            label = "warn" if policy.warn_window is not None else "fail"
            reason = (
                f"freshness: last materialized {_num((now - updated) / 60.0)} min ago, "
                f"{label} window {_num(window / 60.0)} min"
                if updated is not None
                else "freshness: never materialized"
            ) + f" (policy: {policy.describe()})"
        else:
            assert policy.deadline_cron is not None and policy.lower_bound_delta is not None
            start = policy.cron_target(now)
            if updated is not None and updated >= start:
                lower = policy.lower_bound_delta.total_seconds()
                opens = next_tick(policy.deadline_cron, policy.cron_timezone, now) - lower
                if now >= opens:
                    opens = (
                        next_tick(policy.deadline_cron, policy.cron_timezone, opens + lower) - lower
                    )
                checks[name] = float(opens)
                decision.reasons.append(words)
                return
            reason = (
                f"freshness: the deadline window opened {_when(start)}; last materialized "
                + (_when(updated) if updated is not None else "never")
                + f" (policy: {policy.describe()})"
            )
        checks[name] = now
        everything = state.all(key)
        if not everything:
            decision.reasons.append(words)
            return
        if state.time_def(key) is not None:
            last = everything.key_ranges[-1].stop - 1
            everything = state.ranges_subset(key, [range(last, last + 1)])
        self._needs(key, start, reason, everything)

    # -- the walk -------------------------------------------------------------------------

    def _walk(self, candidates: set[AssetKey], horizon: float) -> dict[str, float]:
        cron = self.cron
        queue = [(self.order[key], key) for key in candidates | set(self.forced)]
        heapq.heapify(queue)
        queued = {key for _, key in queue}
        while queue:
            _, key = heapq.heappop(queue)
            if not self.state.is_loaded(key):
                self._load([k for _, k in queue] + [key])
            requested = self._decide(key, horizon, cron)
            if not requested:
                continue
            for child in self.graph.children(key):
                policy = self.automation.get(child)
                if child not in queued and policy is not None and policy.kind != "lazy":
                    queued.add(child)
                    heapq.heappush(queue, (self.order[child], child))
        return {
            name: when for name, when in cron.items() if self.graph.has(AssetKey.from_user(name))
        }

    def _load(self, batch: list[AssetKey]) -> None:
        """Read what deciding ``batch`` needs, in a few queries: every row of assets with a
        condition (and their parents), the status of the others; and the rows of parents
        materialized after the oldest materialization of each child in the batch."""
        state = self.state
        full = [key for key in batch if key in self.conditions]
        state.load([*full, *(p for key in full for p in self.graph.parents(key))])
        rest = [key for key in batch if key not in self.conditions]
        parents = [p for key in rest for p in self.graph.parents(key)]
        state.load_status([*rest, *parents])
        after: dict[AssetKey, int] = {}
        for key in rest:
            ranged = [p for p in self.graph.parents(key) if state.is_ranges_only(p)]
            oldest = state.oldest_materialization(key) if ranged else None
            if oldest is None:
                continue
            for parent in ranged:
                after[parent] = min(oldest, after.get(parent, oldest))
        state.prefetch_after(after)

    def _decide(self, key: AssetKey, horizon: float, cron: dict[str, float]) -> bool:
        if key in self.conditions:
            return self._decide_condition(key)
        state = self.state
        policy = self.automation.get(key)
        decision = self._decision(key)
        forced = list(self.forced.get(key, ()))
        findings: list[Finding] = []
        todo: PartitionsSubset | None = None
        due_tick: float | None = None
        if policy is not None and policy.kind == "eager":
            todo = conditions.missing(state, key, self._first_eligible(key, horizon, policy))
            findings.extend(conditions.updated_upstream(state, key))
            findings.extend(conditions.upstream_requested(state, key, self.requested))
            if not todo and not findings and not forced:
                decision.reasons.append(
                    "eager: up to date (nothing missing, no newer upstream data)"
                )
        elif policy is not None and policy.kind == "on_cron":
            due_tick = self._cron_due(key, policy)
            if due_tick is not None:
                findings.extend(self._cron_findings(key, policy, due_tick))
                if not findings and not forced:
                    decision.reasons.append(
                        f"cron tick {_when(due_tick)} passed; already up to date with its upstreams"
                    )
                    cron[key.to_string()] = due_tick
            elif not forced:
                assert policy.cron_schedule is not None
                upcoming = next_tick(policy.cron_schedule, policy.cron_timezone, self.now_ts)
                decision.reasons.append(f"on_cron: next tick {_when(upcoming)}")
        elif not forced and key not in self.freshness:
            decision.reasons.append("lazy: no freshness policy needs it now")
        if not findings and not forced and not todo:
            return False
        # Missing partitions go through the per-tick cap whatever else holds for them; only
        # what a freshness policy needs (``forced``, capped on its own) bypasses it.
        others = state.empty(key)
        for finding in findings:
            others = others | finding.partitions
        if todo:
            others = others - todo
        for finding in forced:
            others = others | finding.partitions
        wanted = others | todo if todo else others
        wanted = self._drop(key, decision, wanted)
        backlog = False
        decision.add(forced, skipped=False)
        if todo:
            wanted, chosen, later = conditions.cap_missing(state, key, wanted, todo, policy, others)
            decision.add([chosen], skipped=False)
            decision.missing = len(todo)
            if later is not None:
                decision.add([later], skipped=True)
            backlog = len(chosen.partitions) < len(todo)
        decision.add(findings, skipped=False)
        if decision.skipped or backlog:
            self.pending.add(key)
        if due_tick is not None and (wanted or not decision.skipped):
            cron[key.to_string()] = due_tick
        if not wanted:
            return False
        decision.requested = wanted
        self.requested[key] = wanted
        return True

    def _drop(
        self, key: AssetKey, decision: AssetDecision, wanted: PartitionsSubset
    ) -> PartitionsSubset:
        """Leave out what runs in flight cover, what failed with nothing changed since, and
        what waits on upstream partitions; each note says which and why."""
        state = self.state
        wanted, notes = conditions.drop_covered(state, wanted, self.covered.get(key, ()))
        decision.add(notes, skipped=True)
        code_changed = self._code_changed(key)
        wanted, notes, retried = conditions.drop_failed(
            state, key, wanted, code_changed=code_changed, retries=self._judge_retries
        )
        if code_changed and retried:
            self.code_retried[key.to_string()] = self.last_event
        decision.add(notes, skipped=True)
        decision.add(retried, skipped=False)
        held = bool(notes)
        name = key.to_string()
        if held and name not in self.failed_code:
            self.failed_code[name] = self._code_version(key)
        elif not held:
            self.failed_code.pop(name, None)
        wanted, notes = conditions.drop_waiting(state, key, wanted, self.requested, self.covered)
        decision.add(notes, skipped=True)
        return wanted

    def _judge_retries(
        self, key: AssetKey, blocked: Mapping[int, tuple[IndexRow, int]]
    ) -> dict[int, RetryVerdict]:
        """Under the asset's retry policy (else the definitions' default), whether each
        blocked failed partition may be tried again now (see ``retries``)."""
        policy = self.graph.assets_def(key).retry_policy or self.defs.retry_policy
        if policy is None:
            return {}
        name = key.to_string()
        mark = self.code_retried.get(name, 0)
        since = {
            index: max(row.event_id or 0, upstream, mark)
            for index, (row, upstream) in blocked.items()
        }
        failures = self.store.failures_after(name, min(since.values()))
        pdef = self.state.pdef(key)
        indices = list(blocked)
        partition_keys: list[str | None] = (
            [None] * len(indices)
            if pdef is UNPARTITIONED
            else list(pdef.keys_at(indices, self.now, self.state.dynamic))
        )
        found: dict[int, RetryVerdict] = {}
        for index, partition in zip(indices, partition_keys, strict=True):
            tries = [f for f in failures.get(partition, ()) if f.event_id > since[index]]
            if tries:
                attempts = Attempts(len(tries), tries[-1].timestamp)
                seed = f"{name}|{partition}"
                found[index] = verdict(policy, attempts, self.now_ts, seed, NOTHING_NEW)
        return found

    def _code_changed(self, key: AssetKey) -> bool:
        """Whether the asset's code version differs from when a failure first held it back."""
        seen = self.failed_code.get(key.to_string())
        return seen is not None and seen != self._code_version(key)

    def _code_version(self, key: AssetKey) -> str:
        return self.graph.assets_def(key).code_version(key)

    def _decide_condition(self, key: AssetKey) -> bool:
        """Request the partitions where the asset's ``AutomationCondition`` is true (plus
        what a freshness policy forces), less what runs in flight already build."""
        assert self.condition_tick is not None
        decision = self._decision(key)
        true, tree = self.condition_tick.evaluate(key, self.requested)
        decision.condition = tree
        label = self.conditions[key].describe()
        if true:
            what = "" if true.partitions_def is UNPARTITIONED else f" for {ranges_text(true)}"
            decision.reasons.append(f"condition {label}: true{what}")
        else:
            decision.reasons.append(f"condition {label}: false for every partition")
        wanted = true
        for finding in self.forced.get(key, ()):
            wanted = wanted | finding.partitions
            decision.reasons.append(finding.reason)
        wanted, notes = conditions.drop_covered(self.state, wanted, self.covered.get(key, ()))
        decision.add(notes, skipped=True)
        if not wanted:
            return False
        decision.requested = wanted
        self.requested[key] = wanted
        return True

    def _first_eligible(self, key: AssetKey, horizon: float, policy: AutomationPolicy) -> int:
        """The first partition index missing-partition fill may request (the policy's
        ``catch_up``: every partition, the last N, those ended within a time span, or, for
        ``"latest"``, those from the catch-up horizon on)."""
        tdef = self.state.time_def(key)
        if tdef is None:
            return 0
        catch_up = policy.catch_up
        if catch_up == "all":
            return 0
        count = len(self.state.all(key))
        if isinstance(catch_up, int):
            return max(0, count - catch_up)
        if isinstance(catch_up, timedelta):
            since = self.now - catch_up
            return min(count, tdef.count(since.astimezone(self.now.tzinfo)))
        start = horizon
        if self.settings.catch_up is not None:
            start -= self.settings.catch_up.total_seconds()
            return tdef.count(datetime.fromtimestamp(start, tz=self.now.tzinfo))
        return max(0, tdef.count(datetime.fromtimestamp(start, tz=self.now.tzinfo)) - 1)

    def _cron_findings(self, key: AssetKey, policy: AutomationPolicy, tick: float) -> list[Finding]:
        state = self.state
        everything = state.all(key)
        if state.time_def(key) is not None:
            if not everything:
                return []
            last = everything.key_ranges[-1].stop - 1
            target = state.ranges_subset(key, [range(last, last + 1)])
        else:
            target = everything
        passed = f"cron tick {_when(tick)} passed"
        found: list[Finding] = []
        absent = target - state.materialized(key)
        if absent:
            found.append(
                Finding(absent, f"{passed}; {conditions._missing_words(state, key, absent)}")
            )
        for item in conditions.updated_upstream(state, key):
            hit = item.partitions & target
            if hit:
                found.append(Finding(hit, f"{passed}; {item.reason}"))
        for item in conditions.upstream_requested(state, key, self.requested):
            hit = item.partitions & target
            if hit:
                found.append(Finding(hit, f"{passed}; {item.reason}"))
        return found


def _freshness_words(
    policy: FreshnessPolicy, data_time: float | None, target: float, tick: float | None, now: float
) -> str:
    limit = _num(policy.maximum_lag_minutes or 0.0)
    if data_time is None:
        return f"freshness: no data yet (policy: at most {limit} min old)"
    lag = _num(max(0.0, now - data_time) / 60.0)
    if tick is None:
        return f"freshness: lag {lag} min > {limit} min"
    return (
        f"freshness: the cron tick {_when(tick)} needs data from {_when(target)} or later, "
        f"has data from {_when(data_time)} (lag {lag} min, max {limit} min)"
    )


def _when(ts: float) -> str:
    from datetime import UTC

    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def _num(value: float) -> str:
    return str(round(value)) if abs(value - round(value)) < 0.05 else f"{value:.1f}"


__all__ = [
    "AssetDecision",
    "CursorState",
    "Evaluation",
    "EvaluationSettings",
    "evaluate",
    "ranges_text",
]
