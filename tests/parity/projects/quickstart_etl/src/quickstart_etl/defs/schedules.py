# From dagster-io/dagster examples/quickstart_etl/src/quickstart_etl/defs/schedules.py
from dagster import ScheduleDefinition, define_asset_job

daily_refresh_schedule = ScheduleDefinition(
    job=define_asset_job(name="all_assets_job"), cron_schedule="0 0 * * *"
)
