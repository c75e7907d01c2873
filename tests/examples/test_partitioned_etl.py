"""The partitioned ETL example: a 30-day backfill and a 3-day re-run through the CLI.

Every parquet file and SQL table must then hold exactly the rows recomputed here, in
plain Python, from the example's event generator: nothing missing and nothing duplicated
by the re-run.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

pytestmark = pytest.mark.slow  # month-long backfills through the CLI

ROOT = Path(__file__).resolve().parents[2]
DEFS = ROOT / "examples" / "partitioned_etl" / "defs.py"
CLI = [sys.executable, "-m", "assetgraph.cli.main"]

FIRST_DAY = date(2025, 1, 1)
BACKFILLED = [(FIRST_DAY + timedelta(days=i)).isoformat() for i in range(30)]
RERUN = ["2025-01-10", "2025-01-11", "2025-01-12"]
TOTAL_DAYS = 59  # 2025-01-01 up to the end date 2025-03-01, excluded
PARTITIONED = ("raw_events", "cleaned_events", "rolling_7d")


def cli(*args: str, env: dict[str, str] | None = None) -> str:
    location = [] if args[0] == "runs" else ["-f", str(DEFS)]  # runs commands read no code
    done = subprocess.run(
        [*CLI, *args, *location],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, f"assetgraph {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("partitioned_etl_defs", DEFS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_cleaned(raw: pd.DataFrame) -> list[tuple[str, int, float, str]]:
    """(event_id, user_id, amount, day) of each kept event: first of each id, good rows."""
    seen: set[str] = set()
    kept = []
    for event_id, user_id, ts, amount in raw.itertuples(index=False):
        if event_id in seen:
            continue
        seen.add(event_id)
        if user_id > 0 and not math.isnan(amount) and amount > 0:
            kept.append((event_id, int(user_id), float(amount), ts.date().isoformat()))
    return kept


def expected_rolling(
    cleaned: dict[str, list[tuple[str, int, float, str]]], day: str
) -> dict[int, tuple[int, float, int]]:
    """user -> (events, amount, active days) over the 7 days ending on ``day``."""
    end = date.fromisoformat(day)
    window = [end - timedelta(days=i) for i in range(7)]
    events: dict[int, int] = defaultdict(int)
    amounts: dict[int, float] = defaultdict(float)
    active: dict[int, set[str]] = defaultdict(set)
    for d in window:
        for _, user, amount, event_day in cleaned.get(d.isoformat(), []):
            events[user] += 1
            amounts[user] += amount
            active[user].add(event_day)
    return {user: (events[user], round(amounts[user], 2), len(active[user])) for user in events}


@pytest.fixture(scope="module")
def example() -> ModuleType:
    return load_example()


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An ``ASSETGRAPH_HOME`` after the 30-day backfill through the CLI, and what the CLI
    printed. The backfill is the slowest command here: it runs once, and each test that
    needs it works on a copy of its own (``start_from``)."""
    home = tmp_path_factory.mktemp("backfilled") / "ag-home"
    month = ("--partition-range", f"{BACKFILLED[0]}...{BACKFILLED[-1]}")
    output = cli("materialize", "--select", "*", *month, env={"ASSETGRAPH_HOME": str(home)})
    return home, output


def start_from(backfilled: tuple[Path, str], home: Path) -> str:
    """Copy the backfilled home into this test's ``home``; what the backfill printed."""
    source, output = backfilled
    shutil.copytree(source, home, dirs_exist_ok=True)
    return output


def test_backfill_then_rerun_leaves_exactly_the_expected_rows(
    isolated_home: Path, example: ModuleType, backfilled: tuple[Path, str]
) -> None:
    backfill = start_from(backfilled, isolated_home)
    assert "succeeded: 91 step(s) materialized" in backfill
    rerun_args = [arg for day in RERUN for arg in ("--partition", day)]
    rerun = cli("materialize", "--select", "*", *rerun_args)
    assert "succeeded: 10 step(s) materialized" in rerun

    raw = {day: example.generate_events(day) for day in BACKFILLED}
    cleaned = {day: expected_cleaned(frame) for day, frame in raw.items()}
    assert all(len(raw[d]) > len(cleaned[d]) for d in BACKFILLED), "generator has no bad rows"

    # Parquet: one file per backfilled day and asset, nothing else (no leftover temp files).
    lake = isolated_home / "parquet"
    for asset in ("raw_events", "cleaned_events"):
        names = sorted(p.name for p in (lake / asset).iterdir())
        assert names == [f"{day}.parquet" for day in BACKFILLED], f"{asset} files: {names}"
    for day in BACKFILLED:
        stored_raw = pd.read_parquet(lake / "raw_events" / f"{day}.parquet")
        pd.testing.assert_frame_equal(stored_raw, raw[day], obj=f"raw_events[{day}]")
        stored = pd.read_parquet(lake / "cleaned_events" / f"{day}.parquet")
        got = list(stored[["event_id", "user_id", "amount"]].itertuples(index=False, name=None))
        want = [(e, u, a) for e, u, a, _ in cleaned[day]]
        assert got == want, f"cleaned_events[{day}] differs from the generator's good rows"

    warehouse = sqlite3.connect(isolated_home / "warehouse.db")
    try:
        rolling_rows = warehouse.execute(
            "SELECT day, user_id, events, amount, active_days FROM rolling_7d"
        ).fetchall()
        summary_rows = warehouse.execute(
            "SELECT day, active_users, events, amount FROM summary ORDER BY day"
        ).fetchall()
    finally:
        warehouse.close()

    # rolling_7d: per day, exactly one row per active user of its 7-day window.
    by_day: dict[str, dict[int, tuple[int, float, int]]] = defaultdict(dict)
    for day, user, events, amount, active_days in rolling_rows:
        assert user not in by_day[day], f"rolling_7d has user {user} twice on {day}"
        by_day[day][user] = (events, amount, active_days)
    assert sorted(by_day) == BACKFILLED
    expected_summary = []
    for day in BACKFILLED:
        want_rolling = expected_rolling(cleaned, day)
        assert len(by_day[day]) == len(want_rolling), f"rolling_7d row count on {day}"
        for user, (events, amount, active_days) in want_rolling.items():
            got_events, got_amount, got_active = by_day[day][user]
            assert (got_events, got_active) == (events, active_days), f"rolling_7d {day} {user}"
            assert got_amount == pytest.approx(amount, abs=0.005), f"rolling_7d {day} {user}"
        expected_summary.append(
            (
                day,
                len(want_rolling),
                sum(v[0] for v in want_rolling.values()),
                sum(v[1] for v in want_rolling.values()),
            )
        )
    assert len(rolling_rows) == sum(row[1] for row in expected_summary)

    # summary: one row per materialized day, totals of rolling_7d.
    assert [row[:3] for row in summary_rows] == [row[:3] for row in expected_summary]
    for got, want in zip(summary_rows, expected_summary, strict=True):
        assert got[3] == pytest.approx(want[3], abs=0.01), f"summary amount on {got[0]}"


def test_partitions_status_and_list_after_a_backfill(
    isolated_home: Path, backfilled: tuple[Path, str]
) -> None:
    start_from(backfilled, isolated_home)

    for asset in PARTITIONED:
        ranges = json.loads(cli("partitions", "status", asset, "--json"))
        assert ranges == [
            {"status": "materialized", "first": "2025-01-01", "last": "2025-01-30", "count": 30},
            {"status": "missing", "first": "2025-01-31", "last": "2025-02-28", "count": 29},
        ], f"partitions status {asset}"

    rows: dict[str, Any] = {row["key"]: row for row in json.loads(cli("list", "--json"))}
    for asset in PARTITIONED:
        counts = {k: rows[asset]["partitions"][k] for k in ("total", "materialized", "missing")}
        assert counts == {"total": TOTAL_DAYS, "materialized": 30, "missing": 29}, asset
    assert rows["summary"]["last_materialization"] is not None

    planned = cli("materialize", "--select", "*", "--missing", "--dry-run")
    assert "Plan: 87 step(s)" in planned  # 29 days x 3 assets; summary already exists


def cli_failing(*args: str) -> str:
    done = subprocess.run(
        [*CLI, *args, "-f", str(DEFS)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, f"assetgraph {' '.join(args)} should fail:\n{done.stdout}"
    return done.stdout + done.stderr


def test_a_bad_day_is_stopped_by_the_schema_and_the_check(
    isolated_home: Path, example: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad, next_day = "2025-01-08", "2025-01-09"
    cli("materialize", "--select", "*", "--partition-range", "2025-01-01...2025-01-09")
    stored = isolated_home / "parquet" / "cleaned_events" / f"{bad}.parquet"
    before = stored.read_bytes()
    warehouse = isolated_home / "warehouse.db"

    def rolling_rows(day: str) -> list[Any]:
        with sqlite3.connect(warehouse) as conn:
            return conn.execute(
                "SELECT user_id, events, amount FROM rolling_7d WHERE day = ? ORDER BY user_id",
                (day,),
            ).fetchall()

    rolling_before = {day: rolling_rows(day) for day in (bad, next_day)}

    # The source delivers the day broken: amounts in cents, timestamps 12 hours late.
    monkeypatch.setenv(example.BAD_DAYS_ENV, bad)
    output = cli_failing(
        "materialize", "--select", "*", "--partition", bad, "--partition", next_day
    )
    assert "1 failed, 3 skipped" in output, output
    run_id = json.loads(cli("runs", "list", "--json", "--limit", "1"))[0]["run_id"]
    events = json.loads(cli("runs", "show", run_id, "--json"))["events"]
    outcome = {"step_success": "success", "step_failure": "failure", "step_skipped": "skipped"}
    steps = {e["step_key"]: outcome[e["event_type"]] for e in events if e["event_type"] in outcome}
    assert steps == {
        f"raw_events[{bad}]": "success",
        f"raw_events[{next_day}]": "success",
        f"cleaned_events[{bad}]": "failure",
        f"cleaned_events[{next_day}]": "success",
        f"rolling_7d[{bad}]": "skipped",
        f"rolling_7d[{next_day}]": "skipped",  # it reads the 7 days up to it, the bad one too
        "summary": "skipped",
    }

    # Nothing of the bad day was stored past the checks: the file and the tables are intact.
    assert stored.read_bytes() == before, "the previous cleaned_events file was overwritten"
    assert {day: rolling_rows(day) for day in (bad, next_day)} == rolling_before

    # The check results, with pandera's failure cases, in the event log ...
    checks = {
        (e["asset_key"], e["payload"]["check_name"], e["partition_key"]): e["payload"]
        for e in events
        if e["event_type"] == "asset_check_evaluation"
    }
    schema = checks[("cleaned_events", "pandera_schema", bad)]
    assert schema["passed"] is False and schema["blocking"] is True
    (case,) = schema["failure_cases"]["cases"]
    assert case["column"] == "amount" and case["check"] == "less_than_or_equal_to(1000.0)"
    assert case["count"] > 200 and all(value > 1000 for value in case["values"])
    custom = checks[("cleaned_events", "events_on_their_day", bad)]
    assert custom["passed"] is False and custom["metadata"]["events_outside_day"] > 0
    assert checks[("cleaned_events", "events_on_their_day", next_day)]["passed"] is True

    # ... in 'runs show' ...
    shown = cli("runs", "show", run_id)
    assert f"FAILED   cleaned_events[{bad}] schema CleanedEvents (blocking)" in shown
    assert "column amount: less_than_or_equal_to(1000.0):" in shown
    assert f"FAILED   cleaned_events[{bad}] events_on_their_day (blocking)" in shown

    # ... and in 'status'.
    status = cli("status")
    assert f"cleaned_events[{bad}]: check pandera_schema failed (blocking, run {run_id[:8]})" in (
        status
    )
    assert "  amount: less_than_or_equal_to(1000.0), " in status
    assert f"cleaned_events[{bad}]: check events_on_their_day failed (blocking" in status
    rows = {row["key"]: row for row in json.loads(cli("status", "--json"))}
    failing = [c["name"] for c in rows["cleaned_events"]["checks"] if not c["passed"]]
    assert failing == ["pandera_schema", "events_on_their_day"]

    # The source fixed, the day goes through and its checks pass again.
    monkeypatch.delenv(example.BAD_DAYS_ENV)
    cli("materialize", "--select", "*", "--partition", bad, "--partition", next_day)
    assert pd.read_parquet(stored).equals(pd.read_parquet(io.BytesIO(before)))
    rows = {row["key"]: row for row in json.loads(cli("status", "--json"))}
    assert all(c["passed"] for c in rows["cleaned_events"]["checks"])
