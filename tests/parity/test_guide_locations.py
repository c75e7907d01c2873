"""Code locations of Dagster's current guides (``docs_snippets/guides/``, mostly written
``import dagster as dg``), ported and run through the CLI, the API and their own tests;
and the behaviours they rely on, each on a location of its own."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import assetgraph as dg
from assetgraph import AssetKey, Instance, load_definitions, materialize
from assetgraph.errors import DefinitionError
from tests.parity.conftest import automate, import_file as load

Cli = Callable[..., tuple[int, str]]
Port = Callable[[str], Path]


def write(tmp_path: Path, name: str, source: str) -> str:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    return str(path)


# --- asset checks ---------------------------------------------------------------------


def test_a_failed_non_blocking_check_lets_the_run_succeed(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_asset_check_severity"))
    code, out = cli("materialize", "-f", location)
    assert code == 0, out
    result = materialize(load_definitions(file=location), instance=Instance.ephemeral())
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == ("my_check", False)
    # `is_serious = ...` is truthy: ERROR, which a non-blocking check only records
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR


def test_the_asset_check_unit_test_of_the_guide_passes(ported: Port) -> None:
    module = load(ported("guide_test_asset_check"))
    module.test_orders_check()


def test_a_multi_asset_check_reads_what_its_asset_wrote(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_multiple_asset_checks"))
    code, out = cli("materialize", "-f", location)
    assert code == 0, out
    result = materialize(load_definitions(file=location), instance=Instance.ephemeral())
    passed = {(e.check_name, e.passed) for e in result.get_asset_check_evaluations()}
    assert passed == {("orders_id_has_no_nulls", True), ("items_id_has_no_nulls", True)}


def test_partitioned_checks_run_once_per_partition_of_their_asset(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_partitioned_asset_check"))
    code, out = cli("materialize", "-f", location, "--partition", "2024-01-02")
    assert code == 0, out
    result = materialize(
        load_definitions(file=location),
        partition_key="2024-01-03",
        instance=Instance.ephemeral(),
    )
    found = {
        (e.asset_key.to_string(), e.check_name, e.partition, e.passed)
        for e in result.get_asset_check_evaluations()
    }
    assert found == {
        ("orders", "orders_id_has_no_nulls", "2024-01-03", True),
        ("inline_orders", "orders_id_has_no_nulls", "2024-01-03", True),
    }


def test_a_check_partitioned_unlike_its_asset_is_refused() -> None:
    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def orders() -> None: ...

    with pytest.raises(DefinitionError, match="partitions_def=.*give it the asset's"):

        @dg.asset_check(asset=orders, partitions_def=dg.StaticPartitionsDefinition(["a"]))
        def no_nulls() -> dg.AssetCheckResult:
            return dg.AssetCheckResult(passed=True)

    with pytest.raises(DefinitionError, match="check spec 'inline:c' has partitions_def"):

        @dg.asset(
            check_specs=[
                dg.AssetCheckSpec("c", asset="inline", partitions_def=orders.partitions_def)
            ]
        )
        def inline() -> None: ...


def test_a_check_gets_resources_by_annotation_and_the_asset_in_its_one_other_parameter(
    tmp_path: Path, cli: Cli
) -> None:
    location = write(
        tmp_path,
        "check_resources",
        """
        import assetgraph as dg

        class Threshold(dg.ConfigurableResource):
            minimum: int

        @dg.asset
        def orders() -> list[int]:
            return [1, 2, 3]

        @dg.asset_check(asset=orders)
        def enough(context: dg.AssetCheckExecutionContext, rows, threshold: Threshold):
            return dg.AssetCheckResult(passed=len(rows) >= threshold.minimum)

        @dg.asset_check(asset=orders)
        def loads_nothing(threshold: Threshold):
            return dg.AssetCheckResult(passed=threshold.minimum == 3)

        defs = dg.Definitions(
            assets=[orders],
            asset_checks=[enough, loads_nothing],
            resources={"threshold": Threshold(minimum=3)},
        )
        """,
    )
    code, out = cli("materialize", "-f", location)
    assert code == 0, out
    result = materialize(load_definitions(file=location), instance=Instance.ephemeral())
    found = {(e.check_name, e.passed) for e in result.get_asset_check_evaluations()}
    assert found == {("enough", True), ("loads_nothing", True)}


def test_a_check_with_two_asset_parameters_is_refused() -> None:
    @dg.asset
    def orders() -> int:
        return 1

    with pytest.raises(DefinitionError, match=r"takes 'a', 'b': a check receives the value"):

        @dg.asset_check(asset=orders)
        def two(a: int, b: int) -> bool:
            return True


# --- asset events: materializations of external assets ----------------------------------


def test_a_runless_materialization_of_an_external_asset_is_recorded(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_external_asset_events"))
    code, out = cli("list", "-f", location)
    assert code == 0 and "asset_two" in out, out
    defs = load_definitions(file=location)
    assert defs.graph.key_strings() == ["asset_one", "asset_two"]
    assert list(defs.graph.parents(AssetKey("asset_two"))) == [AssetKey("asset_one")]
    module = load(Path(location))
    instance = Instance.from_env()
    module.do_report_runless_asset_event(instance)
    event = instance.get_latest_materialization_event(AssetKey("asset_one"))
    assert event is not None and event.asset_materialization is not None
    assert event.asset_materialization.metadata["nrows"].value == 10
    code, out = cli("list", "-f", location)
    assert code == 0 and "reported outside a run" in out, out


def test_assets_definition_without_a_function_takes_only_asset_specs() -> None:
    with pytest.raises(DefinitionError, match=r"takes specs=\[AssetSpec"):
        dg.AssetsDefinition(specs=["not a spec"])


def test_an_asset_logs_a_materialization_of_an_external_asset(tmp_path: Path, cli: Cli) -> None:
    location = write(
        tmp_path,
        "logs_external",
        """
        import assetgraph as dg

        @dg.asset(deps=["raw_table"])
        def copy(context: dg.AssetExecutionContext) -> int:
            context.log_event(dg.AssetMaterialization("raw_table", metadata={"rows": 7}))
            yield dg.AssetObservation("raw_table", metadata={"seen": True})
            yield dg.Output(1)

        defs = dg.Definitions(assets=[dg.AssetSpec("raw_table"), copy])
        """,
    )
    code, out = cli("materialize", "-f", location, "--select", "copy")
    assert code == 0, out
    event = Instance.from_env().get_latest_materialization_event(AssetKey("raw_table"))
    assert event is not None and event.asset_materialization is not None
    assert event.asset_materialization.metadata["rows"].value == 7


def test_a_sensor_reports_materializations_of_external_assets(tmp_path: Path, cli: Cli) -> None:
    location = write(
        tmp_path,
        "sensor_events",
        """
        import assetgraph as dg

        @dg.sensor(default_status=dg.DefaultSensorStatus.RUNNING)
        def watch_files(context):
            return dg.SensorResult(
                asset_events=[
                    dg.AssetMaterialization("landing_file", metadata={"size": 12}),
                    dg.AssetObservation("landing_file", metadata={"seen": 1}),
                ]
            )

        defs = dg.Definitions(assets=[dg.AssetSpec("landing_file")], sensors=[watch_files])
        """,
    )
    found = automate(cli, location, "2025-01-01T00:00:00")
    assert found["runs"] == []
    instance = Instance.from_env()
    event = instance.get_latest_materialization_event(AssetKey("landing_file"))
    assert event is not None and event.asset_materialization is not None
    assert event.asset_materialization.metadata["size"].value == 12
    with pytest.raises(DefinitionError, match="takes AssetMaterialization and AssetObservation"):
        dg.SensorResult(asset_events=["landing_file"])


# --- assets, context, jobs, partitions ---------------------------------------------------


def test_the_run_of_an_asset_context_is_the_recorded_run(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_asset_w_context"))
    code, out = cli("materialize", "-f", location)
    assert code == 0, out
    [run] = Instance.from_env().get_runs()
    assert f"My run ID is {run.run_id}" in out


def test_asset_jobs_of_the_guide_run_their_selection(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_asset_jobs"))
    code, out = cli("materialize", "-f", location, "--job", "sugary_cereals_job")
    assert code == 0, out
    assert "sugary_cereals" in out and "shopping_list" not in out, out
    code, out = cli("materialize", "-f", location, "--job", "all_assets_job")
    assert code == 0 and "shopping_list" in out, out


def test_deps_order_assets_that_store_their_own_data(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_asset_dependencies"))
    code, out = cli("materialize", "-f", location, "--select", "+shopping_list")
    assert code == 0, out
    defs = load_definitions(file=location)
    upstream = list(defs.graph.parents(AssetKey("code_location_2_asset")))
    assert upstream == [AssetKey("code_location_1_asset")]


def test_a_row_count_reported_by_a_materialize_result_is_recorded(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_asset_row_count"))
    code, out = cli("materialize", "-f", location, "--select", "my_asset")
    assert code == 0, out
    event = Instance.from_env().get_latest_materialization_event(AssetKey("my_asset"))
    assert event is not None and event.asset_materialization is not None
    assert event.asset_materialization.metadata["dagster/row_count"].value == 374


def test_a_time_window_mapping_reads_the_previous_day(ported: Port, cli: Cli) -> None:
    location = str(ported("guide_partitioned_asset_mappings"))
    defs = load_definitions(file=location)
    mapping = defs.graph.partition_mapping(AssetKey("yesterday_event_stats"), AssetKey("events"))
    assert isinstance(mapping, dg.TimeWindowPartitionMapping)
    code, out = cli("materialize", "-f", location, "--partition", "2023-01-21")
    assert code == 2 and "'2023-01-20'" in out and "do not exist" in out, "no day before"
    code, out = cli(
        "materialize",
        "-f",
        location,
        "--select",
        "events",
        "--partition-range",
        "2023-01-21...2023-01-22",
    )
    assert code == 0, out
    code, out = cli(
        "materialize",
        "-f",
        location,
        "--select",
        "yesterday_event_stats",
        "--partition",
        "2023-01-22",
    )
    assert code == 0 and "yesterday_event_stats[2023-01-22]" in out, out


def test_a_sensor_adds_dynamic_partitions_and_runs_them(
    ported: Port, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.png").write_text("a")
    (images / "b.png").write_text("b")
    monkeypatch.setenv("MY_DIRECTORY", str(images))
    location = str(ported("guide_dynamic_partitioned_asset"))
    assert cli("sensors", "start", "image_sensor", "-f", location)[0] == 0
    runs = automate(cli, location, "2025-01-01T00:00:00")["runs"]
    assert sorted(p for run in runs for p in run["targets"]["images"]) == ["a.png", "b.png"]
    assert Instance.from_env().get_dynamic_partitions("images") == ["a.png", "b.png"]
    assert automate(cli, location, "2025-01-01T00:01:00")["runs"] == [], "no new image"


# --- IO managers -------------------------------------------------------------------------


def test_the_custom_io_managers_of_the_guide_run(ported: Port) -> None:
    module = load(ported("guide_custom_io_manager"))
    assert module.my_job.execute_in_process().success
    result = module.my_job_with_metadata.execute_in_process()
    assert result.success
    result = materialize(
        [
            module.upstream_asset_with_definition_metadata,
            module.downstream_asset_with_definition_metadata,
        ],
        resources={"io_manager": module.MetadataReadingIOManager()},
        instance=Instance.ephemeral(),
    )
    assert result.success


# --- op inputs and outputs typed with a DagsterType ----------------------------------------


def _even(_context: Any, value: Any) -> bool:
    return isinstance(value, int) and value % 2 == 0


EVEN = dg.DagsterType(type_check_fn=_even, name="Even")


@dg.op(config_schema={"n": int})
def _number(context: Any) -> int:
    n: int = context.op_config["n"]
    return n


@dg.op(ins={"n": dg.In(EVEN)}, out=dg.Out(EVEN))
def _double(n: int) -> int:
    return n * 2


@dg.op
def _annotated(n: EVEN) -> EVEN:  # type: ignore[valid-type]
    return n + 1


@dg.job
def _typed_job() -> None:
    _double(_number())


@dg.job
def _annotated_job() -> None:
    _annotated(_number())


def _config(n: int) -> dict[str, Any]:
    return {"ops": {"_number": {"config": {"n": n}}}}


def test_op_inputs_typed_with_a_dagster_type_are_checked_before_the_op_runs() -> None:
    assert _typed_job.execute_in_process(run_config=_config(2)).success
    result = _typed_job.execute_in_process(run_config=_config(3), raise_on_error=False)
    assert not result.success
    [failure] = result.get_step_failure_events()
    message = str(failure.event_specific_data)
    assert "Op '_double' input 'n': type check of Even failed" in message, message


def test_op_outputs_typed_by_annotation_are_checked_after_the_op_runs() -> None:
    result = _annotated_job.execute_in_process(run_config=_config(4), raise_on_error=False)
    assert not result.success
    [failure] = result.get_step_failure_events()
    message = str(failure.event_specific_data)
    assert "Op '_annotated' output 'result': type check of Even failed" in message, message


# --- data provenance and dynamic partitioned config --------------------------------------


def test_the_provenance_of_an_asset_names_its_code_version_and_what_it_read(
    tmp_path: Path, cli: Cli
) -> None:
    location = write(
        tmp_path,
        "provenance",
        """
        import json
        import assetgraph as dg

        @dg.asset(code_version="v1")
        def numbers():
            return dg.Output([1, 2], data_version=dg.DataVersion("two-numbers"))

        @dg.asset(code_version="v7")
        def total(context: dg.AssetExecutionContext, numbers):
            before = context.get_asset_provenance(dg.AssetKey("total"))
            upstream = context.get_asset_provenance(dg.AssetKey("numbers"))
            read = {} if before is None else before.input_data_versions
            seen = None if before is None else {
                "code": before.code_version,
                "inputs": {k.to_user_string(): v.value for k, v in read.items()},
                "user": before.is_user_provided,
            }
            context.log.info("PROVENANCE " + json.dumps(seen))
            inputs = dict(upstream.input_data_versions)
            context.log.info(f"UPSTREAM user={upstream.is_user_provided} inputs={inputs}")
            return sum(numbers)
        """,
    )
    code, out = cli("materialize", "-f", location)
    assert code == 0 and "PROVENANCE null" in out, out
    assert "UPSTREAM user=True inputs={}" in out, out
    code, out = cli("materialize", "-f", location, "--select", "total")
    assert code == 0, out
    line = next(x for x in out.splitlines() if "PROVENANCE" in x)
    seen = json.loads(line.split("PROVENANCE ", 1)[1])
    assert seen == {"code": "v7", "inputs": {"numbers": "two-numbers"}, "user": False}
    assert isinstance(dg.DataProvenance("v", {}, {}, False), tuple)


def test_a_dynamic_partitioned_config_gives_each_key_of_its_function_its_config(
    tmp_path: Path, cli: Cli
) -> None:
    location = write(
        tmp_path,
        "dynamic_config",
        """
        import assetgraph as dg

        def get_regions(_current_time):
            return ["north", "south"]

        @dg.dynamic_partitioned_config(partition_fn=get_regions)
        def region_config(partition_key: str):
            return {"ops": {"report": {"config": {"region": partition_key}}}}

        class ReportConfig(dg.Config):
            region: str

        @dg.asset
        def report(context, config: ReportConfig) -> str:
            context.log.info(f"REGION {config.region}")
            return config.region

        region_job = dg.define_asset_job("region_job", selection=[report], config=region_config)
        defs = dg.Definitions(assets=[report], jobs=[region_job])
        """,
    )
    code, out = cli("materialize", "-f", location, "--job", "region_job", "--partition", "south")
    assert code == 0 and "REGION south" in out, out
    code, out = cli("materialize", "-f", location, "--job", "region_job", "--partition", "east")
    assert code == 2 and "east" in out, out
    with pytest.raises(DefinitionError, match="must return a list of partition keys"):
        dg.dynamic_partitioned_config(partition_fn=lambda _t: "north")


# --- the unit-testing guide ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "guide_test_asset_context",
        "guide_test_op_context",
        "guide_test_asset_config",
        "guide_test_op_config",
        "guide_test_asset_dependency",
    ],
)
def test_the_unit_tests_of_the_testing_guide_pass(ported: Port, name: str) -> None:
    Path("path_2024-08-16.txt").write_text("Contents for August 16th, 2024")
    Path("path1.txt").write_text("contents1")
    Path("path2.txt").write_text("contents2")
    module = load(ported(name))
    tests = [getattr(module, n) for n in dir(module) if n.startswith("test_")]
    assert tests, f"{name} has no test function"
    for test in tests:
        test()


def test_the_assets_of_the_testing_guide_materialize(
    ported: Port, cli: Cli, tmp_path: Path
) -> None:
    Path("path.txt").write_text("  contents \n")
    Path("path1.txt").write_text("contents1")
    code, out = cli("materialize", "-f", str(ported("guide_test_asset_dependency")))
    assert code == 0, out
    assert Instance.from_env().get_latest_materialization_event(AssetKey("processed_file"))
    location = str(ported("guide_test_asset_config"))
    code, out = cli("materialize", "-f", location)
    assert code == 2 and "path" in out, "the config has no default: an error naming the field"
    run_yaml = tmp_path / "run.yaml"
    run_yaml.write_text("ops:\n  loaded_file:\n    config:\n      path: path1.txt\n")
    code, out = cli("materialize", "-f", location, "--config", str(run_yaml))
    assert code == 0, out


# --- declarative automation guides ---------------------------------------------------------


def test_the_declarative_automation_snippets_load(ported: Port, cli: Cli) -> None:
    for name in ("guide_da_on_cron_basic", "guide_da_partitioned", "guide_da_default_running"):
        code, out = cli("list", "-f", str(ported(name)))
        assert code == 0, out
    snippets = load(ported("guide_da_allow_ignore"))
    assert "on_cron" in snippets.condition.describe()
    custom = load(ported("guide_da_custom_condition"))
    assert custom.condition.children[-1].name == "NOT"
    assert custom.condition.children[-1].children[0].name == "IsCompanyHoliday"


def test_an_on_cron_asset_waits_for_its_external_upstream_after_the_tick(
    ported: Port, cli: Cli
) -> None:
    location = str(ported("guide_da_on_cron_basic"))
    assert automate(cli, location, "2025-01-06T10:30:00")["runs"] == [], "initial evaluation"
    assert automate(cli, location, "2025-01-06T11:00:30")["runs"] == [], "upstream not updated"
    Instance.from_env().report_runless_asset_event(dg.AssetMaterialization("upstream"))
    [run] = automate(cli, location, "2025-01-06T11:01:30")["runs"]
    assert run["targets"] == {"hourly_asset": []}


def test_a_custom_condition_decides_with_its_own_evaluate(tmp_path: Path, cli: Cli) -> None:
    location = write(
        tmp_path,
        "custom_condition",
        """
        import assetgraph as dg

        class IsWeekend(dg.AutomationCondition):
            def evaluate(self, context: dg.AutomationContext) -> dg.AutomationResult:
                if context.evaluation_time.weekday() >= 5:
                    true_subset = context.candidate_subset
                else:
                    true_subset = context.get_empty_subset()
                return dg.AutomationResult(true_subset, context=context)

        @dg.asset(automation_condition=dg.AutomationCondition.missing() & ~IsWeekend())
        def report() -> int:
            return 1

        defs = dg.Definitions(assets=[report])
        """,
    )
    assert automate(cli, location, "2025-01-04T10:00:00")["runs"] == [], "a Saturday"
    [run] = automate(cli, location, "2025-01-06T10:00:00")["runs"]
    assert run["targets"] == {"report": []}
    code, out = cli("automate", "why", "report", "-f", location)
    assert code == 0 and "IsWeekend" in out, out


def test_a_custom_condition_that_returns_no_result_fails_the_tick_naming_it(
    tmp_path: Path, cli: Cli
) -> None:
    location = write(
        tmp_path,
        "broken_condition",
        """
        import assetgraph as dg

        class Broken(dg.AutomationCondition):
            def evaluate(self, context):
                return True

        @dg.asset(automation_condition=Broken())
        def broken() -> int:
            return 1
        """,
    )
    code, out = cli("automate", "-f", location, "--now", "2025-01-04T10:00:00", "--json")
    errors = json.loads(out)["errors"]
    assert code != 0 and any("Broken.evaluate returned bool" in e for e in errors), errors
