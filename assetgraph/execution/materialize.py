"""``materialize``: select, plan and run assets, recording everything in the metadata database."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from assetgraph.assets import AssetsDefinition
from assetgraph.checks import AssetChecksDefinition
from assetgraph.definitions import Definitions
from assetgraph.errors import RunFailure, UsageError
from assetgraph.execution.data_versions import RunDataVersions
from assetgraph.execution.in_process import execute_in_process
from assetgraph.execution.resources import io_managers_for, resources_for_run
from assetgraph.execution.result import MaterializeResult
from assetgraph.execution.run_config import resolve_run_config
from assetgraph.execution.step import StepEnvironment, StepOutcome
from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.planner import (
    ExecutionPlan,
    PartitionSelection,
    build_plan,
    parse_partition_range,
)
from assetgraph.selection import select_assets
from assetgraph.staleness import compute_staleness
from assetgraph.storage.instance import Instance
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus

PARTITIONS_TAG = "assetgraph/partitions"
"""Run tag holding the partition options a run was started with."""

SelectionArg = str | Sequence[str | AssetKey | AssetsDefinition] | None


def materialize(
    assets_or_defs: Definitions | Sequence[AssetsDefinition | AssetChecksDefinition],
    *,
    selection: SelectionArg = None,
    exclude: SelectionArg = None,
    instance: Instance | None = None,
    run_config: Mapping[str, Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
    on_event: Callable[[EventRecord], None] | None = None,
    partition_key: str | None = None,
    partition_keys: Sequence[str] | None = None,
    partition_range: str | PartitionKeyRange | Sequence[str] | None = None,
    all_partitions: bool = False,
    missing: bool = False,
    stale: bool = False,
    current_time: datetime | None = None,
) -> MaterializeResult:
    """Materialize the selected assets (all by default) in one run, in this process.

    ``selection`` is a selection string (``"+revenue"``), or a list of keys, key strings or
    asset definitions. Partitioned assets need their partitions named: ``partition_key``,
    ``partition_keys``, ``partition_range`` (``"2025-01-01...2025-01-31"``),
    ``all_partitions=True``; ``missing=True`` keeps only those never materialized and
    ``stale=True`` only the stale ones (both: either), for every selected asset.
    Without ``instance``, an ephemeral instance is used (nothing persists), as with
    Dagster's ``materialize``. Returns a result with ``success``, ``run_id`` and
    ``output_for(key, partition)``; with ``raise_on_error=True`` a failed step raises.
    """
    defs = as_definitions(assets_or_defs, resources)
    instance = instance or Instance.ephemeral()
    partitions = PartitionSelection(
        keys=tuple([partition_key] if partition_key else []) + tuple(partition_keys or ()),
        ranges=(parse_partition_range(partition_range),) if partition_range else (),
        all_partitions=all_partitions,
        missing=missing,
        stale=stale,
    )
    plan = plan_for_selection(
        defs, selection, exclude, partitions, instance=instance, current_time=current_time
    )
    result = execute_plan(
        defs,
        plan,
        instance=instance,
        run_config=run_config,
        tags=tags,
        selection_text=_selection_text(selection),
        on_event=on_event,
    )
    if raise_on_error and not result.success:
        failures = "; ".join(
            f"{o.step_key}: {o.error.summary()}" for o in result.failures if o.error is not None
        )
        raise RunFailure(f"Run {result.run_id} failed: {failures}")
    return result


def as_definitions(
    assets_or_defs: Definitions | Sequence[AssetsDefinition | AssetChecksDefinition],
    resources: Mapping[str, Any] | None,
) -> Definitions:
    """``Definitions`` from itself or a list of assets and asset checks, with extra resources."""
    if isinstance(assets_or_defs, Definitions):
        if not resources:
            return assets_or_defs
        return Definitions(
            assets_or_defs.assets,
            resources={**assets_or_defs.resources, **resources},
            io_managers=assets_or_defs.io_managers,
            asset_checks=assets_or_defs.asset_checks,
        )
    objects = [assets_or_defs] if isinstance(assets_or_defs, AssetsDefinition) else assets_or_defs
    checks = [obj for obj in objects if isinstance(obj, AssetChecksDefinition)]
    assets = [obj for obj in objects if not isinstance(obj, AssetChecksDefinition)]
    return Definitions(assets, resources=resources, asset_checks=checks)


def plan_for_selection(
    defs: Definitions,
    selection: SelectionArg,
    exclude: SelectionArg,
    partitions: PartitionSelection | None = None,
    *,
    instance: Instance | None = None,
    current_time: datetime | None = None,
) -> ExecutionPlan:
    """The plan for the assets a selection names (an error when it names none).

    ``instance`` supplies dynamic partition keys and, for ``missing``, what is already
    materialized.
    """
    keys = select_assets(defs.graph, _selection_strings(selection), _selection_strings(exclude))
    if not keys:
        raise UsageError(
            f"Selection '{_selection_text(selection)}' matched no assets"
            + (f" after excluding '{_selection_text(exclude)}'" if exclude else "")
            + "."
        )
    partitions = partitions or PartitionSelection()
    now = current_time or datetime.now(UTC)
    storage = instance.storage if instance is not None else None
    materialized = None
    if partitions.missing and storage is not None:
        found = storage.materialized_partitions([key.to_string() for key in keys])
        materialized = {AssetKey.from_user(k): v for k, v in found.items()}
    stale = None
    if partitions.stale and storage is not None:
        report = compute_staleness(defs.graph, keys, storage, now)
        stale = {status.key: status.stale for status in report}
    return build_plan(
        defs.graph,
        keys,
        partitions,
        current_time=now,
        dynamic_partitions_store=storage,
        materialized=materialized,
        stale=stale,
    )


def execute_plan(
    defs: Definitions,
    plan: ExecutionPlan,
    *,
    instance: Instance,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    selection_text: str = "*",
    on_event: Callable[[EventRecord], None] | None = None,
) -> MaterializeResult:
    """Run ``plan`` as a new run: validate config, record the run, execute, record the end."""
    configs = resolve_run_config(defs.graph, [s.assets_def for s in plan.steps], run_config)
    storage = instance.storage
    io_managers = io_managers_for(defs, instance.storage_dir)
    run_id = uuid.uuid4().hex
    started = time.time()
    storage.create_run(
        RunRecord(
            run_id=run_id,
            status=RunStatus.STARTED,
            created_at=started,
            started_at=started,
            selection=selection_text,
            asset_keys=tuple(key.to_string() for key in plan.selected_keys),
            tags=_run_tags(plan, tags),
            run_config=dict(run_config or {}),
        )
    )

    def record(events: list[EventRecord]) -> None:
        if not events:
            return
        storage.store_events(events)
        if on_event is not None:
            for event in events:
                on_event(event)

    record([EventRecord(run_id, EventType.RUN_START, started, message=f"{len(plan)} steps")])
    outcomes: dict[str, StepOutcome] = {}
    error: str | None = None
    try:
        with resources_for_run(defs.resources, run_id) as resources:
            env = StepEnvironment(
                run_id=run_id,
                graph=defs.graph,
                io_managers=io_managers,
                resources=resources,
                configs=configs,
                run_config=dict(run_config or {}),
                checks=defs.checks_by_asset,
            )
            versions = RunDataVersions(defs.graph, plan, storage)
            outcomes = execute_in_process(plan, env, record, versions)
            failed = [o.step_key for o in outcomes.values() if o.status == "failure"]
            if failed:
                error = f"{len(failed)} step(s) failed: {', '.join(failed)}"
    except BaseException as exc:
        error = f"run aborted: {type(exc).__name__}: {exc}"
        _finish(storage, run_id, RunStatus.FAILURE, error, record)
        raise
    status = RunStatus.FAILURE if error else RunStatus.SUCCESS
    _finish(storage, run_id, status, error, record)
    return MaterializeResult(
        run_id=run_id,
        success=error is None,
        plan=plan,
        outcomes=outcomes,
        graph=defs.graph,
        io_managers=io_managers,
    )


def _run_tags(plan: ExecutionPlan, tags: Mapping[str, str] | None) -> dict[str, str]:
    run_tags = dict(tags or {})
    if plan.partitions is not None and not plan.partitions.is_empty:
        run_tags.setdefault(PARTITIONS_TAG, plan.partitions.describe())
    return run_tags


def _finish(
    storage: Any,
    run_id: str,
    status: RunStatus,
    error: str | None,
    record: Callable[[list[EventRecord]], None],
) -> None:
    ended = time.time()
    event_type = EventType.RUN_SUCCESS if status is RunStatus.SUCCESS else EventType.RUN_FAILURE
    record([EventRecord(run_id, event_type, ended, message=error)])
    storage.update_run(run_id, status=status, ended_at=ended, error=error)


def _selection_strings(selection: SelectionArg) -> list[str] | None:
    if selection is None:
        return None
    if isinstance(selection, str):
        return [selection]
    strings: list[str] = []
    for item in selection:
        if isinstance(item, AssetsDefinition):
            strings.extend(key.to_string() for key in item.keys)
        elif isinstance(item, AssetKey):
            strings.append(item.to_string())
        else:
            strings.append(str(item))
    return strings


def _selection_text(selection: SelectionArg) -> str:
    strings = _selection_strings(selection)
    return "*" if strings is None else " ".join(strings)
