"""Dagster's ``dagster_duckdb_pandas``: pandas DataFrames as DuckDB tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

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


class DuckDBPandasTypeHandler(DbTypeHandler[pd.DataFrame]):
    """Stores pandas DataFrames in DuckDB tables and loads them back."""

    def handle_output(
        self, context: OutputContext, table_slice: TableSlice, obj: pd.DataFrame, connection: Any
    ) -> Mapping[str, Any]:
        write_frame(connection, table_slice, obj)
        columns = [TableColumn(name=str(name), type=str(kind)) for name, kind in obj.dtypes.items()]
        return {
            **row_count_metadata(context, len(obj)),
            "dataframe_columns": MetadataValue.table_schema(TableSchema(columns=columns)),
        }

    def load_input(
        self, context: InputContext, table_slice: TableSlice, connection: Any
    ) -> pd.DataFrame:
        if table_slice.partition_dimensions and not context.partition_keys:
            return pd.DataFrame()
        frame: pd.DataFrame = connection.execute(
            DuckDbClient.get_select_statement(table_slice)
        ).df()
        return frame

    @property
    def supported_types(self) -> Sequence[type[object]]:
        return [pd.DataFrame]


class DuckDBPandasIOManager(DuckDBIOManager):
    """Stores assets' pandas DataFrames as tables of the DuckDB file ``database``
    (Dagster's): ``DuckDBPandasIOManager(database="db.duckdb", schema="IRIS")``."""

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler[Any]]:
        return [DuckDBPandasTypeHandler()]

    @staticmethod
    def default_load_type() -> type | None:
        return pd.DataFrame


duckdb_pandas_io_manager = build_duckdb_io_manager(
    [DuckDBPandasTypeHandler()], default_load_type=pd.DataFrame
)
"""The same as an ``@io_manager`` definition (Dagster's legacy form):
``duckdb_pandas_io_manager.configured({"database": "db.duckdb"})``."""
