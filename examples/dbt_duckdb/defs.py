"""dbt on DuckDB between Python assets: raw data in Python, staging and marts in dbt, a report.

- ``raw/orders`` and ``raw/customers`` (Python) write tables ``raw__orders`` and
  ``raw__customers`` into a DuckDB file through the ``DuckDBIOManager``;
- the dbt project ``dbt_project/`` reads them as the dbt source ``raw`` (whose asset keys
  are ``raw/orders`` and ``raw/customers``: those Python assets), builds the seed
  ``regions``, the views ``stg_orders`` and ``stg_customers``, the table
  ``customer_revenue``, the snapshot ``customers_snapshot``, and runs its tests as asset
  checks;
- ``daily_revenue`` is a partitioned dbt model (tag ``daily``): each daily partition is
  one ``dbt build`` with the day's window as the vars ``min_date`` and ``max_date``;
- ``revenue_report`` (Python) reads the dbt model ``customer_revenue`` as a DataFrame
  through the same ``DuckDBIOManager``, which is the IO manager of the dbt assets.

The DuckDB file is ``$ASSETGRAPH_HOME/dbt_shop.duckdb`` (``ASSETGRAPH_HOME`` defaults to
``./.assetgraph``); ``profiles.yml`` reads its path from ``DBT_DUCKDB_PATH``, set here.

    cd examples/dbt_duckdb
    assetgraph materialize -f defs.py --select '*' --exclude daily_revenue
    assetgraph materialize -f defs.py --select daily_revenue --partition 2025-01-02
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from assetgraph import DailyPartitionsDefinition, DbtProject, Definitions, asset, dbt_assets
from io_managers.duckdb import DuckDBIOManager

HERE = Path(__file__).resolve().parent
HOME = Path(os.environ.get("ASSETGRAPH_HOME", ".assetgraph")).resolve()
HOME.mkdir(parents=True, exist_ok=True)
WAREHOUSE = HOME / "dbt_shop.duckdb"
os.environ["DBT_DUCKDB_PATH"] = str(WAREHOUSE)

PROJECT = DbtProject(HERE / "dbt_project")
DAILY = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-02-01")


@asset(key_prefix="raw", io_manager_key="warehouse", group_name="raw")
def orders() -> pd.DataFrame:
    """Orders as the shop's system exports them (one has a zero amount)."""
    return pd.DataFrame(
        {
            "order_id": [1, 2, 3, 4, 5],
            "customer_id": [1, 2, 1, 3, 2],
            "ordered_on": ["2025-01-01", "2025-01-01", "2025-01-02", "2025-01-02", "2025-01-03"],
            "amount": [120.0, 80.0, 45.5, 0.0, 60.0],
        }
    )


@asset(key_prefix="raw", io_manager_key="warehouse", group_name="raw")
def customers() -> pd.DataFrame:
    """Customers and their country."""
    return pd.DataFrame(
        {"customer_id": [1, 2, 3], "name": ["Ada", "Bo", "Cy"], "country": ["DE", "US", "JP"]}
    )


shop = dbt_assets(PROJECT, exclude="tag:daily", io_manager_key="warehouse")
shop_daily = dbt_assets(
    PROJECT,
    select="tag:daily",
    name="dbt_shop_daily",
    partitions_def=DAILY,
    io_manager_key="warehouse",
)


@asset(group_name="finance")
def revenue_report(customer_revenue: pd.DataFrame) -> dict[str, float]:
    """Revenue per region, from the dbt model customer_revenue."""
    by_region = customer_revenue.groupby("region")["revenue"].sum()
    return {str(region): float(total) for region, total in by_region.items()}


defs = Definitions(
    assets=[orders, customers, shop, shop_daily, revenue_report],
    io_managers={"warehouse": DuckDBIOManager(WAREHOUSE)},
)
