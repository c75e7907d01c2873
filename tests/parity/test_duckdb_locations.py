"""Dagster's DuckDB, pandas and pandera integrations (``locations/duckdb_*``, ``etl_tutorial_*``,
``guide_duckdb_*``, ``pandera_*``), ported and run through the CLI and the Python API; the
tables they write are read back with duckdb."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import duckdb
import pandas as pd
import pytest

import assetgraph as dg
from assetgraph import Definitions, Instance, materialize

from .conftest import LOCATIONS, import_file, port_source

Cli = Callable[..., tuple[int, str]]
Port = Callable[[str], Path]

IRIS = """5.1,3.5,1.4,0.2,Iris-setosa
4.9,3.0,1.4,0.2,Iris-setosa
7.0,3.2,4.7,1.4,Iris-versicolor
6.4,3.2,4.5,1.5,Iris-versicolor
6.3,3.3,6.0,2.5,Iris-virginica
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``tmp_path`` as the working directory, holding the files the snippets read."""
    work = tmp_path / "work"
    (work / "path" / "to").mkdir(parents=True)
    (work / "iris.csv").write_text(IRIS)
    monkeypatch.chdir(work)
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    yield work


def query(database: Path | str, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_the_io_manager_tutorial_stores_each_asset_as_a_table_of_its_schema(
    ported: Port, cli: Cli, workdir: Path
) -> None:
    location = ported("duckdb_io_manager_full_example")
    code, out = cli("materialize", "-f", str(location))
    assert code == 0, out
    database = workdir / "path/to/my_duckdb_database.duckdb"
    assert query(database, "SELECT count(*) FROM IRIS.iris_dataset") == [(5,)]
    assert query(database, "SELECT DISTINCT species FROM IRIS.iris_setosa") == [("Iris-setosa",)]
    # a second materialization replaces the rows, it does not append them
    code, out = cli("materialize", "-f", str(location))
    assert code == 0, out
    assert query(database, "SELECT count(*) FROM IRIS.iris_setosa") == [(2,)]


def test_the_io_manager_records_dagsters_metadata(ported: Port, workdir: Path) -> None:
    module = import_file(ported("duckdb_io_manager_full_example"))
    result = materialize(module.defs, instance=Instance.ephemeral())
    assert result.success
    [event] = result.asset_materializations_for_node("iris_setosa")
    assert event.metadata["Query"].value == "SELECT * FROM IRIS.iris_setosa"
    assert event.metadata["dagster/row_count"].value == 2
    columns = event.metadata["dataframe_columns"].value["columns"]
    assert [c["name"] for c in columns][-2:] == ["petal_width_cm", "species"]
    assert columns[0]["type"] == "float64"


def test_an_input_loads_only_the_columns_of_its_metadata(ported: Port, workdir: Path) -> None:
    tutorial = import_file(ported("duckdb_io_manager_full_example"))
    columns = import_file(ported("duckdb_downstream_columns"))
    manager = dg.DuckDBPandasIOManager(database=str(workdir / "flowers.duckdb"), schema="iris")
    defs = Definitions(
        assets=[tutorial.iris_dataset, columns.sepal_data], resources={"io_manager": manager}
    )
    assert materialize(defs, instance=Instance.ephemeral()).success
    stored = query(workdir / "flowers.duckdb", "DESCRIBE iris.sepal_data")
    assert [row[0] for row in stored] == ["sepal_length_cm", "sepal_width_cm", "sepal_area_cm2"]


def _iris_for_date(day: str) -> pd.DataFrame:
    seconds = int(pd.Timestamp(day, tz="UTC").timestamp()) + 3600
    frame = pd.read_csv("iris.csv", header=None, names=["a", "b", "c", "d", "species"])
    return frame.assign(time=seconds)


def materialize_each(
    asset: object, keys: list[str], manager: object, instance: Instance
) -> dg.ExecuteInProcessResult:
    """Materialize ``asset``'s partitions one run each; the last run's result."""
    for key in keys:
        result = materialize(
            [asset], partition_key=key, resources={"io_manager": manager}, instance=instance
        )
        assert result.success
    return result


def test_daily_partitions_replace_their_own_rows_and_load_together(
    ported: Port, workdir: Path
) -> None:
    module = import_file(ported("duckdb_time_partition"))
    module.get_iris_data_for_date = _iris_for_date
    database = workdir / "daily.duckdb"
    manager = dg.DuckDBPandasIOManager(database=str(database), schema="iris")
    instance = Instance.ephemeral()
    days = ["2023-01-01", "2023-01-02", "2023-01-01"]
    result = materialize_each(module.iris_data_per_day, days, manager, instance)
    assert query(database, "SELECT count(*) FROM iris.iris_data_per_day") == [(10,)]
    [event] = result.asset_materializations_for_node("iris_data_per_day")
    assert event.metadata["dagster/partition_row_count"].value == 5
    assert "TO_TIMESTAMP(TIME) >= '2023-01-01 00:00:00'" in event.metadata["Query"].value
    cleaned = materialize(
        [module.iris_data_per_day, module.iris_cleaned],
        selection="iris_cleaned",
        resources={"io_manager": manager},
        instance=instance,
    )
    assert cleaned.success, cleaned
    assert len(cleaned.output_for("iris_cleaned")) == 10


def test_multi_partitions_select_each_dimension_by_its_expression(
    ported: Port, workdir: Path
) -> None:
    module = import_file(ported("duckdb_multi_partition"))
    module.get_iris_data_for_date = _iris_for_date
    database = workdir / "multi.duckdb"
    manager = dg.DuckDBPandasIOManager(database=str(database), schema="iris")
    keys = ["2023-01-01|Iris-setosa", "2023-01-01|Iris-virginica", "2023-01-01|Iris-setosa"]
    instance = Instance.ephemeral()
    materialize_each(module.iris_dataset_partitioned, keys, manager, instance)
    sql = "SELECT species, count(*) FROM iris.iris_dataset_partitioned GROUP BY 1 ORDER BY 1"
    rows = query(database, sql)
    assert rows == [("Iris-setosa", 2), ("Iris-virginica", 1)]
    cleaned = materialize(
        [module.iris_dataset_partitioned, module.iris_cleaned],
        selection="iris_cleaned",
        resources={"io_manager": manager},
        instance=instance,
    )
    assert sorted(cleaned.output_for("iris_cleaned")["species"]) == [
        "Iris-setosa",
        "Iris-setosa",
        "Iris-virginica",
    ]


def test_configuration_snippets_load_and_an_unannotated_none_is_refused(
    ported: Port, cli: Cli, workdir: Path
) -> None:
    for name in ("duckdb_io_manager_configuration", "duckdb_polars_configuration"):
        location = str(ported(name))
        code, out = cli("list", "-f", location)
        assert code == 0 and "iris_dataset" in out, out
        code, out = cli("materialize", "-f", location)
        assert code == 1 and "returned None" in out, out
    code, out = cli("materialize", "-f", str(ported("duckdb_resource_configuration")))
    assert code == 0, out


def test_the_resource_tutorial_runs_its_own_sql(ported: Port, cli: Cli, workdir: Path) -> None:
    database = workdir / "path/to/my_duckdb_database.duckdb"
    with duckdb.connect(str(database)) as conn:  # the tutorial's first step makes the schema
        conn.execute("CREATE SCHEMA iris")
    code, out = cli("materialize", "-f", str(ported("duckdb_resource_full_example")))
    assert code == 0, out
    assert query(database, "SELECT count(*) FROM iris.iris_dataset") == [(5,)]


def test_the_guides_resource_assets_write_to_the_resources_schema(
    ported: Port, cli: Cli, workdir: Path
) -> None:
    (workdir / "raw_sales_data.csv").write_text(
        "order_id,owner,amount\n1,ann,10.0\n2,bob,\n3,ann,5.5\n"
    )
    code, out = cli("materialize", "-f", str(ported("guide_duckdb_resource_sales")))
    assert code == 0, out
    summary = query("sales.duckdb", "SELECT owner, amount FROM public.sales_summary ORDER BY 1")
    assert summary == [("ann", 15.5), ("bob", 0.0)]


def _jaffle_csvs(folder: Path) -> None:
    (folder / "raw_customers.csv").write_text("id,first_name,last_name\n1,Ann,A\n2,Bob,B\n")
    (folder / "raw_orders.csv").write_text(
        "id,user_id,order_date,status\n1,1,2018-01-01,completed\n2,2,2018-01-05,returned\n"
        "3,1,2018-02-01,completed\n"
    )
    (folder / "raw_payments.csv").write_text(
        "id,order_id,payment_method,amount\n1,1,credit_card,1000\n2,2,coupon,200\n"
    )


def stg_orders(assets: ModuleType) -> dg.AssetsDefinition:
    """A stand-in for the tutorial's dbt model stg_orders (with the ``date`` column that
    its adhoc_request asset filters on)."""

    @dg.asset(deps=[assets.raw_orders])
    def stg_orders(duckdb: dg.DuckDBResource) -> None:
        with duckdb.get_connection() as conn:
            conn.execute(
                "create or replace view jaffle_platform.main.stg_orders as select id as "
                "order_id, user_id as customer_id, order_date, order_date as date, status "
                "from raw_orders"
            )

    return stg_orders


def test_the_etl_tutorial_ingests_checks_and_partitions_by_month(
    ported: Port, workdir: Path
) -> None:
    _jaffle_csvs(workdir)
    assets = import_file(ported("etl_tutorial_assets"))
    resources = dg.load_definitions(file=ported("etl_tutorial_resources"))
    assert resources.resources["duckdb"].database == "/tmp/jaffle_platform.duckdb"
    database = workdir / "jaffle_platform.duckdb"

    defs = Definitions(
        assets=[assets.raw_customers, assets.raw_orders, assets.raw_payments, stg_orders(assets)],
        asset_checks=[assets.missing_dimension_check],
        resources={"duckdb": dg.DuckDBResource(database=str(database))},
    )
    instance = Instance.ephemeral()
    result = materialize(defs, instance=instance)
    assert result.success
    [check] = result.get_asset_check_evaluations()
    assert check.passed and check.metadata["customer_id is null"].value == 0
    assert query(database, "SELECT count(*) FROM raw_orders") == [(3,)]
    resource = dg.DuckDBResource(database=str(database))
    monthly = Definitions(assets=[assets.monthly_orders], resources={"duckdb": resource})
    result = materialize(monthly, partition_key="2018-01-01", instance=instance)
    assert result.success
    [event] = result.asset_materializations_for_node("monthly_orders")
    assert event.metadata["row_count"].value == 2
    assert "| completed |" in event.metadata["preview"].value


def test_the_etl_tutorial_sensor_requests_an_adhoc_run_per_new_request_file(
    workdir: Path,
) -> None:
    _jaffle_csvs(workdir)
    assets = import_file(ported_to(workdir / "defs", "etl_tutorial_assets"))
    sensors = import_file(ported_to(workdir / "defs", "etl_tutorial_sensors"))
    requests = workdir / "data" / "requests"  # "../data/requests" from the sensor's file
    requests.mkdir(parents=True)
    (requests / "january.json").write_text('{"start_date": "2018-01-01", "end_date": "2018-02-01"}')
    result = sensors.adhoc_request_sensor(dg.build_sensor_context())
    [request] = result.run_requests
    config = request.run_config["ops"]["adhoc_request"]["config"]
    assert config == {"start_date": "2018-01-01", "end_date": "2018-02-01"}
    again = sensors.adhoc_request_sensor(dg.build_sensor_context(cursor=result.cursor))
    assert again.run_requests == []
    resource = dg.DuckDBResource(database=str(workdir / "jaffle_platform.duckdb"))
    defs = Definitions(
        assets=[assets.raw_orders, stg_orders(assets), assets.adhoc_request],
        sensors=[sensors.adhoc_request_sensor],
        resources={"duckdb": resource},
    )
    instance = Instance.ephemeral()
    assert materialize(defs, selection="+stg_orders", instance=instance).success
    run = materialize(
        defs, selection="adhoc_request", run_config=request.run_config, instance=instance
    )
    assert run.success
    [event] = run.asset_materializations_for_node("adhoc_request")
    preview = event.metadata["preview"].value
    assert preview.count("\n") == 3  # a header, its rule and the two January orders


def ported_to(folder: Path, name: str) -> Path:
    """``locations/<name>.py`` ported into ``folder`` (for files that find data beside them)."""
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}.py"
    target.write_text(port_source((LOCATIONS / f"{name}.py").read_text()))
    return target


def test_a_pandera_type_fails_the_op_with_its_violations(
    ported: Port, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandera

    # The snippet predates pandera 0.14's rename of SchemaModel to DataFrameModel.
    monkeypatch.setattr(pandera, "SchemaModel", pandera.DataFrameModel, raising=False)
    module = import_file(ported("pandera_stocks_job"))
    with pytest.raises(dg.RunFailure, match="type check of StockPrices failed") as failed:
        module.stocks_job.execute_in_process()
    assert "non-nullable series 'open' contains null values" in str(failed.value)
    stock_prices = dg.pandera_schema_to_dagster_type(module.StockPrices)
    dirty = module.apple_stock_prices_dirty()
    check = stock_prices.type_check(None, dirty)
    assert not check.success and check.metadata["num_failures"] == 2
    assert stock_prices.type_check(None, dirty.dropna()).success
