"""Automation ticks for the automation page.

No automation evaluator records ticks yet, so ``list_automation_ticks`` returns none and
the page says so. When the evaluator lands, read its stored ticks here (newest first,
with the runs each launched and the per-asset reasons) and map them to ``TickOut``: the
API route and the page already show whatever this returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage
    from assetgraph.ui.models import TickOut


def list_automation_ticks(storage: SqlStorage, limit: int) -> list[TickOut]:
    """The latest ``limit`` automation ticks, newest first (none are recorded yet)."""
    del storage, limit
    return []
