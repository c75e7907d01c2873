"""Materializing partitioned assets: contexts, mappings, backfill policies, storage, results."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from assetgraph import (
    AssetExecutionContext,
    AssetIn,
    BackfillPolicy,
    DailyPartitionsDefinition,
    Definitions,
    DynamicPartitionsDefinition,
    HourlyPartitionsDefinition,
    Instance,
    MonthlyPartitionsDefinition,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    UsageError,
    asset,
    materialize,
)
from assetgraph.status.partitions import partition_status_ranges
from io_managers.parquet import ParquetIOManager

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-02-01")
hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00", end_date="2025-02-01-00:00")


@pytest.fixture
def instance(storage_url: str, tmp_path: Path) -> Instance:
    return Instance(storage_url=storage_url, home=tmp_path / "home")


@asset(partitions_def=hourly)
def clicks(context: AssetExecutionContext) -> pd.DataFrame:
    return pd.DataFrame({"hour": [context.partition_key], "clicks": [2]})


@asset(partitions_def=daily)
def daily_clicks(context: AssetExecutionContext, clicks: pd.DataFrame) -> pd.DataFrame:
    assert context.asset_partition_keys_for_input("clicks")[0] == f"{context.partition_key}-00:00"
    return pd.DataFrame({"day": [context.partition_key], "clicks": [int(clicks["clicks"].sum())]})


@asset(
    partitions_def=daily,
    ins={
        "daily_clicks": AssetIn(
            partition_mapping=TimeWindowPartitionMapping(
                start_offset=-6, allow_nonexistent_upstream_partitions=True
            )
        )
    },
)
def weekly_clicks(context: AssetExecutionContext, daily_clicks: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {"day": [context.partition_key], "clicks": [int(daily_clicks["clicks"].sum())]}
    )


@asset(
    partitions_def=daily,
    backfill_policy=BackfillPolicy.single_run(),
    metadata={"partition_expr": "day"},
)
def bulk_days(context: AssetExecutionContext) -> pd.DataFrame:
    window = context.partition_time_window
    days = pd.date_range(window.start, window.end, freq="D", inclusive="left")
    assert list(days.strftime("%Y-%m-%d")) == context.partition_keys
    return pd.DataFrame({"day": context.partition_keys, "n": range(len(context.partition_keys))})


@asset
def total_clicks(daily_clicks: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"clicks": [int(daily_clicks["clicks"].sum())]})


def _defs(tmp_path: Path) -> Definitions:
    return Definitions(
        [clicks, daily_clicks, weekly_clicks, bulk_days, total_clicks],
        io_managers={"io_manager": ParquetIOManager(tmp_path / "parquet")},
    )


def test_hours_roll_up_into_days_and_a_rolling_week(instance: Instance, tmp_path: Path) -> None:
    defs = _defs(tmp_path)
    result = materialize(
        defs,
        selection="clicks daily_clicks weekly_clicks",
        partition_range="2025-01-01...2025-01-08",
        instance=instance,
    )
    assert result.success, [o.error.summary() for o in result.failures if o.error]
    assert len(result.plan) == 8 * 24 + 8 + 8
    assert result.output_for("daily_clicks", "2025-01-08")["clicks"].tolist() == [48]
    # Seven days of 48 clicks; the first days have fewer before them.
    assert result.output_for("weekly_clicks", "2025-01-08")["clicks"].tolist() == [7 * 48]
    assert result.output_for("weekly_clicks", "2025-01-02")["clicks"].tolist() == [2 * 48]
    stored = instance.storage.latest_materializations(["daily_clicks"])
    assert sorted(p for _, p in stored) == [f"2025-01-0{d}" for d in range(1, 9)]
    run = instance.storage.get_run(result.run_id)
    assert (
        run is not None
        and run.tags["assetgraph/partitions"] == "--partition-range 2025-01-01...2025-01-08"
    )


def test_missing_fills_only_what_was_never_materialized(instance: Instance, tmp_path: Path) -> None:
    defs = _defs(tmp_path)
    materialize(
        defs, selection="clicks daily_clicks", partition_key="2025-01-03", instance=instance
    )
    result = materialize(
        defs,
        selection="clicks daily_clicks",
        partition_range="2025-01-01...2025-01-05",
        missing=True,
        instance=instance,
    )
    days = [s.partition_key for s in result.plan.steps if s.assets_def is daily_clicks]
    assert days == ["2025-01-01", "2025-01-02", "2025-01-04", "2025-01-05"]
    assert result.success
    again = materialize(
        defs,
        selection="clicks daily_clicks",
        partition_range="2025-01-01...2025-01-05",
        missing=True,
        instance=instance,
    )
    assert again.success and len(again.plan) == 0


def test_single_run_backfill_stores_every_partition_of_the_range(
    instance: Instance, tmp_path: Path
) -> None:
    result = materialize(
        _defs(tmp_path), selection="bulk_days", all_partitions=True, instance=instance
    )
    assert result.success and result.plan.step_keys == ["bulk_days[2025-01-01...2025-01-31]"]
    assert result.output_for("bulk_days", "2025-01-31")["n"].tolist() == [30]
    assert len(instance.storage.materialized_partitions(["bulk_days"])["bulk_days"]) == 31


def test_an_unpartitioned_asset_reads_all_partitions_of_its_upstream(
    instance: Instance, tmp_path: Path
) -> None:
    defs = _defs(tmp_path)
    result = materialize(defs, selection="+total_clicks", all_partitions=True, instance=instance)
    assert result.success
    assert result.output_for("total_clicks")["clicks"].tolist() == [31 * 48]


def test_a_failed_partition_is_recorded_and_skips_only_its_downstream(instance: Instance) -> None:
    regions = StaticPartitionsDefinition(["eu", "us", "apac"])

    @asset(partitions_def=regions)
    def sales(context: AssetExecutionContext) -> int:
        if context.partition_key == "us":
            raise ValueError("US feed is late")
        return 10

    @asset(partitions_def=regions)
    def taxed(sales: int) -> float:
        return sales * 1.2

    result = materialize([sales, taxed], all_partitions=True, instance=instance)
    assert not result.success
    assert result.status_for("taxed", "eu") == "success"
    assert result.status_for("taxed", "us") == "skipped"
    assert result.status_for("sales", "us") == "failure"
    ranges = partition_status_ranges(sales.key, regions, instance.storage)
    assert [(r.status, r.first, r.last) for r in ranges] == [
        ("materialized", "eu", "eu"),
        ("failed", "us", "us"),
        ("materialized", "apac", "apac"),
    ]
    assert instance.storage.partition_counts(["sales"]) == {"sales": (2, 1)}


def test_a_run_leaves_the_range_status_of_its_assets_up_to_date(instance: Instance) -> None:
    import json

    import sqlalchemy as sa

    from assetgraph.storage import schema

    regions = StaticPartitionsDefinition(["eu", "us", "apac"])

    @asset(partitions_def=regions)
    def shipments(context: AssetExecutionContext) -> int:
        if context.partition_key == "apac":
            raise ValueError("APAC feed is late")
        return 1

    materialize([shipments], all_partitions=True, instance=instance)
    table = schema.asset_partition_status
    with instance.storage.engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.asset_key == "shipments")).one()
        newest = conn.execute(sa.select(sa.func.max(schema.events.c.id))).scalar_one()
    assert json.loads(row.materialized) == [[0, 2]]
    assert json.loads(row.failed) == [[2, 3]]
    assert 0 < row.cursor <= newest


def test_multi_and_dynamic_partitions(instance: Instance) -> None:
    customers = DynamicPartitionsDefinition("customers")
    grid = MultiPartitionsDefinition(
        {"region": StaticPartitionsDefinition(["eu", "us"]), "customer": customers}
    )

    @asset(partitions_def=grid)
    def orders(context: AssetExecutionContext) -> str:
        return context.partition_key

    instance.storage.add_dynamic_partitions("customers", ["acme", "globex"])
    result = materialize([orders], all_partitions=True, instance=instance)
    assert result.success
    assert sorted(result.materialized_partitions[orders.key]) == [
        "acme|eu",
        "acme|us",
        "globex|eu",
        "globex|us",
    ]
    assert result.output_for("orders", "globex|us") == "globex|us"


def test_partitioned_assets_need_partitions_named() -> None:
    with pytest.raises(UsageError, match="--all-partitions"):
        materialize([clicks])


def test_the_clock_is_injectable() -> None:
    open_ended = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(partitions_def=open_ended)
    def days() -> int:
        return 1

    result = materialize(
        [days], all_partitions=True, current_time=datetime(2025, 1, 4, 12, tzinfo=UTC)
    )
    assert result.plan.step_keys == ["days[2025-01-01]", "days[2025-01-02]", "days[2025-01-03]"]


monthly = MonthlyPartitionsDefinition(start_date="2025-01-01", end_date="2025-04-01")


@asset(partitions_def=monthly)
def month_totals(context: AssetExecutionContext) -> str:
    return context.partition_key


@pytest.mark.parametrize(
    ("assets", "options", "words"),
    [
        (
            [daily_clicks, clicks],
            {"selection": "daily_clicks", "partition_key": "2025-02-05"},
            ("'daily_clicks'", "'2025-02-05' is after", "'2025-01-01' to '2025-01-31'"),
        ),
        (
            [daily_clicks, clicks],
            {"selection": "daily_clicks", "partition_range": "2025-01-30...2025-02-03"},
            ("'daily_clicks'", "'2025-02-03' is after", "'2025-01-01' to '2025-01-31'"),
        ),
        (
            [daily_clicks, clicks],
            {"selection": "daily_clicks", "partition_key": "2024-12-31"},
            ("'daily_clicks'", "'2024-12-31' is before", "'2025-01-01' to '2025-01-31'"),
        ),
        (  # a day names the hours of that day: not past the hourly asset's end either
            [clicks],
            {"partition_key": "2025-02-03"},
            ("'clicks'", "'2025-02-03' is after", "'2025-01-01-00:00' to '2025-01-31-23:00'"),
        ),
        (  # a day names its month: a day in a month after the end is refused too
            [month_totals],
            {"partition_key": "2025-05-03"},
            ("'month_totals'", "'2025-05-03' is after", "'2025-01-01' to '2025-03-01'"),
        ),
    ],
)
def test_a_partition_outside_the_definition_names_its_first_and_last_keys(
    assets: list[Any], options: dict[str, Any], words: tuple[str, ...], instance: Instance
) -> None:
    with pytest.raises(UsageError) as refused:
        materialize(assets, instance=instance, **options)
    for word in words:
        assert word in str(refused.value), str(refused.value)
    assert instance.storage.list_runs() == [], "nothing is recorded"


def test_a_day_still_names_the_hours_inside_the_hourly_definition(instance: Instance) -> None:
    result = materialize([clicks], partition_key="2025-01-31", instance=instance)
    assert result.success
    assert len(result.plan) == 24
