"""Helpers for automation tests: an instance on a real database, ticks at chosen times,
and materializations recorded at chosen times."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assetgraph import Instance
from assetgraph.automation.daemon import TickOutcome, run_tick
from assetgraph.automation.evaluator import EvaluationSettings
from assetgraph.automation.runs import InProcessLauncher
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def at(hours: float = 0.0, days: float = 0.0) -> datetime:
    return T0 + timedelta(hours=hours, days=days)


@pytest.fixture
def instance(storage_url: str, tmp_path: Path) -> Iterator[Instance]:
    """An instance on SQLite, then on the test PostgreSQL (skipped without a server)."""
    found = Instance(storage_url=storage_url, home=tmp_path / "home")
    found.storage.upgrade()
    yield found
    found.storage.dispose()


@pytest.fixture
def sqlite_instance(tmp_path: Path) -> Instance:
    found = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    found.storage.upgrade()
    return found


def tick(
    defs: Any,
    instance: Instance,
    now: datetime,
    launcher: Any = None,
    settings: EvaluationSettings | None = None,
    dry_run: bool = False,
) -> TickOutcome:
    """One tick at ``now``; runs execute in this process unless another launcher is given."""
    outcome = run_tick(
        defs,
        instance,
        now=now,
        launcher=launcher or InProcessLauncher(defs, instance),
        settings=settings,
        dry_run=dry_run,
    )
    assert outcome.status != "failure", outcome.payload
    return outcome


def targets(outcome: TickOutcome) -> list[dict[str, list[str]]]:
    """The runs a tick launched, as asset -> partition ranges."""
    return [run["targets"] for run in outcome.runs]


def entry(outcome: TickOutcome, key: str) -> dict[str, Any]:
    """The recorded decision for one asset."""
    return dict(outcome.payload["assets"][key])


def record(
    instance: Instance,
    key: str,
    when: datetime,
    partition: str | None = None,
    data_version: str | None = None,
    run_id: str = "manual",
) -> None:
    """A materialization of ``key`` recorded at ``when`` (as a run outside automation)."""
    instance.storage.store_events(
        [
            EventRecord(
                run_id,
                EventType.ASSET_MATERIALIZATION,
                when.timestamp(),
                asset_key=key,
                partition_key=partition,
                payload={"data_version": data_version or uuid.uuid4().hex, "code_version": "v"},
            )
        ]
    )


class RecordingLauncher:
    """Starts nothing: records a queued-then-started run per request, like a background
    launcher whose runs are still going."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.requests: list[dict[str, Any]] = []
        self.run_ids: list[str] = []

    def launch(self, request: Any) -> str | None:
        queued = request.get("run_id")
        if queued is not None:  # a run of the run queue starts under its queued id
            self.instance.storage.update_run(queued, status=RunStatus.STARTED, started_at=0.0)
            self.requests.append(dict(request))
            self.run_ids.append(queued)
            return None
        run_id = uuid.uuid4().hex
        self.instance.storage.create_run(
            RunRecord(
                run_id=run_id,
                status=RunStatus.STARTED,
                created_at=0.0,
                asset_keys=tuple(request["targets"]),
                tags=dict(request["tags"]),
            )
        )
        self.requests.append(dict(request))
        self.run_ids.append(run_id)
        return None
