"""Code locations of Dagster's docs on assets, IO managers, resources, config and metadata
(``locations/``), ported and run through the CLI, ``load_definitions`` and their own tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import assetgraph as dg
from assetgraph import AssetKey, Instance, load_definitions, materialize
from tests.parity.conftest import import_file as load

Cli = Callable[..., tuple[int, str]]
Port = Callable[[str], Path]


def test_the_io_manager_unit_tests_of_the_docs_pass(ported: Port) -> None:
    module = load(ported("io_manager_testing"))
    module.test_my_io_manager_handle_output()
    module.test_my_io_manager_load_input()


def test_a_config_model_with_a_default_runs_with_and_without_run_config(
    ported: Port, cli: Cli, tmp_path: Path
) -> None:
    location = str(ported("forecast_config"))
    code, out = cli("materialize", "-f", location)
    assert code == 0 and "Running with parallelism: 30" in out, out
    run_yaml = tmp_path / "run.yaml"
    run_yaml.write_text("ops:\n  forecast_model:\n    config:\n      lookback_window_days: 7\n")
    code, out = cli("materialize", "-f", location, "--config", str(run_yaml))
    assert code == 0 and "Running with parallelism: 7" in out, out


def test_column_lineage_is_recorded_with_its_type(ported: Port, cli: Cli) -> None:
    module = load(ported("column_lineage"))
    result = materialize([module.my_asset])
    assert result.success
    [materialization] = result.asset_materializations_for_node("my_asset")
    lineage = materialization.metadata["dagster/column_lineage"]
    assert type(lineage).__name__ == "TableColumnLineageMetadataValue"
    deps = lineage.column_lineage.deps_by_column["new_column_foo"]
    assert [(d.asset_key, d.column_name) for d in deps] == [
        (AssetKey("source_bar"), "column_bar"),
        (AssetKey("source_baz"), "column_baz"),
    ]
    code, out = cli("list", "-f", str(ported("column_lineage")))
    assert code == 0 and "source_bar" in out, out


def test_a_column_schema_given_at_definition_time_is_kept(ported: Port, cli: Cli) -> None:
    location = ported("table_schema_metadata")
    defs = load_definitions(file=location)
    schema = defs.graph.spec(AssetKey("my_asset")).metadata["dagster/column_schema"]
    assert [(c.name, c.type) for c in schema.columns] == [("name", "string"), ("age", "int")]
    code, out = cli("materialize", "-f", str(location), "--select", "my_asset")
    assert code == 0, out


def test_an_asset_spec_is_an_external_asset_upstream(ported: Port, cli: Cli) -> None:
    location = str(ported("external_assets"))
    code, out = cli("list", "-f", location)
    assert code == 0 and "raw_transactions" in out and "cleaned_transactions" in out, out
    code, out = cli("materialize", "-f", location)
    assert code == 0, out


def test_values_load_through_the_io_manager_bound_with_with_resources(ported: Port) -> None:
    module = load(ported("load_asset_values"))
    module.load_single_asset_value()
    module.load_multiple_asset_values()
    defs = load_definitions(file=ported("load_asset_values"))
    assert defs.load_asset_value(AssetKey("asset1")) == 5
    with defs.get_asset_value_loader() as loader:
        assert loader.load_asset_value("asset2") == 5


def test_runtime_metadata_of_the_docs_materializes(ported: Port, cli: Cli) -> None:
    code, out = cli("materialize", "-f", str(ported("runtime_metadata")))
    assert code == 0, out


def test_a_definitions_function_is_the_code_location(ported: Port, cli: Cli) -> None:
    location = ported("definitions_resources")
    defs = load_definitions(file=location)
    assert defs.resources["config"].person_name == ""
    code, out = cli("list", "-f", str(location))
    assert code == 0, out


def test_an_asset_reads_its_config_schema_as_op_config(ported: Port) -> None:
    module = load(ported("configurable_op_asset_resource"))
    result = materialize(
        [module.asset_using_config],
        run_config={"ops": {"asset_using_config": {"config": {"person_name": "Ada"}}}},
        instance=Instance.ephemeral(),
    )
    assert result.output_for("asset_using_config") == "hello Ada"


def test_a_upath_io_manager_subclass_stores_one_file_per_partition(
    ported: Port, tmp_path: Path
) -> None:
    import pyarrow as pa
    from upath import UPath

    from assetgraph import Definitions, StaticPartitionsDefinition, asset

    module = load(ported("arrow_parquet_io_manager"))

    @asset(io_manager_key="arrow", partitions_def=StaticPartitionsDefinition(["a", "b"]))
    def table(context) -> pa.Table:  # type: ignore[no-untyped-def]
        return pa.table({"part": [context.partition_key]})

    @asset(io_manager_key="arrow")
    def combined(table: dict[str, pa.Table]) -> pa.Table:
        return pa.concat_tables([table[key] for key in sorted(table)])

    manager = module.ArrowParquetIOManager(base_path=UPath(tmp_path / "lake"))
    defs = Definitions(assets=[table, combined], resources={"arrow": manager})
    instance = Instance.ephemeral()
    for key in ("a", "b"):
        assert materialize(defs, selection="table", partition_key=key, instance=instance).success
    [stored] = materialize(
        defs, selection="table", partition_key="a"
    ).asset_materializations_for_node("table")
    assert stored.metadata["row_count"].value == 1
    assert stored.metadata["path"].value == str(tmp_path / "lake" / "table" / "a.parquet")
    result = materialize(defs, selection="combined", instance=instance, raise_on_error=True)
    assert result.output_for("combined").column("part").to_pylist() == ["a", "b"]
    assert (tmp_path / "lake" / "combined.parquet").is_file()


def test_the_pythonic_resources_guide_runs(ported: Port) -> None:
    module = load(ported("pythonic_resources"))
    module.new_resource_testing()
    module.new_resource_testing_with_nesting()
    module.raw_github_resource()
    module.impl_details_resolve()
    assert module.new_resources_assets_defs().resources["data_url"] == "https://dagster.io"
    assert "my_conn" in module.new_resources_configurable_defs().resources
    assert module.new_resources_nesting().resources["bucket"].region == "us-east-1"

    defs = module.new_resource_runtime()
    launched = {"resources": {"db_conn": {"config": {"table": "users"}}}}
    result = materialize(
        defs.assets, resources=defs.resources, run_config=launched, instance=Instance.ephemeral()
    )
    assert result.success
    with pytest.raises(dg.RunConfigError, match="'db_conn' .* is configured at launch"):
        materialize(defs.assets, resources=defs.resources, instance=Instance.ephemeral())


def test_the_pythonic_config_guide_runs(ported: Port, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load(ported("pythonic_config"))
    module.basic_resource_config()
    module.basic_data_structures_config()
    module.union_schema_config()
    module.optional_config()
    with pytest.raises(ValueError, match="less than 100"):
        module.metadata_config()  # the guide says: "errors, since age is not in the valid range"
    with pytest.raises(ValueError, match="person_first_name"):
        module.required_config()  # "errors, since person_first_name ... are required"


class Filters(dg.PermissiveConfig):
    title: str | None = None


class Person(dg.Config):
    name: str


def test_permissive_config_and_env_vars_in_config() -> None:
    @dg.asset
    def listing(config: Filters) -> dict[str, object]:
        return config.model_dump()

    @dg.asset
    def greeting(config: Person) -> str:
        return f"hello {config.name}"

    assert listing(Filters(title="hotel", beds=4)) == {"title": "hotel", "beds": 4}
    result = materialize(
        [listing],
        run_config={"listing": {"beds": 2}},
        instance=Instance.ephemeral(),
        raise_on_error=True,
    )
    assert result.output_for("listing") == {"title": None, "beds": 2}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PERSON_NAME", "Alice")
        run_config = dg.RunConfig({"greeting": Person(name=dg.EnvVar("PERSON_NAME"))})
    result = materialize([greeting], run_config=run_config, instance=Instance.ephemeral())
    assert result.output_for("greeting") == "hello Alice"


def test_asset_checks_of_the_docs_run_with_their_metadata(
    ported: Port, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the asset writes orders.csv where it runs
    module = load(ported("asset_check_metadata"))
    result = materialize(
        [module.orders, module.orders_id_has_no_nulls], instance=Instance.ephemeral()
    )
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.passed and evaluation.metadata["num_null_order_ids"].value == 0

    code, out = cli("materialize", "-f", str(ported("asset_check_blocking")))
    assert code == 1 and "blocking check 'check_upstream_asset' failed" in out, out
    assert "1 skipped" in out, "the downstream asset does not run after a failed blocking check"

    factory = load_definitions(file=ported("asset_check_factory"))
    names = sorted(spec.name for check in factory.asset_checks for spec in check.specs)
    assert names == ["items_id_has_no_nulls", "orders_id_has_no_nulls"]
