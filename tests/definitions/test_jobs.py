"""Asset jobs: ``define_asset_job``, ``Definitions(jobs=...)``, ``execute_in_process`` and
``assetgraph materialize --job``, on code locations written as Dagster's docs write them."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetKey,
    AssetSelection,
    Config,
    DailyPartitionsDefinition,
    DefinitionError,
    Definitions,
    Instance,
    RunFailure,
    ScheduleDefinition,
    StaticPartitionsDefinition,
    UsageError,
    asset,
    define_asset_job,
    load_definitions,
)
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType

# Dagster's "asset jobs" page, imports rewritten (values returned instead of SQL run).
CEREALS = """
from assetgraph import AssetSelection, Definitions, asset, define_asset_job


@asset(group_name="cereals")
def cereals():
    return [{"name": "frosties", "sugar": 12}, {"name": "bran", "sugar": 3}]


@asset(group_name="cereals")
def sugary_cereals(cereals):
    return [cereal["name"] for cereal in cereals if cereal["sugar"] > 10]


@asset
def shopping_list(sugary_cereals):
    return sorted(sugary_cereals)


all_assets_job = define_asset_job(name="all_assets_job")
cereal_job = define_asset_job(
    name="cereal_job", selection=AssetSelection.groups("cereals"), tags={"team": "breakfast"}
)
shopping_job = define_asset_job("shopping_job", selection="shopping_list")

defs = Definitions(
    assets=[cereals, sugary_cereals, shopping_list],
    jobs=[all_assets_job, cereal_job, shopping_job],
)
"""

# Dagster's "partitioning assets" page, imports rewritten.
DAILY_SALES = """
from assetgraph import (
    AssetExecutionContext,
    DailyPartitionsDefinition,
    Definitions,
    asset,
    define_asset_job,
)

daily_partitions = DailyPartitionsDefinition(start_date="2024-01-01")


@asset(partitions_def=daily_partitions)
def daily_sales_data(context: AssetExecutionContext) -> dict:
    date = context.partition_key
    return {"date": date, "sales": int(date[-2:]) * 10}


@asset(partitions_def=daily_partitions, deps=[daily_sales_data])
def daily_sales_summary(context: AssetExecutionContext) -> str:
    return f"summary for {context.partition_key}"


daily_sales_job = define_asset_job(
    name="daily_sales_job",
    selection=[daily_sales_data, daily_sales_summary],
)

defs = Definitions(
    assets=[daily_sales_data, daily_sales_summary],
    jobs=[daily_sales_job],
)
"""

runner = CliRunner()


def write(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(source)
    return path


def stored(home: Path, key: str, partition: str | None = None) -> Any:
    from io_managers.pickle import PickleIOManager

    path = PickleIOManager(home / "storage").path_for(AssetKey.from_user(key), partition)
    return pickle.loads(path.read_bytes())


def only_run(instance: Instance) -> Any:
    runs = instance.storage.list_runs()
    assert len(runs) == 1, [r.run_id for r in runs]
    return runs[0]


def materialized_keys(instance: Instance, run_id: str) -> list[tuple[str, str | None]]:
    events = instance.storage.events_for_run(run_id, [EventType.ASSET_MATERIALIZATION])
    return sorted((e.asset_key or "", e.partition_key) for e in events)


# -- the CLI ---------------------------------------------------------------------------------


def test_materialize_job_runs_its_selection_with_its_tags(
    tmp_path: Path, isolated_home: Path
) -> None:
    defs_file = write(tmp_path, CEREALS)
    result = runner.invoke(app, ["materialize", "-f", str(defs_file), "--job", "cereal_job"])
    assert result.exit_code == 0, result.output
    assert stored(isolated_home, "sugary_cereals") == ["frosties"]
    instance = Instance.from_env()
    run = only_run(instance)
    assert run.tags["assetgraph/job"] == "cereal_job"
    assert run.tags["team"] == "breakfast"
    assert materialized_keys(instance, run.run_id) == [
        ("cereals", None),
        ("sugary_cereals", None),
    ]


def test_materialize_job_with_select_narrows_the_job(tmp_path: Path) -> None:
    defs_file = write(tmp_path, CEREALS)
    args = ["materialize", "-f", str(defs_file), "--job", "all_assets_job"]
    assert runner.invoke(app, [*args, "--select", "cereals"]).exit_code == 0
    instance = Instance.from_env()
    assert materialized_keys(instance, only_run(instance).run_id) == [("cereals", None)]
    outside = runner.invoke(
        app,
        ["materialize", "-f", str(defs_file), "--job", "cereal_job", "--select", "shopping_list"],
    )
    assert outside.exit_code == 2
    assert "leaves none of the assets of job 'cereal_job'" in outside.output


def test_an_unknown_job_is_one_line_with_the_nearest_name_and_exit_2(tmp_path: Path) -> None:
    defs_file = write(tmp_path, CEREALS)
    result = runner.invoke(app, ["materialize", "-f", str(defs_file), "--job", "cereal_jb"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Unknown job 'cereal_jb'" in lines[0] and "Did you mean 'cereal_job'?" in lines[0]


def test_list_jobs_shows_each_job_with_its_assets(tmp_path: Path) -> None:
    defs_file = write(tmp_path, CEREALS)
    result = runner.invoke(app, ["list", "-f", str(defs_file), "--jobs", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["cereal_job"]["assets"] == ["cereals", "sugary_cereals"]
    assert rows["all_assets_job"]["assets"] == ["cereals", "sugary_cereals", "shopping_list"]
    assert rows["shopping_job"]["tags"] == {}


def test_partitioned_job_runs_one_partition_from_the_cli(
    tmp_path: Path, isolated_home: Path
) -> None:
    defs_file = write(tmp_path, DAILY_SALES)
    result = runner.invoke(
        app,
        ["materialize", "-f", str(defs_file), "--job", "daily_sales_job", "-p", "2024-01-05"],
    )
    assert result.exit_code == 0, result.output
    assert stored(isolated_home, "daily_sales_data", "2024-01-05") == {
        "date": "2024-01-05",
        "sales": 50,
    }
    instance = Instance.from_env()
    assert materialized_keys(instance, only_run(instance).run_id) == [
        ("daily_sales_data", "2024-01-05"),
        ("daily_sales_summary", "2024-01-05"),
    ]


# -- the Python API --------------------------------------------------------------------------


def test_execute_in_process_runs_the_job_on_the_given_instance(tmp_path: Path) -> None:
    defs = load_definitions(file=write(tmp_path, CEREALS))
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    first = defs.get_job_def("cereal_job").execute_in_process(instance=instance)
    assert first.success
    second = defs.get_job_def("shopping_job").execute_in_process(instance=instance)
    assert second.success and second.output_for("shopping_list") == ["frosties"]
    runs = {r.run_id: r for r in instance.storage.list_runs()}
    assert runs[second.run_id].tags["assetgraph/job"] == "shopping_job"
    assert materialized_keys(instance, second.run_id) == [("shopping_list", None)]
    latest = instance.storage.latest_materializations(["cereals", "shopping_list"])
    assert latest[("cereals", None)].run_id == first.run_id


def test_execute_in_process_defaults_to_an_ephemeral_instance(tmp_path: Path) -> None:
    defs = load_definitions(file=write(tmp_path, CEREALS))
    result = defs.get_job_def("all_assets_job").execute_in_process()
    assert result.success and result.output_for("shopping_list") == ["frosties"]
    assert Instance.from_env().storage.list_runs() == []


def test_partitioned_job_infers_partitions_and_runs_a_partition_key(tmp_path: Path) -> None:
    defs = load_definitions(file=write(tmp_path, DAILY_SALES))
    job = defs.get_job_def("daily_sales_job")
    assert job.partitions_def == DailyPartitionsDefinition(start_date="2024-01-01")
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    result = job.execute_in_process(partition_key="2024-01-02", instance=instance)
    assert result.output_for("daily_sales_summary", "2024-01-02") == "summary for 2024-01-02"
    ranged = job.execute_in_process(
        instance=instance,
        tags={
            "dagster/asset_partition_range_start": "2024-01-03",
            "dagster/asset_partition_range_end": "2024-01-04",
        },
    )
    assert materialized_keys(instance, ranged.run_id) == [
        ("daily_sales_data", "2024-01-03"),
        ("daily_sales_data", "2024-01-04"),
        ("daily_sales_summary", "2024-01-03"),
        ("daily_sales_summary", "2024-01-04"),
    ]


def test_assets_with_different_partitions_need_an_explicit_partitions_def() -> None:
    daily = DailyPartitionsDefinition(start_date="2024-01-01")
    colors = StaticPartitionsDefinition(["red", "blue"])

    @asset(partitions_def=daily)
    def by_day() -> int:
        return 1

    @asset(partitions_def=colors)
    def by_color() -> int:
        return 2

    job = define_asset_job("mixed_job")
    with pytest.raises(DefinitionError) as info:
        Definitions(assets=[by_day, by_color], jobs=[job])
    message = str(info.value)
    assert "Job 'mixed_job'" in message and "different partitions definitions" in message
    assert "'by_day'" in message and "'by_color'" in message
    explicit = define_asset_job("mixed_job", partitions_def=colors)
    defs = Definitions(assets=[by_day, by_color], jobs=[explicit])
    assert defs.get_job_def("mixed_job").partitions_def == colors


class Scale(Config):
    factor: int = 2


@asset
def numbers() -> list[int]:
    return [1, 2, 3]


@asset
def scaled(numbers: list[int], config: Scale) -> list[int]:
    return [config.factor * n for n in numbers]


@asset
def broken(scaled: list[int]) -> int:
    raise ValueError("no warehouse today")


def test_job_config_applies_and_run_config_overrides_it() -> None:
    job = define_asset_job(
        "scaling_job",
        selection=AssetSelection.assets(numbers, scaled),
        config={"ops": {"scaled": {"config": {"factor": 3}}}},
    )
    defs = Definitions(assets=[numbers, scaled], jobs=[job])
    assert defs.get_job_def("scaling_job").execute_in_process().output_for("scaled") == [3, 6, 9]
    overridden = defs.get_job_def("scaling_job").execute_in_process(
        run_config={"ops": {"scaled": {"config": {"factor": 5}}}}
    )
    assert overridden.output_for("scaled") == [5, 10, 15]


def test_run_tags_replace_tags_on_runs(tmp_path: Path) -> None:
    job = define_asset_job(
        "tagged", selection=[numbers], tags={"owner": "job"}, run_tags={"kind": "nightly"}
    )
    defs = Definitions(assets=[numbers], jobs=[job])
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    result = defs.get_job_def("tagged").execute_in_process(instance=instance, tags={"extra": "1"})
    tags = instance.storage.get_run(result.run_id).tags  # type: ignore[union-attr]
    assert tags["kind"] == "nightly" and tags["extra"] == "1" and "owner" not in tags


def test_raise_on_error_raises_by_default_and_returns_a_failed_result_when_off() -> None:
    job = define_asset_job("fragile", selection=AssetSelection.assets(broken).upstream())
    defs = Definitions(assets=[numbers, scaled, broken], jobs=[job])
    # RunFailure today; Dagster raises the asset's own error: either names it.
    with pytest.raises((RunFailure, ValueError), match="no warehouse today"):
        defs.get_job_def("fragile").execute_in_process()
    result = defs.get_job_def("fragile").execute_in_process(raise_on_error=False)
    assert not result.success
    assert result.output_for("scaled") == [2, 4, 6]


def test_a_job_selecting_an_unknown_key_fails_loading_naming_job_and_key() -> None:
    job = define_asset_job("typo_job", selection=["numbrs"])
    with pytest.raises(DefinitionError) as info:
        Definitions(assets=[numbers], jobs=[job])
    assert "Job 'typo_job'" in str(info.value) and "'numbrs'" in str(info.value)
    assert "Did you mean 'numbers'?" in str(info.value)


def test_jobs_named_by_schedules_are_jobs_of_the_definitions() -> None:
    job = define_asset_job("nightly_job", selection=[numbers])
    schedule = ScheduleDefinition(job=job, cron_schedule="0 0 * * *")
    defs = Definitions(assets=[numbers], schedules=[schedule])
    assert defs.get_job_def("nightly_job").asset_keys == (AssetKey(("numbers",)),)
    assert defs.get_schedule_def(schedule.name) is schedule
    with pytest.raises(UsageError, match="Unknown sensor 'nope'"):
        defs.get_sensor_def("nope")


def test_implicit_global_job_and_all_job_defs() -> None:
    job = define_asset_job("only_numbers", selection=[numbers])
    defs = Definitions(assets=[numbers, scaled], jobs=[job])
    assert [j.name for j in defs.get_all_job_defs()] == ["only_numbers"]
    implicit = defs.get_implicit_global_asset_job_def()
    assert implicit.asset_keys == (AssetKey(("numbers",)), AssetKey(("scaled",)))
    assert implicit.execute_in_process().output_for("scaled") == [2, 4, 6]


def test_two_jobs_of_one_name_and_bad_names_are_refused() -> None:
    with pytest.raises(DefinitionError, match="two different jobs named 'twin'"):
        Definitions(
            assets=[numbers],
            jobs=[define_asset_job("twin", [numbers]), define_asset_job("twin")],
        )
    with pytest.raises(DefinitionError, match="invalid job name 'my job'"):
        define_asset_job("my job")
    with pytest.raises(DefinitionError, match="hooks must be made with @success_hook"):
        define_asset_job("hooked", hooks={object()})
    with pytest.raises(DefinitionError, match="expected a job made by define_asset_job"):
        Definitions(assets=[numbers], jobs=["nightly_job"])


def test_asset_selection_subsets_a_job_and_refuses_assets_outside_it() -> None:
    job = define_asset_job("pipeline", selection=[numbers, scaled])
    defs = Definitions(assets=[numbers, scaled, broken], jobs=[job])
    first = defs.get_job_def("pipeline").execute_in_process(
        asset_selection=[AssetKey(("numbers",))]
    )
    assert first.output_for("numbers") == [1, 2, 3]
    with pytest.raises(UsageError, match="Asset 'broken' is not part of job 'pipeline'"):
        defs.get_job_def("pipeline").execute_in_process(asset_selection=["broken"])


def test_a_job_run_is_recorded_in_sqlite_and_postgresql(storage_url: str, tmp_path: Path) -> None:
    job = define_asset_job("stored_job", selection=AssetSelection.assets(scaled).upstream())
    defs = Definitions(assets=[numbers, scaled], jobs=[job])
    instance = Instance(storage_url=storage_url, home=tmp_path / "home")
    result = defs.get_job_def("stored_job").execute_in_process(instance=instance)
    run = instance.storage.get_run(result.run_id)
    assert run is not None and run.tags["assetgraph/job"] == "stored_job"
    assert materialized_keys(instance, result.run_id) == [("numbers", None), ("scaled", None)]
    assert [
        r.run_id for r in instance.storage.list_runs(tags={"assetgraph/job": "stored_job"})
    ] == [result.run_id]


def test_the_resolve_names_of_dagster_1_10_find_the_same_definitions() -> None:
    from assetgraph import ScheduleDefinition, asset, define_asset_job

    @asset
    def numbers() -> int:
        return 1

    numbers_job = define_asset_job("numbers_job", selection="numbers")
    daily = ScheduleDefinition(job=numbers_job, cron_schedule="@daily")
    defs = Definitions(assets=[numbers], jobs=[numbers_job], schedules=[daily])
    assert defs.resolve_job_def("numbers_job").execute_in_process().success
    assert [job.name for job in defs.resolve_all_job_defs()] == ["numbers_job"]
    assert defs.resolve_schedule_def(daily.name).cron_schedule == "@daily"
    assert AssetKey("numbers") in defs.resolve_asset_graph().all_keys
    assert defs.resolve_implicit_global_asset_job_def().execute_in_process().success


def test_a_test_asset_job_runs_its_assets_and_observes_its_sources() -> None:
    from assetgraph import (
        DataVersion,
        Instance,
        asset,
        create_test_asset_job,
        extract_data_version_from_entry,
        observable_source_asset,
    )

    @observable_source_asset
    def feed() -> DataVersion:
        return DataVersion("v1")

    @asset
    def doubled() -> int:
        return 2

    instance = Instance.ephemeral()
    observed = create_test_asset_job([feed]).execute_in_process(instance=instance)
    [event] = observed.get_asset_observation_events()
    assert event.asset_observation.tags == {"dagster/data_version": "v1"}
    record = instance.get_latest_data_version_record("feed", is_source=True)
    assert record is not None
    assert extract_data_version_from_entry(record.event_log_entry) == DataVersion("v1")
    assert instance.get_latest_data_version_record("feed", is_source=False) is None
    built = create_test_asset_job([doubled], name="doubling").execute_in_process()
    assert built.output_for("doubled") == 2
