"""Numbered schema migrations of the metadata database.

A new database is created with the current schema and stamped with ``CURRENT_VERSION``.
An older database is moved forward only by ``assetgraph storage upgrade``, one numbered
step at a time; a database newer than this code is refused rather than misread.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from sqlalchemy import Connection, bindparam, func, inspect, select, text, update

from assetgraph.errors import StorageError
from assetgraph.storage import schema
from assetgraph.storage.tick_summary import summarize_tick

Migration = Callable[[Connection], None]


def _v2_data_version_event_id(conn: Connection) -> None:
    """Track when each (asset, partition) last changed its data version (early cut-off)."""
    conn.execute(text("ALTER TABLE asset_partitions ADD COLUMN data_version_event_id BIGINT"))
    conn.execute(
        text("UPDATE asset_partitions SET data_version_event_id = materialization_event_id")
    )


def _v3_execution_and_automation(conn: Connection) -> None:
    """Run cancellation, concurrency slots, asset leases, automation ticks, cursors and the
    daemon lease."""
    conn.execute(text("ALTER TABLE runs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0"))
    tables = [
        schema.concurrency_slots,
        schema.asset_leases,
        schema.automation_ticks,
        schema.cursors,
        schema.daemon_leases,
    ]
    schema.metadata.create_all(conn, tables=tables)


def _v4_partition_ranges(conn: Connection) -> None:
    """Dense positions for dynamic partition keys, and partition status kept as ranges."""
    conn.execute(text("ALTER TABLE dynamic_partitions ADD COLUMN position BIGINT"))
    conn.execute(
        text(
            "UPDATE dynamic_partitions SET position = ranked.position FROM ("
            " SELECT id, ROW_NUMBER() OVER (PARTITION BY partitions_def_name ORDER BY id) - 1"
            " AS position FROM dynamic_partitions) AS ranked"
            " WHERE dynamic_partitions.id = ranked.id"
        )
    )
    if conn.dialect.name == "postgresql":  # SQLite cannot add NOT NULL to a column in place
        conn.execute(text("ALTER TABLE dynamic_partitions ALTER COLUMN position SET NOT NULL"))
    for table in (schema.dynamic_partitions, schema.asset_partitions):
        for index in table.indexes:
            if index.name in _V4_INDEXES:
                index.create(conn)
    schema.metadata.create_all(conn, tables=[schema.asset_partition_status])


_V4_INDEXES = {
    "ix_dynamic_partitions_position",
    "ix_asset_partitions_materialization",
    "ix_asset_partitions_failure",
}


def _v5_backfills_and_run_queue(conn: Connection) -> None:
    """Stored backfills, and the queue of runs waiting for a free run slot."""
    schema.metadata.create_all(conn, tables=[schema.backfills, schema.run_queue])


def _v6_tick_summaries(conn: Connection) -> None:
    """A small summary beside each automation tick's payload, computed here for the ticks
    already stored, so lists of ticks no longer decode whole payloads."""
    columns = {column["name"] for column in inspect(conn).get_columns("automation_ticks")}
    if "summary" not in columns:  # version 3 creates the table as it is now
        conn.execute(text("ALTER TABLE automation_ticks ADD COLUMN summary TEXT"))
    table = schema.automation_ticks
    after = -1
    while True:
        rows = conn.execute(
            select(table.c.id, table.c.payload)
            .where(table.c.id > after)
            .order_by(table.c.id)
            .limit(_V6_BATCH)
        ).all()
        if not rows:
            return
        conn.execute(
            update(table).where(table.c.id == bindparam("tick_id")),
            [
                {"tick_id": tick_id, "summary": json.dumps(summarize_tick(json.loads(payload)))}
                for tick_id, payload in rows
            ],
        )
        after = rows[-1][0]


_V6_BATCH = 500


MIGRATIONS: dict[int, Migration] = {
    2: _v2_data_version_event_id,
    3: _v3_execution_and_automation,
    4: _v4_partition_ranges,
    5: _v5_backfills_and_run_queue,
    6: _v6_tick_summaries,
}
"""Version N -> the step that moves a database from version N-1 to N."""

CURRENT_VERSION = 6


def stored_version(conn: Connection) -> int | None:
    """The schema version of the database, or None when it has no assetgraph tables."""
    if not inspect(conn).has_table(schema.schema_version.name):
        return None
    version: int | None = conn.execute(select(func.max(schema.schema_version.c.version))).scalar()
    return version


def create_current(conn: Connection) -> None:
    """Create every table of the current schema and stamp it."""
    schema.metadata.create_all(conn)
    conn.execute(
        schema.schema_version.insert(), [{"version": CURRENT_VERSION, "applied_at": time.time()}]
    )


def check_version(version: int, url: str) -> None:
    """Refuse a database whose schema this code cannot read."""
    if version > CURRENT_VERSION:
        raise StorageError(
            f"The metadata database at {url} has schema version {version}, newer than this "
            f"assetgraph understands ({CURRENT_VERSION}): upgrade assetgraph."
        )
    if version < CURRENT_VERSION:
        raise StorageError(
            f"The metadata database at {url} has schema version {version}; this assetgraph "
            f"needs {CURRENT_VERSION}. Run 'assetgraph storage upgrade' (back the database up "
            "first)."
        )


SCHEMA_LOCK_ID = 7_330_001
"""PostgreSQL advisory lock held while the schema is created or upgraded."""


def upgrade(conn: Connection) -> list[int]:
    """Apply every pending migration in order; returns the versions applied.

    Two processes that find an empty database at once must not both create it: on
    PostgreSQL an advisory lock serializes them (SQLite's ``BEGIN IMMEDIATE`` already does),
    and the second then finds the schema in place.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK_ID})
    version = stored_version(conn)
    if version is None:
        create_current(conn)
        return [CURRENT_VERSION]
    if version > CURRENT_VERSION:
        check_version(version, str(conn.engine.url))
    applied: list[int] = []
    for target in range(version + 1, CURRENT_VERSION + 1):
        MIGRATIONS[target](conn)
        conn.execute(
            schema.schema_version.insert(), [{"version": target, "applied_at": time.time()}]
        )
        applied.append(target)
    return applied
