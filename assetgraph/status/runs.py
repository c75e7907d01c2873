"""Questions about runs the listings ask: who launched a run, what it builds, and one page
of its event log filtered by step, kind, level and text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select

from assetgraph.errors import StorageError
from assetgraph.planning.targets import recorded_targets
from assetgraph.storage import schema
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.storage.sql_storage import event_record

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage

# The tags that say where a run came from (set by automation/tags.py, ui/launcher.py,
# execution/reexecution.py, definitions/jobs.py; this layer sits below those).
AUTOMATION_ORIGIN_TAG = "assetgraph/automation_origin"
UI_REQUEST_TAG = "assetgraph/ui_request"
PARENT_RUN_TAG = "assetgraph/parent_run"
BACKFILL_TAG = "assetgraph/backfill"

MAX_SCANNED_RUNS = 5000
"""How many of the newest runs a filter on asset, partition or launcher looks through."""


def launched_by(run: RunRecord) -> str:
    """Who started ``run``: ``automation``, ``schedule:<name>``, ``sensor:<name>``,
    ``backfill``, ``re-execution``, ``ui`` or ``cli`` (anything else: the CLI or the API)."""
    origin = run.tags.get(AUTOMATION_ORIGIN_TAG)
    if origin:
        return origin
    if BACKFILL_TAG in run.tags:
        return "backfill"
    if PARENT_RUN_TAG in run.tags:
        return "re-execution"
    if UI_REQUEST_TAG in run.tags:
        return "ui"
    return "cli"


def run_builds(run: RunRecord, asset_key: str | None, partition_key: str | None) -> bool:
    """Whether ``run`` builds ``asset_key`` (any asset if None) and, if given,
    ``partition_key`` (in one of its recorded key ranges, compared as key strings, which
    orders time partitions correctly)."""
    if asset_key is not None and asset_key not in run.asset_keys:
        return False
    if partition_key is None:
        return True
    try:
        targets = recorded_targets(run)
    except StorageError:
        return False
    if targets is None:
        return False
    keys = [asset_key] if asset_key is not None else list(targets.assets)
    for key in keys:
        for key_range in targets.assets.get(key) or ():
            if key_range.start <= partition_key <= key_range.end:
                return True
    return False


def find_runs(
    storage: SqlStorage,
    limit: int,
    statuses: Sequence[RunStatus] | None = None,
    tags: dict[str, str] | None = None,
    asset_key: str | None = None,
    partition_key: str | None = None,
    launcher: str | None = None,
) -> list[RunRecord]:
    """The newest ``limit`` runs matching every filter given. Status and tags filter in the
    database; asset, partition and launcher within the newest ``MAX_SCANNED_RUNS``."""
    if asset_key is None and partition_key is None and launcher is None:
        return storage.list_runs(limit, statuses=statuses, tags=tags)
    found = []
    for run in storage.list_runs(MAX_SCANNED_RUNS, statuses=statuses, tags=tags):
        if not run_builds(run, asset_key, partition_key):
            continue
        if launcher is not None and launched_by(run) != launcher:
            continue
        found.append(run)
        if len(found) >= limit:
            break
    return found


@dataclass(frozen=True, slots=True)
class EventPage:
    """One page of a run's (filtered) event log, and how many events match in all."""

    events: list[EventRecord]
    total: int
    steps: list[str]
    kinds: list[str]


def event_page(
    storage: SqlStorage,
    run_id: str,
    offset: int = 0,
    limit: int = 200,
    step_key: str | None = None,
    kinds: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    search: str | None = None,
) -> EventPage:
    """Events ``offset .. offset+limit`` of ``run_id`` in the order stored, filtered by step,
    event kind, log level (``INFO``, ``WARNING``, ``ERROR``, ...; events without a level
    count as ``INFO``) and a case-insensitive text search of the message, step and asset.
    ``steps`` and ``kinds`` list every step and kind of the run (for the filter menus)."""
    table = schema.events
    wanted_kinds = [EventType(kind).value for kind in kinds or ()]

    def work(conn: Connection) -> tuple[list[EventRecord], int, list[str], list[str]]:
        base = select(table).where(table.c.run_id == run_id)
        if step_key:
            base = base.where(table.c.step_key == step_key)
        if wanted_kinds:
            base = base.where(table.c.event_type.in_(wanted_kinds))
        if search:
            needle = f"%{search.lower()}%"
            base = base.where(
                func.lower(func.coalesce(table.c.message, "")).like(needle)
                | func.lower(func.coalesce(table.c.step_key, "")).like(needle)
                | func.lower(func.coalesce(table.c.asset_key, "")).like(needle)
                | func.lower(func.coalesce(table.c.partition_key, "")).like(needle)
            )
        ordered = base.order_by(table.c.id)
        if levels:
            # The level is inside the payload: filter the rows here, then page.
            wanted = {level.upper() for level in levels}
            records = [event_record(row._mapping) for row in conn.execute(ordered)]
            matching = [
                e for e in records if str(e.payload.get("level") or "INFO").upper() in wanted
            ]
            page, total = matching[offset : offset + limit], len(matching)
        else:
            total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
            rows = conn.execute(ordered.offset(offset).limit(limit)).all()
            page = [event_record(row._mapping) for row in rows]
        steps = conn.execute(
            select(table.c.step_key)
            .where(table.c.run_id == run_id, table.c.step_key.is_not(None))
            .group_by(table.c.step_key)
            .order_by(func.min(table.c.id))
        ).scalars()
        all_kinds = conn.execute(
            select(table.c.event_type).where(table.c.run_id == run_id).distinct()
        ).scalars()
        return page, int(total), list(steps), sorted(all_kinds)

    events, total, steps, all_kinds = storage.read(work)
    return EventPage(events=events, total=total, steps=steps, kinds=all_kinds)
