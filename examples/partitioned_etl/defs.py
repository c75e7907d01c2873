"""Partitioned ETL: daily raw events -> cleaned events -> a rolling 7-day aggregate -> a summary.

Every day from 2025-01-01 to 2025-02-28 is one partition. The events of a day are generated
from that day alone (a random generator seeded by the date, no network), so any partition
can be rebuilt at any time and gives the same rows.

- ``raw_events`` (parquet, one file per day): a few hundred events with some duplicated
  and some bad rows (missing or negative amounts, anonymous users).
- ``cleaned_events`` (parquet, one file per day): duplicates and bad rows dropped; the
  pandera schema ``CleanedEvents`` and the blocking check ``events_on_their_day`` must pass
  before a day is stored, so a bad day fails its step and keeps the previous file.
- ``rolling_7d`` (SQL table, rows of a day keyed by its ``day`` column): per user, the
  events and amount of the 7 days ending that day; it reads 7 partitions of
  ``cleaned_events`` through ``TimeWindowPartitionMapping(start_offset=-6)``.
- ``summary`` (SQL table, unpartitioned): one row per materialized day of ``rolling_7d``.

Parquet files go under ``$ASSETGRAPH_HOME/parquet`` and tables into
``$ASSETGRAPH_HOME/warehouse.db`` (``ASSETGRAPH_HOME`` defaults to ``./.assetgraph``).

``PARTITIONED_ETL_BAD_DAYS=2025-01-15[,...]`` makes the source deliver those days broken
(amounts in cents, timestamps shifted by a time-zone bug), to see the checks stop them.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
from pandera.typing import Series

from assetgraph import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetIn,
    DailyPartitionsDefinition,
    Definitions,
    TimeWindowPartitionMapping,
    asset,
    asset_check,
)
from io_managers.parquet import ParquetIOManager
from io_managers.sql import SQLTableIOManager

try:
    import pandera.pandas as pa
except ImportError:  # pandera < 0.24
    import pandera as pa  # type: ignore[no-redef]

HOME = Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()
WAREHOUSE = HOME / "warehouse.db"

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-03-01")

MEAN_USER = 40
"""Users are numbered from 1, low numbers far more active (exponential: mean id about 40);
user 0 stands for an anonymous visitor (a bad row)."""
MAX_AMOUNT = 1000.0
"""No single event is worth more than this; larger amounts mean a broken export."""
BAD_DAYS_ENV = "PARTITIONED_ETL_BAD_DAYS"
"""Comma-separated days the source delivers broken (see ``generate_events``)."""


def bad_days() -> set[str]:
    """The days named by ``PARTITIONED_ETL_BAD_DAYS`` (none by default)."""
    return {d.strip() for d in os.environ.get(BAD_DAYS_ENV, "").split(",") if d.strip()}


def generate_events(day: str, broken: bool = False) -> pd.DataFrame:
    """The raw events of ``day`` (``YYYY-MM-DD``): the same rows every time for one day.

    Columns: ``event_id`` (``<day>-<n>``), ``user_id``, ``ts`` (within the day), ``amount``.
    About 5% of the events appear twice, and about 6% are bad: no amount, a negative
    amount, or an anonymous user (``user_id`` 0). A ``broken`` day has the same events
    exported wrongly: amounts in cents and timestamps 12 hours late, so that some fall on
    the next day; cleaning does not repair that, the checks of ``cleaned_events`` stop it.
    """
    rng = random.Random(int(day.replace("-", "")))  # seeded by the date, not by hash()
    midnight = datetime.combine(date.fromisoformat(day), datetime.min.time())
    rows: list[tuple[str, int, datetime, float]] = []
    for n in range(rng.randrange(250, 350)):
        user = 1 + int(rng.expovariate(1 / MEAN_USER))
        amount = round(rng.uniform(1.0, 200.0), 2)
        roll = rng.random()
        if roll < 0.02:
            amount = float("nan")
        elif roll < 0.04:
            amount = -amount
        elif roll < 0.06:
            user = 0
        ts = midnight + timedelta(seconds=rng.randrange(86_400))
        rows.append((f"{day}-{n:04d}", user, ts, amount))
    rows.extend(rng.sample(rows, k=len(rows) // 20))  # duplicates: the same event twice
    rows.sort(key=lambda row: row[2])
    frame = pd.DataFrame(rows, columns=["event_id", "user_id", "ts", "amount"])
    frame = frame.astype({"user_id": "int64", "amount": "float64"})
    if broken:
        frame = frame.assign(amount=frame["amount"] * 100, ts=frame["ts"] + timedelta(hours=12))
    return frame


class CleanedEvents(pa.DataFrameModel):
    """What a day of ``cleaned_events`` must look like before it is stored."""

    event_id: Series[str] = pa.Field(unique=True)
    user_id: Series[int] = pa.Field(gt=0)
    ts: Series[pd.Timestamp]
    amount: Series[float] = pa.Field(gt=0, le=MAX_AMOUNT)

    class Config:
        strict = True


@asset(partitions_def=daily, group="events", io_manager_key="lake")
def raw_events(context: AssetExecutionContext) -> pd.DataFrame:
    """The day's events as the source delivers them, duplicates and bad rows included."""
    day = context.partition_key
    return generate_events(day, broken=day in bad_days())


@asset(partitions_def=daily, group="events", io_manager_key="lake", schema=CleanedEvents)
def cleaned_events(context: AssetExecutionContext, raw_events: pd.DataFrame) -> pd.DataFrame:
    """One row per event, known users only, positive amounts only."""
    unique = raw_events.drop_duplicates("event_id")
    cleaned = unique[(unique["user_id"] > 0) & (unique["amount"] > 0)]
    context.log.info("kept %d of %d raw rows", len(cleaned), len(raw_events))
    return cleaned.reset_index(drop=True)


@asset_check(asset=cleaned_events, blocking=True)
def events_on_their_day(
    context: AssetExecutionContext, cleaned_events: pd.DataFrame
) -> AssetCheckResult:
    """Every event of a day's partition happened on that day."""
    days = cleaned_events["ts"].dt.strftime("%Y-%m-%d")
    outside = cleaned_events[days != context.partition_key]
    return AssetCheckResult(
        passed=outside.empty,
        metadata={
            "events_outside_day": len(outside),
            "first_outside": outside["event_id"].head(3).tolist(),
        },
    )


@asset(
    partitions_def=daily,
    group="marts",
    io_manager_key="warehouse",
    metadata={"partition_expr": "day"},
    ins={
        "cleaned_events": AssetIn(
            partition_mapping=TimeWindowPartitionMapping(
                start_offset=-6, allow_nonexistent_upstream_partitions=True
            )
        )
    },
)
def rolling_7d(context: AssetExecutionContext, cleaned_events: pd.DataFrame) -> pd.DataFrame:
    """Per user: events, amount and active days over the 7 days ending on the partition's day.

    ``cleaned_events`` holds those 7 days concatenated (fewer in the first week of the
    definition: days before 2025-01-01 do not exist and are left out).
    """
    days = cleaned_events["ts"].dt.strftime("%Y-%m-%d")
    per_user = (
        cleaned_events.assign(active_day=days)
        .groupby("user_id", as_index=False)
        .agg(
            events=("event_id", "count"),
            amount=("amount", "sum"),
            active_days=("active_day", "nunique"),
        )
        .round({"amount": 2})
    )
    return per_user.assign(day=context.partition_key)[
        ["day", "user_id", "events", "amount", "active_days"]
    ]


@asset(group="marts", io_manager_key="warehouse")
def summary(rolling_7d: pd.DataFrame) -> pd.DataFrame:
    """One row per day of ``rolling_7d`` in the warehouse: active users, events and amount."""
    return (
        rolling_7d.groupby("day", as_index=False)
        .agg(active_users=("user_id", "count"), events=("events", "sum"), amount=("amount", "sum"))
        .round({"amount": 2})
        .sort_values("day", ignore_index=True)
    )


defs = Definitions(
    assets=[raw_events, cleaned_events, rolling_7d, summary],
    asset_checks=[events_on_their_day],
    io_managers={
        "lake": ParquetIOManager(HOME / "parquet"),
        "warehouse": SQLTableIOManager(f"sqlite:///{WAREHOUSE}"),
    },
)
