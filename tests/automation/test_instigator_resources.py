"""Resources in schedules and sensors, as Dagster documents them: a parameter named after
a resource receives it, ``context.resources`` holds them, and the build_*_context helpers
take ``resources=`` for tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import (
    ConfigurableResource,
    DefinitionError,
    RunRequest,
    asset_sensor,
    build_schedule_context,
    build_sensor_context,
    schedule,
    sensor,
)
from assetgraph.cli.main import app

LOCATION = """
import os
import assetgraph as dg

class Inbox(dg.ConfigurableResource):
    names: list[str]
    owner: str

@dg.asset
def a():
    return 1

job = dg.define_asset_job("job", selection=[a])

@dg.sensor(job=job, default_status=dg.DefaultSensorStatus.RUNNING)
def files_sensor(context: dg.SensorEvaluationContext, inbox: Inbox):
    for name in inbox.names:
        yield dg.RunRequest(run_key=f"{inbox.owner}:{name}")

@dg.schedule(job=job, cron_schedule="0 0 * * *", default_status=dg.DefaultScheduleStatus.RUNNING)
def nightly(context: dg.ScheduleEvaluationContext):
    return dg.RunRequest(run_key="nightly-" + context.resources.inbox.names[0])

defs = dg.Definitions(
    assets=[a], jobs=[job], sensors=[files_sensor], schedules=[nightly],
    resources={"inbox": Inbox(names=["p", "q"], owner=dg.EnvVar("INBOX_OWNER"))},
)
"""


def test_sensors_and_schedules_receive_the_code_locations_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "defs.py").write_text(LOCATION)
    monkeypatch.setenv("INBOX_OWNER", "ops")
    runner = CliRunner()
    first = runner.invoke(app, ["automate", "-f", "defs.py", "--now", "2025-01-01T23:00", "--json"])
    found = json.loads(first.output)
    assert found["errors"] == [], found["errors"]
    keys = sorted(r["run_key"] for r in found["instigators"]["sensor:files_sensor"]["run_requests"])
    assert keys == ["ops:p", "ops:q"], "the EnvVar field was read when the sensor ran"
    second = runner.invoke(
        app, ["automate", "-f", "defs.py", "--now", "2025-01-02T00:00", "--json"]
    )
    [request] = json.loads(second.output)["instigators"]["schedule:nightly"]["run_requests"]
    assert request["run_key"] == "nightly-p"


class Counter(ConfigurableResource):
    start: int


def test_build_contexts_take_resources_and_misnamed_parameters_are_explained() -> None:
    @sensor(job_name="job")
    def counting(context, counter: Counter):  # type: ignore[no-untyped-def]
        return RunRequest(run_key=str(counter.start))

    sensor_context = build_sensor_context(resources={"counter": Counter(start=3)})
    [request] = counting.evaluate(sensor_context)
    assert request == RunRequest(run_key="3")

    @schedule(cron_schedule="0 0 * * *", job_name="job")
    def scheduled(counter: Counter):  # type: ignore[no-untyped-def]
        return RunRequest(run_key=f"s{counter.start}")

    context = build_schedule_context(resources={"counter": Counter(start=4)})
    assert scheduled.evaluate(context) == RunRequest(run_key="s4")

    @asset_sensor(asset_key="a", job_name="job")
    def watching(context, asset_event, counter: Counter):  # type: ignore[no-untyped-def]
        return RunRequest(run_key=f"{asset_event}-{counter.start}")

    from assetgraph.automation.schedules import call_with_context

    assert call_with_context(watching.asset_materialization_fn, sensor_context, "e") == RunRequest(
        run_key="e-3"
    )
    with pytest.raises(DefinitionError, match="'missing'.*resources: counter"):
        call_with_context(lambda context, missing: None, sensor_context)
