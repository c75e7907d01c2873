"""Shared fixtures: every test gets its own ASSETGRAPH_HOME and working directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

POSTGRES_URL_ENV = "ASSETGRAPH_TEST_POSTGRES_URL"


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
