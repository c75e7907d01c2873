"""Chunks of values small enough for one SQL ``IN`` list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Select

IN_CHUNK = 900
"""Most values bound in one ``IN`` list (SQLite allows 999 variables in older builds)."""

T = TypeVar("T")


def chunked(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def rows_in(conn: Connection, query: Select[Any], column: Any, values: Iterable[Any]) -> list[Any]:
    """The rows of ``query`` whose ``column`` is one of ``values`` (deduplicated), read with
    one ``IN`` list per chunk."""
    wanted = list(dict.fromkeys(values))
    found: list[Any] = []
    for chunk in chunked(wanted):
        found.extend(conn.execute(query.where(column.in_(chunk))).all())  # one fetchall each
    return found


def driver_rows_in(
    conn: Connection, select_sql: str, column: str, values: Iterable[Any]
) -> list[Any]:
    """``rows_in`` for a ``SELECT ... FROM ...`` written out for the driver, the ``IN`` list
    of ``column`` added with one mark per value: for reads repeated many times in a row,
    where building the statement with SQLAlchemy costs more than running it."""
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    wanted = list(dict.fromkeys(values))
    found: list[Any] = []
    for chunk in chunked(wanted):
        sql = f"{select_sql} WHERE {column} IN ({', '.join([mark] * len(chunk))})"
        found.extend(conn.exec_driver_sql(sql, tuple(chunk)).all())
    return found
