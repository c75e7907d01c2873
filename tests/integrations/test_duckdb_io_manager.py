"""Dagster's DuckDB IO managers: table naming, partitions, columns and type handlers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pytest

from assetgraph import (
    AssetIn,
    DailyPartitionsDefinition,
    Definitions,
    DuckDBIOManager,
    DuckDBPandasIOManager,
    DuckDBPandasTypeHandler,
    DuckDBPolarsIOManager,
    DuckDBPolarsTypeHandler,
    Instance,
    StaticPartitionsDefinition,
    asset,
    build_duckdb_io_manager,
    materialize,
)


def rows(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def run(assets: list[Any], manager: Any, **kwargs: Any) -> Any:
    defs = Definitions(assets=assets, resources={"io_manager": manager})
    instance = kwargs.pop("instance", Instance.ephemeral())
    return materialize(defs, instance=instance, raise_on_error=True, **kwargs)


def test_the_schema_comes_from_metadata_then_key_prefix_then_config_then_public(
    tmp_path: Path,
) -> None:
    frame = pd.DataFrame({"a": [1]})

    @asset(metadata={"schema": "meta"})
    def by_metadata() -> pd.DataFrame:
        return frame

    @asset(key_prefix=["prefixed"])
    def by_prefix() -> pd.DataFrame:
        return frame

    @asset
    def by_default() -> pd.DataFrame:
        return frame

    database = tmp_path / "w.duckdb"
    run([by_metadata, by_prefix, by_default], DuckDBPandasIOManager(database=str(database)))
    tables = rows(database, "SELECT table_schema, table_name FROM information_schema.tables")
    assert sorted(tables) == [
        ("meta", "by_metadata"),
        ("prefixed", "by_prefix"),
        ("public", "by_default"),
    ]
    configured = DuckDBPandasIOManager(database=str(database), schema="configured")
    run([by_default], configured)
    assert rows(database, "SELECT a FROM configured.by_default") == [(1,)]


def test_static_partitions_rewrite_their_rows_and_downstream_reads_all(tmp_path: Path) -> None:
    colors = StaticPartitionsDefinition(["red", "blue"])

    @asset(partitions_def=colors, metadata={"partition_expr": "color"})
    def paint(context: Any) -> pd.DataFrame:
        return pd.DataFrame({"color": [context.partition_key] * 2, "n": [1, 2]})

    @asset
    def total(paint: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"rows": [len(paint)], "n": [int(paint["n"].sum())]})

    database = tmp_path / "w.duckdb"
    manager = DuckDBPandasIOManager(database=str(database))
    instance = Instance.ephemeral()
    for key in ("red", "blue", "red"):
        run([paint], manager, partition_key=key, instance=instance)
    assert rows(database, "SELECT color, count(*) FROM public.paint GROUP BY 1 ORDER BY 1") == [
        ("blue", 2),
        ("red", 2),
    ]
    defs = Definitions(assets=[paint, total], resources={"io_manager": manager})
    assert materialize(defs, selection="total", instance=instance).success
    assert rows(database, "SELECT * FROM public.total") == [(4, 6)]


def test_a_partitioned_asset_without_partition_expr_is_refused(tmp_path: Path) -> None:
    @asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily() -> pd.DataFrame:
        return pd.DataFrame({"a": [1]})

    defs = Definitions(
        assets=[daily],
        resources={"io_manager": DuckDBPandasIOManager(database=str(tmp_path / "w.duckdb"))},
    )
    with pytest.raises(Exception, match="no 'partition_expr' metadata"):
        materialize(
            defs, partition_key="2024-01-01", instance=Instance.ephemeral(), raise_on_error=True
        )


def test_polars_frames_round_trip_and_an_input_picks_its_annotation(tmp_path: Path) -> None:
    @asset
    def frame() -> pl.DataFrame:
        return pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})

    @asset(ins={"frame": AssetIn(metadata={"columns": ["a"]})})
    def lazy_sum(frame: pl.LazyFrame) -> pl.DataFrame:
        return frame.select(pl.col("a").sum()).collect()

    database = tmp_path / "w.duckdb"
    result = run([frame, lazy_sum], DuckDBPolarsIOManager(database=str(database)))
    assert result.output_for("lazy_sum").to_dicts() == [{"a": 6}]
    assert rows(database, "SELECT a FROM public.lazy_sum") == [(6,)]


class PandasAndPolars(DuckDBIOManager):
    @staticmethod
    def type_handlers() -> list[Any]:
        return [DuckDBPandasTypeHandler(), DuckDBPolarsTypeHandler()]

    @staticmethod
    def default_load_type() -> type | None:
        return pd.DataFrame


def test_a_subclass_with_several_handlers_stores_each_type(tmp_path: Path) -> None:
    @asset
    def from_polars() -> pl.DataFrame:
        return pl.DataFrame({"a": [1]})

    @asset
    def to_pandas(from_polars: pd.DataFrame) -> pd.DataFrame:
        return from_polars.assign(b=2)

    @asset
    def unannotated(from_polars):  # type: ignore[no-untyped-def]
        assert isinstance(from_polars, pd.DataFrame)  # the default load type, as in Dagster
        return from_polars

    database = tmp_path / "w.duckdb"
    run([from_polars, to_pandas, unannotated], PandasAndPolars(database=str(database)))
    assert rows(database, "SELECT a, b FROM public.to_pandas") == [(1, 2)]


def test_build_duckdb_io_manager_is_configured_like_dagsters(tmp_path: Path) -> None:
    manager = build_duckdb_io_manager([DuckDBPandasTypeHandler()]).configured(
        {"database": str(tmp_path / "w.duckdb"), "schema": "legacy"}
    )

    @asset
    def old_style() -> pd.DataFrame:
        return pd.DataFrame({"a": [5]})

    run([old_style], manager)
    assert rows(tmp_path / "w.duckdb", "SELECT a FROM legacy.old_style") == [(5,)]


def test_an_unhandled_type_names_the_asset_and_the_handled_types(tmp_path: Path) -> None:
    @asset
    def numbers() -> list[int]:
        return [1, 2]

    defs = Definitions(
        assets=[numbers],
        resources={"io_manager": DuckDBPandasIOManager(database=str(tmp_path / "w.duckdb"))},
    )
    result = materialize(defs, instance=Instance.ephemeral())
    assert not result.success
    with pytest.raises(Exception, match="no type handler for list; it handles DataFrame"):
        materialize(defs, instance=Instance.ephemeral(), raise_on_error=True)
