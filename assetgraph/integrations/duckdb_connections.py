"""Opening DuckDB databases and writing identifiers: what every DuckDB user of assetgraph shares.

DuckDB lets one process at a time open a database file for writing; ``connect`` retries
while another process holds the file's lock, for ``lock_timeout`` seconds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

_PLAIN_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def quote_identifier(name: str) -> str:
    """``name`` as a DuckDB quoted identifier (double quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def sql_identifier(name: str) -> str:
    """``name`` as written in SQL: as it is when it is a plain identifier, else quoted."""
    return name if _PLAIN_IDENTIFIER.fullmatch(name) else quote_identifier(name)


def sql_string(value: str) -> str:
    """``value`` as a SQL string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def connect(
    database: str,
    *,
    config: Mapping[str, Any] | None = None,
    read_only: bool = False,
    lock_timeout: float = 30.0,
) -> duckdb.DuckDBPyConnection:
    """A connection to ``database`` (a file path or ``:memory:``) with DuckDB ``config``."""
    import duckdb

    deadline = time.monotonic() + lock_timeout
    while True:
        try:
            return duckdb.connect(database, read_only=read_only, config=dict(config or {}))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
