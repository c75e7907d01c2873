"""Dagster's ``DuckDBResource``: a DuckDB connection for asset code, opened per use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from pydantic import Field

from assetgraph.definitions.config import ConfigurableResource
from assetgraph.integrations.duckdb_connections import connect, sql_identifier, sql_string

if TYPE_CHECKING:
    import duckdb


class DuckDBDatabase(ConfigurableResource):
    """The fields Dagster's DuckDB resource and IO managers share: ``database`` (a file
    path or ``:memory:``), ``connection_config`` (DuckDB settings) and ``schema``."""

    database: str = Field(description="Path to the DuckDB database file, or ':memory:'.")
    connection_config: dict[str, Any] = Field(
        default_factory=dict, description="DuckDB configuration options of the connections."
    )
    schema_: str | None = Field(default=None, alias="schema", description="The default schema.")


class DuckDBResource(DuckDBDatabase):
    """A DuckDB database for asset code (Dagster's ``dagster_duckdb.DuckDBResource``).

    ``with duckdb.get_connection() as conn:`` opens ``database`` (a file, created when
    missing, or ``:memory:``) with ``connection_config`` (DuckDB settings), waits while
    another process holds the file, and closes the connection on exit. ``schema``, when
    given (an assetgraph addition), is created if missing and made the connection's default
    schema, so unqualified table names land in it.
    """

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An open connection, closed when the ``with`` block ends."""
        conn = connect(self.database, config=self.connection_config)
        try:
            if self.schema_:
                schema = sql_identifier(self.schema_)
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                conn.execute(f"SET schema = {sql_string(self.schema_)}")
            yield conn
        finally:
            conn.close()
