"""Quickstart: orders from a CSV -> cleaned orders -> daily revenue and top customers.

Run it with ``assetgraph materialize -f examples/quickstart/defs.py`` (or ``make demo``).
Each parameter name is an upstream asset: ``cleaned_orders(orders)`` reads ``orders``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assetgraph import AssetExecutionContext, Config, Definitions, asset

DATA = Path(__file__).parent / "data" / "orders.csv"


@asset(group="raw", owners=["data@example.com"], description="Orders as exported by the shop.")
def orders() -> pd.DataFrame:
    return pd.read_csv(DATA, parse_dates=["ordered_at"])


@asset(group="clean", tags={"tier": "silver"})
def cleaned_orders(context: AssetExecutionContext, orders: pd.DataFrame) -> pd.DataFrame:
    """Paid orders only, one row per order, with a known amount."""
    paid = orders[orders["status"] == "paid"].dropna(subset=["amount"])
    cleaned = paid.drop_duplicates("order_id").assign(day=lambda df: df["ordered_at"].dt.date)
    context.log.info("kept %d of %d orders", len(cleaned), len(orders))
    return cleaned.reset_index(drop=True)


@asset(group="marts", tags={"tier": "gold"})
def daily_revenue(cleaned_orders: pd.DataFrame) -> pd.DataFrame:
    """Revenue and order count per day."""
    return (
        cleaned_orders.groupby("day", as_index=False)
        .agg(revenue=("amount", "sum"), orders=("order_id", "count"))
        .round({"revenue": 2})
    )


class TopCustomersConfig(Config):
    """How many customers the ranking keeps (``--config`` can change it)."""

    top: int = 5


@asset(group="marts", tags={"tier": "gold"})
def top_customers(cleaned_orders: pd.DataFrame, config: TopCustomersConfig) -> pd.DataFrame:
    """The customers who spent the most."""
    spend = cleaned_orders.groupby(["customer", "region"], as_index=False)["amount"].sum()
    return spend.nlargest(config.top, "amount").round({"amount": 2}).reset_index(drop=True)


defs = Definitions(assets=[orders, cleaned_orders, daily_revenue, top_customers])
