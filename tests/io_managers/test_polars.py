"""Polars frames through the parquet, DuckDB and SQL (SQLite) IO managers, via materialize."""

from __future__ import annotations

import datetime as dt
import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from assetgraph import (
    BackfillPolicy,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    IOManager,
    StorageError,
    asset,
    materialize,
)
from assetgraph.storage.records import EventType

pl = pytest.importorskip("polars", reason="the polars package is not installed (extra 'polars')")

from io_managers.parquet import ParquetIOManager  # noqa: E402
from io_managers.sql import SQLTableIOManager  # noqa: E402

DAYS = ["2025-01-01", "2025-01-02", "2025-01-03"]
daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-04")


def _duckdb(tmp_path: Path) -> IOManager:
    pytest.importorskip("duckdb", reason="the duckdb package is not installed (extra 'duckdb')")
    from io_managers.duckdb import DuckDBIOManager

    return DuckDBIOManager(tmp_path / "warehouse.duckdb")


def _object_store(tmp_path: Path) -> IOManager:
    pytest.importorskip("fsspec", reason="the fsspec package is not installed (extra 'fsspec')")
    return ParquetIOManager(f"memory://polars-{uuid.uuid4().hex}")


MANAGERS: dict[str, Callable[[Path], IOManager]] = {
    "parquet": lambda tmp: ParquetIOManager(tmp / "store"),
    "parquet-memory": _object_store,
    "duckdb": _duckdb,
    "sqlite": lambda tmp: SQLTableIOManager(f"sqlite:///{tmp}/warehouse.db"),
}


@pytest.fixture(params=list(MANAGERS))
def manager(request: pytest.FixtureRequest, tmp_path: Path) -> IOManager:
    return MANAGERS[request.param](tmp_path)


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    return Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)


def _run(defs: Definitions, instance: Instance, **kwargs: Any) -> Any:
    result = materialize(defs, instance=instance, **kwargs)
    assert result.success, [f.error.summary() for f in result.failures if f.error]
    return result


def test_an_annotation_picks_polars_lazy_or_pandas(manager: IOManager, instance: Instance) -> None:
    @asset
    def orders() -> pl.LazyFrame:
        return pl.LazyFrame({"region": ["eu", "us", "eu"], "amount": [1.5, 2.0, 3.0]})

    @asset
    def eager(orders: pl.DataFrame) -> pl.DataFrame:
        assert type(orders) is pl.DataFrame
        return orders.group_by("region").agg(pl.col("amount").sum()).sort("region")

    @asset
    def lazy(orders: pl.LazyFrame) -> pl.LazyFrame:
        assert type(orders) is pl.LazyFrame
        return orders.select(pl.len().alias("rows"))

    @asset
    def as_pandas(orders: pd.DataFrame) -> pd.DataFrame:
        assert isinstance(orders, pd.DataFrame)
        return pd.DataFrame({"rows": [len(orders)]})

    @asset
    def bare(eager):  # type: ignore[no-untyped-def]
        return pd.DataFrame({"type": [type(eager).__name__]})  # upstream's annotation decides

    defs = Definitions(
        assets=[orders, eager, lazy, as_pandas, bare], resources={"io_manager": manager}
    )
    result = _run(defs, instance)

    stored = result.output_for("eager")
    assert isinstance(stored, pl.DataFrame)
    assert stored.to_dict(as_series=False) == {"region": ["eu", "us"], "amount": [4.5, 2.0]}
    assert type(result.output_for("lazy")) is pl.LazyFrame
    assert result.output_for("lazy").collect()["rows"].to_list() == [3]
    assert result.output_for("as_pandas")["rows"].tolist() == [3]
    assert result.output_for("bare")["type"].tolist() == ["DataFrame"]
    assert type(result.output_for("bare")["type"]) is pd.Series
    records = instance.storage.latest_materializations(["orders", "eager"])
    lazy_meta, eager_meta = records[("orders", None)].metadata, records[("eager", None)].metadata
    assert lazy_meta["row_count"] == 3, "a LazyFrame is counted when it is stored"
    assert lazy_meta["column_schema"] == {"region": "String", "amount": "Float64"}
    assert eager_meta["row_count"] == 2
    assert eager_meta["column_schema"] == {"region": "String", "amount": "Float64"}


@asset(partitions_def=daily, metadata={"partition_expr": "day"})
def sales(context) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    day = dt.date.fromisoformat(context.partition_key)
    return pl.DataFrame({"day": [day, day], "amount": [day.day, 10 * day.day]})


def test_partitions_are_replaced_and_concatenated_in_key_order(
    manager: IOManager, instance: Instance
) -> None:
    @asset
    def total(sales: pl.LazyFrame) -> pl.DataFrame:
        return sales.collect()

    defs = Definitions(assets=[sales, total], resources={"io_manager": manager})
    _run(defs, instance, selection="sales", all_partitions=True)
    _run(defs, instance, selection="sales", partition_key=DAYS[1])  # no duplicated rows
    frame = _run(defs, instance, selection="total").output_for("total")

    assert frame["amount"].to_list() == [1, 10, 2, 20, 3, 30]
    assert [str(day) for day in frame["day"].to_list()][::2] == DAYS
    assert (
        instance.storage.latest_materializations(["sales"])[("sales", DAYS[2])].metadata[
            "row_count"
        ]
        == 2
    )


def test_a_single_run_backfill_splits_a_polars_frame_by_partition(
    manager: IOManager, instance: Instance
) -> None:
    @asset(
        partitions_def=daily,
        backfill_policy=BackfillPolicy.single_run(),
        metadata={"partition_expr": "key"},
    )
    def bulk(context) -> pl.LazyFrame:  # type: ignore[no-untyped-def]
        keys = list(context.partition_keys)
        return pl.LazyFrame({"key": keys[::-1], "n": range(len(keys))})

    @asset(partitions_def=daily)
    def one(context, bulk: pl.DataFrame) -> pl.DataFrame:  # type: ignore[no-untyped-def]
        assert bulk["key"].to_list() == [context.partition_key]
        return bulk.with_columns(pl.col("n") * 100)

    defs = Definitions(assets=[bulk, one], resources={"io_manager": manager})
    result = _run(defs, instance, all_partitions=True)

    records = instance.storage.latest_materializations(["bulk"])
    assert sorted(partition for _, partition in records) == DAYS
    versions = {records[("bulk", day)].data_version for day in DAYS}
    assert len(versions) == 3, "each partition's rows get their own data version"
    assert result.success

    @asset
    def everything(bulk: pl.DataFrame) -> pl.DataFrame:
        return bulk

    defs = Definitions(assets=[bulk, everything], resources={"io_manager": manager})
    loaded = _run(defs, instance, selection="everything").output_for("everything")
    assert loaded["key"].to_list() == DAYS and loaded["n"].to_list() == [2, 1, 0]


def test_a_frame_of_another_type_gets_a_clear_error(tmp_path: Path, instance: Instance) -> None:
    @asset
    def numbers() -> list[int]:
        return [1, 2]

    manager = ParquetIOManager(tmp_path / "store")
    result = materialize(
        Definitions(assets=[numbers], resources={"io_manager": manager}), instance=instance
    )
    assert not result.success
    [failure] = result.failures
    assert failure.error is not None
    assert "stores pandas or polars DataFrames" in failure.error.summary()


def test_the_cli_materializes_polars_assets(tmp_path: Path, monkeypatch: Any) -> None:
    from assetgraph.cli.main import app

    defs_file = tmp_path / "defs.py"
    defs_file.write_text(
        textwrap.dedent(
            f"""
            import polars as pl
            from assetgraph import Definitions, asset
            from io_managers.parquet import ParquetIOManager

            @asset
            def raw() -> pl.DataFrame:
                return pl.DataFrame({{"x": [1, 2, 3]}})

            @asset
            def doubled(raw: pl.LazyFrame) -> pl.LazyFrame:
                return raw.with_columns(pl.col("x") * 2)

            defs = Definitions(
                assets=[raw, doubled],
                resources={{"io_manager": ParquetIOManager({str(tmp_path / "store")!r})}},
            )
            """
        )
    )
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    outcome = CliRunner().invoke(app, ["materialize", "-f", str(defs_file)])
    assert outcome.exit_code == 0, outcome.output
    stored = pl.read_parquet(tmp_path / "store" / "doubled.parquet")
    assert stored["x"].to_list() == [2, 4, 6]


# pandera's Polars schemas.

pandera_polars = pytest.importorskip(
    "pandera.polars", reason="pandera's Polars support is not installed (extra 'pandera')"
)
from pandera.typing.polars import DataFrame as PanderaFrame  # noqa: E402


class Amounts(pandera_polars.DataFrameModel):  # type: ignore[misc]
    amount: int = pandera_polars.Field(ge=0)


AMOUNTS: dict[str, list[int]] = {"amount": [1, 2, 3]}


@asset
def checked() -> PanderaFrame[Amounts]:
    return pl.DataFrame(AMOUNTS)  # type: ignore[return-value]


def _check_events(instance: Instance, run_id: str) -> list[Any]:
    return instance.storage.events_for_run(run_id, [EventType.ASSET_CHECK_EVALUATION])


def test_a_pandera_polars_annotation_stops_a_bad_frame(
    tmp_path: Path, instance: Instance, monkeypatch: Any
) -> None:
    defs = Definitions(
        assets=[checked], resources={"io_manager": ParquetIOManager(tmp_path / "store")}
    )
    monkeypatch.setitem(AMOUNTS, "amount", [1, -2, -3])
    bad = materialize(defs, instance=instance)

    assert not bad.success
    assert instance.storage.latest_materializations(["checked"]) == {}
    [event] = _check_events(instance, bad.run_id)
    assert event.payload["check_name"] == "pandera_schema" and not event.payload["passed"]
    [case] = event.payload["failure_cases"]["cases"]
    # pandera's Polars backend reports failure cases as text.
    assert (case["column"], case["count"], case["values"]) == ("amount", 2, ["-2", "-3"])

    monkeypatch.setitem(AMOUNTS, "amount", [1, 2])
    good = _run(defs, instance)
    assert good.output_for("checked")["amount"].to_list() == [1, 2]
    [event] = _check_events(instance, good.run_id)
    assert event.payload["passed"] is True


def test_a_pandera_polars_schema_option_validates(manager: IOManager, instance: Instance) -> None:
    schema = pandera_polars.DataFrameSchema(
        {"n": pandera_polars.Column(pl.Int64, pandera_polars.Check.le(5))}, name="small"
    )

    @asset(schema=schema)
    def small() -> pl.DataFrame:
        return pl.DataFrame({"n": [1, 9]})

    result = materialize(
        Definitions(assets=[small], resources={"io_manager": manager}), instance=instance
    )
    assert not result.success
    [event] = _check_events(instance, result.run_id)
    assert event.payload["metadata"] == {"schema": "small"}
    assert event.payload["failure_cases"]["cases"][0]["values"] == ["9"]


def test_polars_reads_what_pandas_stored_and_back(manager: IOManager, instance: Instance) -> None:
    @asset(
        partitions_def=daily,
        backfill_policy=BackfillPolicy.single_run(),
        metadata={"partition_expr": "key"},
    )
    def from_pandas(context) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        keys = list(context.partition_keys)
        return pd.DataFrame({"key": keys[::-1], "n": range(len(keys))})  # split: index kept

    @asset
    def in_polars(from_pandas: pl.DataFrame) -> pl.DataFrame:
        return from_pandas

    @asset
    def in_pandas(in_polars: pd.DataFrame) -> pd.DataFrame:
        return in_polars

    defs = Definitions(
        assets=[from_pandas, in_polars, in_pandas], resources={"io_manager": manager}
    )
    result = _run(defs, instance, all_partitions=True)

    polars_frame = result.output_for("in_polars")
    assert polars_frame.columns == ["key", "n"], "no pandas index column"
    assert polars_frame["key"].to_list() == DAYS and polars_frame["n"].to_list() == [2, 1, 0]
    assert result.output_for("in_pandas").to_dict("list") == {"key": DAYS, "n": [2, 1, 0]}


def test_a_dict_annotation_gets_one_polars_frame_per_partition(
    manager: IOManager, instance: Instance
) -> None:
    @asset
    def per_day(sales: dict[str, pl.LazyFrame]) -> pl.DataFrame:
        assert list(sales) == DAYS
        assert all(type(frame) is pl.LazyFrame for frame in sales.values())
        return pl.DataFrame(
            {"day": list(sales), "rows": [f.collect().height for f in sales.values()]}
        )

    defs = Definitions(assets=[sales, per_day], resources={"io_manager": manager})
    _run(defs, instance, selection="sales", all_partitions=True)
    frame = _run(defs, instance, selection="per_day").output_for("per_day")
    assert frame.to_dict(as_series=False) == {"day": DAYS, "rows": [2, 2, 2]}


@pytest.mark.parametrize("kind", [pl.DataFrame, pl.LazyFrame])
def test_loading_a_value_never_stored_names_it(manager: IOManager, kind: type) -> None:
    from assetgraph import AssetKey
    from assetgraph.io import InputContext

    context = InputContext(
        AssetKey("orders"), run_id="r", partition_keys=("2025-01-01",), annotation=kind
    )
    with pytest.raises(StorageError, match=r"Asset 'orders' partition '2025-01-01' has"):
        manager.load_input(context)


def test_partitions_held_as_a_dict_are_concatenated_for_a_polars_input(
    instance: Instance,
) -> None:
    from assetgraph import InMemoryIOManager

    @asset
    def joined(sales: pl.LazyFrame) -> pl.DataFrame:
        return sales.collect()

    defs = Definitions(assets=[sales, joined], resources={"io_manager": InMemoryIOManager()})
    frame = _run(defs, instance, all_partitions=True).output_for("joined")
    assert frame["amount"].to_list() == [1, 10, 2, 20, 3, 30]
