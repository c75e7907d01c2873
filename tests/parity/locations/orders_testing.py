"""Assets as Dagster's "Testing assets" docs write them: observations of what was read,
a ``Failure`` with metadata when the input is unusable, and an asset check.

Only the imports of this file change when it is ported.
"""

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetObservation,
    Definitions,
    Failure,
    MetadataValue,
    Output,
    RetryPolicy,
    asset,
    asset_check,
)

ORDERS = [
    {"order_id": 1, "region": "eu", "amount": 12.5},
    {"order_id": 2, "region": "us", "amount": 30.0},
    {"order_id": 3, "region": "eu", "amount": 7.5},
]


@asset
def raw_orders(context: AssetExecutionContext) -> list:
    context.log_event(
        AssetObservation(
            asset_key="raw_orders",
            description="rows fetched from the shop",
            metadata={
                "row_count": len(ORDERS),
                "source": MetadataValue.url("https://shop.example"),
            },
        )
    )
    return list(ORDERS)


@asset(retry_policy=RetryPolicy(max_retries=3))
def cleaned_orders(raw_orders: list) -> list:
    bad = [row for row in raw_orders if row["amount"] <= 0]
    if bad:
        raise Failure(
            description=f"{len(bad)} orders have no amount",
            metadata={"bad_order_ids": [row["order_id"] for row in bad]},
            allow_retries=False,
        )
    return raw_orders


@asset
def revenue_by_region(cleaned_orders: list):
    totals: dict = {}
    for row in cleaned_orders:
        totals[row["region"]] = totals.get(row["region"], 0.0) + row["amount"]
    yield AssetObservation(asset_key="cleaned_orders", metadata={"regions": len(totals)})
    yield Output(totals, metadata={"regions": len(totals)})


@asset_check(asset=revenue_by_region)
def revenue_is_positive(revenue_by_region: dict) -> AssetCheckResult:
    return AssetCheckResult(
        passed=all(total > 0 for total in revenue_by_region.values()),
        metadata={"total": sum(revenue_by_region.values())},
    )


defs = Definitions(
    assets=[raw_orders, cleaned_orders, revenue_by_region], asset_checks=[revenue_is_positive]
)
