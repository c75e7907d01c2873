"""An unpartitioned summary of the latest daily partition, kept up to date by Dagster's
eager automation condition. Only the imports of this file change when it is ported."""

from dagster import (
    AssetExecutionContext,
    AssetIn,
    AutomationCondition,
    DailyPartitionsDefinition,
    Definitions,
    LastPartitionMapping,
    asset,
)

daily = DailyPartitionsDefinition(start_date="2025-06-01", end_date="2025-06-08")


@asset(partitions_def=daily)
def daily_signups(context: AssetExecutionContext) -> dict:
    return {"day": context.partition_key, "signups": int(context.partition_key[-2:]) * 10}


@asset(
    ins={"daily_signups": AssetIn(partition_mapping=LastPartitionMapping())},
    automation_condition=AutomationCondition.eager(),
)
def latest_signups(daily_signups: dict) -> dict:
    return daily_signups


defs = Definitions(assets=[daily_signups, latest_signups])
