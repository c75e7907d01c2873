"""Evaluating ``AutomationCondition`` trees, per asset partition, at one tick.

For each asset with a condition (in topological order, so dependencies are decided first),
the tree is evaluated bottom-up over every partition of the asset: each operand gives the
partitions for which it holds now, each operator combines its children's subsets, and dep
operators evaluate their operand on each dependency and map the result through the
partition mapping. The root's true subset is what the asset wants this tick.

State that must outlive a tick (the previous true subsets of ``since`` and ``newly_true``
nodes, what the last tick requested, the last event id seen, code versions) is one JSON
document in the ``cursors`` table (``CONDITIONS_CURSOR``, versioned). A condition whose
definition changed starts afresh: its next evaluation is an initial evaluation, as in Dagster.

Every node's result is recorded as a tree (name, label, true/total partition counts) in the
tick, which ``assetgraph automate why`` prints; a tree equal to the one last recorded for the
asset is stored as ``{"same_as": <time of the tick holding it>}`` instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assetgraph.automation.conditions import Covered
from assetgraph.automation.state import AssetState, ranges_text, subset_from_json, subset_to_json
from assetgraph.definitions.automation_condition import (
    AndCondition,
    AnyDownstreamConditions,
    AutomationCondition,
    ChecksCondition,
    DepsCondition,
    NewlyTrueCondition,
    NotCondition,
    Operand,
    OrCondition,
    SinceCondition,
)
from assetgraph.definitions.automation_context import AutomationContext, AutomationResult
from assetgraph.definitions.policies import previous_tick
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.status.staleness import UNPARTITIONED

CONDITIONS_CURSOR = "automation_conditions"
TREE_VERSION = 1


def condition_digest(condition: AutomationCondition) -> str:
    """A digest of a condition's definition that is stable across processes."""
    try:
        return _digest_of(condition)
    except TypeError:  # an unhashable selection in .allow()/.ignore()
        return hashlib.sha1(repr(condition).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=4096)
def _digest_of(condition: AutomationCondition) -> str:
    return hashlib.sha1(repr(condition).encode()).hexdigest()[:16]


@dataclass(slots=True)
class _Previous:
    """What the previous tick left (parsed from the cursor)."""

    event_id: int | None = None
    evaluated_at: float | None = None
    requested: dict[str, list[str]] = field(default_factory=dict)
    code_versions: dict[str, str] = field(default_factory=dict)
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str | None) -> _Previous:
        if not text:
            return cls()
        try:
            data = json.loads(text)
            if data.get("v") != 1:
                return cls()
            return cls(
                event_id=data.get("event_id"),
                evaluated_at=data.get("evaluated_at"),
                requested={str(k): list(v) for k, v in data.get("requested", {}).items()},
                code_versions={str(k): str(v) for k, v in data.get("code_versions", {}).items()},
                assets={str(k): dict(v) for k, v in data.get("assets", {}).items()},
            )
        except (ValueError, TypeError, AttributeError):
            return cls()


@dataclass(slots=True)
class _AssetRun:
    """The evaluation of one asset's condition: its previous node states and new ones."""

    root: AssetKey
    initial: bool
    previous_nodes: dict[str, list[str]]
    nodes: dict[str, list[str]] = field(default_factory=dict)
    stack: list[AutomationCondition] = field(default_factory=list)


class ConditionTick:
    """Evaluates the conditions of one tick and keeps the state for the next one."""

    def __init__(
        self,
        defs: Any,
        state: AssetState,
        conditions: Mapping[AssetKey, AutomationCondition],
        covered: Mapping[AssetKey, Sequence[Covered]],
        previous_text: str | None,
        last_event_id: int,
    ) -> None:
        self.defs = defs
        self.graph = state.graph
        self.state = state
        self.conditions = conditions
        self.covered = covered
        self.previous = _Previous.from_text(previous_text)
        self.last_event_id = last_event_id
        self.requested: Mapping[AssetKey, PartitionsSubset] = {}
        self.assets: dict[str, dict[str, Any]] = {}
        self.code_versions: dict[str, str] = {}
        self._checks: dict[str, list[Any]] | None = None
        self._root_runs: dict[AssetKey, set[str]] = {}
        self._texts: dict[tuple[int, tuple[tuple[int, int], ...]], str] = {}

    # -- the public side ------------------------------------------------------------------

    def evaluate(
        self, key: AssetKey, requested: Mapping[AssetKey, PartitionsSubset]
    ) -> tuple[PartitionsSubset, dict[str, Any]]:
        """The partitions of ``key`` for which its condition is true now, and the tree."""
        condition = self.conditions[key]
        self.requested = requested
        digest = condition_digest(condition)
        before = self.previous.assets.get(key.to_string())
        initial = (
            before is None or before.get("digest") != digest or self.previous.evaluated_at is None
        )
        run = _AssetRun(key, initial, {} if initial or before is None else before.get("nodes", {}))
        subset, tree = self._eval(condition, key, "0", run)
        # A tree like the last one recorded is not stored again (ticks stay small): the
        # record points at the tick that holds it, by that tick's time.
        shape = hashlib.sha1(json.dumps(tree, sort_keys=True).encode()).hexdigest()[:16]
        same_at = (
            None
            if initial or before is None or before.get("tree") != shape
            else before.get("tree_at")
        )
        self.assets[key.to_string()] = {
            "digest": digest,
            "nodes": run.nodes,
            "tree": shape,
            "tree_at": self.state.now_ts if same_at is None else same_at,
        }
        if same_at is not None:
            return subset, {"v": TREE_VERSION, "initial": False, "same_as": same_at}
        return subset, {"v": TREE_VERSION, "initial": initial, "tree": tree}

    def to_cursor(self, requested: Mapping[AssetKey, PartitionsSubset]) -> str:
        """The state for the next tick (only assets that still have a condition)."""
        return json.dumps(
            {
                "v": 1,
                "event_id": self.last_event_id,
                "evaluated_at": self.state.now_ts,
                "requested": {
                    key.to_string(): subset_to_json(subset)
                    for key, subset in requested.items()
                    if subset
                },
                "code_versions": {**self.previous.code_versions, **self.code_versions},
                "assets": self.assets,
            },
            separators=(",", ":"),
        )

    # -- the tree -------------------------------------------------------------------------

    def _eval(
        self, cond: AutomationCondition, key: AssetKey, path: str, run: _AssetRun
    ) -> tuple[PartitionsSubset, dict[str, Any]]:
        run.stack.append(cond)
        try:
            subset, children = self._node(cond, key, path, run)
        finally:
            run.stack.pop()
        node: dict[str, Any] = {"name": cond.name, "true": len(subset)}
        if cond.label:
            node["label"] = cond.label
        node["total"] = len(self.state.all(key))
        if key != run.root:
            node["key"] = key.to_string()
        if subset and node["true"] < node["total"] and self.state.pdef(key) is not UNPARTITIONED:
            node["partitions"] = self._ranges_text(subset)
        if children:
            node["children"] = children
        return subset, node

    def _ranges_text(self, subset: PartitionsSubset) -> str:
        """``ranges_text``, cached: the same few subsets recur across a tick's trees."""
        pdef = subset.partitions_def
        cache_key = (id(pdef), tuple((r.start, r.stop) for r in subset.key_ranges))
        found = self._texts.get(cache_key)
        if found is None:
            found = self._texts[cache_key] = ranges_text(subset)
        return found

    def _node(
        self, cond: AutomationCondition, key: AssetKey, path: str, run: _AssetRun
    ) -> tuple[PartitionsSubset, list[dict[str, Any]]]:
        state = self.state
        if isinstance(cond, Operand):
            return self._operand(cond, key, run), []
        if isinstance(cond, AndCondition | OrCondition):
            results = [
                self._eval(child, key, f"{path}.{i}", run) for i, child in enumerate(cond.operands)
            ]
            found = results[0][0]
            for subset, _ in results[1:]:
                found = found & subset if isinstance(cond, AndCondition) else found | subset
            return found, [tree for _, tree in results]
        if isinstance(cond, NotCondition):
            inner, tree = self._eval(cond.operand, key, f"{path}.0", run)
            return state.all(key) - inner, [tree]
        if isinstance(cond, SinceCondition):
            trigger, trigger_tree = self._eval(cond.trigger, key, f"{path}.0", run)
            reset, reset_tree = self._eval(cond.reset, key, f"{path}.1", run)
            before = self._stored(run, key, path)
            found = (before | trigger) - reset
            self._store(run, key, path, found)
            return found, [trigger_tree, reset_tree]
        if isinstance(cond, NewlyTrueCondition):
            inner, tree = self._eval(cond.operand, key, f"{path}.0", run)
            before = self._stored(run, key, path)
            self._store(run, key, path, inner)
            return inner - before, [tree]
        if isinstance(cond, DepsCondition):
            return self._deps(cond, key, path, run)
        if isinstance(cond, ChecksCondition):
            return self._checks_match(cond, key), []
        if isinstance(cond, AnyDownstreamConditions):
            return self._downstream(key, path, run)
        if cond.is_custom:
            return self._custom(cond, key), []
        raise TypeError(f"unknown automation condition {type(cond).__name__}")

    def _custom(self, cond: AutomationCondition, key: AssetKey) -> PartitionsSubset:
        """A user's condition: its ``evaluate`` given every partition as candidates."""
        candidates = self.state.all(key)
        context = AutomationContext(
            key=key,
            evaluation_time=self.state.now,
            candidate_subset=candidates,
            empty_subset=self.state.empty(key),
            condition=cond,
        )
        result = cond.evaluate(context)
        found = getattr(result, "true_subset", None)
        if not isinstance(result, AutomationResult) or not isinstance(found, PartitionsSubset):
            raise DefinitionError(
                f"Asset '{key}': custom automation condition {type(cond).__name__}.evaluate "
                f"returned {type(result).__name__}; return AutomationResult(true_subset, "
                "context=context)."
            )
        if found.partitions_def != candidates.partitions_def:
            raise DefinitionError(
                f"Asset '{key}': custom automation condition {type(cond).__name__} returned "
                "partitions of another asset; build its subset from context.candidate_subset."
            )
        return found & candidates

    def _stored(self, run: _AssetRun, key: AssetKey, path: str) -> PartitionsSubset:
        ranges = run.previous_nodes.get(f"{key}@{path}")
        if ranges is None:
            return self.state.empty(key)
        return subset_from_json(self.state, key, ranges)

    def _store(self, run: _AssetRun, key: AssetKey, path: str, subset: PartitionsSubset) -> None:
        if subset:
            run.nodes[f"{key}@{path}"] = subset_to_json(subset)  # []: the unpartitioned asset

    # -- operands -------------------------------------------------------------------------

    def _operand(self, cond: Operand, key: AssetKey, run: _AssetRun) -> PartitionsSubset:
        state = self.state
        kind = cond.kind
        if kind == "missing":
            if self.graph.is_source(key) and not state.rows(key):
                return state.empty(key)  # a source never observed: its data is there
            return state.all(key) - state.materialized(key)
        if kind == "in_progress":
            found = state.empty(key)
            for cover in self.covered.get(key, ()):
                found = found | cover.partitions
            return found & state.all(key)
        if kind == "execution_failed":
            return state.subset(
                key,
                (
                    i
                    for i, row in state.rows(key).items()
                    if row.failure_event_id is not None
                    and row.failure_event_id > (row.event_id or -1)
                ),
            )
        if kind == "newly_updated":
            after = self.previous.event_id
            if run.initial or after is None:
                return state.empty(key)
            return state.subset(
                key,
                (i for i, row in state.rows(key).items() if (row.event_id or 0) > after),
            )
        if kind == "newly_requested":
            ranges = self.previous.requested.get(key.to_string())
            return state.empty(key) if ranges is None else subset_from_json(state, key, ranges)
        if kind == "will_be_requested":
            return self.requested.get(key, state.empty(key)) & state.all(key)
        if kind == "initial_evaluation":
            return state.all(key) if run.initial else state.empty(key)
        if kind == "code_version_changed":
            return self._code_version_changed(key)
        if kind == "cron_tick_passed":
            assert cond.cron_schedule is not None
            before = self.previous.evaluated_at
            tick = previous_tick(cond.cron_schedule, cond.cron_timezone, state.now_ts)
            if run.initial or before is None or not tick > before:
                return state.empty(key)
            return state.all(key)
        if kind == "in_latest_time_window":
            return self._latest_window(key, cond.lookback_seconds)
        if kind == "executed_with_root_target":
            runs = self._runs_of(run.root)
            return state.subset(
                key, (i for i, row in state.rows(key).items() if row.run_id in runs)
            )
        raise TypeError(
            f"AutomationCondition.{kind}() is only meaningful inside any_checks_match() or "
            "all_checks_match()."
        )

    def _code_version_changed(self, key: AssetKey) -> PartitionsSubset:
        if self.graph.is_source(key):
            return self.state.empty(key)
        current = self.graph.assets_def(key).code_version(key)
        self.code_versions[key.to_string()] = current
        before = self.previous.code_versions.get(key.to_string())
        if before is None or before == current:
            return self.state.empty(key)
        return self.state.all(key)

    def _latest_window(self, key: AssetKey, lookback: float | None) -> PartitionsSubset:
        state = self.state
        tdef = state.time_def(key)
        everything = state.all(key)
        if tdef is None or not everything:
            return everything
        last = everything.key_ranges[-1].stop - 1
        if lookback is None:
            return state.ranges_subset(key, [range(last, last + 1)])
        end = tdef.start_ts(last + 1)
        first = max(0, tdef.ceil_index(int(end - lookback)))
        return everything & state.ranges_subset(key, [range(first, last + 1)])

    def _runs_of(self, root: AssetKey) -> set[str]:
        """The runs that built (or tried to build) some partition of ``root``."""
        found = self._root_runs.get(root)
        if found is None:
            found = set()
            for row in self.state.rows(root).values():
                found.update(r for r in (row.run_id, row.failure_run_id) if r)
            self._root_runs[root] = found
        return found

    # -- dependencies, checks, downstream -------------------------------------------------

    def _deps(
        self, cond: DepsCondition, key: AssetKey, path: str, run: _AssetRun
    ) -> tuple[PartitionsSubset, list[dict[str, Any]]]:
        state = self.state
        everything = state.all(key)
        found = state.empty(key) if cond.mode == "any" else everything
        trees: list[dict[str, Any]] = []
        for dep in self._dep_keys(cond, key):
            dep_true, tree = self._eval(cond.operand, dep, f"{path}[{dep}]", run)
            trees.append(tree)
            # As Dagster's dep operators: a partition matches a dependency when some
            # partition of the dependency that it reads matches.
            hit = state.downstream(dep, dep_true, key) & everything
            found = found | hit if cond.mode == "any" else found & hit
        return found, trees

    def _dep_keys(self, cond: DepsCondition, key: AssetKey) -> list[AssetKey]:
        deps = sorted(self.graph.parents(key), key=lambda k: k.to_string())
        if cond.allowed:
            allowed: set[AssetKey] = set()
            for selection in cond.allowed:
                allowed |= _resolve(selection, self.defs)
            deps = [dep for dep in deps if dep in allowed]
        for selection in cond.ignored:
            ignored = _resolve(selection, self.defs)
            deps = [dep for dep in deps if dep not in ignored]
        return deps

    def _checks_match(self, cond: ChecksCondition, key: AssetKey) -> PartitionsSubset:
        state = self.state
        names = self._check_names(key, cond.blocking_only)
        found = state.empty(key) if cond.mode == "any" else state.all(key)
        for name in names:
            hit = self._check_eval(cond.operand, key, name)
            found = found | hit if cond.mode == "any" else found & hit
        return found

    def _check_names(self, key: AssetKey, blocking_only: bool) -> list[str]:
        names: dict[str, bool] = {}
        if not self.graph.is_source(key):
            for spec in getattr(self.graph.assets_def(key), "check_specs", ()):
                if spec.asset_key == key:
                    names[spec.name] = bool(spec.blocking)
        for check in getattr(self.defs, "checks_by_asset", {}).get(key, ()):
            for spec in check.specs:
                if spec.asset_key == key:
                    names[spec.name] = bool(spec.blocking)
        return [name for name, blocking in names.items() if blocking or not blocking_only]

    def _check_eval(self, cond: AutomationCondition, key: AssetKey, check: str) -> PartitionsSubset:
        state = self.state
        if isinstance(cond, AndCondition | OrCondition):
            parts = [self._check_eval(c, key, check) for c in cond.operands]
            found = parts[0]
            for part in parts[1:]:
                found = found & part if isinstance(cond, AndCondition) else found | part
            return found
        if isinstance(cond, NotCondition):
            return state.all(key) - self._check_eval(cond.operand, key, check)
        if isinstance(cond, Operand) and cond.kind in ("check_passed", "check_failed"):
            status = next(
                (
                    s
                    for s in self._check_statuses().get(key.to_string(), [])
                    if s.check_name == check
                ),
                None,
            )
            if status is None:
                return state.empty(key)
            if state.pdef(key) is UNPARTITIONED:
                ok = status.passed
                return state.all(key) if ok == (cond.kind == "check_passed") else state.empty(key)
            failing = state.empty(key)
            for partition in status.failing_partitions:
                index = state.pdef(key).known_indices([partition], state.now, state.dynamic)
                failing = failing | state.subset(key, index.values())
            if cond.kind == "check_failed":
                return failing
            return state.materialized(key) - failing
        if isinstance(cond, Operand) and cond.kind == "will_be_requested":
            return self.requested.get(key, state.empty(key)) & state.all(key)
        raise TypeError(
            f"{cond.describe()} cannot be evaluated on an asset check: use check_passed(), "
            "check_failed() or will_be_requested() inside any_checks_match()/all_checks_match()."
        )

    def _check_statuses(self) -> dict[str, list[Any]]:
        if self._checks is None:
            from assetgraph.status.checks import check_statuses

            keys = {k.to_string() for c in self.conditions for k in (c, *self.graph.parents(c))}
            self._checks = check_statuses(self.state.store.storage, keys)
        return self._checks

    def _downstream(
        self, key: AssetKey, path: str, run: _AssetRun
    ) -> tuple[PartitionsSubset, list[dict[str, Any]]]:
        found = self.state.empty(key)
        trees: list[dict[str, Any]] = []
        for i, (condition, keys) in enumerate(self._downstream_conditions(key)):
            if any(condition == seen for seen in run.stack):
                continue
            subset, tree = self._eval(condition, key, f"{path}<{i}>", run)
            trees.append({**tree, "downstream": [k.to_string() for k in keys]})
            found = found | subset
        return found, trees

    def _downstream_conditions(
        self, key: AssetKey
    ) -> list[tuple[AutomationCondition, list[AssetKey]]]:
        """The distinct conditions of every asset downstream of ``key``, nested
        ``any_downstream_conditions()`` stripped (they add nothing)."""
        seen: set[AssetKey] = set()
        stack = list(self.graph.children(key))
        found: list[tuple[AutomationCondition, list[AssetKey]]] = []
        while stack:
            child = stack.pop()
            if child in seen:
                continue
            seen.add(child)
            stack.extend(self.graph.children(child))
            condition = self.conditions.get(child)
            stripped = None if condition is None else _strip_downstream(condition)
            if stripped is None:
                continue
            for existing, keys in found:
                if existing == stripped:
                    keys.append(child)
                    break
            else:
                found.append((stripped, [child]))
        for _, keys in found:
            keys.sort(key=lambda k: k.to_string())
        found.sort(key=lambda item: [k.to_string() for k in item[1]])
        return found


def _strip_downstream(condition: AutomationCondition) -> AutomationCondition | None:
    """The condition with nested ``any_downstream_conditions()`` taken as false."""
    if condition.label is not None:
        return condition
    if isinstance(condition, AnyDownstreamConditions):
        return None
    if isinstance(condition, AndCondition | OrCondition):
        kept: list[AutomationCondition] = []
        for operand in condition.operands:
            stripped = _strip_downstream(operand)
            if stripped is None:
                if isinstance(condition, AndCondition):
                    return None
                continue
            kept.append(stripped)
        if not kept:
            return None
        if len(kept) == 1:
            return kept[0]
        return type(condition)(operands=tuple(kept))
    return condition


def _resolve(selection: Any, defs: Any) -> set[AssetKey]:
    """The keys of an ``.allow()`` / ``.ignore()`` selection."""
    from assetgraph.automation.legacy import selected_keys

    return selected_keys(selection, defs.graph, "AutomationCondition .allow()/.ignore()")
