"""Retention: ``prune`` deletes old operational events and changes nothing assetgraph knows."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

import assetgraph.cli.main  # noqa: F401  (registers the commands)
from assetgraph import Definitions, Instance, StaticPartitionsDefinition, asset, materialize
from assetgraph.cli.app import app
from assetgraph.definitions.checks import asset_check
from assetgraph.errors import UsageError
from assetgraph.lineage.export import render_lineage
from assetgraph.status.checks import check_statuses
from assetgraph.status.staleness import compute_staleness
from assetgraph.storage import schema
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.storage.retention import (
    RETENTION_ENV,
    auto_prune,
    last_auto_prune,
    maybe_prune,
    parse_age,
    prune,
    retention_days,
)
from assetgraph.storage.sql_storage import SqlStorage

DAY = 86_400.0
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PARTS = StaticPartitionsDefinition(["a", "b", "c"])


def _definitions(versions: dict[str, int]) -> Definitions:
    @asset(partitions_def=PARTS, code_version="1")
    def raw(context: Any) -> str:
        return f"{context.partition_key}-{versions[context.partition_key]}"

    @asset(partitions_def=PARTS, code_version="1")
    def clean(raw: str) -> str:
        return raw.upper()

    @asset(code_version="1")
    def total(clean: dict[str, str]) -> int:
        return len(clean)

    @asset_check(asset=total)
    def positive(total: int) -> bool:
        return total > 0

    return Definitions(assets=[raw, clean, total], asset_checks=[positive])


def _backdate(storage: SqlStorage, seconds: float) -> None:
    """Move every event, run and index timestamp ``seconds`` into the past."""

    def work(conn: Any) -> None:
        ev, runs, index = schema.events, schema.runs, schema.asset_partitions
        conn.execute(update(ev).values(timestamp=ev.c.timestamp - seconds))
        conn.execute(
            update(runs).values(
                created_at=runs.c.created_at - seconds,
                started_at=runs.c.started_at - seconds,
                ended_at=runs.c.ended_at - seconds,
            )
        )
        conn.execute(
            update(index).values(
                materialized_at=index.c.materialized_at - seconds,
                failed_at=index.c.failed_at - seconds,
            )
        )

    storage.write(work)


def _snapshot(defs: Definitions, instance: Instance) -> dict[str, Any]:
    storage = instance.storage
    graph = defs.graph
    report = compute_staleness(graph, graph.all_keys, storage, NOW)
    latest = storage.latest_materializations()
    index = storage.read(lambda conn: conn.execute(select(schema.asset_partitions)).all())
    referenced = {
        value
        for row in index
        for value in (
            row.materialization_event_id,
            row.data_version_event_id,
            row.failure_event_id,
        )
        if value is not None
    }
    return {
        "staleness": repr(sorted(report.assets.items(), key=lambda item: str(item[0]))),
        "lineage": render_lineage(defs, instance, "json", now=NOW),
        "latest": latest,
        "payloads": storage.event_payloads(referenced),
        "index": sorted(tuple(row) for row in index),
        "checks": repr(check_statuses(storage, [k.to_string() for k in graph.all_keys])),
    }


def _pipeline(url: str, tmp_path: Path) -> tuple[Definitions, Instance, str]:
    """Three full runs, then an upstream change of one partition; all 60 days old; then a
    run still started with old events of its own."""
    instance = Instance(storage_url=url, home=tmp_path / "home")
    versions = {"a": 1, "b": 1, "c": 1}
    defs = _definitions(versions)
    for _ in range(3):
        assert materialize(defs, all_partitions=True, instance=instance).success
    versions["b"] = 2
    assert materialize(defs, selection="raw", partition_key="b", instance=instance).success
    storage = instance.storage
    # A failed attempt at clean[c], recorded in the index as its latest failure.
    storage.store_events(
        [
            EventRecord(
                run_id="failed-run",
                event_type=EventType.STEP_FAILURE,
                timestamp=time.time(),
                step_key="clean[c]",
                partition_key="c",
                payload={"asset_keys": ["clean"], "error": "boom"},
            )
        ]
    )
    _backdate(storage, 60 * DAY)
    running = "still-running"
    old = time.time() - 90 * DAY
    storage.create_run(RunRecord(running, RunStatus.STARTED, created_at=old, started_at=old))
    storage.store_events(
        [
            EventRecord(running, EventType.RUN_START, old),
            EventRecord(running, EventType.STEP_START, old, step_key="raw[a]"),
            EventRecord(running, EventType.LOG, old, step_key="raw[a]", message="working"),
        ]
    )
    return defs, instance, running


def test_prune_keeps_staleness_lineage_and_latest_materializations(
    storage_url: str, tmp_path: Path
) -> None:
    defs, instance, running = _pipeline(storage_url, tmp_path)
    storage = instance.storage
    before = _snapshot(defs, instance)
    stale = compute_staleness(defs.graph, defs.graph.all_keys, storage, NOW)
    assert any(s.status != "fresh" for s in stale.assets.values()), "a stale asset is shown"
    events_before = storage.count_events()
    runs_before = len(storage.list_runs(limit=None))

    preview = prune(storage, 30 * DAY, dry_run=True)
    assert preview.events > 0 and preview.runs > 0
    assert storage.count_events() == events_before, "a dry run deletes nothing"

    result = prune(storage, 30 * DAY, chunk=7)  # small chunks: many short transactions
    assert (result.events, result.runs) == (preview.events, preview.runs)
    assert storage.count_events() == events_before - result.events
    assert storage.count_events() < events_before
    assert result.events_by_type["step_start"] > 0
    assert result.kept_active == 3

    after = _snapshot(defs, instance)
    assert after == before
    for (asset_key, partition), record in after["latest"].items():
        payload = after["payloads"][record.event_id]
        assert payload["data_version"] == record.data_version, (asset_key, partition)
        assert "input_versions" in payload
    assert storage.count_events(EventType.STEP_FAILURE) == 1, "the index's failure stays"
    assert storage.count_events(EventType.ASSET_CHECK_EVALUATION) == 1, "the latest check"
    assert [e.event_type for e in storage.events_for_run(running)] == [
        EventType.RUN_START,
        EventType.STEP_START,
        EventType.LOG,
    ]
    runs_after = {run.run_id for run in storage.list_runs(limit=None)}
    assert running in runs_after
    assert len(runs_after) == runs_before - result.runs
    referenced_runs = {record.run_id for record in after["latest"].values()}
    assert referenced_runs <= runs_after | {"failed-run"}, "runs the index names stay"

    again = prune(storage, 30 * DAY)
    assert (again.events, again.runs) == (0, 0), "pruning is idempotent"


def test_recent_events_are_kept(tmp_path: Path) -> None:
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path / "home")
    defs = _definitions({"a": 1, "b": 1, "c": 1})
    for _ in range(2):
        materialize(defs, all_partitions=True, instance=instance)
    total = instance.storage.count_events()
    result = prune(instance.storage, 30 * DAY)
    assert (result.events, result.runs) == (0, 0)
    assert instance.storage.count_events() == total


@pytest.mark.parametrize(
    ("text", "seconds"), [("30d", 30 * DAY), ("12h", 12 * 3600.0), ("90m", 5400.0), ("1D", DAY)]
)
def test_parse_age(text: str, seconds: float) -> None:
    assert parse_age(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "d", "-1d", "1.5d", "3w", "30 days"])
def test_parse_age_refuses(text: str) -> None:
    with pytest.raises(UsageError, match="30d, 12h or 90m"):
        parse_age(text)


def test_cli_prune(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", url)
    _, instance, _ = _pipeline(url, tmp_path)
    events = instance.storage.count_events()
    runner = CliRunner()

    dry = runner.invoke(app, ["storage", "prune", "--older-than", "30d", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would delete" in dry.output and "step_start" in dry.output
    assert instance.storage.count_events() == events

    done = runner.invoke(app, ["storage", "prune", "--older-than", "30d", "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["events"] > 0 and not report["dry_run"]
    assert instance.storage.count_events() == events - report["events"]

    bad = runner.invoke(app, ["storage", "prune", "--older-than", "thirty"])
    assert bad.exit_code != 0
    assert "Invalid age 'thirty'" in bad.output + str(bad.stderr_bytes or b"", "utf-8")


def test_automatic_retention_runs_at_most_once_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = SqlStorage(f"sqlite:///{tmp_path}/auto.db")
    storage.upgrade()
    now = time.time()
    storage.store_events([EventRecord("r", EventType.LOG, now - 40 * DAY, message="old")])
    storage.create_run(RunRecord("r", RunStatus.SUCCESS, created_at=now - 40 * DAY))

    monkeypatch.delenv(RETENTION_ENV, raising=False)
    assert maybe_prune(storage, now=now, cwd=tmp_path) is None, "off unless configured"

    monkeypatch.setenv(RETENTION_ENV, "30")
    first = maybe_prune(storage, now=now, cwd=tmp_path)
    assert first is not None and (first.events, first.runs) == (1, 1)
    assert last_auto_prune(storage) == now
    assert maybe_prune(storage, now=now + 3600, cwd=tmp_path) is None, "once a day"
    assert maybe_prune(storage, now=now + DAY, cwd=tmp_path) is not None


def test_auto_prune_never_fails_its_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    storage = SqlStorage(f"sqlite:///{tmp_path}/auto.db")
    monkeypatch.setenv(RETENTION_ENV, "soon")
    assert auto_prune(storage) is None
    assert "Automatic retention skipped" in caplog.text
    monkeypatch.setenv(RETENTION_ENV, "30")
    assert auto_prune(storage) is not None
    assert auto_prune(storage) is None, "already ran today"


def test_retention_days_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RETENTION_ENV, raising=False)
    assert retention_days(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text("[tool.assetgraph]\nretention_days = 14\n")
    assert retention_days(tmp_path) == 14
    monkeypatch.setenv(RETENTION_ENV, "7")
    assert retention_days(tmp_path) == 7, "the environment wins"
    monkeypatch.setenv(RETENTION_ENV, "soon")
    with pytest.raises(UsageError, match="not a number"):
        retention_days(tmp_path)
    monkeypatch.setenv(RETENTION_ENV, "0")
    with pytest.raises(UsageError, match="positive"):
        retention_days(tmp_path)
