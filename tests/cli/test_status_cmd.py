"""``assetgraph status`` and ``materialize --stale`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assetgraph.cli.main import app

DEFS = """
from assetgraph import asset, DailyPartitionsDefinition

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-08")

@asset(partitions_def=daily, code_version="{version}")
def cleaned_orders(context):
    return context.partition_key

@asset(code_version="1")
def revenue(cleaned_orders):
    return len(cleaned_orders)
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_status_names_stale_partitions_and_root_causes_then_stale_rebuilds_them(
    tmp_path: Path,
) -> None:
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS.format(version="3f2a"))
    code, out, _ = invoke("status", "-f", str(defs))
    assert code == 0 and "cleaned_orders: 0 stale, 7 missing, 0 fresh of 7 partitions" in out
    assert "missing  2025-01-01...2025-01-07" in out and "revenue: missing" in out

    assert invoke("materialize", "-f", str(defs), "--all-partitions")[0] == 0
    code, out, _ = invoke("status", "-f", str(defs))
    assert out.strip() == "2 asset(s) fresh: nothing to do."

    defs.write_text(DEFS.format(version="9c1d"))
    code, out, _ = invoke("status", "-f", str(defs), "-p", "2025-01-03")
    assert "cleaned_orders[2025-01-03]: code changed (v: 3f2a -> 9c1d)" in out
    assert "revenue: upstream cleaned_orders[2025-01-01...2025-01-07] is stale" in out
    assert "root     cleaned_orders[2025-01-01...2025-01-07]: code changed (v: 3f2a -> 9c1d)" in out

    code, out, _ = invoke("status", "-f", str(defs), "--json")
    rows = {row["key"]: row for row in json.loads(out)}
    assert rows["cleaned_orders"]["counts"]["stale"] == 7
    assert rows["cleaned_orders"]["causes"][0]["cause"] == "code_changed"
    assert rows["cleaned_orders"]["causes"][0]["partitions"] == ["2025-01-01...2025-01-07"]
    assert rows["revenue"]["causes"][0]["upstream"] == "cleaned_orders"

    _, out, _ = invoke("list", "-f", str(defs), "--json")
    assert {row["key"]: row["status"] for row in json.loads(out)} == {
        "cleaned_orders": "stale",
        "revenue": "stale",
    }

    code, out, err = invoke("materialize", "-f", str(defs), "--stale")
    assert code == 0, err
    assert "succeeded: 8 step(s)" in out
    assert invoke("status", "-f", str(defs))[1].strip() == "2 asset(s) fresh: nothing to do."
    assert "Nothing to do" in invoke("materialize", "-f", str(defs), "--stale")[1]


FRESHNESS_DEFS = """
from datetime import timedelta
from assetgraph import FreshnessPolicy, HourlyPartitionsDefinition, asset

hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00", end_date="2025-01-01-06:00")

@asset(partitions_def=hourly,
       freshness_policy=FreshnessPolicy.partition_deadline(30, warn_minutes=10))
def readings(context):
    return context.partition_key

@asset(freshness_policy=FreshnessPolicy.time_window(fail_window=timedelta(hours=2)))
def summary():
    return 1
"""


def test_status_lists_overdue_partitions_as_ranges_and_exits_as_asked(tmp_path: Path) -> None:
    defs = tmp_path / "defs.py"
    defs.write_text(FRESHNESS_DEFS)
    assert (
        invoke("materialize", "-f", str(defs), "-s", "readings", "-p", "2025-01-01-02:00")[0] == 0
    )
    now = "2025-01-01T05:15:00+00:00"  # 00:00, 01:00, 03:00 overdue; 04:00 late
    code, out, _ = invoke("status", "-f", str(defs), "--now", now)
    assert code == 0, out
    assert "freshness: 1 of 2 policies violated, 1 unknown" in out
    assert (
        "  VIOLATED readings: 3 partitions overdue: 2025-01-01-00:00...2025-01-01-01:00, "
        "2025-01-01-03:00; 1 partition late (warn): 2025-01-01-04:00" in out
    )
    assert "(violated)" not in out and "unknown  summary: never materialized" in out

    code, out, _ = invoke("status", "-f", str(defs), "--now", now, "--fail-on-violation")
    assert code == 4, out
    code, _, _ = invoke("status", "-f", str(defs), "--now", now, "--fail-on-stale")
    assert code == 3  # readings has missing partitions, summary was never built
    code, _, _ = invoke(
        "status", "-f", str(defs), "--now", now, "--fail-on-stale", "--fail-on-violation"
    )
    assert code == 4

    code, out, _ = invoke("status", "-f", str(defs), "--now", now, "--json")
    rows = {row["key"]: row for row in json.loads(out)}
    assert rows["readings"]["freshness"]["state"] == "fail"
    assert rows["readings"]["freshness"]["overdue_partitions"] == [
        "2025-01-01-00:00...2025-01-01-01:00",
        "2025-01-01-03:00",
    ]
    assert rows["summary"]["freshness"]["state"] == "unknown"

    assert invoke("materialize", "-f", str(defs), "--all-partitions")[0] == 0
    code, out, _ = invoke(
        "status", "-f", str(defs), "--fail-on-stale", "--fail-on-violation", "--now", now
    )
    assert code == 0, out
    code, _, err = invoke("status", "-f", str(defs), "--now", "yesterday")
    assert code == 2 and "Invalid --now 'yesterday'" in err
