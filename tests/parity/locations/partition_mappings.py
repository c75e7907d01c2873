"""Partition mappings between multi-partitioned assets, and specific upstream partitions.

In the style of Dagster's partitions docs (``MultiPartitionMapping`` with
``DimensionPartitionMapping``, ``SpecificPartitionsPartitionMapping``); only the imports
of this file change when it is ported.
"""

from dagster import (
    AssetExecutionContext,
    AssetIn,
    DailyPartitionsDefinition,
    Definitions,
    DimensionPartitionMapping,
    IdentityPartitionMapping,
    LastPartitionMapping,
    MultiPartitionKey,
    MultiPartitionMapping,
    MultiPartitionsDefinition,
    SpecificPartitionsPartitionMapping,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    WeeklyPartitionsDefinition,
    asset,
)

regions = StaticPartitionsDefinition(["eu", "us"])
daily_by_region = MultiPartitionsDefinition(
    {
        "date": DailyPartitionsDefinition(start_date="2025-01-05", end_date="2025-01-19"),
        "region": regions,
    }
)
weekly_by_region = MultiPartitionsDefinition(
    {
        "week": WeeklyPartitionsDefinition(start_date="2025-01-05", end_date="2025-01-19"),
        "region": regions,
    }
)


@asset(partitions_def=daily_by_region)
def daily_sales(context: AssetExecutionContext) -> dict:
    key = context.partition_key
    assert isinstance(key, MultiPartitionKey)
    dims = key.keys_by_dimension
    day = int(dims["date"][-2:])
    return {
        "date": dims["date"],
        "region": dims["region"],
        "amount": day * (2 if dims["region"] == "us" else 1),
    }


@asset(
    partitions_def=weekly_by_region,
    ins={
        "daily_sales": AssetIn(
            partition_mapping=MultiPartitionMapping(
                {
                    "date": DimensionPartitionMapping(
                        dimension_name="week", partition_mapping=TimeWindowPartitionMapping()
                    ),
                    "region": DimensionPartitionMapping(
                        dimension_name="region", partition_mapping=IdentityPartitionMapping()
                    ),
                }
            )
        )
    },
)
def weekly_sales(context: AssetExecutionContext, daily_sales) -> dict:
    days = daily_sales.values() if isinstance(daily_sales, dict) else [daily_sales]
    context.log.info(f"{len(list(days))} days read")
    rows = list(daily_sales.values())
    return {
        "region": {row["region"] for row in rows}.pop(),
        "days": sorted(row["date"] for row in rows),
        "amount": sum(row["amount"] for row in rows),
    }


currency_pairs = StaticPartitionsDefinition(["reference", "usd_eur", "usd_gbp"])


@asset(partitions_def=currency_pairs)
def exchange_rates(context: AssetExecutionContext) -> dict:
    return {
        "pair": context.partition_key,
        "rate": 1.0 if context.partition_key == "reference" else 0.9,
    }


@asset(
    partitions_def=regions,
    ins={
        "exchange_rates": AssetIn(
            partition_mapping=SpecificPartitionsPartitionMapping(["reference"])
        )
    },
)
def regional_prices(context: AssetExecutionContext, exchange_rates: dict) -> dict:
    return {"region": context.partition_key, "rate": exchange_rates["rate"]}


@asset(
    ins={
        "exchange_rates": AssetIn(
            partition_mapping=SpecificPartitionsPartitionMapping(["reference"])
        )
    }
)
def reference_rate(exchange_rates: dict) -> float:
    return exchange_rates["rate"]


@asset(ins={"exchange_rates": AssetIn(partition_mapping=LastPartitionMapping())})
def latest_pair(exchange_rates: dict) -> str:
    return exchange_rates["pair"]


defs = Definitions(
    assets=[
        daily_sales,
        weekly_sales,
        exchange_rates,
        regional_prices,
        reference_rate,
        latest_pair,
    ]
)
