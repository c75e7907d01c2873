"""Automation ticks for the automation page, read from the automation tick log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage
    from assetgraph.ui.models import TickOut


def list_automation_ticks(storage: SqlStorage, limit: int) -> list[TickOut]:
    """The latest ``limit`` automation ticks, newest first, with the runs each launched and,
    per asset, what was requested and why (or why not)."""
    from assetgraph.storage.automation_store import AutomationStore
    from assetgraph.ui.models import TickOut

    ticks = AutomationStore(storage).list_ticks(limit)
    return [
        TickOut(
            tick_id=str(tick.tick_id),
            timestamp=tick.evaluated_at,
            status=tick.status,
            run_ids=[run["run_id"] for run in tick.payload.get("runs", []) if run.get("run_id")],
            reasons={
                key: _reason_text(entry) for key, entry in tick.payload.get("assets", {}).items()
            },
        )
        for tick in ticks
    ]


def _reason_text(entry: dict[str, Any]) -> str:
    requested = entry.get("requested")
    head = "requested " + ", ".join(requested) if requested else "not requested"
    reasons = [*entry.get("reasons", []), *entry.get("skipped", [])]
    return head + (": " + "; ".join(str(r) for r in reasons) if reasons else "")
