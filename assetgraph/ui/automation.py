"""Automation ticks for the automation pages, read from the automation tick log: each
tick's runs and per-asset decisions with the evaluated condition tree, and one asset's
automation panel (its policy or condition, freshness, recent decisions)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.automation.why import full_condition, why_rows
from assetgraph.storage.automation_store import AutomationStore, TickRow
from assetgraph.storage.tick_summary import decision_of, summarize_tick
from assetgraph.ui.automation_models import (
    AssetAutomationOut,
    AssetDecisionOut,
    AssetEvaluationOut,
    AutomationTickDetailOut,
    AutomationTickOut,
)
from assetgraph.ui.instigators import targeting

if TYPE_CHECKING:
    from assetgraph.definitions.automation_condition import AutomationCondition
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.keys import AssetKey
    from assetgraph.storage.sql_storage import SqlStorage


def list_automation_ticks(
    storage: SqlStorage, limit: int, before_id: int | None = None
) -> list[AutomationTickOut]:
    """The latest ``limit`` automation ticks (older than ``before_id``), newest first, read
    from their stored summaries."""
    rows = AutomationStore(storage).list_tick_summaries(limit, before_id=before_id)
    return [
        _tick_out(
            row.tick_id, row.evaluated_at, row.started_at, row.ended_at, row.status, row.summary
        )
        for row in rows
    ]


def tick_summary(tick: TickRow) -> AutomationTickOut:
    """One tick: its runs, the assets it requested, left waiting or skipped."""
    summary = summarize_tick(tick.payload)
    return _tick_out(
        tick.tick_id, tick.evaluated_at, tick.started_at, tick.ended_at, tick.status, summary
    )


def _tick_out(
    tick_id: int,
    evaluated_at: float,
    started_at: float,
    ended_at: float | None,
    status: str,
    summary: dict[str, Any],
) -> AutomationTickOut:
    return AutomationTickOut(
        tick_id=tick_id,
        timestamp=evaluated_at,
        started_at=started_at,
        ended_at=ended_at,
        status=status,
        run_ids=summary["run_ids"],
        requested=summary["requested"],
        waiting=summary["waiting"],
        skipped=summary["skipped"],
        instigators=summary["notes"],
        errors=summary["errors"],
        evaluation_ms=summary["evaluation_ms"],
    )


def tick_exists(storage: SqlStorage, tick_id: int) -> bool:
    """Whether automation tick ``tick_id`` is kept."""
    return tick_id in AutomationStore(storage).get_ticks([tick_id])


def tick_detail(storage: SqlStorage, tick_id: int) -> AutomationTickDetailOut | None:
    """One tick with, per asset, its decision, reasons and condition tree (None: no tick)."""
    store = AutomationStore(storage)
    tick = store.get_ticks([tick_id]).get(tick_id)
    if tick is None:
        return None
    runs = list(tick.payload.get("runs", []))
    holders: dict[float, TickRow | None] = {}
    decisions = []
    for name, entry in tick.payload.get("assets", {}).items():
        requested = entry.get("requested")
        decisions.append(
            AssetDecisionOut(
                asset=name,
                decision=decision_of(entry),
                requested=requested,
                requested_count=int(
                    entry.get("requested_count", 1 if requested is not None else 0)
                ),
                reasons=[str(r) for r in entry.get("reasons", [])],
                skipped=[str(s) for s in entry.get("skipped", [])],
                run_ids=[
                    str(r["run_id"])
                    for r in runs
                    if r.get("run_id") and name in (r.get("targets") or {})
                ],
                condition=full_condition(store, name, entry.get("condition"), holders),
            )
        )
    order = {"requested": 0, "waiting": 1, "skipped": 2}
    decisions.sort(key=lambda d: (order[d.decision], d.asset))
    return AutomationTickDetailOut(
        **tick_summary(tick).model_dump(),
        decisions=decisions,
        runs=runs,
    )


def asset_automation(
    defs: Definitions, key: AssetKey, storage: SqlStorage, now: datetime, limit: int
) -> AssetAutomationOut:
    """What drives ``key`` (policy or condition, freshness, schedules and sensors) and
    what the latest ``limit`` ticks decided for it."""
    from assetgraph.automation.freshness import freshness_statuses

    graph = defs.graph
    spec = graph.spec(key)
    name = key.to_string()
    store = AutomationStore(storage)
    rows = why_rows(store, name, limit=limit)
    holders: dict[float, TickRow | None] = {}
    evaluations = [_evaluation(store, name, row, holders) for row in rows]
    fresh = next(iter(freshness_statuses(graph, storage, [key], now)), None)
    policy = spec.automation_policy
    condition = spec.automation_condition
    return AssetAutomationOut(
        key=name,
        policy=None if policy is None else policy.describe(),
        condition=None if condition is None else condition_outline(condition),
        freshness=None if fresh is None else fresh.to_json(),
        sensors=targeting(defs, key),
        latest=next((e for e in evaluations if e.evaluated), None),
        evaluations=evaluations,
    )


def condition_outline(condition: AutomationCondition) -> dict[str, Any]:
    """An ``AutomationCondition`` as a tree of its operators and operands (not evaluated)."""
    node: dict[str, Any] = {"name": condition.name}
    if condition.label:
        node["label"] = condition.label
    children = [condition_outline(child) for child in condition.children]
    if children:
        node["children"] = children
    return node


def _evaluation(
    store: AutomationStore, name: str, row: dict[str, Any], holders: dict[float, TickRow | None]
) -> AssetEvaluationOut:
    evaluated = bool(row["evaluated"])
    entry = {"requested": row["requested"], "skipped": row["skipped"]}
    return AssetEvaluationOut(
        tick_id=int(row["tick_id"]),
        timestamp=datetime.fromisoformat(row["evaluated_at"]).astimezone(UTC).timestamp(),
        evaluated=evaluated,
        decision=decision_of(entry) if evaluated else None,
        requested=row["requested"],
        reasons=[str(r) for r in row["reasons"]],
        skipped=[str(s) for s in row["skipped"]],
        run_ids=[str(r) for r in row["runs"] if r],
        condition=full_condition(store, name, row.get("condition"), holders),
    )
