"""Which checks a run runs: in their asset's steps, skipped, or in check steps of their own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assetgraph import (
    AssetCheckKey,
    AssetCheckSpec,
    DailyPartitionsDefinition,
    Definitions,
    UsageError,
    asset,
    asset_check,
    multi_asset_check,
)
from assetgraph.planning.checks import checks_only_plan, plan_with_checks
from assetgraph.planning.planner import PartitionSelection, StepKind, build_plan

NOW = datetime(2025, 6, 1, tzinfo=UTC)


@asset
def orders() -> list[int]:
    return [1]


@asset
def revenue(orders: list[int]) -> int:
    return sum(orders)


@asset(partitions_def=DailyPartitionsDefinition(start_date="2025-05-01"))
def daily() -> int:
    return 1


@asset_check(asset=orders)
def not_empty(orders: list[int]) -> bool:
    return bool(orders)


@asset_check(asset=revenue)
def positive(revenue: int) -> bool:
    return revenue > 0


@multi_asset_check(
    specs=[
        AssetCheckSpec("rows_match", asset="orders"),
        AssetCheckSpec("rows_match", asset="revenue"),
    ]
)
def reconcile() -> None: ...


@asset_check(asset=daily)
def daily_ok(daily: int) -> bool:
    return daily > 0


DEFS = Definitions(
    assets=[orders, revenue, daily], asset_checks=[not_empty, positive, reconcile, daily_ok]
)
NOT_EMPTY = AssetCheckKey(orders.key, "not_empty")
POSITIVE = AssetCheckKey(revenue.key, "positive")
MATCH_ORDERS = AssetCheckKey(orders.key, "rows_match")
MATCH_REVENUE = AssetCheckKey(revenue.key, "rows_match")


def test_checks_of_materialized_assets_run_in_their_steps_the_others_are_skipped() -> None:
    plan = build_plan(DEFS.graph, [orders.key, revenue.key], current_time=NOW)
    planned = plan_with_checks(plan, DEFS.graph, DEFS.checks_by_asset, {POSITIVE})
    assert [(s.key, s.kind) for s in planned.steps] == [
        ("orders", StepKind.MATERIALIZE),
        ("revenue", StepKind.MATERIALIZE),
    ]
    assert planned.skipped_checks == {NOT_EMPTY, MATCH_ORDERS, MATCH_REVENUE}
    assert all(step.skipped_checks == planned.skipped_checks for step in planned.steps)


def test_checks_without_their_asset_get_one_step_per_definition_after_the_others() -> None:
    plan = build_plan(DEFS.graph, [orders.key], current_time=NOW)
    planned = plan_with_checks(
        plan, DEFS.graph, DEFS.checks_by_asset, {NOT_EMPTY, POSITIVE, MATCH_REVENUE}
    )
    assert [(s.key, s.kind, s.checks, s.upstream_steps) for s in planned.steps] == [
        ("orders", StepKind.MATERIALIZE, (), ()),
        ("revenue:positive", StepKind.CHECK, (POSITIVE,), ()),
        ("revenue:rows_match", StepKind.CHECK, (MATCH_REVENUE,), ()),
    ]
    assert planned.skipped_checks == {MATCH_ORDERS}
    assert len(planned) == 3 and [row.name for row in planned.summary()][1:] == [
        "revenue:positive",
        "revenue:rows_match",
    ]


def test_a_plan_of_checks_alone_builds_nothing() -> None:
    plan = checks_only_plan(DEFS.graph, DEFS.checks_by_asset, {MATCH_ORDERS, MATCH_REVENUE}, NOW)
    [step] = plan.steps  # one step per definition, named by it
    assert (step.key, step.kind, step.asset_keys) == (
        "orders:reconcile",
        StepKind.CHECK,
        (orders.key, revenue.key),
    )
    assert plan.selected_keys == () and plan.assets_defs == [orders]


def test_unknown_checks_and_checks_of_partitioned_assets_alone_are_refused() -> None:
    with pytest.raises(UsageError, match="orders:typo were selected"):
        checks_only_plan(DEFS.graph, DEFS.checks_by_asset, {AssetCheckKey(orders.key, "typo")})
    daily_check = AssetCheckKey(daily.key, "daily_ok")
    with pytest.raises(UsageError, match="partitioned asset 'daily'.*select the asset"):
        checks_only_plan(DEFS.graph, DEFS.checks_by_asset, {daily_check})
    partitions = PartitionSelection(keys=("2025-05-02",))
    plan = build_plan(DEFS.graph, [daily.key], partitions, current_time=NOW)
    with_asset = plan_with_checks(plan, DEFS.graph, DEFS.checks_by_asset, {daily_check})
    assert [s.key for s in with_asset.steps] == ["daily[2025-05-02]"]
