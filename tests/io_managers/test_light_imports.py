"""Importing an IO manager module loads no heavy library: they load on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas", "pyarrow", "sqlalchemy", "duckdb", "fsspec", "numpy", "polars", "deltalake")


@pytest.mark.parametrize(
    "module",
    [
        "io_managers.pickle",
        "io_managers.parquet",
        "io_managers.sql",
        "io_managers.duckdb",
        "io_managers.delta_lake",
    ],
)
def test_importing_an_io_manager_module_is_cheap(module: str) -> None:
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == [], f"importing {module} loaded {loaded}"
