"""examples/freshness driven through three simulated days with ``assetgraph automate --now``:
every run launched is checked, step by step, against the expected list."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app
from assetgraph.storage.instance import Instance
from assetgraph.storage.records import EventType, RunStatus

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "freshness" / "defs.py"
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def hour_key(hour: int) -> str:
    return (T0 + timedelta(hours=hour)).strftime("%Y-%m-%d-%H:%M")


def day_key(day: int) -> str:
    return (T0 + timedelta(days=day)).strftime("%Y-%m-%d")


def expected_runs(h: int) -> list[dict[str, list[str]]]:
    """The runs the tick at hour ``h`` must launch."""
    if h == 0:
        return []
    run = {"raw_events": [hour_key(h - 1)], "cleaned_events": [hour_key(h - 1)]}
    if h % 24 == 0:  # midnight: yesterday's summary is due by 01:00
        run["daily_summary"] = [day_key(h // 24 - 1)]
    if h == 24:  # the 06:00 tick of day 1 waited for a summary; it comes now
        run["report"] = []
    runs = [run]
    if h == 54:  # 06:00 on day 3: a new summary since the last report
        runs.append({"report": []})
    return runs


def steps_of(run: dict[str, list[str]]) -> list[str]:
    return [
        f"{name}[{key}]" if keys else name for name, keys in run.items() for key in keys or [""]
    ]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("FRESHNESS_INCOMING", str(tmp_path / "incoming"))
    return CliRunner()


def automate(cli: CliRunner, *args: str) -> dict[str, object]:
    result = cli.invoke(app, ["automate", "-f", str(EXAMPLE), *args, "--json"])
    assert result.exit_code == 0, result.output
    loaded: dict[str, object] = json.loads(result.output)
    return loaded


def test_three_days_of_ticks_launch_exactly_the_expected_runs(
    cli: CliRunner, tmp_path: Path
) -> None:
    storage = Instance.from_env().storage
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for h in range(0, 73):
        if h == 30:
            (incoming / "orders.csv").write_text("id\n1\n")
            os.utime(incoming / "orders.csv", (1_000_000, 1_000_000))
        tick = automate(cli, "--now", (T0 + timedelta(hours=h)).isoformat())
        runs = tick["runs"]
        assert isinstance(runs, list)
        automation_runs = [r for r in runs if r["origin"] == "automation"]
        assert [r["targets"] for r in automation_runs] == expected_runs(h), f"tick at hour {h}"
        for run in automation_runs:
            record = storage.get_run(run["run_id"])
            assert record is not None and record.status is RunStatus.SUCCESS, f"hour {h}"
            done = [
                e.step_key for e in storage.events_for_run(run["run_id"], [EventType.STEP_SUCCESS])
            ]
            assert done == steps_of(run["targets"]), f"steps of the run at hour {h}"
        sensor_runs = [r for r in runs if r["origin"] == "sensor:new_files"]
        assert len(sensor_runs) == (1 if h == 30 else 0), f"sensor runs at hour {h}"
        # The summary fails its policy until its first day is in (built at 24:00, seen at
        # 25:00); the freshness sensor is called on exactly these two changes.
        alert = tick["sensors"]["sensor:freshness_alert"]  # type: ignore[index]
        assert ("handled 1 change(s)" in str(alert)) == (h in (0, 25)), f"{alert} at hour {h}"
        if h == 24:
            assets = tick["assets"]
            assert isinstance(assets, dict)
            assert assets["daily_summary"]["reasons"] == [
                "freshness: no data yet (policy: at most 60 min old)"
            ]
            assert assets["raw_events"]["reasons"] == [
                "needed by the freshness policy of daily_summary (freshness: no data yet "
                "(policy: at most 60 min old))",
                f"missing partition {hour_key(23)} whose window ended",
            ]
            assert assets["report"]["reasons"] == [
                "cron tick 2025-01-01 06:00 UTC passed; missing: never materialized",
                "cron tick 2025-01-01 06:00 UTC passed; upstream daily_summary[2025-01-01] "
                "is requested this tick",
            ]
        if h == 30:
            assets = tick["assets"]
            assert isinstance(assets, dict)
            assert assets["report"]["reasons"] == [
                "cron tick 2025-01-02 06:00 UTC passed; already up to date with its upstreams"
            ]
        if h == 48:
            assets = tick["assets"]
            assert isinstance(assets, dict)
            assert assets["daily_summary"]["reasons"] == [
                "freshness: the cron tick 2025-01-03 01:00 UTC needs data from 2025-01-03 "
                "00:00 UTC or later, has data from 2025-01-02 00:00 UTC (lag 1440 min, max 60 min)"
            ]
    assert automate(cli, "--now", (T0 + timedelta(hours=73)).isoformat())["errors"] == []
    changes = [
        (event.asset_key, event.payload["previous_state"], event.payload["new_state"])
        for event in storage.events_for_run("__freshness__", [EventType.FRESHNESS_STATE_CHANGE])
    ]
    assert changes == [("daily_summary", "unknown", "fail"), ("daily_summary", "fail", "pass")]

    why = cli.invoke(app, ["automate", "why", "daily_summary", "--limit", "26"])
    assert why.exit_code == 0, why.output
    assert f"requested {day_key(2)} in " in why.output
    assert "because  freshness: the cron tick 2025-01-04 01:00 UTC" in why.output
    history = cli.invoke(app, ["automate", "history", "--limit", "3", "--json"])
    assert [row["tick_id"] for row in json.loads(history.output)] == [74, 73, 72]
    everything = cli.invoke(app, ["automate", "history", "--limit", "80", "--json"])
    recorded = {
        row["tick_id"]: [(c["asset"], c["new_state"]) for c in row["freshness_changes"]]
        for row in json.loads(everything.output)
        if row["freshness_changes"]
    }
    assert recorded == {1: [("daily_summary", "fail")], 26: [("daily_summary", "pass")]}


def test_dry_run_prints_what_a_tick_would_launch_and_launches_nothing(cli: CliRunner) -> None:
    result = cli.invoke(
        app, ["automate", "-f", str(EXAMPLE), "--now", "2025-01-01T03:00:00+00:00", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "1 run(s) would launch" in result.output
    # The daemon never ran: an eager policy catches up every hour since the start date.
    assert (
        "raw_events[2025-01-01-00:00...2025-01-01-02:00], "
        "cleaned_events[2025-01-01-00:00...2025-01-01-02:00]" in result.output
    )
    assert (
        "because  missing partitions 2025-01-01-00:00...2025-01-01-02:00 whose windows ended"
        in result.output
    )
    assert Instance.from_env().storage.list_runs() == []
    status = cli.invoke(app, ["status", "-f", str(EXAMPLE), "--json"])
    rows = {row["key"]: row for row in json.loads(status.output)}
    assert rows["daily_summary"]["freshness"]["violated"] is True
    assert rows["raw_events"]["freshness"] is None
