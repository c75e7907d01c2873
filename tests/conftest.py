"""Shared fixtures: every test gets its own ASSETGRAPH_HOME and working directory."""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_URL_ENV = "ASSETGRAPH_TEST_POSTGRES_URL"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` first, each group in collection order: ``make test`` has
    pytest-xdist hand out files in this order (``--no-loadscope-reorder``), so the long
    files start early, the short ones fill in at the end, and the workers finish together."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``ASSETGRAPH_HOME`` (and cwd) so no test sees another's runs or files."""
    home = tmp_path / "ag-home"
    monkeypatch.setenv("ASSETGRAPH_HOME", str(home))
    monkeypatch.delenv("ASSETGRAPH_STORAGE_URL", raising=False)
    monkeypatch.delenv("ASSETGRAPH_VERBOSE", raising=False)
    monkeypatch.chdir(tmp_path)
    return home


def postgres_url() -> str | None:
    """The test PostgreSQL server's URL, when ``make test`` found one."""
    return os.environ.get(POSTGRES_URL_ENV) or None


@pytest.fixture(params=["sqlite", "postgres"])
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh metadata database URL: a SQLite file, then a schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/meta.db"
        return
    base = postgres_url()
    if base is None:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_URL_ENV} (make test sets it when a server runs)"
        )
    yield from _postgres_schema(base, f"t_{uuid.uuid4().hex[:12]}")


def _postgres_schema(base: str, name: str) -> Iterator[str]:
    import sqlalchemy as sa

    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{name}"
    finally:
        # The test's instances are garbage now; collecting them closes their pooled
        # connections, which would otherwise pile up in this worker until the server's
        # connection limit refuses the next test.
        gc.collect()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
