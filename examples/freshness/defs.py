"""Freshness and automation: hourly raw data, eager cleaned data, a lazy daily aggregate
that must be ready by 01:00 each day, a report on a cron schedule, a file-arrival sensor,
and a sensor that alerts when a freshness policy starts or stops failing.

    assetgraph automate -f examples/freshness/defs.py            # the daemon
    assetgraph automate -f examples/freshness/defs.py --now 2025-01-02T00:00:00 --once
    assetgraph automate why daily_summary
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from assetgraph import (
    AutomationPolicy,
    DailyPartitionsDefinition,
    DefaultSensorStatus,
    Definitions,
    FreshnessPolicy,
    FreshnessPolicySensorContext,
    FreshnessState,
    HourlyPartitionsDefinition,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    asset,
    freshness_policy_sensor,
    sensor,
)

hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00")
daily = DailyPartitionsDefinition(start_date="2025-01-01")


@asset(partitions_def=hourly, group="ingest", automation_policy=AutomationPolicy.eager())
def raw_events(context) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """One hour of events (made up here; fetched from an API in real life)."""
    hour = int(str(context.partition_key)[-5:-3])
    return [{"hour": hour, "value": hour * 10 + i} for i in range(3)]


@asset(partitions_def=hourly, group="ingest", automation_policy=AutomationPolicy.eager())
def cleaned_events(raw_events: list[dict[str, object]]) -> list[dict[str, object]]:
    """The hour's events without duplicates; built as soon as its raw hour is."""
    seen: set[object] = set()
    return [e for e in raw_events if not (e["value"] in seen or seen.add(e["value"]))]


@asset(
    partitions_def=daily,
    group="reporting",
    automation_policy=AutomationPolicy.lazy(),
    freshness_policy=FreshnessPolicy(maximum_lag_minutes=60, cron_schedule="0 1 * * *"),
)
def daily_summary(cleaned_events: dict[str, list[dict[str, object]]]) -> dict[str, int]:
    """A day of cleaned events summed up; only built when its freshness policy needs it:
    by 01:00, yesterday must be in."""
    events = [e for hour in cleaned_events.values() for e in hour]
    return {"events": len(events), "total": sum(int(str(e["value"])) for e in events)}


@asset(group="reporting", automation_policy=AutomationPolicy.on_cron("0 6 * * *"))
def report(daily_summary: dict[str, dict[str, int]]) -> str:
    """Every morning at 06:00, if a new day was summed up."""
    return json.dumps(daily_summary, sort_keys=True)


@asset(group="ingest")
def uploads(context) -> list[str]:  # type: ignore[no-untyped-def]
    """The files dropped into the incoming folder (built by the sensor below)."""
    return sorted(p.name for p in incoming_dir().glob("*.csv"))


def incoming_dir() -> Path:
    return Path(os.environ.get("FRESHNESS_INCOMING", "incoming"))


@sensor(selection="uploads", minimum_interval_seconds=0, default_status=DefaultSensorStatus.RUNNING)
def new_files(context: SensorEvaluationContext):  # type: ignore[no-untyped-def]
    """A file-arrival sensor: one run per batch of new .csv files; the cursor holds the
    newest modification time seen, so a file is never picked up twice."""
    seen = float(context.cursor or 0)
    files = [p for p in incoming_dir().glob("*.csv") if p.stat().st_mtime > seen]
    if not files:
        yield SkipReason(f"no new file in {incoming_dir()}")
        return
    newest = max(p.stat().st_mtime for p in files)
    yield RunRequest(
        run_key=f"files-{newest}", tags={"files": ",".join(sorted(p.name for p in files))}
    )
    context.update_cursor(str(newest))


@freshness_policy_sensor(
    asset_selection=["daily_summary"], default_status=DefaultSensorStatus.RUNNING
)
def freshness_alert(context: FreshnessPolicySensorContext) -> None:
    """Called once per change of the summary's freshness state (pass, warn, fail); a real
    one would page the team or post to a channel."""
    if context.new_state is FreshnessState.FAIL:
        context.log.warning(f"{context.asset_key.to_string()} is late: its freshness policy fails")
    elif context.previous_state is FreshnessState.FAIL:
        context.log.info(f"{context.asset_key.to_string()} is fresh again")


defs = Definitions(
    assets=[raw_events, cleaned_events, daily_summary, report, uploads],
    sensors=[new_files, freshness_alert],
)
