"""Freshness checks, a schedule and the freshness sensor, as Dagster's docs on asset
freshness checks write them. Only the imports of this file change when it is ported."""

from datetime import timedelta

from dagster import (
    AssetExecutionContext,
    DailyPartitionsDefinition,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    ScheduleDefinition,
    asset,
    build_last_update_freshness_checks,
    build_sensor_for_freshness_checks,
    build_time_partition_freshness_checks,
    define_asset_job,
)

daily = DailyPartitionsDefinition(start_date="2025-03-01")


@asset(partitions_def=daily)
def page_views(context: AssetExecutionContext) -> dict:
    return {"day": context.partition_key, "views": 100}


@asset
def traffic_report() -> str:
    return "all good"


report_freshness = build_last_update_freshness_checks(
    assets=[traffic_report], lower_bound_delta=timedelta(hours=2)
)
page_views_freshness = build_time_partition_freshness_checks(
    assets=[page_views], deadline_cron="0 9 * * *", timezone="UTC"
)
freshness_sensor = build_sensor_for_freshness_checks(
    freshness_checks=[*report_freshness, *page_views_freshness],
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
)
report_job = define_asset_job("report_job", selection="traffic_report")
hourly_report = ScheduleDefinition(
    job=report_job, cron_schedule="0 * * * *", default_status=DefaultScheduleStatus.STOPPED
)

defs = Definitions(
    assets=[page_views, traffic_report],
    asset_checks=[*report_freshness, *page_views_freshness],
    schedules=[hourly_report],
    sensors=[freshness_sensor],
)
