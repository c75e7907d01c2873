"""The routes of the backfills and automation pages: their JSON API under ``/api/`` and
their HTML pages (``/backfills``, ``/backfills/{id}``, ``/automation/ticks/{id}``,
``/automation/{schedule|sensor}/{name}``).

Routes are plain ``def`` (FastAPI runs them in worker threads). Writes (cancel, resume,
start, stop) pass the same security gate as every POST (token, same origin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query
from fastapi.responses import HTMLResponse

from assetgraph.errors import AssetgraphError
from assetgraph.ui import automation, backfills, instigators
from assetgraph.ui.automation_models import (
    AssetAutomationOut,
    AutomationTickDetailOut,
    AutomationTickOut,
    BackfillDetailOut,
    BackfillOut,
    InstigatorDetailOut,
    InstigatorOut,
    InstigatorStatusIn,
)

if TYPE_CHECKING:
    from assetgraph.ui.api import UiState

PageFn = Callable[[str, str, dict[str, str] | None], HTMLResponse]
NotFoundFn = Callable[[str, str], HTMLResponse]
KindPath = Path(pattern="^(schedule|sensor)$", description="schedule or sensor.")


def build_automation_router(state: UiState) -> APIRouter:
    """The ``/api/`` routes of backfills, schedules and sensors, and automation ticks."""
    router = APIRouter(prefix="/api")
    storage = state.instance.storage

    def backfill_or_404(backfill_id: str) -> BackfillDetailOut:
        try:
            return backfills.backfill_detail(state.instance, backfill_id)
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None

    @router.get("/backfills", tags=["backfills"])
    def list_backfills(
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        status: Annotated[str | None, Query(pattern="^[a-z_]+$")] = None,
    ) -> list[BackfillOut]:
        """Backfills, newest first, with their progress (optionally of one status)."""
        try:
            return backfills.list_backfills(state.instance, status or None, limit)
        except ValueError:
            raise HTTPException(
                status_code=422, detail=f"Unknown backfill status '{status}'."
            ) from None

    @router.get("/backfills/{backfill_id}", tags=["backfills"])
    def get_backfill(backfill_id: str) -> BackfillDetailOut:
        """One backfill (id or unique prefix): progress per asset and its runs."""
        return backfill_or_404(backfill_id)

    @router.post("/backfills/{backfill_id}/cancel", tags=["backfills"])
    def cancel_backfill(backfill_id: str) -> BackfillDetailOut:
        """Stop launching runs and cancel queued ones; started runs finish."""
        found = backfill_or_404(backfill_id)
        try:
            return backfills.cancel(state.instance, found.backfill_id)
        except AssetgraphError as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from None

    @router.post("/backfills/{backfill_id}/resume", tags=["backfills"])
    def resume_backfill(backfill_id: str) -> BackfillDetailOut:
        """Launch again what failed or remains of a canceled or failed backfill."""
        found = backfill_or_404(backfill_id)
        try:
            return backfills.resume(state.instance, found.backfill_id)
        except AssetgraphError as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from None

    @router.get("/automation/instigators", tags=["automation"])
    def list_instigators() -> list[InstigatorOut]:
        """Every schedule and sensor: running or stopped, cron or interval, last and next
        tick."""
        return instigators.list_instigators(state.defs, storage, state.clock())

    @router.get("/automation/instigators/{kind}/{name}", tags=["automation"])
    def get_instigator(
        kind: Annotated[str, KindPath],
        name: str,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> InstigatorDetailOut:
        """One schedule or sensor with its tick history (what each evaluation gave)."""
        try:
            return instigators.instigator_detail(
                state.defs, storage, kind, name, state.clock(), limit
            )
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None

    @router.post("/automation/instigators/{kind}/{name}/status", tags=["automation"])
    def set_instigator_status(
        kind: Annotated[str, KindPath], name: str, request: InstigatorStatusIn
    ) -> InstigatorOut:
        """Start (``running``) or stop (``stopped``) a schedule or sensor; kept in the
        metadata database, as ``assetgraph schedules|sensors start|stop`` do."""
        try:
            return instigators.set_running(
                state.defs, storage, kind, name, request.status, state.clock()
            )
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None

    @router.get("/automation/ticks", tags=["automation"])
    def automation_ticks(
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        before_id: Annotated[
            int | None, Query(description="Only ticks older than this tick (paging).")
        ] = None,
    ) -> list[AutomationTickOut]:
        """Automation ticks, newest first: runs, and the assets requested, waiting, skipped."""
        return automation.list_automation_ticks(storage, limit, before_id)

    @router.get("/automation/ticks/{tick_id}", tags=["automation"])
    def automation_tick(tick_id: int) -> AutomationTickDetailOut:
        """One tick: per asset, the decision, its reasons and the evaluated condition tree."""
        found = automation.tick_detail(storage, tick_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"No automation tick {tick_id}.")
        return found

    @router.get("/automation/assets/{key:path}", tags=["automation"])
    def asset_automation(
        key: str, limit: Annotated[int, Query(ge=1, le=100)] = 10
    ) -> AssetAutomationOut:
        """One asset's automation: policy or condition, freshness lag and deadline, the
        schedules and sensors that target it, and the latest ticks' decisions."""
        try:
            found = state.defs.graph.find(key)
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        return automation.asset_automation(state.defs, found, storage, state.clock(), limit)

    return router


def add_automation_pages(app: FastAPI, state: UiState, page: PageFn, not_found: NotFoundFn) -> None:
    """The HTML pages of backfills, one schedule or sensor, and one automation tick."""

    @app.get("/backfills", include_in_schema=False)
    def backfills_page() -> HTMLResponse:
        return page("backfills", "Backfills", None)

    @app.get("/backfills/{backfill_id}", include_in_schema=False)
    def backfill_page(backfill_id: str) -> HTMLResponse:
        try:
            found = backfills.backfill_detail(state.instance, backfill_id)
        except AssetgraphError as exc:
            return not_found("Backfill", str(exc))
        return page("backfill", f"Backfill {found.backfill_id}", {"backfill-id": found.backfill_id})

    @app.get("/automation/ticks/{tick_id}", include_in_schema=False)
    def tick_page(tick_id: str) -> HTMLResponse:
        if not tick_id.isdigit() or not automation.tick_exists(
            state.instance.storage, int(tick_id)
        ):
            return not_found("Tick", f"No automation tick '{tick_id}'. /automation lists them.")
        return page("tick", f"Tick {tick_id}", {"tick-id": tick_id})

    @app.get("/automation/{kind}/{name}", include_in_schema=False)
    def instigator_page(kind: str, name: str) -> HTMLResponse:
        try:
            instigators.find_instigator(state.defs, kind, name)
        except AssetgraphError as exc:
            return not_found(kind.capitalize() if kind in instigators.KINDS else "Page", str(exc))
        return page("instigator", f"{kind.capitalize()} {name}", {"kind": kind, "name": name})
