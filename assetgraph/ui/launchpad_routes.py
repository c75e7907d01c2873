"""``/api/launchpad/preview`` and ``/api/launchpad/launch``: plan, check and start a run (or
store a backfill) of a selection, answering with its id at once.

A launch records the run as ``queued`` with its targets and run config, then starts
``assetgraph automate launch-run`` in a child process that plans those targets and runs
the recorded run by its id; the route returns without waiting for the child. When the
child exits without starting the run (its code location no longer loads, say), a watcher
thread marks the run failed with the child's output, so no run stays queued forever.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException

from assetgraph.errors import AssetgraphError
from assetgraph.ui.launcher import REQUEST_TAG, Launch, launch_cli
from assetgraph.ui.launchpad import (
    LaunchPlan,
    backfill_note,
    confirmation,
    plan_request,
    preview,
    run_targets,
)
from assetgraph.ui.launchpad_models import LaunchpadIn, LaunchpadOut, PlanPreviewOut

if TYPE_CHECKING:
    from assetgraph.storage.instance import Instance
    from assetgraph.ui.api import UiState


def build_launchpad_router(state: UiState) -> APIRouter:
    """The launchpad's API routes, bound to ``state``."""
    router = APIRouter(prefix="/api/launchpad", tags=["launchpad"])

    @router.post("/preview")
    def preview_launch(request: LaunchpadIn) -> PlanPreviewOut:
        """The plan of a request (steps and partitions per asset), missing upstream
        partitions its steps read, the config fields its assets take, and whether launching
        it needs a confirmation; or, in ``error``, what is wrong with it (the selection,
        partitions or run config), as a form checked while it is typed."""
        try:
            launch = plan_request(state.defs, state.instance, request, state.clock())
        except AssetgraphError as exc:
            return PlanPreviewOut(selection=request.selection, error=str(exc))
        return preview(state.defs, state.instance.storage, launch, request)

    @router.post("/launch", status_code=201)
    def launch(request: LaunchpadIn) -> LaunchpadOut:
        """Start one run of the request (or store it as a backfill) and return its id at
        once; the run executes in a child process. Above the confirmation threshold, the
        request must repeat the preview's step count as ``confirmed_steps`` (else 409)."""
        if request.as_backfill:
            note = backfill_note(request)
            if note is not None:
                raise HTTPException(status_code=422, detail=note)
        try:
            planned = plan_request(state.defs, state.instance, request, state.clock())
        except AssetgraphError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        if not planned.plan:
            raise HTTPException(
                status_code=409,
                detail="Nothing to do: none of the partitions asked for is missing or stale.",
            )
        reason = confirmation(planned.steps, planned.partition_count)
        if reason is not None and request.confirmed_steps != planned.steps:
            raise HTTPException(
                status_code=409,
                detail=f"{reason} Confirm the {planned.steps:,} steps to launch them.",
            )
        if request.as_backfill:
            return store_backfill(state, request, planned)
        run_id, _ = start_run(state, planned, request.tags)
        return LaunchpadOut(
            run_id=run_id,
            url=f"/runs/{run_id}",
            steps=planned.steps,
            partitions=planned.partition_count,
            message=f"Run {run_id[:8]} started: {planned.steps:,} "
            f"step{'s' if planned.steps != 1 else ''}.",
        )

    return router


def start_run(
    state: UiState, planned: LaunchPlan, user_tags: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """Record the run of ``planned`` (with ``user_tags``) as queued and start it in a child
    process; its id and the launch's request id (the run's ``assetgraph/ui_request`` tag)."""
    from assetgraph.planning.targets import TARGETS_TAG, RunTargets
    from assetgraph.storage.records import RunRecord, RunStatus

    storage = state.instance.storage
    run_id, request_id = uuid.uuid4().hex, uuid.uuid4().hex
    targets = run_targets(planned.plan)
    tags = {
        **(user_tags or {}),
        REQUEST_TAG: request_id,
        TARGETS_TAG: RunTargets.from_plan(planned.plan).to_json(),
    }
    storage.create_run(
        RunRecord(
            run_id=run_id,
            status=RunStatus.QUEUED,
            created_at=time.time(),
            selection=planned.selection,
            asset_keys=tuple(key.to_string() for key in planned.plan.selected_keys),
            tags=tags,
            run_config=dict(planned.run_config or {}),
        )
    )
    payload = {
        "request_id": request_id,
        "origin": "ui",
        "now": (planned.plan.current_time or state.clock()).isoformat(),
        "targets": targets,
        "tags": tags,
        "run_config": planned.run_config or {},
        "run_id": run_id,
    }
    command = ["automate", "launch-run", *state.location.cli_args()]
    started = launch_cli(
        state.location,
        state.instance,
        command,
        state.launch_logs,
        request_id,
        stdin=json.dumps(payload).encode(),
    )
    threading.Thread(
        target=fail_if_never_started,
        args=(state.instance, run_id, started),
        name=f"watch-{run_id[:8]}",
        daemon=True,
    ).start()
    return run_id, request_id


def fail_if_never_started(instance: Instance, run_id: str, launch: Launch) -> None:
    """Once the child exits: a run it left queued is marked failed with its output."""
    from assetgraph.storage.records import EventRecord, EventType, RunStatus

    launch.process.wait()
    storage = instance.storage
    run = storage.get_run(run_id)
    if run is None or run.status is not RunStatus.QUEUED:
        return
    error = f"The run did not start: {launch.output_tail() or 'the launch process exited'}"
    now = time.time()
    storage.update_run(run_id, status=RunStatus.FAILURE, ended_at=now, error=error)
    storage.store_events([EventRecord(run_id, EventType.RUN_FAILURE, now, message=error)])


def store_backfill(state: UiState, request: LaunchpadIn, planned: LaunchPlan) -> LaunchpadOut:
    """Store ``request`` as a backfill (as ``assetgraph backfill launch`` does)."""
    from assetgraph.automation.backfills import launch_backfill

    selection = planned.partitions
    try:
        backfill = launch_backfill(
            state.defs,
            planned.selection,
            exclude=request.exclude.strip() if request.exclude else None,
            partition_keys=selection.keys,
            partition_range=[str(r) for r in selection.ranges] or None,
            all_partitions=selection.all_partitions,
            missing=selection.missing,
            tags=request.tags,
            instance=state.instance,
            now=state.clock(),
        )
    except AssetgraphError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    total = sum(p["target"] for p in backfill.state["progress"].values())
    return LaunchpadOut(
        backfill_id=backfill.backfill_id,
        url=f"/backfills/{backfill.backfill_id}",
        steps=planned.steps,
        partitions=planned.partition_count,
        message=f"Backfill {backfill.backfill_id} stored: {total:,} partitions of "
        f"{len(backfill.state['assets'])} assets; the daemon ('assetgraph automate') "
        "launches its runs.",
    )
