"""Sensors as Dagster writes them: ``@sensor(job=...)`` with run keys and run config,
``SensorResult`` with dynamic partitions requests, ``@asset_sensor``,
``@run_status_sensor`` / ``@run_failure_sensor``, and their running/stopped state."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import Instance, load_definitions
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType

from .conftest import at, tick

# Dagster's "Sensors" guide: a directory sensor, one run per new file (run_key = file name).
DOCS_DIRECTORY_SENSOR = """
import os

from assetgraph import (
    AssetSelection,
    Config,
    Definitions,
    RunRequest,
    SensorEvaluationContext,
    asset,
    define_asset_job,
    sensor,
)

MY_DIRECTORY = os.environ["MY_DIRECTORY"]


class FileConfig(Config):
    filename: str


@asset
def processed_file(config: FileConfig):
    with open(os.path.join(MY_DIRECTORY, config.filename)) as handle:
        return handle.read().upper()


my_job = define_asset_job(name="my_job", selection=AssetSelection.assets(processed_file))


@sensor(job=my_job, minimum_interval_seconds=5)
def my_directory_sensor(context: SensorEvaluationContext):
    for filename in sorted(os.listdir(MY_DIRECTORY)):
        filepath = os.path.join(MY_DIRECTORY, filename)
        if os.path.isfile(filepath):
            yield RunRequest(
                run_key=filename,
                run_config={"ops": {"processed_file": {"config": {"filename": filename}}}},
            )


defs = Definitions(assets=[processed_file], jobs=[my_job], sensors=[my_directory_sensor])
"""

# Dagster's "Dynamic partitions" guide: a sensor adds a partition per new image and
# requests a run of each in the same SensorResult.
DOCS_DYNAMIC_SENSOR = """
import os

from assetgraph import (
    AssetSelection,
    DefaultSensorStatus,
    Definitions,
    DynamicPartitionsDefinition,
    RunRequest,
    SensorResult,
    asset,
    define_asset_job,
    sensor,
)

images_partitions_def = DynamicPartitionsDefinition(name="images")


@asset(partitions_def=images_partitions_def)
def images(context):
    return f"processed {context.partition_key}"


images_job = define_asset_job(
    "images_job", AssetSelection.assets("images"), partitions_def=images_partitions_def
)


@sensor(job=images_job, default_status=DefaultSensorStatus.RUNNING)
def image_sensor(context):
    new_images = [
        img_filename
        for img_filename in sorted(os.listdir(os.getenv("MY_DIRECTORY")))
        if not context.instance.has_dynamic_partition(images_partitions_def.name, img_filename)
    ]

    return SensorResult(
        run_requests=[RunRequest(partition_key=img_filename) for img_filename in new_images],
        dynamic_partitions_requests=[images_partitions_def.build_add_request(new_images)],
    )


defs = Definitions(assets=[images], jobs=[images_job], sensors=[image_sensor])
"""


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def shared_storage(storage_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every command of a test on one metadata database (SQLite, then PostgreSQL)."""
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    return storage_url


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setenv("MY_DIRECTORY", str(folder))
    return folder


def automate(path: Path, now: str) -> dict[str, Any]:
    result = invoke("automate", "-f", str(path), "--now", now, "--json")
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.output)
    return found


def test_a_docs_directory_sensor_runs_each_file_once_after_being_started(
    tmp_path: Path, inbox: Path, shared_storage: str
) -> None:
    path = tmp_path / "defs.py"
    path.write_text(DOCS_DIRECTORY_SENSOR)
    (inbox / "a.txt").write_text("alpha")
    listed = json.loads(invoke("sensors", "list", "-f", str(path), "--json").output)
    assert [(r["name"], r["status"], r["job"]) for r in listed] == [
        ("my_directory_sensor", "STOPPED", "my_job")
    ]
    assert automate(path, "2025-01-01T00:00:00+00:00")["runs"] == [], "stopped by default"
    started = invoke("sensors", "start", "my_directory_sensor", "-f", str(path))
    assert started.exit_code == 0 and "Started sensor 'my_directory_sensor'" in started.output
    first = automate(path, "2025-01-01T00:01:00+00:00")
    assert [r["targets"] for r in first["runs"]] == [{"processed_file": []}]
    instance = Instance.from_env()
    assert pickle.loads((instance.storage_dir / "processed_file").read_bytes()) == "ALPHA"
    record = instance.storage.get_run(first["runs"][0]["run_id"])
    assert record is not None
    assert record.tags["assetgraph/run_key"] == "a.txt"
    assert record.tags["assetgraph/sensor"] == "my_directory_sensor"
    assert record.tags["assetgraph/job"] == "my_job"
    (inbox / "b.txt").write_text("beta")
    too_soon = automate(path, "2025-01-01T00:01:02+00:00")
    assert too_soon["runs"] == [], "minimum_interval_seconds=5 has not passed"
    second = automate(path, "2025-01-01T00:02:00+00:00")
    assert len(second["runs"]) == 1, "a.txt's run key was used already: only b.txt runs"
    assert pickle.loads((instance.storage_dir / "processed_file").read_bytes()) == "BETA"
    events = instance.storage.events_for_run(
        second["runs"][0]["run_id"], [EventType.ASSET_MATERIALIZATION]
    )
    assert [e.asset_key for e in events] == ["processed_file"]
    invoke("sensors", "stop", "my_directory_sensor", "-f", str(path))
    (inbox / "c.txt").write_text("gamma")
    assert automate(path, "2025-01-01T00:03:00+00:00")["runs"] == [], "stopped again"


def test_a_sensor_result_adds_dynamic_partitions_before_its_runs(
    tmp_path: Path, inbox: Path, shared_storage: str
) -> None:
    path = tmp_path / "defs.py"
    path.write_text(DOCS_DYNAMIC_SENSOR)
    (inbox / "cat.png").write_text("")
    (inbox / "dog.png").write_text("")
    dry = invoke("automate", "-f", str(path), "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert (
        "would add 2 partition(s) of 'images'"
        in json.loads(dry.output)["sensors"]["sensor:image_sensor"]
    )
    assert Instance.from_env().get_dynamic_partitions("images") == [], "a dry run changes nothing"
    first = automate(path, "2025-01-01T00:00:00+00:00")
    assert sorted(r["targets"]["images"][0] for r in first["runs"]) == ["cat.png", "dog.png"]
    instance = Instance.from_env()
    assert instance.get_dynamic_partitions("images") == ["cat.png", "dog.png"]
    stored = instance.storage_dir / "images" / "cat.png"
    assert pickle.loads(stored.read_bytes()) == "processed cat.png"
    assert "added 2 partition(s) to 'images'" in first["sensors"]["sensor:image_sensor"]
    second = automate(path, "2025-01-01T00:01:00+00:00")
    assert second["runs"] == [], "no new image: nothing to add, nothing to run"


def test_an_asset_sensor_fires_once_per_new_materialization(tmp_path: Path) -> None:
    from assetgraph import (
        AssetKey,
        DefaultSensorStatus,
        Definitions,
        EventLogEntry,
        RunRequest,
        SensorEvaluationContext,
        asset,
        asset_sensor,
        define_asset_job,
        materialize,
    )

    @asset
    def orders():  # type: ignore[no-untyped-def]
        return [1, 2, 3]

    @asset(deps=[orders])
    def order_summary():  # type: ignore[no-untyped-def]
        return "summary"

    summary_job = define_asset_job("summary_job", selection=[order_summary])
    seen: list[str] = []

    @asset_sensor(
        asset_key=AssetKey("orders"), job=summary_job, default_status=DefaultSensorStatus.RUNNING
    )
    def orders_sensor(context: SensorEvaluationContext, asset_event: EventLogEntry):  # type: ignore[no-untyped-def]
        assert asset_event.dagster_event is not None
        seen.append(asset_event.dagster_event.asset_key.to_string())
        yield RunRequest(run_key=context.cursor)

    defs = Definitions([orders, order_summary], jobs=[summary_job], sensors=[orders_sensor])
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    instance.storage.upgrade()
    assert tick(defs, instance, at(1)).runs == [], "orders was never materialized"
    materialize([orders], instance=instance)
    fired = tick(defs, instance, at(2))
    assert [r["targets"] for r in fired.runs] == [{"order_summary": []}]
    assert seen == ["orders"]
    assert pickle.loads((instance.storage_dir / "order_summary").read_bytes()) == "summary"
    assert tick(defs, instance, at(3)).runs == [], "the same materialization fires once"
    materialize([orders], instance=instance)
    assert len(tick(defs, instance, at(4)).runs) == 1


def test_run_status_and_failure_sensors_see_each_finished_run(tmp_path: Path) -> None:
    from assetgraph import (
        DagsterRunStatus,
        DefaultSensorStatus,
        Definitions,
        RunFailureSensorContext,
        RunRequest,
        RunStatusSensorContext,
        asset,
        define_asset_job,
        materialize,
        run_failure_sensor,
        run_status_sensor,
    )

    flag = tmp_path / "broken"

    @asset
    def fragile():  # type: ignore[no-untyped-def]
        if flag.exists():
            raise RuntimeError("fragile broke")
        return "ok"

    @asset
    def report():  # type: ignore[no-untyped-def]
        return "report"

    fragile_job = define_asset_job("fragile_job", selection=[fragile])
    report_job = define_asset_job("report_job", selection=[report])
    failures: list[tuple[str, str, str | None]] = []

    @run_status_sensor(
        run_status=DagsterRunStatus.SUCCESS,
        monitored_jobs=[fragile_job],
        request_job=report_job,
        default_status=DefaultSensorStatus.RUNNING,
    )
    def report_after_fragile(context: RunStatusSensorContext):  # type: ignore[no-untyped-def]
        return RunRequest(run_key=context.dagster_run.run_id)

    @run_failure_sensor(default_status=DefaultSensorStatus.RUNNING)
    def alert_on_failure(context: RunFailureSensorContext):  # type: ignore[no-untyped-def]
        failures.append(
            (
                context.dagster_run.job_name,
                context.dagster_run.status.value,
                context.failure_event.message,
            )
        )

    defs = Definitions(
        [fragile, report],
        jobs=[fragile_job, report_job],
        sensors=[report_after_fragile, alert_on_failure],
    )
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    instance.storage.upgrade()
    materialize([fragile], instance=instance)  # before the sensors ever ran: not seen
    assert tick(defs, instance, at(1)).runs == []
    defs.get_job_def("fragile_job").execute_in_process(instance=instance)
    fired = tick(defs, instance, at(2))
    assert [r["targets"] for r in fired.runs] == [{"report": []}]
    assert failures == []
    flag.write_text("")
    result = defs.get_job_def("fragile_job").execute_in_process(
        instance=instance, raise_on_error=False
    )
    assert not result.success
    tick(defs, instance, at(3))
    assert len(failures) == 1
    job_name, status, message = failures[0]
    assert (job_name, status) == ("fragile_job", "FAILURE")
    assert message is not None and "fragile" in message, message
    assert tick(defs, instance, at(4)).runs == [] and len(failures) == 1, "each run once"


def test_sensor_definition_follows_dagster_arguments() -> None:
    from assetgraph import (
        DefaultSensorStatus,
        RunRequest,
        SensorResult,
        SkipReason,
        build_sensor_context,
        sensor,
    )
    from assetgraph.errors import DefinitionError

    @sensor(job_name="some_job")
    def quiet(context):  # type: ignore[no-untyped-def]
        return SkipReason("nothing new")

    assert (quiet.name, quiet.minimum_interval_seconds, quiet.default_status) == (
        "quiet",
        30.0,
        DefaultSensorStatus.STOPPED,
    )
    assert quiet(build_sensor_context()) == SkipReason("nothing new")
    assert RunRequest("key-1").run_key == "key-1", "run_key is the first positional argument"
    with pytest.raises(DefinitionError, match="run_requests or skip_reason"):
        SensorResult(run_requests=[RunRequest()], skip_reason="no")

    @sensor(job_name="some_job")
    def wrong(context):  # type: ignore[no-untyped-def]
        yield "not a request"

    with pytest.raises(DefinitionError, match="yielded str"):
        wrong.evaluate(build_sensor_context())


def test_loading_a_sensor_location_from_a_file(tmp_path: Path, inbox: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(DOCS_DYNAMIC_SENSOR)
    defs = load_definitions(file=path)
    (sensor_def,) = defs.sensors
    assert sensor_def.job_name == "images_job"


def test_each_tick_records_what_each_sensor_gave(tmp_path: Path) -> None:
    from assetgraph import (
        DefaultSensorStatus,
        Definitions,
        RunRequest,
        SensorResult,
        asset,
        sensor,
    )

    calls: list[int] = []

    @asset
    def target() -> int:
        return 1

    @sensor(
        asset_selection="target",
        minimum_interval_seconds=0,
        default_status=DefaultSensorStatus.RUNNING,
    )
    def flaky(context):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the bucket is unreachable")
        return SensorResult(run_requests=[RunRequest(run_key=f"k{len(calls)}")], cursor="c" * 600)

    defs = Definitions([target], sensors=[flaky])
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    instance.storage.upgrade()
    first = tick(defs, instance, at(1)).payload["instigators"]["sensor:flaky"]
    assert first["status"] == "requested" and first["error"] is None
    assert first["run_requests"] == [{"run_key": "k1", "partitions": 1, "assets": ["target"]}]
    assert first["cursor"] == "c" * 500 + "…", "a long cursor is cut"
    second = tick(defs, instance, at(2)).payload["instigators"]["sensor:flaky"]
    assert second["status"] == "failure"
    assert second["error"] == "RuntimeError: the bucket is unreachable"
    assert second["run_requests"] == [] and "cursor" not in second


def test_the_ticks_holding_one_sensors_result_are_found_by_the_database(
    instance: Instance,
) -> None:
    from assetgraph import DefaultSensorStatus, Definitions, SkipReason, asset, sensor
    from assetgraph.storage.automation_store import AutomationStore

    @asset
    def target() -> int:
        return 1

    def quiet(context):  # type: ignore[no-untyped-def]
        return SkipReason("nothing new")

    running = DefaultSensorStatus.RUNNING
    defs = Definitions(
        [target],
        sensors=[
            sensor(name="a_b", asset_selection="target")(quiet),
            sensor(name="axb", asset_selection="target", default_status=running)(quiet),
        ],
    )
    for hour in (1, 2):
        tick(defs, instance, at(hour))
    store = AutomationStore(instance.storage)
    found = store.ticks_containing('"sensor:axb": {"status": ', limit=5)
    assert [t.payload["instigators"]["sensor:axb"]["status"] for t in found] == ["skipped"] * 2
    assert found[0].tick_id > found[1].tick_id, "newest first"
    assert store.ticks_containing('"sensor:a_b": {"status": ', limit=5) == [], "_ is no wildcard"
    older = store.ticks_containing('"sensor:axb": {"status": ', limit=5, before_id=found[0].tick_id)
    assert [t.tick_id for t in older] == [found[1].tick_id]
