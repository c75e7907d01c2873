"""The latest result of every asset check, read from the event log in bulk (for ``status``).

``latest_check_statuses`` folds check evaluation events into one status per (asset,
check); ``check_statuses`` finds those events with one chunked query over the events
index on (asset key, event type).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from assetgraph.storage import schema
from assetgraph.storage.chunking import rows_in
from assetgraph.storage.records import EventRecord, EventType

if TYPE_CHECKING:
    from assetgraph.storage.interface import Transactions


def check_statuses(
    storage: Transactions, asset_keys: Iterable[str]
) -> dict[str, list[AssetCheckStatus]]:
    """Asset key -> the latest status of each of its checks (assets never checked: absent)."""
    table = schema.events
    keys = list(dict.fromkeys(asset_keys))
    query = select(
        table.c.run_id,
        table.c.timestamp,
        table.c.asset_key,
        table.c.partition_key,
        table.c.payload,
    ).where(table.c.event_type == EventType.ASSET_CHECK_EVALUATION.value)

    def work(conn: Connection) -> list[Any]:
        return rows_in(conn, query, table.c.asset_key, keys)

    events = [
        EventRecord(
            run_id=run_id,
            event_type=EventType.ASSET_CHECK_EVALUATION,
            timestamp=timestamp,
            asset_key=asset_key,
            partition_key=partition_key,
            payload=json.loads(payload),
        )
        for run_id, timestamp, asset_key, partition_key, payload in storage.read(work)
    ]
    return latest_check_statuses(events)


@dataclass(frozen=True, slots=True)
class CheckEvaluationRecord:
    """One stored evaluation of one check, as the asset page's checks tab lists it."""

    event_id: int
    check_name: str
    run_id: str
    timestamp: float
    partition_keys: tuple[str, ...]
    passed: bool
    blocking: bool
    severity: str
    description: str | None
    metadata: dict[str, Any]
    error: str | None


MAX_CHECK_HISTORY = 2000
"""The most evaluations of one asset's checks one call reads."""


def check_evaluations(
    storage: Transactions, asset_key: str, limit: int = 500
) -> list[CheckEvaluationRecord]:
    """The latest ``limit`` check evaluations of ``asset_key`` (every check), newest first."""
    table = schema.events
    query = (
        select(
            table.c.id, table.c.run_id, table.c.timestamp, table.c.partition_key, table.c.payload
        )
        .where(
            table.c.asset_key == asset_key,
            table.c.event_type == EventType.ASSET_CHECK_EVALUATION.value,
        )
        .order_by(table.c.id.desc())
        .limit(max(1, min(limit, MAX_CHECK_HISTORY)))
    )

    def work(conn: Connection) -> list[Any]:
        return list(conn.execute(query).all())

    records = []
    for event_id, run_id, timestamp, partition_key, payload_text in storage.read(work):
        payload = json.loads(payload_text or "{}")
        partitions = payload.get("partition_keys") or ([partition_key] if partition_key else [])
        error = payload.get("error")
        records.append(
            CheckEvaluationRecord(
                event_id=int(event_id),
                check_name=str(payload.get("check_name")),
                run_id=run_id,
                timestamp=float(timestamp),
                partition_keys=tuple(str(p) for p in partitions),
                passed=bool(payload.get("passed")),
                blocking=bool(payload.get("blocking")),
                severity=str(payload.get("severity") or "ERROR"),
                description=payload.get("description"),
                metadata=dict(payload.get("metadata") or {}),
                error=f"{error.get('type')}: {error.get('message')}"
                if isinstance(error, dict)
                else None,
            )
        )
    return records


def latest_by_partition(
    evaluations: Iterable[CheckEvaluationRecord],
) -> dict[str, dict[str | None, CheckEvaluationRecord]]:
    """Check name -> partition (None: unpartitioned) -> its latest evaluation."""
    latest: dict[str, dict[str | None, CheckEvaluationRecord]] = {}
    for record in sorted(evaluations, key=lambda r: (r.timestamp, r.event_id)):
        by_partition = latest.setdefault(record.check_name, {})
        for partition in record.partition_keys or (None,):
            by_partition[partition] = record
    return latest


@dataclass(frozen=True, slots=True)
class AssetCheckStatus:
    """The latest results of one check on one asset.

    ``passed`` is the latest evaluation (of every partition, for partitioned assets);
    ``failing_partitions`` lists the partitions whose latest evaluation failed.
    """

    asset_key: str
    check_name: str
    passed: bool
    blocking: bool
    run_id: str
    timestamp: float
    description: str | None
    failing_partitions: tuple[str, ...] = ()
    failure_cases: Mapping[str, Any] | None = None


def latest_check_statuses(events: Iterable[EventRecord]) -> dict[str, list[AssetCheckStatus]]:
    """Asset key -> the latest status of each of its checks, from ``asset_check_evaluation``
    events (any order; other events are ignored). Checks appear in first-seen order.

    A partitioned asset's check has failed while the latest evaluation of any of its
    partitions failed; ``run_id``, ``timestamp`` and ``description`` are those of the most
    recent evaluation (of a failing one, if any fails).
    """
    evaluations = sorted(
        (e for e in events if e.event_type == EventType.ASSET_CHECK_EVALUATION and e.asset_key),
        key=lambda e: e.timestamp,
    )
    per_partition: dict[tuple[str, str], dict[str | None, EventRecord]] = {}
    for event in evaluations:
        check = (str(event.asset_key), str(event.payload.get("check_name")))
        partitions = event.payload.get("partition_keys") or [event.partition_key]
        latest = per_partition.setdefault(check, {})
        for partition in partitions:
            latest[partition] = event
    statuses: dict[str, list[AssetCheckStatus]] = {}
    for (asset_key, check_name), latest in per_partition.items():
        failing = {p: e for p, e in latest.items() if not e.payload.get("passed")}
        shown = max((failing or latest).values(), key=lambda e: e.timestamp)
        statuses.setdefault(asset_key, []).append(
            AssetCheckStatus(
                asset_key=asset_key,
                check_name=check_name,
                passed=not failing,
                blocking=bool(shown.payload.get("blocking")),
                run_id=shown.run_id,
                timestamp=shown.timestamp,
                description=shown.payload.get("description"),
                failing_partitions=tuple(sorted(p for p in failing if p is not None)),
                failure_cases=shown.payload.get("failure_cases"),
            )
        )
    return statuses
