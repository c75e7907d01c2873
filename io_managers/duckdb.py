"""Stores pandas or polars DataFrames as tables of a DuckDB database file.

The same contract as ``io_managers.sql.SQLTableIOManager``: one table per asset, named by
joining its key parts with ``__``, in ``schema`` (default DuckDB's ``main``); the
partition column is the asset's ``partition_expr`` metadata, else ``partition_key``
(added when the frame lacks it and one partition is written). Storing partitions deletes
their rows and inserts the frame (``INSERT ... BY NAME SELECT`` from the registered frame)
in one transaction; storing an unpartitioned asset is one ``CREATE OR REPLACE TABLE``.
Columns that appear in a later frame are added; identifiers are quoted and partition keys
are bound parameters.

A polars ``DataFrame`` or ``LazyFrame`` is registered with DuckDB as it is (through Arrow);
loading gives a polars frame when the reading parameter (or the upstream asset) is annotated
with one (``io_managers.polars_frames``).

DuckDB lets one process at a time open a database file for writing; a manager that finds
the file locked by another process retries for ``lock_timeout`` seconds. Opening the file
and quoting identifiers is ``assetgraph.integrations.duckdb_connections``, which Dagster's
``DuckDBPandasIOManager`` (``assetgraph.integrations``) shares.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from assetgraph.errors import StorageError
from assetgraph.integrations.duckdb_connections import connect, quote_identifier
from assetgraph.io import InputContext, IOManager, OutputContext
from io_managers.parquet import report_frame_versions, require_frame
from io_managers.pickle import missing_value_error
from io_managers.polars_frames import FrameKind, as_kind, requested_kind
from io_managers.sql import (
    in_key_order,
    key_values,
    partition_column_to_read,
    partition_column_to_write,
    table_name_for,
)

if TYPE_CHECKING:
    import duckdb

_FRAME_VIEW = "__assetgraph_frame"


def _column_kind(duckdb_type: str) -> str:
    if duckdb_type == "DATE":
        return "date"
    if duckdb_type.startswith("TIMESTAMP"):
        return "datetime"
    return "text"


class DuckDBIOManager(IOManager):
    """Stores each asset's DataFrame in a table of the DuckDB file at ``path``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        schema: str | None = None,
        *,
        lock_timeout: float = 30.0,
    ) -> None:
        self.path = os.fspath(path)
        self.schema = schema
        self.lock_timeout = lock_timeout

    def host_local_storage(self) -> str | None:
        return os.path.abspath(self.path)

    @property
    def _schema(self) -> str:
        return self.schema or "main"

    def _table(self, name: str) -> str:
        return f"{quote_identifier(self._schema)}.{quote_identifier(name)}"

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return connect(self.path, lock_timeout=self.lock_timeout)

    def _columns(self, con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
        """The table's column types by name; empty when there is no such table."""
        rows = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND table_schema = ? "
            "AND table_name = ? ORDER BY ordinal_position",
            [self._schema, name],
        ).fetchall()
        return {str(column): str(kind) for column, kind in rows}

    # Storing.

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        frame = require_frame(context.asset_key, obj, "DuckDBIOManager")
        name = table_name_for(context.asset_key)
        metadata: dict[str, Any] = {"row_count": len(frame)}
        report_frame_versions(context, frame, "DuckDBIOManager")
        column: str | None = None
        if context.partition_keys:
            column, frame = partition_column_to_write(context, frame, "DuckDBIOManager")
            metadata["partition_column"] = column
        con = self._connect()
        try:
            con.begin()
            if self.schema:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(self.schema)}")
            con.register(_FRAME_VIEW, frame)
            if column is None:
                con.execute(f"CREATE OR REPLACE TABLE {self._table(name)} AS FROM {_FRAME_VIEW}")
            else:
                self._write_partitions(con, name, column, context.partition_keys)
            con.unregister(_FRAME_VIEW)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()
        context.add_output_metadata(
            {"path": self.path, "table": f"{self._schema}.{name}", **metadata}
        )

    def _write_partitions(
        self, con: duckdb.DuckDBPyConnection, name: str, column: str, keys: tuple[str, ...]
    ) -> None:
        table = self._table(name)
        existing = self._columns(con, name)
        if not existing:
            con.execute(f"CREATE TABLE {table} AS FROM {_FRAME_VIEW} LIMIT 0")
            existing = self._columns(con, name)
        elif column not in existing:
            raise StorageError(
                f"Table {self._schema}.{name} in {self.path} has no partition column "
                f"'{column}'; its columns are {list(existing)}."
            )
        else:
            described = con.execute(f"DESCRIBE FROM {_FRAME_VIEW}").fetchall()
            for new_column, new_type, *_ in described:
                if new_column not in existing:
                    con.execute(
                        f"ALTER TABLE {table} ADD COLUMN {quote_identifier(new_column)} {new_type}"
                    )
        values = key_values(keys, _column_kind(existing[column]))
        con.execute(
            f"DELETE FROM {table} WHERE {quote_identifier(column)} IN (SELECT UNNEST(?))",
            [values],
        )
        con.execute(f"INSERT INTO {table} BY NAME FROM {_FRAME_VIEW}")

    # Loading.

    def load_input(self, context: InputContext) -> Any:
        """The table's rows (of the partitions asked for): a pandas frame, or a polars one
        when ``context.annotation`` asks for it."""
        name = table_name_for(context.asset_key)
        keys = context.partition_keys
        kind = requested_kind(context.annotation)
        con = self._connect()
        try:
            existing = self._columns(con, name)
            if not existing:
                where = f"table {self._schema}.{name} in {self.path}"
                raise missing_value_error(context.asset_key, keys, where)
            if not keys:
                return _fetch(con, f"FROM {self._table(name)}", [], kind)
            column = partition_column_to_read(context)
            if column not in existing:
                raise StorageError(
                    f"Asset '{context.asset_key}' is loaded by partition, but table "
                    f"{self._schema}.{name} in {self.path} has no partition column "
                    f"'{column}' (columns: {list(existing)}); set metadata partition_expr "
                    "to the column that holds them."
                )
            values = key_values(keys, _column_kind(existing[column]))
            query = (
                f"FROM {self._table(name)} WHERE {quote_identifier(column)} IN (SELECT UNNEST(?))"
            )
            frame = _fetch(con, query, [values], "pandas" if kind == "pandas" else "polars")
        finally:
            con.close()
        ordered = in_key_order(frame, column, keys)
        return ordered if kind == "pandas" else as_kind(ordered, kind)


def _fetch(con: duckdb.DuckDBPyConnection, query: str, params: list[Any], kind: FrameKind) -> Any:
    """The query's rows as a pandas frame or a polars frame of ``kind``."""
    if kind == "pandas":
        return con.execute(query, params).df()
    import polars as pl

    frame = pl.from_arrow(con.sql(query, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)  # a table, not a single column
    return as_kind(frame, kind)
