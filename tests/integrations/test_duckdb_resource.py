"""``DuckDBResource``: a connection per ``get_connection()``, closed after, in its schema."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assetgraph import DuckDBResource, Instance, asset, materialize


def test_a_connection_opens_the_database_and_closes_after_use(tmp_path: Path) -> None:
    resource = DuckDBResource(database=str(tmp_path / "db.duckdb"))
    with resource.get_connection() as conn:
        conn.execute("CREATE TABLE t AS SELECT 1 AS x")
    with pytest.raises(duckdb.ConnectionException):
        conn.execute("SELECT 1")
    with resource.get_connection() as again:
        assert again.execute("SELECT x FROM main.t").fetchall() == [(1,)]


def test_connection_config_and_schema_apply_to_the_connection(tmp_path: Path) -> None:
    resource = DuckDBResource(
        database=str(tmp_path / "db.duckdb"), connection_config={"threads": 1}, schema="raw"
    )
    with resource.get_connection() as conn:
        assert conn.execute("SELECT current_setting('threads')").fetchall() == [(1,)]
        conn.execute("CREATE TABLE t AS SELECT 2 AS x")
    with duckdb.connect(str(tmp_path / "db.duckdb")) as conn:
        assert conn.execute("SELECT x FROM raw.t").fetchall() == [(2,)]


def test_an_asset_receives_it_by_annotation(tmp_path: Path) -> None:
    @asset
    def numbers(duckdb: DuckDBResource) -> None:
        with duckdb.get_connection() as conn:
            conn.execute("CREATE OR REPLACE TABLE numbers AS SELECT range AS n FROM range(3)")

    resource = DuckDBResource(database=str(tmp_path / "db.duckdb"))
    result = materialize([numbers], resources={"duckdb": resource}, instance=Instance.ephemeral())
    assert result.success
    with resource.get_connection() as conn:
        assert conn.execute("SELECT count(*) FROM numbers").fetchall() == [(3,)]
