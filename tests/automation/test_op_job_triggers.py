"""Schedules and sensors that target an op job (``@job``): ``assetgraph automate`` runs its
ops as one recorded run, with the job's config merged under the request's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import Instance
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType, RunStatus

LOCATION = """
from assetgraph import (
    DefaultScheduleStatus, Definitions, RunRequest, ScheduleDefinition, job, op, sensor,
)


@op(config_schema={"n": int})
def produce(context):
    context.log.info(f"producing {context.op_config['n']}")
    return context.op_config["n"]


@op
def consume(x):
    return x + 1


@job(config={"ops": {"produce": {"config": {"n": 1}}}})
def nightly():
    consume(produce())


@sensor(job=nightly, default_status=DefaultScheduleStatus.RUNNING)
def poke(context):
    yield RunRequest(run_key="a", run_config={"ops": {"produce": {"config": {"n": 5}}}})


defs = Definitions(
    jobs=[nightly],
    schedules=[
        ScheduleDefinition(
            job=nightly, cron_schedule="0 0 * * *", default_status=DefaultScheduleStatus.RUNNING
        )
    ],
    sensors=[poke],
)
"""


def test_a_schedule_and_a_sensor_run_an_op_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    path = tmp_path / "op_triggers.py"
    path.write_text(LOCATION)

    out = CliRunner().invoke(
        app, ["automate", "-f", str(path), "--once", "--now", "2025-01-17T00:00:00+00:00", "--json"]
    )

    assert out.exit_code == 0, out.output
    runs = {run["origin"]: run for run in json.loads(out.output)["runs"]}
    assert set(runs) == {"schedule:nightly_schedule", "sensor:poke"}
    storage = Instance.from_env().storage
    logged = {}
    for origin, run in runs.items():
        record = storage.get_run(run["run_id"])
        assert record is not None and record.status is RunStatus.SUCCESS, origin
        assert record.tags["assetgraph/job"] == "nightly"
        events = storage.events_for_run(run["run_id"], [EventType.LOG])
        logged[origin] = [e.message for e in events]
    assert logged == {"schedule:nightly_schedule": ["producing 1"], "sensor:poke": ["producing 5"]}
