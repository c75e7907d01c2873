"""The JSON API under ``/api/`` that the pages call (documented at ``/openapi.json``).

Routes are plain ``def``: FastAPI runs them in its worker threads, so a slow database read
or the wait for a launched run never stalls the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, HTTPException, Query

from assetgraph.errors import AssetgraphError
from assetgraph.keys import AssetKey
from assetgraph.status.runs import PARENT_RUN_TAG
from assetgraph.storage.records import RunRecord, RunStatus
from assetgraph.ui import catalog, lineage_view, runs
from assetgraph.ui.launcher import (
    CodeLocation,
    LaunchError,
    job_materialize_args,
    launch_materialization,
    launch_reexecution,
    materialize_args,
    wait_for_run,
)
from assetgraph.ui.models import (
    AssetDetail,
    AssetSummary,
    CatalogOut,
    ChecksOut,
    EventLogOut,
    EventOut,
    LineageOut,
    MaterializationOut,
    MaterializeIn,
    MaterializeOut,
    PartitionDetailOut,
    PartitionGridOut,
    PartitionsOut,
    ReexecuteIn,
    RunActionOut,
    RunDetail,
    RunSummary,
    SelectionOut,
    StatusStyle,
    VersionOut,
    WhyOut,
)
from assetgraph.ui.partition_grid import partition_grid

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.storage.instance import Instance


@dataclass(frozen=True)
class UiState:
    """What every route reads: the loaded code location, the instance, and the clock."""

    defs: Definitions
    instance: Instance
    location: CodeLocation
    clock: Callable[[], datetime]
    launch_timeout: float = 60.0

    @property
    def launch_logs(self) -> Path:
        """Where the output of runs started from the UI goes."""
        return self.instance.home / "ui" / "launches"


def build_api_router(state: UiState) -> APIRouter:
    """Every ``/api/`` route, bound to ``state``."""
    router = APIRouter(prefix="/api")
    graph = state.defs.graph
    storage = state.instance.storage

    def find(key: str) -> AssetKey:
        try:
            return graph.find(key)
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None

    @router.get("/statuses", tags=["assets"])
    def statuses() -> list[StatusStyle]:
        """Every asset status with its fill and stroke colours, in legend order."""
        return catalog.status_styles()

    @router.get("/assets", tags=["assets"])
    def list_assets(
        search: str | None = None,
        group: str | None = None,
        tag: Annotated[str | None, Query(description="KEY=VALUE, or KEY for any value")] = None,
        status: str | None = None,
    ) -> CatalogOut:
        """The catalog: every asset (filtered) with its status and last materialization."""
        version = lineage_view.state_version(storage)  # read first: a later change shows
        found = catalog.catalog(graph, storage, state.clock())
        found.version = version
        found.assets = catalog.filter_catalog(found.assets, search, group, tag, status)
        return found

    @router.get("/assets/{key:path}", tags=["assets"])
    def get_asset(key: str) -> AssetDetail:
        """One asset: definition, code version, status, upstream and downstream."""
        checks = state.defs.asset_checks
        return catalog.asset_detail(graph, find(key), storage, state.clock(), checks)

    @router.get("/checks/{key:path}", tags=["assets"])
    def get_checks(key: str) -> ChecksOut:
        """One asset's checks: blocking or not, the latest result per partition, history."""
        return catalog.asset_checks(graph, find(key), storage, state.defs.asset_checks)

    @router.get("/why/{key:path}", tags=["assets"])
    def get_why(key: str) -> WhyOut:
        """Why one asset has its status: stale causes with their root causes, missing
        partitions, the last failure (run, error, time) and the freshness policy's lag."""
        return catalog.why(graph, find(key), storage, state.clock())

    @router.get("/partition/{key:path}", tags=["assets"])
    def get_partition(
        key: str,
        partition: Annotated[
            str | None, Query(description="The partition key (none: unpartitioned).")
        ] = None,
    ) -> PartitionDetailOut:
        """One partition of one asset: its status and why, its latest materialization (run,
        time, code and data version, metadata) and its latest failure (run, time, error)."""
        found = find(key)
        try:
            return catalog.partition_detail(graph, found, partition, storage, state.clock())
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None

    @router.get("/partitions/{key:path}", tags=["assets"])
    def get_partitions(key: str) -> PartitionsOut:
        """The partitions health of one asset: runs of equal status, ranges collapsed."""
        return catalog.partitions(graph, find(key), storage, state.clock())

    @router.get("/materializations/{key:path}", tags=["assets"])
    def get_materializations(
        key: str, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> list[MaterializationOut]:
        """The latest materializations of one asset with their metadata, newest first."""
        return catalog.materializations(storage, find(key), limit)

    @router.get("/lineage", tags=["assets"])
    def get_lineage(
        select: Annotated[
            str | None,
            Query(max_length=2000, description="A selection, as the CLI's --select writes it."),
        ] = None,
    ) -> LineageOut:
        """The asset graph (or the assets ``select`` names): nodes with group, status, last
        materialization, partition counts and check state; edges with partition mappings."""
        try:
            return lineage_view.lineage(
                graph, storage, state.clock(), state.defs.asset_checks, select or None
            )
        except AssetgraphError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None

    @router.get("/select", tags=["assets"])
    def get_selection(
        select: Annotated[str, Query(max_length=2000, description="As the CLI's --select.")],
    ) -> SelectionOut:
        """The assets a selection names, or what is wrong with it (HTTP 200 either way, so a
        page can check what a user types)."""
        from assetgraph.selection import select_assets

        try:
            keys = select_assets(graph, select)
        except AssetgraphError as exc:
            return SelectionOut(selection=select, keys=[], error=str(exc))
        return SelectionOut(selection=select, keys=[key.to_string() for key in keys], error=None)

    @router.get("/version", tags=["assets"])
    def get_version() -> VersionOut:
        """A version of the instance's state that changes with every run, event or dynamic
        partition: poll it (cheap) and reload the catalog or lineage when it changes."""
        return VersionOut(version=lineage_view.state_version(storage))

    @router.get("/partition_grid/{key:path}", tags=["assets"])
    def get_partition_grid(key: str) -> PartitionGridOut:
        """The partitions of a multi-partitioned asset as a grid of statuses (rows: its first
        dimension; columns: the others)."""
        found = find(key)
        try:
            return partition_grid(graph, found, storage, state.clock())
        except AssetgraphError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None

    @router.get("/runs", tags=["runs"])
    def list_runs(
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        status: Annotated[str | None, Query(pattern="^[a-z]+$")] = None,
        asset: Annotated[str | None, Query(description="Runs that build this asset.")] = None,
        partition: Annotated[
            str | None, Query(description="Runs that build this partition key.")
        ] = None,
        tag: Annotated[str | None, Query(description="KEY=VALUE: runs with this tag.")] = None,
        launched_by: Annotated[
            str | None,
            Query(
                description="automation, schedule:NAME, sensor:NAME, backfill, "
                "re-execution, ui or cli."
            ),
        ] = None,
    ) -> list[RunSummary]:
        """The newest runs, filtered by status, asset, partition, tag and launcher."""
        tags = None
        if tag:
            name, has_value, value = tag.partition("=")
            if not has_value or not name:
                raise HTTPException(
                    status_code=422, detail=f"Tag filter '{tag}': write it as KEY=VALUE."
                )
            tags = {name: value}
        asset_key = None if not asset else find(asset).to_string()
        try:
            return runs.list_runs(
                storage, limit, status, tags, asset_key, partition or None, launched_by or None
            )
        except ValueError:
            raise HTTPException(status_code=422, detail=f"Unknown run status '{status}'.") from None
        except AssetgraphError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None

    @router.get("/runs/{run_id}", tags=["runs"])
    def get_run(run_id: str) -> RunDetail:
        """One run (id or unique prefix) with its step timeline."""
        try:
            run = storage.get_run(run_id)
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        if run is None:
            raise HTTPException(status_code=404, detail=f"No run '{run_id}'.")
        return runs.run_detail(storage, run)

    @router.get("/runs/{run_id}/events", tags=["runs"])
    def get_run_events(run_id: str, after_id: int | None = None) -> list[EventOut]:
        """A run's events after ``after_id`` (for live pages), in the order stored."""
        return runs.run_events(storage, run_id, after_id)

    def get_run_or_404(run_id: str) -> RunRecord:
        try:
            run = storage.get_run(run_id)
        except AssetgraphError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        if run is None:
            raise HTTPException(status_code=404, detail=f"No run '{run_id}'.")
        return run

    @router.get("/runs/{run_id}/log", tags=["runs"])
    def get_run_log(
        run_id: str,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        step: str | None = None,
        kind: Annotated[list[str] | None, Query(description="Event kinds (repeatable).")] = None,
        level: Annotated[list[str] | None, Query(description="Log levels (repeatable).")] = None,
        search: Annotated[str | None, Query(max_length=200)] = None,
    ) -> EventLogOut:
        """One page of a run's event log, filtered by step, kind, level and text."""
        run = get_run_or_404(run_id)
        try:
            return runs.run_log(
                storage,
                run.run_id,
                offset,
                limit,
                step or None,
                kind or [],
                level or [],
                search or None,
            )
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=f"Unknown event kind: {exc}") from None

    @router.post("/runs/{run_id}/cancel", tags=["runs"])
    def cancel_run(run_id: str) -> RunActionOut:
        """Ask an unfinished run to stop (a queued run nobody runs is canceled at once)."""
        from assetgraph.storage.coordination import request_cancel

        run = get_run_or_404(run_id)
        if run.status.is_finished:
            raise HTTPException(
                status_code=409, detail=f"Run {run.run_id} already finished ({run.status.value})."
            )
        request_cancel(storage, run.run_id)
        if run.pid is None and run.status is RunStatus.QUEUED:
            storage.update_run(
                run.run_id, status=RunStatus.CANCELED, ended_at=state.clock().timestamp()
            )
            return RunActionOut(run_id=run.run_id, status="canceled", message="Canceled.")
        return RunActionOut(
            run_id=run.run_id,
            status=run.status.value,
            message="Cancel requested: the run stops at its next heartbeat.",
        )

    @router.post("/runs/{run_id}/reexecute", tags=["runs"], status_code=201)
    def reexecute_run(run_id: str, request: ReexecuteIn) -> MaterializeOut:
        """Run a past run again as a new run: all of it, or only what failed or never ran."""
        run = get_run_or_404(run_id)
        before = {r.run_id for r in storage.list_runs(1000, tags={PARENT_RUN_TAG: run.run_id})}
        launch = launch_reexecution(
            state.location, state.instance, run.run_id, request.from_failure, state.launch_logs
        )
        try:
            new_id = wait_for_run(
                state.instance,
                launch,
                state.launch_timeout,
                tags={PARENT_RUN_TAG: run.run_id},
                after=before,
            )
        except LaunchError as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from None
        return MaterializeOut(run_id=new_id, request_id=launch.request_id)

    @router.post("/materialize", tags=["runs"], status_code=201)
    def materialize(request: MaterializeIn) -> MaterializeOut:
        """Start a run of one asset or of a job (a partition, a range, or the missing
        partitions).

        The run executes in a child process. An asset's run is recorded (queued) before
        the child starts, so its id comes back at once; a job's comes back once the child
        has recorded it.
        """
        if (request.asset_key is None) == (request.job is None):
            raise HTTPException(status_code=422, detail="Give asset_key or job (one of them).")
        if request.asset_key is not None:
            find(request.asset_key)
        try:
            if request.job is not None:
                args = job_materialize_args(state.defs, request, state.clock(), storage)
            else:
                materialize_args(graph, request, state.clock(), storage)  # checks it
                return start_asset_run(state, request)
        except AssetgraphError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        launch = launch_materialization(state.location, state.instance, args, state.launch_logs)
        try:
            run_id = wait_for_run(state.instance, launch, state.launch_timeout)
        except LaunchError as exc:
            raise HTTPException(status_code=500, detail=str(exc)) from None
        return MaterializeOut(run_id=run_id, request_id=launch.request_id)

    return router


def start_asset_run(state: UiState, request: MaterializeIn) -> MaterializeOut:
    """Start the run of one asset as the launchpad does: the id comes back at once."""
    from assetgraph.ui.launchpad import plan_request
    from assetgraph.ui.launchpad_models import LaunchpadIn
    from assetgraph.ui.launchpad_routes import start_run

    launch = LaunchpadIn(
        selection=state.defs.graph.find(request.asset_key or "").to_string(),
        partition=request.partition,
        partition_range=request.partition_range,
        missing=request.missing,
    )
    planned = plan_request(state.defs, state.instance, launch, state.clock())
    run_id, request_id = start_run(state, planned)
    return MaterializeOut(run_id=run_id, request_id=request_id)


def all_assets(state: UiState) -> list[AssetSummary]:
    """Every asset's summary (for ``/metrics``)."""
    return catalog.catalog(state.defs.graph, state.instance.storage, state.clock()).assets
