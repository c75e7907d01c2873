"""Backfills for the backfills pages: the stored backfills of ``automation.backfills``
with their progress per asset and their runs; cancel and resume go through it too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assetgraph.automation.backfills import (
    BACKFILL_TAG,
    backfill_to_json,
    cancel_backfill,
    get_backfill,
    get_backfills,
    resume_backfill,
)
from assetgraph.storage.backfill_store import BulkActionStatus, PartitionBackfill
from assetgraph.ui.automation_models import (
    BackfillAssetOut,
    BackfillDetailOut,
    BackfillOut,
    BackfillTotalsOut,
)
from assetgraph.ui.runs import list_runs

if TYPE_CHECKING:
    from assetgraph.storage.instance import Instance

RESUMABLE = frozenset(
    {BulkActionStatus.CANCELED, BulkActionStatus.COMPLETED_FAILED, BulkActionStatus.FAILED}
)
RUNS_SHOWN = 200


def backfill_out(backfill: PartitionBackfill) -> BackfillOut:
    """One backfill as the pages show it."""
    found = backfill_to_json(backfill)
    assets = [BackfillAssetOut(**item) for item in found.pop("assets")]
    totals = BackfillTotalsOut()
    for item in assets:
        for name in BackfillTotalsOut.model_fields:
            setattr(totals, name, getattr(totals, name) + getattr(item, name))
    return BackfillOut(
        **found,
        totals=totals,
        assets=assets,
        can_cancel=backfill.status.is_active and backfill.status is BulkActionStatus.REQUESTED,
        can_resume=backfill.status in RESUMABLE,
    )


def list_backfills(instance: Instance, status: str | None, limit: int) -> list[BackfillOut]:
    """Backfills, newest first, optionally only those with ``status``; ``ValueError`` for
    an unknown status."""
    statuses = [BulkActionStatus(status)] if status else None
    return [backfill_out(b) for b in get_backfills(instance, statuses, limit)]


def backfill_detail(instance: Instance, backfill_id: str) -> BackfillDetailOut:
    """One backfill (id or unique prefix) with its runs; ``UsageError`` when none."""
    backfill = get_backfill(backfill_id, instance)
    return _detail(instance, backfill)


def cancel(instance: Instance, backfill_id: str) -> BackfillDetailOut:
    """Cancel a backfill (see ``cancel_backfill``); ``UsageError`` when it is not active."""
    return _detail(instance, cancel_backfill(backfill_id, instance))


def resume(instance: Instance, backfill_id: str) -> BackfillDetailOut:
    """Resume a backfill (see ``resume_backfill``); ``UsageError`` when it cannot be."""
    return _detail(instance, resume_backfill(backfill_id, instance))


def _detail(instance: Instance, backfill: PartitionBackfill) -> BackfillDetailOut:
    runs = list_runs(instance.storage, RUNS_SHOWN, None, tags={BACKFILL_TAG: backfill.backfill_id})
    return BackfillDetailOut(**backfill_out(backfill).model_dump(), runs=runs)
