"""Reads of the default SQLite metadata database through the standard library alone.

Commands that only show what is stored (``assetgraph list``) would spend most of their
start-up importing SQLAlchemy. ``SqliteReader`` answers the questions of stale status and
of the materialization index with read-only queries through ``sqlite3``, on the same
schema and with the same results as ``SqlStorage``. ``status_reader`` hands one out for
the embedded SQLite default only, and only when the database has the schema version these
queries were written for; anything else (PostgreSQL, another URL, an older or newer
schema, a file SQLite cannot read) goes through ``SqlStorage``, which upgrades, refuses or
reports it as every other command does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assetgraph import settings
from assetgraph.errors import StorageError
from assetgraph.storage.records import (
    NO_PARTITION,
    MaterializationRecord,
    VersionRow,
    VersionSummary,
)

if TYPE_CHECKING:
    from assetgraph.storage.interface import StatusSource

READ_SCHEMA_VERSION = 6
"""The schema version the queries below were written for (``migrations.CURRENT_VERSION``
when they were); a database of another version is read through ``SqlStorage``."""

IN_CHUNK = 900
"""Most values bound in one ``IN`` list (as ``storage.chunking``; SQLite's old limit is 999)."""

_INDEX_COLUMNS = (
    "asset_key, partition_key, materialization_event_id, materialization_run_id, "
    "materialized_at, code_version, data_version, data_version_event_id, duration, metadata"
)


def status_reader() -> StatusSource:
    """What ``assetgraph list`` reads: a ``SqliteReader`` of the default database (of
    ``ASSETGRAPH_HOME``) when it can, else the instance's ``SqlStorage``."""
    if settings.storage_url() is None:
        reader = SqliteReader.open(settings.home() / "assetgraph.db")
        if reader is not None:
            return reader
    from assetgraph.storage.instance import Instance

    return Instance.from_env().storage


class SqliteReader:
    """Read-only queries on a SQLite metadata database of ``READ_SCHEMA_VERSION``; a
    database file that does not exist yet reads as empty (and is not created)."""

    def __init__(self, path: Path, connection: sqlite3.Connection | None) -> None:
        self.path = path
        self._conn = connection

    @classmethod
    def open(cls, path: Path) -> SqliteReader | None:
        """A reader of ``path``, or None when ``SqlStorage`` should read it instead."""
        if not path.exists():
            return cls(path, None)
        try:
            # mode=rw: never create the file; query_only: never change it.
            conn = sqlite3.connect(
                f"{path.absolute().as_uri()}?mode=rw",
                uri=True,
                timeout=settings.sqlite_busy_timeout_ms() / 1000,
                isolation_level=None,
            )
        except sqlite3.Error:
            return None
        try:
            conn.execute("PRAGMA query_only=ON")
            version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        except sqlite3.Error:  # no assetgraph tables yet, or not a database SQLite can read
            version = None
        if version != READ_SCHEMA_VERSION:
            conn.close()
            return None
        return cls(path, conn)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        if self._conn is None:
            return []
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(
                f"Could not read the metadata database at {self.path}: {exc}."
            ) from None

    def _rows_in(self, sql: str, values: Iterable[Any], *params: Any) -> list[Any]:
        """The rows of ``sql`` (with ``IN ({})`` where the values go) for the given values,
        deduplicated, one query per chunk; ``params`` are bound after the values."""
        wanted = list(dict.fromkeys(values))
        found: list[Any] = []
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start : start + IN_CHUNK]
            found.extend(self._rows(sql.format(", ".join("?" * len(chunk))), [*chunk, *params]))
        return found

    # -- the materialization index ------------------------------------------------------

    def latest_materializations(
        self, asset_keys: Iterable[str] | None = None
    ) -> dict[tuple[str, str | None], MaterializationRecord]:
        """The latest materialization of every (asset, partition) of the given assets."""
        base = (
            f"SELECT {_INDEX_COLUMNS} FROM asset_partitions"
            " WHERE materialization_event_id IS NOT NULL"
        )
        rows = (
            self._rows(base)
            if asset_keys is None
            else self._rows_in(base + " AND asset_key IN ({})", asset_keys)
        )
        names = [name.strip() for name in _INDEX_COLUMNS.split(",")]
        records: dict[tuple[str, str | None], MaterializationRecord] = {}
        for row in rows:
            record = MaterializationRecord.from_row(dict(zip(names, row, strict=True)))
            records[(record.asset_key, record.partition_key)] = record
        return records

    def version_summaries(self, asset_keys: Iterable[str]) -> dict[str, VersionSummary]:
        """Per asset: materialized partitions, the oldest materialization, the newest data
        version change and its code versions (as ``SqlStorage.version_summaries``)."""
        sql = (
            "SELECT asset_key, count(materialization_event_id), min(materialization_event_id),"
            " max(data_version_event_id), count(DISTINCT code_version), min(code_version)"
            " FROM asset_partitions WHERE materialization_event_id IS NOT NULL"
            " AND asset_key IN ({}) GROUP BY asset_key"
        )
        return {
            row[0]: VersionSummary(int(row[1]), row[2], row[3], int(row[4]), row[5])
            for row in self._rows_in(sql, asset_keys)
        }

    def version_rows(
        self, asset_keys: Iterable[str], changed_after: int | None = None
    ) -> dict[str, list[VersionRow]]:
        """Per asset, the version columns of each materialized partition (those whose data
        version changed after event ``changed_after``, when given)."""
        sql = (
            "SELECT asset_key, partition_key, materialization_event_id, code_version,"
            " data_version, data_version_event_id FROM asset_partitions"
            " WHERE materialization_event_id IS NOT NULL AND asset_key IN ({})"
        )
        params: tuple[Any, ...] = ()
        if changed_after is not None:
            sql += " AND data_version_event_id > ?"
            params = (changed_after,)
        found: dict[str, list[VersionRow]] = {}
        for asset_key, partition, event_id, code, data, changed in self._rows_in(
            sql, asset_keys, *params
        ):
            key = None if partition == NO_PARTITION else partition
            found.setdefault(asset_key, []).append(VersionRow(key, event_id, code, data, changed))
        return found

    def event_payloads(self, event_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The payloads of the given events (e.g. the input versions a materialization read)."""
        sql = "SELECT id, payload FROM events WHERE id IN ({})"
        return {
            int(event_id): json.loads(payload)
            for event_id, payload in self._rows_in(sql, sorted(set(event_ids)))
        }

    # -- dynamic partitions (read only) -------------------------------------------------

    def get_dynamic_partitions(self, name: str) -> list[str]:
        """Every key of ``name``, in the order they were added."""
        sql = (
            "SELECT partition_key FROM dynamic_partitions"
            " WHERE partitions_def_name = ? ORDER BY position"
        )
        return [row[0] for row in self._rows(sql, (name,))]

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        return key in self.dynamic_partition_indices(name, [key])

    def dynamic_partitions_count(self, name: str) -> int:
        """How many keys ``name`` has (positions are dense: the highest plus one)."""
        sql = "SELECT max(position) FROM dynamic_partitions WHERE partitions_def_name = ?"
        rows = self._rows(sql, (name,))
        return 0 if not rows or rows[0][0] is None else int(rows[0][0]) + 1

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int) -> list[str]:
        """The keys of ``name`` at indices ``start`` to ``stop`` (excluded)."""
        sql = (
            "SELECT partition_key FROM dynamic_partitions WHERE partitions_def_name = ?"
            " AND position >= ? AND position < ? ORDER BY position"
        )
        return [row[0] for row in self._rows(sql, (name, max(start, 0), stop))]

    def dynamic_partition_indices(self, name: str, keys: Iterable[str]) -> dict[str, int]:
        """Key -> index for those of ``keys`` that ``name`` has."""
        sql = (
            "SELECT partition_key, position FROM dynamic_partitions"
            " WHERE partition_key IN ({}) AND partitions_def_name = ?"
        )
        return {key: int(position) for key, position in self._rows_in(sql, keys, name)}

    def dynamic_partition_keys_at(self, name: str, indices: Iterable[int]) -> dict[int, str]:
        """Index -> key for those of ``indices`` that ``name`` has."""
        sql = (
            "SELECT position, partition_key FROM dynamic_partitions"
            " WHERE position IN ({}) AND partitions_def_name = ?"
        )
        return {
            int(position): key for position, key in self._rows_in(sql, sorted(set(indices)), name)
        }

    def dynamic_partitions_generation(self, name: str) -> int:
        """How many deletes have moved keys of ``name`` (adds never do)."""
        sql = "SELECT value FROM cursors WHERE name = ?"
        rows = self._rows(sql, (f"dynamic_partitions:{name}:generation",))
        return 0 if not rows or rows[0][0] is None else int(rows[0][0])
