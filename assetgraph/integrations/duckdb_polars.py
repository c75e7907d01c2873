"""Dagster's ``dagster_duckdb_polars``: polars DataFrames (and LazyFrames) as DuckDB tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from assetgraph.definitions.metadata import MetadataValue, TableColumn, TableSchema
from assetgraph.integrations.db_io_manager import DbTypeHandler, TableSlice
from assetgraph.integrations.duckdb_io_manager import (
    DuckDbClient,
    DuckDBIOManager,
    build_duckdb_io_manager,
    row_count_metadata,
    write_frame,
)
from assetgraph.io import InputContext, OutputContext


class DuckDBPolarsTypeHandler(DbTypeHandler[Any]):
    """Stores polars DataFrames and LazyFrames in DuckDB tables and loads them back."""

    def handle_output(
        self, context: OutputContext, table_slice: TableSlice, obj: Any, connection: Any
    ) -> Mapping[str, Any]:
        frame = obj.collect() if isinstance(obj, pl.LazyFrame) else obj
        write_frame(connection, table_slice, frame.to_arrow())
        columns = [TableColumn(name=name, type=str(kind)) for name, kind in frame.schema.items()]
        return {
            **row_count_metadata(context, frame.height),
            "dataframe_columns": MetadataValue.table_schema(TableSchema(columns=columns)),
        }

    def load_input(self, context: InputContext, table_slice: TableSlice, connection: Any) -> Any:
        if table_slice.partition_dimensions and not context.partition_keys:
            frame = pl.DataFrame()
        else:
            query = DuckDbClient.get_select_statement(table_slice)
            loaded = pl.from_arrow(connection.sql(query).to_arrow_table())
            assert isinstance(loaded, pl.DataFrame)  # a table, not a single column
            frame = loaded
        wanted = getattr(context.dagster_type, "typing_type", context.annotation)
        return frame.lazy() if wanted is pl.LazyFrame else frame

    @property
    def supported_types(self) -> Sequence[type[object]]:
        return [pl.DataFrame, pl.LazyFrame]


class DuckDBPolarsIOManager(DuckDBIOManager):
    """Stores assets' polars DataFrames as tables of the DuckDB file ``database``
    (Dagster's): ``DuckDBPolarsIOManager(database="db.duckdb", schema="IRIS")``."""

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler[Any]]:
        return [DuckDBPolarsTypeHandler()]

    @staticmethod
    def default_load_type() -> type | None:
        return pl.DataFrame


duckdb_polars_io_manager = build_duckdb_io_manager(
    [DuckDBPolarsTypeHandler()], default_load_type=pl.DataFrame
)
"""The same as an ``@io_manager`` definition (Dagster's legacy form)."""
