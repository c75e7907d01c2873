"""Fixtures of the IO manager tests: table IO managers on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from io_managers.sql import SQLTableIOManager

POSTGRES_URL_ENV = "ASSETGRAPH_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgres"])
def sql_manager(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLTableIOManager]:
    """A SQLTableIOManager on a fresh SQLite file, then in a fresh PostgreSQL schema.

    The PostgreSQL schema name holds a double quote and a space, so every test also checks
    that identifiers are quoted.
    """
    if request.param == "sqlite":
        manager = SQLTableIOManager(f"sqlite:///{tmp_path}/warehouse.db")
        yield manager
        manager.dispose()
        return
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_ENV} (e.g. postgresql+psycopg://...)")
    schema = f'ag "io" {uuid.uuid4().hex[:10]}'
    manager = SQLTableIOManager(url, schema=schema)
    try:
        yield manager
    finally:
        manager.dispose()
        _drop_schema(url, schema)


def _drop_schema(url: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))
    finally:
        engine.dispose()
