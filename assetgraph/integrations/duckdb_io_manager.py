"""Dagster's ``dagster_duckdb`` IO manager: assets as tables of a DuckDB database file.

``DuckDBIOManager`` is the base class (a ``ConfigurableIOManagerFactory``) whose
subclasses name their type handlers (``DuckDBPandasIOManager``, ``DuckDBPolarsIOManager``);
``build_duckdb_io_manager(handlers)`` makes the same from a list of handlers, configured
with ``.configured({"database": ...})``. Table naming, partitions and columns are
``db_io_manager``'s (Dagster's rules).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.config import ConfigurableIOManagerFactory
from assetgraph.definitions.config_schema import Field
from assetgraph.definitions.resource_functions import IOManagerDefinition
from assetgraph.integrations.db_io_manager import (
    DbClient,
    DbIOManager,
    DbTypeHandler,
    TablePartitionDimension,
    TableSlice,
)
from assetgraph.integrations.duckdb_connections import connect, sql_identifier, sql_string
from assetgraph.integrations.duckdb_resource import DuckDBDatabase
from assetgraph.io import InputContext, OutputContext
from assetgraph.partitions.time_window import TimeWindow

if TYPE_CHECKING:
    import duckdb

_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class DuckDbClient(DbClient):
    """DuckDB's statements for ``DbIOManager``."""

    def __init__(self, connection_config: dict[str, Any] | None = None) -> None:
        self.connection_config = dict(connection_config or {})

    def delete_table_slice(
        self, context: OutputContext, table_slice: TableSlice, connection: Any
    ) -> None:
        if table_exists(connection, table_slice):
            connection.execute(f"DELETE FROM {qualified_name(table_slice)}{_where(table_slice)}")

    def ensure_schema_exists(
        self, context: OutputContext, table_slice: TableSlice, connection: Any
    ) -> None:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {sql_identifier(table_slice.schema)}")

    @staticmethod
    def get_select_statement(table_slice: TableSlice) -> str:
        columns = ", ".join(table_slice.columns) if table_slice.columns else "*"
        return f"SELECT {columns} FROM {qualified_name(table_slice)}{_where(table_slice)}"

    @contextmanager
    def connect(
        self, context: OutputContext | InputContext, table_slice: TableSlice
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        assert table_slice.database is not None  # DbIOManager always sets it
        conn = connect(table_slice.database, config=self.connection_config)
        try:
            yield conn
        finally:
            conn.close()


def qualified_name(table_slice: TableSlice) -> str:
    """``schema.table`` as written in SQL."""
    return f"{sql_identifier(table_slice.schema)}.{sql_identifier(table_slice.table)}"


def table_exists(connection: Any, table_slice: TableSlice) -> bool:
    """Whether the slice's table exists (schema and table names match case-insensitively)."""
    [(found,)] = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND lower(table_schema) = lower(?) AND lower(table_name) = lower(?)",
        [table_slice.schema, table_slice.table],
    ).fetchall()
    return bool(found)


def write_frame(connection: Any, table_slice: TableSlice, frame: Any) -> None:
    """Append ``frame`` (pandas, polars or Arrow) to the slice's table, matching columns by
    name; the table is created from the frame's columns when it does not exist."""
    view = "__assetgraph_frame"
    connection.register(view, frame)
    try:
        if table_exists(connection, table_slice):
            connection.execute(f"INSERT INTO {qualified_name(table_slice)} BY NAME FROM {view}")
        else:
            connection.execute(f"CREATE TABLE {qualified_name(table_slice)} AS FROM {view}")
    finally:
        connection.unregister(view)


def row_count_metadata(context: OutputContext, rows: int) -> dict[str, int]:
    """Dagster's row count key: of the partition stored, or of the whole table."""
    key = "dagster/partition_row_count" if context.has_partition_key else "dagster/row_count"
    return {key: rows}


def _where(table_slice: TableSlice) -> str:
    clauses = [_clause(d) for d in table_slice.partition_dimensions or ()]
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


def _clause(dimension: TablePartitionDimension) -> str:
    expr, rows = dimension.partition_expr, dimension.partitions
    if isinstance(rows, TimeWindow):
        start, end = (sql_string(t.strftime(_DATETIME_FORMAT)) for t in rows)
        return f"{expr} >= {start} AND {expr} < {end}"
    if not rows:
        return "FALSE"
    return f"{expr} IN ({', '.join(sql_string(key) for key in rows)})"


class DuckDBIOManager(ConfigurableIOManagerFactory, DuckDBDatabase):
    """Stores assets as tables of the DuckDB file ``database`` (Dagster's base class).

    Subclass it and return the type handlers from the static method ``type_handlers()``
    (and, optionally, the type to load unannotated inputs as from ``default_load_type()``).
    ``schema`` is the schema of assets whose key and metadata name none (default
    ``public``); ``connection_config`` holds DuckDB settings.
    """

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler[Any]]:
        """The handlers of the value types this IO manager stores."""
        raise NotImplementedError(
            "A DuckDBIOManager subclass returns its handlers from type_handlers(), e.g. "
            "[DuckDBPandasTypeHandler()]."
        )

    @staticmethod
    def default_load_type() -> type | None:
        """The type an input without annotation is loaded as (None: the only handler's)."""
        return None

    def create_io_manager(self, context: Any) -> DbIOManager:
        return DbIOManager(
            type_handlers=self.type_handlers(),
            db_client=DuckDbClient(self.connection_config),
            database=self.database,
            schema=self.schema_,
            io_manager_name=type(self).__name__,
            default_load_type=self.default_load_type(),
        )


def build_duckdb_io_manager(
    type_handlers: Sequence[DbTypeHandler[Any]], default_load_type: type | None = None
) -> IOManagerDefinition:
    """An IO manager definition storing assets in DuckDB through ``type_handlers``;
    configure it with ``.configured({"database": ..., "schema": ...})``."""

    def duckdb_io_manager(init_context: Any) -> DbIOManager:
        config = dict(init_context.resource_config or {})
        return DbIOManager(
            type_handlers=type_handlers,
            db_client=DuckDbClient(config.get("connection_config")),
            database=str(config["database"]),
            schema=config.get("schema"),
            io_manager_name="DuckDBIOManager",
            default_load_type=default_load_type,
        )

    config_schema = {
        "database": Field(str, description="Path to the DuckDB database file."),
        "schema": Field(str, is_required=False, description="The default schema."),
        "connection_config": Field(dict, default_value={}, description="DuckDB settings."),
    }
    return IOManagerDefinition(duckdb_io_manager, config_schema)
