"""The keys of dynamic partitions definitions, stored with dense positions.

A key's position is its index in the definition (0, 1, 2, ... in the order keys were
added), so counting, finding a key's index and reading the keys between two indices are
each one indexed query: nothing reads every key to answer one question. Positions stay
dense: adding skips keys that exist without leaving a gap, and deleting moves the later
keys down and bumps the definition's generation, which is part of the fingerprint of
the status kept as ranges: status over the old positions is recomputed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, func, insert, select, text, update

from assetgraph.storage import schema
from assetgraph.storage.chunking import chunked

_INSERT_CHUNK = 50_000
# Two definitions never wait on each other; two writers of one definition take turns.
_LOCK_CLASS = 7_330_002

_table = schema.dynamic_partitions


def add(conn: Connection, name: str, keys: Sequence[str]) -> int:
    """Append the keys not yet in ``name`` (in the order given); returns how many were new.

    ``keys`` must be validated and free of duplicates.
    """
    _lock(conn, name)
    start = _next_position(conn, name)
    marker = "%s" if conn.dialect.name == "postgresql" else "?"
    # Straight to the driver's executemany: a million keys spend no time in SQL building.
    sql = (
        f"INSERT INTO {_table.name} (partitions_def_name, partition_key, position) "
        f"VALUES ({marker}, {marker}, {marker}) ON CONFLICT DO NOTHING"
    )
    for offset in range(0, len(keys), _INSERT_CHUNK):
        chunk = keys[offset : offset + _INSERT_CHUNK]
        position = start + offset
        conn.exec_driver_sql(sql, [(name, key, position + i) for i, key in enumerate(chunk)])
    added = _next_position(conn, name) - start if keys else 0
    if added and _count_from(conn, name, start) != added:
        # Keys that already existed left holes in the new positions: close them.
        added = _count_from(conn, name, start)
        _renumber_from(conn, name, start)
    return added


def delete_keys(conn: Connection, name: str, keys: Sequence[str]) -> int:
    """Remove ``keys`` from ``name``; later keys move down and the generation goes up.
    Returns how many existed."""
    _lock(conn, name)
    removed = 0
    lowest: int | None = None
    for chunk in chunked(list(dict.fromkeys(keys))):
        where = (_table.c.partitions_def_name == name) & _table.c.partition_key.in_(chunk)
        found = conn.execute(select(func.min(_table.c.position)).where(where)).scalar()
        if found is None:
            continue
        lowest = found if lowest is None else min(lowest, found)
        removed += int(conn.execute(delete(_table).where(where)).rowcount or 0)
    if lowest is not None:
        _renumber_from(conn, name, lowest)
        _bump_generation(conn, name)
    return removed


def all_keys(conn: Connection, name: str) -> list[str]:
    """Every key of ``name`` in position order (for listing; lookups use the others)."""
    marker = "%s" if conn.dialect.name == "postgresql" else "?"
    sql = (
        f"SELECT partition_key FROM {_table.name} "
        f"WHERE partitions_def_name = {marker} ORDER BY position"
    )
    return [row[0] for row in conn.exec_driver_sql(sql, (name,)).fetchall()]


def count(conn: Connection, name: str) -> int:
    """How many keys ``name`` has (positions are dense: the next position)."""
    return _next_position(conn, name)


def keys_between(conn: Connection, name: str, start: int, stop: int) -> list[str]:
    """The keys at positions ``start`` to ``stop`` (excluded), in order."""
    marker = "%s" if conn.dialect.name == "postgresql" else "?"
    sql = (
        f"SELECT partition_key FROM {_table.name} WHERE partitions_def_name = {marker} "
        f"AND position >= {marker} AND position < {marker} ORDER BY position"
    )
    rows = conn.exec_driver_sql(sql, (name, max(start, 0), stop)).fetchall()
    return [row[0] for row in rows]


def positions(conn: Connection, name: str, keys: Iterable[str]) -> dict[str, int]:
    """Key -> position for those of ``keys`` that ``name`` has; IN lists are chunked."""
    found: dict[str, int] = {}
    query = select(_table.c.partition_key, _table.c.position)
    for chunk in chunked(list(dict.fromkeys(keys))):
        rows = conn.execute(
            query.where(_table.c.partitions_def_name == name, _table.c.partition_key.in_(chunk))
        )
        found.update((key, int(position)) for key, position in rows)
    return found


def keys_at(conn: Connection, name: str, indices: Iterable[int]) -> dict[int, str]:
    """Position -> key for those of ``indices`` that ``name`` has; IN lists are chunked."""
    found: dict[int, str] = {}
    query = select(_table.c.position, _table.c.partition_key)
    for chunk in chunked(sorted(set(indices))):
        rows = conn.execute(
            query.where(_table.c.partitions_def_name == name, _table.c.position.in_(chunk))
        )
        found.update((int(position), key) for position, key in rows)
    return found


def generation(conn: Connection, name: str) -> int:
    """How many deletes have moved keys of ``name``: part of its status fingerprint, so
    status kept as ranges over the old positions is recomputed."""
    cursors = schema.cursors
    query = select(cursors.c.value).where(cursors.c.name == _generation_cursor(name))
    value = conn.execute(query).scalar()
    return 0 if value is None else int(value)


def names(conn: Connection) -> list[str]:
    """The names of the definitions that have keys, sorted."""
    query = select(_table.c.partitions_def_name).distinct().order_by(_table.c.partitions_def_name)
    return list(conn.execute(query).scalars())


def _lock(conn: Connection, name: str) -> None:
    """Serialize writers of one definition (SQLite's BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:cls, hashtext(:name))"),
            {"cls": _LOCK_CLASS, "name": name},
        )


def _generation_cursor(name: str) -> str:
    return f"dynamic_partitions:{name}:generation"


def _bump_generation(conn: Connection, name: str) -> None:
    cursors = schema.cursors
    bumped = str(generation(conn, name) + 1)
    where = cursors.c.name == _generation_cursor(name)
    if conn.execute(update(cursors).where(where).values(value=bumped)).rowcount == 0:
        conn.execute(
            insert(cursors).values(
                name=_generation_cursor(name), value=bumped, updated_at=time.time()
            )
        )


def _next_position(conn: Connection, name: str) -> int:
    query = select(func.max(_table.c.position)).where(_table.c.partitions_def_name == name)
    highest = conn.execute(query).scalar()
    return 0 if highest is None else int(highest) + 1


def _count_from(conn: Connection, name: str, start: int) -> int:
    query = select(func.count()).where(
        _table.c.partitions_def_name == name, _table.c.position >= start
    )
    return int(conn.execute(query).scalar_one())


def _renumber_from(conn: Connection, name: str, start: int) -> None:
    """Make the positions from ``start`` on dense again, keeping their order."""
    conn.execute(
        text(
            f"UPDATE {_table.name} SET position = ranked.position FROM ("
            " SELECT id, :start + ROW_NUMBER() OVER (ORDER BY position, id) - 1 AS position"
            f" FROM {_table.name} WHERE partitions_def_name = :name AND position >= :start"
            f") AS ranked WHERE {_table.name}.id = ranked.id"
        ),
        {"name": name, "start": start},
    )
