"""Retention: delete old operational events without changing what assetgraph knows.

``prune(storage, older_than)`` deletes events older than the cutoff (``now - older_than``)
in short, chunked write transactions, except:

- every event the index references (``materialization_event_id``,
  ``data_version_event_id`` and ``failure_event_id`` of ``asset_partitions``): the latest
  materialization of each (asset, partition) keeps its payload (code and data versions,
  ``input_versions``), so staleness, lineage and partition status never change;
- the latest evaluation of every (asset, check, partition), so check statuses stay;
- every event of a run still queued or started.

Everything else older than the cutoff goes: logs, step and run events, older check
evaluations, and materializations / observations that are no longer the latest of their
(asset, partition). A finished run older than the cutoff that has no event left is then
deleted from ``runs`` and ``run_tags`` (a run the index still points at keeps its
referenced events, so it is never deleted).

Automatic retention: ``ASSETGRAPH_RETENTION_DAYS`` (or ``retention_days`` under
``[tool.assetgraph]`` in the working directory's pyproject.toml) makes ``maybe_prune``
prune at most once a day; the claim is a conditional upsert of the ``retention`` cursor,
so concurrent processes never prune twice in the same day.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import tomllib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, exists, func, or_, select

from assetgraph import settings
from assetgraph.errors import AssetgraphError, UsageError
from assetgraph.settings import MAX_RETENTION_DAYS, RETENTION_ENV as RETENTION_ENV
from assetgraph.storage import schema
from assetgraph.storage.events import CheckEvaluated
from assetgraph.storage.records import EventType, RunStatus

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage

logger = logging.getLogger(__name__)

CURSOR_NAME = "retention"
AUTO_INTERVAL_SECONDS = 86_400.0
SCAN_CHUNK = 5_000
"""Events examined, and at most deleted, per write transaction."""
DELETE_IN = 900
"""Ids bound in one ``IN`` list (below SQLite's old variable limit)."""

_UNITS = {"d": 86_400.0, "h": 3_600.0, "m": 60.0}
_AGE = re.compile(r"^\s*(\d+)\s*([dhm])\s*$", re.IGNORECASE)
_ACTIVE = (RunStatus.QUEUED.value, RunStatus.STARTED.value)
_FINISHED = (RunStatus.SUCCESS.value, RunStatus.FAILURE.value, RunStatus.CANCELED.value)


def parse_age(text: str) -> float:
    """Seconds in ``30d``, ``12h`` or ``90m``, at most 100 years; else a UsageError."""
    match = _AGE.match(text or "")
    if match is None:
        raise UsageError(
            f"Invalid age '{text}': use a whole number of days, hours or minutes, "
            "e.g. 30d, 12h or 90m."
        )
    seconds = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds > MAX_RETENTION_DAYS * _UNITS["d"]:
        raise UsageError(
            f"Invalid age '{text}': at most {MAX_RETENTION_DAYS}d (100 years), e.g. 30d."
        )
    return seconds


@dataclass(slots=True)
class PruneResult:
    """What ``prune`` deleted (or, with ``dry_run``, would delete)."""

    cutoff: float
    dry_run: bool
    events_by_type: dict[str, int] = field(default_factory=dict)
    runs: int = 0
    kept_referenced: int = 0
    """Old events kept because the index or a check's latest status references them."""
    kept_active: int = 0
    """Old events kept because their run is still queued or started."""

    @property
    def events(self) -> int:
        return sum(self.events_by_type.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff,
            "dry_run": self.dry_run,
            "events": self.events,
            "events_by_type": dict(sorted(self.events_by_type.items())),
            "runs": self.runs,
            "kept_referenced": self.kept_referenced,
            "kept_active": self.kept_active,
        }


def prune(
    storage: SqlStorage,
    older_than: float,
    *,
    dry_run: bool = False,
    now: float | None = None,
    chunk: int = SCAN_CHUNK,
) -> PruneResult:
    """Delete operational events older than ``older_than`` seconds (see the module doc)."""
    if older_than < 0:
        raise UsageError("The retention age must not be negative.")
    cutoff = (time.time() if now is None else now) - older_than
    result = PruneResult(cutoff=cutoff, dry_run=dry_run)
    keep: set[int] = storage.read(_kept_event_ids)
    active: set[str] = storage.read(_active_run_ids)
    kept_runs: set[str] = set()
    events = schema.events
    scan = (
        select(events.c.id, events.c.event_type, events.c.run_id)
        .where(events.c.timestamp < cutoff)
        .order_by(events.c.id)
        .limit(chunk)
    )
    after = 0
    while True:
        rows = storage.read(partial(_rows_of, scan.where(events.c.id > after)))
        if not rows:
            break
        after = int(rows[-1][0])
        doomed: list[int] = []
        for event_id, event_type, run_id in rows:
            if run_id in active:
                result.kept_active += 1
                kept_runs.add(run_id)
            elif event_id in keep:
                result.kept_referenced += 1
                kept_runs.add(run_id)
            else:
                doomed.append(int(event_id))
                result.events_by_type[event_type] = result.events_by_type.get(event_type, 0) + 1
        if doomed and not dry_run:
            storage.write(partial(_delete_events, ids=doomed))
        if len(rows) < chunk:
            break
    if dry_run:
        result.runs = storage.read(lambda conn: _count_prunable_runs(conn, cutoff, kept_runs))
    else:
        result.runs = _delete_runs(storage, cutoff, chunk)
    return result


def _kept_event_ids(conn: Connection) -> set[int]:
    """Every event id the index references, and each check's latest evaluations."""
    index = schema.asset_partitions
    keep: set[int] = set()
    for column in (
        index.c.materialization_event_id,
        index.c.data_version_event_id,
        index.c.failure_event_id,
    ):
        keep.update(
            int(v) for v in conn.execute(select(column).where(column.is_not(None))).scalars()
        )
    events = schema.events
    checks = select(
        events.c.id,
        events.c.timestamp,
        events.c.asset_key,
        events.c.partition_key,
        events.c.payload,
    ).where(events.c.event_type == EventType.ASSET_CHECK_EVALUATION.value)
    latest: dict[tuple[str, str, str | None], tuple[float, int]] = {}
    for event_id, timestamp, asset_key, partition_key, payload in conn.execute(checks):
        body = CheckEvaluated.from_payload(json.loads(payload))
        for partition in body.partition_keys or (partition_key,):
            key = (str(asset_key), body.check_name, partition)
            stamp = (float(timestamp), int(event_id))
            if key not in latest or latest[key] < stamp:
                latest[key] = stamp
    keep.update(event_id for _, event_id in latest.values())
    return keep


def _active_run_ids(conn: Connection) -> set[str]:
    runs = schema.runs
    query = select(runs.c.run_id).where(runs.c.status.in_(_ACTIVE))
    return {str(run_id) for run_id in conn.execute(query).scalars()}


def _rows_of(query: Any, conn: Connection) -> list[Any]:
    return list(conn.execute(query).all())


def _delete_events(conn: Connection, ids: list[int]) -> None:
    events = schema.events
    for start in range(0, len(ids), DELETE_IN):
        conn.execute(delete(events).where(events.c.id.in_(ids[start : start + DELETE_IN])))


def _old_finished_runs(cutoff: float) -> Any:
    runs = schema.runs
    return select(runs.c.run_id).where(
        runs.c.status.in_(_FINISHED),
        func.coalesce(runs.c.ended_at, runs.c.created_at) < cutoff,
    )


def _count_prunable_runs(conn: Connection, cutoff: float, kept_runs: set[str]) -> int:
    """Old finished runs with no event at or after the cutoff and none kept."""
    events = schema.events
    query = _old_finished_runs(cutoff).where(
        ~exists().where(and_(events.c.run_id == schema.runs.c.run_id, events.c.timestamp >= cutoff))
    )
    return sum(1 for run_id in conn.execute(query).scalars() if run_id not in kept_runs)


def _delete_runs(storage: SqlStorage, cutoff: float, chunk: int) -> int:
    """Delete old finished runs that have no event left, ``chunk`` runs per transaction."""
    events = schema.events
    runs = schema.runs
    query = (
        _old_finished_runs(cutoff)
        .where(~exists().where(events.c.run_id == runs.c.run_id))
        .limit(chunk)
    )
    deleted = 0

    def work(conn: Connection) -> int:
        ids = list(conn.execute(query).scalars())
        for start in range(0, len(ids), DELETE_IN):
            part = ids[start : start + DELETE_IN]
            conn.execute(delete(schema.run_tags).where(schema.run_tags.c.run_id.in_(part)))
            conn.execute(
                delete(runs).where(
                    runs.c.run_id.in_(part),
                    ~exists().where(events.c.run_id == runs.c.run_id),
                )
            )
        return len(ids)

    while True:
        count: int = storage.write(work)
        deleted += count
        if count < chunk:
            return deleted


# -- automatic retention ------------------------------------------------------------------


def retention_days(cwd: str | os.PathLike[str] | None = None) -> float | None:
    """``ASSETGRAPH_RETENTION_DAYS``, else ``[tool.assetgraph] retention_days``, else None."""
    from_env = settings.retention_days()
    if from_env is not None:
        return from_env
    pyproject = Path(cwd or ".") / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        config = tomllib.loads(pyproject.read_text()).get("tool", {}).get("assetgraph", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value: Any = config.get("retention_days")
    if value is None:
        return None
    source = f"{pyproject}: [tool.assetgraph] retention_days"
    try:
        days = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{source}={value!r} is not a number of days.") from None
    if not 0 < days <= MAX_RETENTION_DAYS:
        raise UsageError(
            f"{source}={value!r} must be a positive number of days, at most {MAX_RETENTION_DAYS}."
        )
    return days


def maybe_prune(
    storage: SqlStorage,
    *,
    now: float | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> PruneResult | None:
    """Prune with the configured retention, at most once a day across all processes.

    Returns None when no retention is configured or a prune ran in the last day.
    """
    days = retention_days(cwd)
    if days is None:
        return None
    moment = time.time() if now is None else now
    last = last_auto_prune(storage)
    if last is not None and last <= moment < last + AUTO_INTERVAL_SECONDS:
        return None  # the common case: a read, no write transaction
    if not storage.write(lambda conn: _claim(conn, moment)):
        return None
    return prune(storage, days * 86_400.0, now=moment)


def auto_prune(storage: SqlStorage) -> PruneResult | None:
    """The hook for ``materialize`` and the automation daemon: ``maybe_prune`` that never
    fails its caller (a bad setting or a busy database is logged as a warning)."""
    try:
        return maybe_prune(storage)
    except AssetgraphError as exc:
        logger.warning("Automatic retention skipped: %s", exc)
        return None


def _claim(conn: Connection, now: float) -> bool:
    """Take the day's prune: set the cursor unless it was set less than a day ago."""
    from assetgraph.storage.sql_storage import dialect_insert

    cursors = schema.cursors
    stmt = dialect_insert(conn.dialect.name, cursors).values(
        name=CURSOR_NAME, value=str(now), updated_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[cursors.c.name],
        set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        where=or_(cursors.c.updated_at <= now - AUTO_INTERVAL_SECONDS, cursors.c.updated_at > now),
    ).returning(cursors.c.name)
    return conn.execute(stmt).first() is not None


def last_auto_prune(storage: SqlStorage) -> float | None:
    """When the automatic retention last ran (None: never)."""
    cursors = schema.cursors
    query = select(cursors.c.updated_at).where(cursors.c.name == CURSOR_NAME)
    value = storage.read(lambda conn: conn.execute(query).scalar_one_or_none())
    return None if value is None else float(value)
