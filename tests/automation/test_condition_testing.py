"""``evaluate_automation_conditions``: one tick in a test, nothing launched, its cursor
carried from call to call."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assetgraph import (
    AssetMaterialization,
    AssetSelection,
    AutomationCondition,
    DagsterInstance,
    DailyPartitionsDefinition,
    Definitions,
    asset,
    evaluate_automation_conditions,
)
from assetgraph.errors import UsageError

daily = DailyPartitionsDefinition(start_date="2025-01-01")


@asset(partitions_def=daily)
def raw() -> None: ...


@asset(partitions_def=daily, deps=[raw], automation_condition=AutomationCondition.eager())
def clean() -> None: ...


@asset(deps=[raw], automation_condition=AutomationCondition.on_cron("0 * * * *"))
def summary() -> None: ...


def test_partitioned_requests_at_the_evaluation_time() -> None:
    defs = Definitions([raw, clean, summary])
    instance = DagsterInstance.ephemeral()
    at = datetime(2025, 1, 10, 12, 30, tzinfo=UTC)
    result = evaluate_automation_conditions(defs=defs, instance=instance, evaluation_time=at)
    assert result.total_requested == 0
    instance.report_runless_asset_event(AssetMaterialization("raw", partition="2025-01-09"))
    result = evaluate_automation_conditions(
        defs=defs, instance=instance, cursor=result.cursor, evaluation_time=at
    )
    assert result.get_requested_partitions("clean") == {"2025-01-09"}
    assert result.get_num_requested("summary") == 0
    assert result.evaluation_time == at


def test_asset_selection_limits_what_is_counted() -> None:
    defs = Definitions([raw, clean, summary])
    instance = DagsterInstance.ephemeral()
    first = evaluate_automation_conditions(defs=defs, instance=instance)
    instance.report_runless_asset_event(
        AssetMaterialization("raw", partition=daily.get_last_partition_key())
    )
    every = evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    only_summary = evaluate_automation_conditions(
        defs=defs,
        instance=instance,
        cursor=first.cursor,
        asset_selection=AssetSelection.assets("summary"),
    )
    assert (every.get_num_requested("clean"), only_summary.get_num_requested("clean")) == (1, 0)
    assert only_summary.total_requested == every.total_requested - 1


def test_an_instance_is_required() -> None:
    with pytest.raises(UsageError, match="instance= must be an Instance"):
        evaluate_automation_conditions(defs=[raw], instance=None)
