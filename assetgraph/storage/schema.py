"""Every table of the metadata database, declared once with SQLAlchemy Core.

The schema moves only through the numbered migrations of ``migrations.py``; the version
in force is the highest row of ``schema_version``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from assetgraph.storage import records

metadata = MetaData()

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL wants a BIGINT identity.
EventId = BigInteger().with_variant(Integer(), "sqlite")

NO_PARTITION = records.NO_PARTITION
"""Stored in place of a partition key for unpartitioned assets (keys are never empty)."""

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", Float, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("started_at", Float),
    Column("ended_at", Float),
    Column("heartbeat_at", Float),
    Column("selection", Text, nullable=False),
    Column("asset_keys", Text, nullable=False),  # JSON list
    Column("run_config", Text, nullable=False),  # JSON object
    Column("tags", Text, nullable=False),  # JSON object; run_tags indexes it
    Column("error", Text),
    Column("pid", Integer),
    Column("hostname", String(255)),
    Column("cancel_requested", Integer, nullable=False, server_default="0"),
    Index("ix_runs_created_at", "created_at"),
    Index("ix_runs_status", "status"),
)

run_tags = Table(
    "run_tags",
    metadata,
    Column("run_id", String(64), nullable=False),
    Column("key", String(255), nullable=False),
    Column("value", Text, nullable=False),
    UniqueConstraint("run_id", "key", name="uq_run_tags_run_key"),
    Index("ix_run_tags_key_value", "key", "value"),
)

events = Table(
    "events",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("run_id", String(64), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("timestamp", Float, nullable=False),
    Column("step_key", Text),
    Column("asset_key", Text),
    Column("partition_key", Text),
    Column("message", Text),
    Column("payload", Text, nullable=False),  # JSON object with "v": PAYLOAD_VERSION
    Index("ix_events_run_id", "run_id", "id"),
    Index("ix_events_asset", "asset_key", "event_type", "id"),
)

asset_partitions = Table(
    "asset_partitions",
    metadata,
    Column("asset_key", Text, nullable=False),
    Column("partition_key", Text, nullable=False),  # NO_PARTITION when unpartitioned
    Column("materialization_event_id", BigInteger),
    Column("materialization_run_id", String(64)),
    Column("materialized_at", Float),
    Column("code_version", Text),
    Column("data_version", Text),
    # The materialization that last changed data_version: a rebuild with the same data
    # version keeps it, so downstream assets can tell "rebuilt" from "changed".
    Column("data_version_event_id", BigInteger),
    Column("duration", Float),
    Column("metadata", Text),  # JSON object
    Column("failure_event_id", BigInteger),
    Column("failure_run_id", String(64)),
    Column("failed_at", Float),
    UniqueConstraint("asset_key", "partition_key", name="uq_asset_partitions_key"),
    # What changed since a cursor: the status ranges below are brought up to date from these.
    Index("ix_asset_partitions_materialization", "asset_key", "materialization_event_id"),
    Index("ix_asset_partitions_failure", "asset_key", "failure_event_id"),
)

asset_partition_status = Table(
    "asset_partition_status",
    metadata,
    # The status of every partition of one asset, kept as index ranges of its definition.
    Column("asset_key", Text, primary_key=True),
    # Which definition the indices belong to: another fingerprint means "recompute".
    Column("fingerprint", String(64), nullable=False),
    # Every asset_partitions row with an event id up to here is counted in the ranges.
    Column("cursor", BigInteger, nullable=False),
    Column("materialized", Text, nullable=False),  # JSON [[start, stop], ...]: ever materialized
    Column("failed", Text, nullable=False),  # JSON [[start, stop], ...]: latest attempt failed
    Column("updated_at", Float, nullable=False),
)

dynamic_partitions = Table(
    "dynamic_partitions",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("partitions_def_name", String(255), nullable=False),
    Column("partition_key", Text, nullable=False),
    # The key's index in the definition: 0, 1, 2 ... in the order keys were added, kept
    # dense (a delete moves later keys down), so an index is found without reading keys.
    Column("position", BigInteger, nullable=False),
    UniqueConstraint("partitions_def_name", "partition_key", name="uq_dynamic_partitions_name_key"),
    Index("ix_dynamic_partitions_position", "partitions_def_name", "position"),
)

concurrency_slots = Table(
    "concurrency_slots",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("pool", String(255), nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("step_key", Text, nullable=False),
    Column("acquired_at", Float, nullable=False),
    Index("ix_concurrency_slots_pool", "pool"),
    Index("ix_concurrency_slots_run", "run_id"),
)

asset_leases = Table(
    "asset_leases",
    metadata,
    Column("asset_key", Text, nullable=False),
    Column("partition_key", Text, nullable=False),  # NO_PARTITION when unpartitioned
    Column("run_id", String(64), nullable=False),
    Column("step_key", Text, nullable=False),
    Column("acquired_at", Float, nullable=False),
    UniqueConstraint("asset_key", "partition_key", name="uq_asset_leases_key"),
    Index("ix_asset_leases_run", "run_id"),
)

automation_ticks = Table(
    "automation_ticks",
    metadata,
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("evaluated_at", Float, nullable=False),  # the tick's "now" (injectable)
    Column("started_at", Float, nullable=False),
    Column("ended_at", Float),
    Column("status", String(16), nullable=False),  # started | success | failure | skipped
    Column("payload", Text, nullable=False),  # JSON: runs launched, reasons per asset, errors
    Column("summary", Text),  # JSON: what lists of ticks show (tick_summary.summarize_tick)
    Index("ix_automation_ticks_evaluated_at", "evaluated_at"),
)

cursors = Table(
    "cursors",
    metadata,
    Column("name", String(255), primary_key=True),  # e.g. "automation", "sensor:my_sensor"
    Column("value", Text, nullable=False),
    Column("updated_at", Float, nullable=False),
)

daemon_leases = Table(
    "daemon_leases",
    metadata,
    Column("name", String(255), primary_key=True),  # e.g. "automation"
    Column("holder", String(255), nullable=False),
    Column("expires_at", Float, nullable=False),
)

backfills = Table(
    "backfills",
    metadata,
    Column("backfill_id", String(64), primary_key=True),
    Column("status", String(24), nullable=False),  # BulkActionStatus values
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("selection", Text, nullable=False),  # how it was asked for (for people)
    Column("tags", Text, nullable=False),  # JSON object: put on every run it launches
    # JSON: per asset the target and the done / failed partitions as key ranges, the runs
    # in flight with their targets, the limits; never a list of every partition key.
    Column("state", Text, nullable=False),
    Column("error", Text),
    Index("ix_backfills_status", "status"),
    Index("ix_backfills_created_at", "created_at"),
)

run_queue = Table(
    "run_queue",
    metadata,
    # A run recorded as ``queued`` that the daemon has not launched yet, in order.
    Column("id", EventId, primary_key=True, autoincrement=True),
    Column("run_id", String(64), nullable=False),
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("enqueued_at", Float, nullable=False),
    Column("payload", Text, nullable=False),  # JSON: the request the launcher is given
    UniqueConstraint("run_id", name="uq_run_queue_run"),
    Index("ix_run_queue_order", "priority", "id"),
)
