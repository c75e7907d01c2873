"""Partition status kept as index ranges: the reads and the write behind it.

Each asset has at most one row in ``asset_partition_status``: the indices of its
partitions ever materialized and of those whose latest attempt failed, as half-open
``[start, stop]`` pairs, with the fingerprint of the definition that numbered them and a
cursor, the highest event id of ``asset_partitions`` they count. Bringing a row up to date
reads only the ``asset_partitions`` rows changed after the cursor (through the indexes on
the two event id columns). Every function reads many assets in one query, ``IN`` lists
and ``OR`` lists chunked below SQLite's variable limit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.exc import DBAPIError

from assetgraph.storage import schema
from assetgraph.storage.chunking import IN_CHUNK, chunked, rows_in
from assetgraph.storage.engine import storage_error
from assetgraph.storage.sql_storage import SqlStorage, dialect_insert

Ranges = tuple[tuple[int, int], ...]
"""Half-open index intervals ``(start, stop)``, sorted and disjoint."""


@dataclass(frozen=True, slots=True)
class StatusRow:
    """The stored status of one asset's partitions, as index ranges of its definition."""

    asset_key: str
    fingerprint: str
    cursor: int
    materialized: Ranges
    failed: Ranges


def latest_attempt_failed(
    materialization_event_id: int | None, failure_event_id: int | None
) -> bool:
    """Whether a partition's latest attempt failed: a failure newer than any materialization."""
    return failure_event_id is not None and failure_event_id > (
        -1 if materialization_event_id is None else materialization_event_id
    )


# The two row types are named tuples rather than dataclasses: a recompute builds one per
# stored partition, a million of them for a large asset.


class PartitionRow(NamedTuple):
    """One (asset, partition) of the index: its latest materialization and failure."""

    partition_key: str
    materialization_event_id: int | None
    failure_event_id: int | None

    @property
    def failed(self) -> bool:
        """Whether the latest attempt failed."""
        return latest_attempt_failed(self.materialization_event_id, self.failure_event_id)


class PositionRow(NamedTuple):
    """One (asset, partition) of the index, by the partition's position in its dynamic
    definition."""

    position: int
    materialization_event_id: int | None
    failure_event_id: int | None

    @property
    def failed(self) -> bool:
        """Whether the latest attempt failed."""
        return latest_attempt_failed(self.materialization_event_id, self.failure_event_id)


def status_rows(storage: SqlStorage, asset_keys: Iterable[str]) -> dict[str, StatusRow]:
    """The stored status row of each of ``asset_keys`` that has one."""
    table = schema.asset_partition_status
    keys = list(dict.fromkeys(asset_keys))

    def work(conn: Connection) -> list[Any]:
        return rows_in(conn, select(table), table.c.asset_key, keys)

    found: dict[str, StatusRow] = {}
    for row in storage.read(work):
        found[row.asset_key] = StatusRow(
            asset_key=row.asset_key,
            fingerprint=row.fingerprint,
            cursor=int(row.cursor),
            materialized=_load_ranges(row.materialized),
            failed=_load_ranges(row.failed),
        )
    return found


def upsert_status_rows(
    storage: SqlStorage, rows: Sequence[StatusRow], now: float | None = None
) -> None:
    """Store ``rows``, replacing each asset's previous row, in one attempt.

    A row with the same fingerprint and an older cursor than the stored one (a slower
    concurrent reader) leaves the stored row alone. Raises ``StorageError`` when the
    database refuses the write (locked, read-only): callers on a read path carry on
    without it, so a status read never waits on retries.
    """
    if not rows:
        return
    table = schema.asset_partition_status
    updated_at = time.time() if now is None else now
    values = [
        {
            "asset_key": row.asset_key,
            "fingerprint": row.fingerprint,
            "cursor": row.cursor,
            "materialized": _dump_ranges(row.materialized),
            "failed": _dump_ranges(row.failed),
            "updated_at": updated_at,
        }
        for row in rows
    ]

    def work(conn: Connection) -> None:
        stmt = dialect_insert(conn.dialect.name, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.asset_key],
            set_={
                column: stmt.excluded[column]
                for column in ("fingerprint", "cursor", "materialized", "failed", "updated_at")
            },
            where=or_(
                table.c.fingerprint != stmt.excluded.fingerprint,
                table.c.cursor <= stmt.excluded.cursor,
            ),
        )
        conn.execute(stmt, values)

    try:
        storage.write(work, retry_locks=False)
    except DBAPIError as exc:  # a read-only PostgreSQL transaction, say
        raise storage_error(exc, storage.display_url) from exc


def partitions_changed_after(
    storage: SqlStorage, cursors: Mapping[str, int]
) -> dict[str, list[PartitionRow]]:
    """Asset key -> its partitions materialized or failed after the cursor given for it."""
    table = schema.asset_partitions
    query = select(
        table.c.asset_key,
        table.c.partition_key,
        table.c.materialization_event_id,
        table.c.failure_event_id,
    )
    items = list(cursors.items())

    def work(conn: Connection) -> list[Any]:
        rows: list[Any] = []
        # Four bound values per asset; each OR term matches one of the two indexes.
        for chunk in chunked(items, IN_CHUNK // 4):
            terms = [
                term
                for asset_key, cursor in chunk
                for term in (
                    and_(table.c.asset_key == asset_key, table.c.materialization_event_id > cursor),
                    and_(table.c.asset_key == asset_key, table.c.failure_event_id > cursor),
                )
            ]
            rows.extend(conn.execute(query.where(or_(*terms))).all())
        return rows

    return _by_asset(storage.read(work))


def partition_rows(storage: SqlStorage, asset_keys: Iterable[str]) -> dict[str, list[PartitionRow]]:
    """Asset key -> every partition of the index (for recomputing its status)."""
    table = schema.asset_partitions
    query = select(
        table.c.asset_key,
        table.c.partition_key,
        table.c.materialization_event_id,
        table.c.failure_event_id,
    )
    keys = list(dict.fromkeys(asset_keys))

    def work(conn: Connection) -> list[Any]:
        return rows_in(conn, query, table.c.asset_key, keys)

    return _by_asset(storage.read(work))


def dynamic_partition_positions(
    storage: SqlStorage, definitions: Mapping[str, str]
) -> dict[str, list[PositionRow]]:
    """Asset key -> every partition of the index that its dynamic definition has, by position.

    ``definitions`` maps each asset key to the name of its dynamic partitions definition.
    The positions come from a join with the definition's keys: a recompute looks up no
    key one by one. Partitions whose key the definition no longer has are left out.
    """
    partitions, keys = schema.asset_partitions, schema.dynamic_partitions
    query = select(
        partitions.c.asset_key,
        keys.c.position,
        partitions.c.materialization_event_id,
        partitions.c.failure_event_id,
    )
    by_name: dict[str, list[str]] = {}
    for asset_key, name in definitions.items():
        by_name.setdefault(name, []).append(asset_key)

    def work(conn: Connection) -> list[Any]:
        rows: list[Any] = []
        for name, asset_keys in by_name.items():
            joined = query.join(
                keys,
                and_(
                    keys.c.partitions_def_name == name,
                    keys.c.partition_key == partitions.c.partition_key,
                ),
            )
            for chunk in chunked(asset_keys):
                rows.extend(conn.execute(joined.where(partitions.c.asset_key.in_(chunk))))
        return rows

    found: dict[str, list[PositionRow]] = {}
    for asset_key, position, materialization_event_id, failure_event_id in storage.read(work):
        found.setdefault(asset_key, []).append(
            PositionRow(position, materialization_event_id, failure_event_id)
        )
    return found


def _by_asset(rows: Iterable[Any]) -> dict[str, list[PartitionRow]]:
    found: dict[str, list[PartitionRow]] = {}
    for asset_key, partition_key, materialization_event_id, failure_event_id in rows:
        found.setdefault(asset_key, []).append(
            PartitionRow(partition_key, materialization_event_id, failure_event_id)
        )
    return found


def _dump_ranges(ranges: Ranges) -> str:
    return json.dumps([[start, stop] for start, stop in ranges], separators=(",", ":"))


def _load_ranges(text: str) -> Ranges:
    return tuple((int(start), int(stop)) for start, stop in json.loads(text))
