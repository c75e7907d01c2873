"""``materialize``: select, plan and run assets, recording everything in the metadata database.

A run goes through three phases (``assetgraph.execution.run_phases``): *prepare* (check
the run config, reconcile dead runs, open the IO managers, record the run), *run the
steps* (heartbeat, SIGTERM handling, resources, launcher, coordinator) and *finish*
(final status and events, then the after-run hooks: partition status, retention).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.asset_selection import AssetSelection
from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import RunFailure, UsageError
from assetgraph.execution.launchers import EXECUTORS
from assetgraph.execution.result import ExecuteInProcessResult
from assetgraph.execution.run_config import run_config_mapping
from assetgraph.execution.run_phases import abort_run, finish_run, prepare_run, run_steps
from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.planning.checks import checks_only_plan, plan_with_checks
from assetgraph.planning.planner import (
    ExecutionPlan,
    PartitionSelection,
    build_plan,
    parse_partition_range,
)
from assetgraph.selection import select_assets
from assetgraph.status.staleness import compute_staleness
from assetgraph.storage.instance import Instance
from assetgraph.storage.records import EventRecord

if TYPE_CHECKING:
    from assetgraph.definitions.config import RunConfig
    from assetgraph.planning.request import MaterializedPartitions

logger = logging.getLogger(__name__)

EXECUTOR_TAG = "assetgraph/executor"
PARTITIONS_TAG = "assetgraph/partitions"
"""Run tag holding the partition options a run was started with, as typed."""
PARTITION_SELECTION_TAG = "assetgraph/partition_selection"
"""Run tag holding the partition options a run was started with, as JSON. What the run
builds is in ``assetgraph/targets`` (``assetgraph.planning.targets``)."""

SelectionArg = str | Sequence[str | AssetKey | AssetsDefinition] | None


def materialize(
    assets: Definitions | Sequence[AssetsDefinition | AssetChecksDefinition],
    *,
    selection: SelectionArg | AssetSelection = None,
    exclude: SelectionArg | AssetSelection = None,
    instance: Instance | None = None,
    run_config: Mapping[str, Any] | RunConfig | None = None,
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
    executor: str = "in_process",
    workers: int | None = None,
    dask_address: str | None = None,
    no_wait: bool = False,
) -> ExecuteInProcessResult:
    """Materialize the selected assets (all by default) in one run, in this process.

    ``selection`` is a selection string (``"+revenue"``), or a list of keys, key strings or
    asset definitions. Partitioned assets need their partitions named: ``partition_key``,
    ``partition_keys``, ``partition_range`` (``"2025-01-01...2025-01-31"``),
    ``all_partitions=True``; ``missing=True`` keeps only those never materialized and
    ``stale=True`` only the stale ones (both: either), for every selected asset.
    An ``AssetSelection`` also chooses the asset checks that run: by default those of the
    selected assets, in their steps; ``AssetSelection.all_asset_checks()`` (or
    ``checks_for_assets``, ``checks``) runs checks alone, on their assets' stored values,
    and ``without_checks()`` runs none.
    ``executor`` runs the steps ``in_process`` (default), in ``workers`` processes
    (``multiprocess``) or on a Dask cluster (``dask``, at ``dask_address`` or local).
    Without ``instance``, an ephemeral instance is used (nothing persists), as with
    Dagster's ``materialize``. Returns a result with ``success``, ``run_id`` and
    ``output_for(key, partition)``; with ``raise_on_error=True`` a failed step raises.
    """
    defs = as_definitions(assets, resources)
    checks = selected_checks(selection, exclude, defs)
    selection, exclude = _as_keys(selection, defs), _as_keys(exclude, defs)
    execution = ExecutionOptions(executor, workers, dask_address, no_wait)
    instance = instance or Instance.ephemeral()
    partitions = PartitionSelection(
        keys=tuple([partition_key] if partition_key else []) + tuple(partition_keys or ()),
        ranges=(parse_partition_range(partition_range),) if partition_range else (),
        all_partitions=all_partitions,
        missing=missing,
        stale=stale,
    )
    plan = plan_for_selection(
        defs,
        selection,
        exclude,
        partitions,
        instance=instance,
        current_time=current_time,
        checks=checks,
    )
    result = execute_plan(
        defs,
        plan,
        instance=instance,
        run_config=run_config,
        tags=tags,
        selection_text=_selection_text(selection),
        on_event=on_event,
        execution=execution,
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
        return assets_or_defs.with_resources(resources)
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
    materialized: MaterializedPartitions | None = None,
    checks: Collection[AssetCheckKey] | None = None,
) -> ExecutionPlan:
    """The plan for the assets a selection names (an error when it names none).

    ``instance`` supplies dynamic partition keys and, for ``missing``, what is already
    materialized (unless ``materialized`` gives it, read by the caller for other uses too).
    ``checks``: the asset checks the run runs (None: every check of the selected assets);
    with them, a selection of no assets is a run of checks alone.
    """
    if checks and selection is not None and not selection:
        return checks_only_plan(defs.graph, defs.checks_by_asset, checks, current_time)
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
    if not partitions.missing:
        materialized = None
    elif materialized is None and storage is not None:
        from assetgraph.status.partitions import materialized_by_asset

        materialized = materialized_by_asset(defs, keys, storage, now)
    stale = None
    if partitions.stale and storage is not None:
        report = compute_staleness(defs.graph, keys, storage, now)
        stale = {status.key: status.stale for status in report}
    plan = build_plan(
        defs.graph,
        keys,
        partitions,
        current_time=now,
        dynamic_partitions_store=storage,
        materialized=materialized,
        stale=stale,
    )
    if checks is None:
        return plan
    return plan_with_checks(plan, defs.graph, defs.checks_by_asset, checks)


def selected_checks(
    selection: SelectionArg | AssetSelection,
    exclude: SelectionArg | AssetSelection,
    defs: Definitions,
) -> set[AssetCheckKey] | None:
    """The asset checks an ``AssetSelection`` names, minus an excluded one's; None (the
    checks of the selected assets) for a selection given otherwise."""
    if not isinstance(selection, AssetSelection):
        return None
    checks = selection.resolve_checks(defs)
    if isinstance(exclude, AssetSelection):
        checks -= exclude.resolve_checks(defs)
    return checks


def execute_plan(
    defs: Definitions,
    plan: ExecutionPlan,
    *,
    instance: Instance,
    run_config: Mapping[str, Any] | RunConfig | None = None,
    tags: Mapping[str, str] | None = None,
    selection_text: str = "*",
    on_event: Callable[[EventRecord], None] | None = None,
    execution: ExecutionOptions | None = None,
    run_id: str | None = None,
) -> ExecuteInProcessResult:
    """Run ``plan`` as a new run, in the phases of ``assetgraph.execution.run_phases``:
    prepare (check config, record the run), run the steps, finish (record the end, then
    the after-run hooks: partition status, retention). ``run_id`` starts the run of that
    id recorded as queued (by the run queue) instead of recording a new one."""
    execution = execution or ExecutionOptions()
    state = prepare_run(
        defs,
        plan,
        instance=instance,
        execution=execution,
        run_config=run_config_mapping(run_config),
        tags=_run_tags(plan, tags, execution),
        selection_text=selection_text,
        on_event=on_event,
        run_id=run_id,
    )
    try:
        run_steps(state)
    except BaseException as exc:
        abort_run(state, exc)
        raise
    return finish_run(state)


@dataclass(frozen=True, slots=True)
class ExecutionOptions:
    """Where and how a run's steps execute.

    ``executor``: ``in_process`` (default), ``multiprocess`` (``workers`` processes) or
    ``dask`` (the cluster at ``dask_address``, else a local one with ``workers`` workers).
    ``no_wait``: fail a step at once when another run is materializing one of its
    partitions, instead of waiting for it.

    Made before a run is recorded, so it also checks the environment settings a run reads
    only later (the heartbeat interval in its heartbeat thread, retention when it ends):
    a bad one is a ``UsageError`` before anything is stored.
    """

    executor: str = "in_process"
    workers: int | None = None
    dask_address: str | None = None
    no_wait: bool = False

    def __post_init__(self) -> None:
        from assetgraph import settings

        if self.executor not in EXECUTORS:
            raise UsageError(
                f"Unknown executor '{self.executor}': use one of {', '.join(EXECUTORS)}."
            )
        if self.workers is not None and self.workers < 1:
            raise UsageError(f"--workers must be at least 1, got {self.workers}.")
        if self.dask_address is not None:
            self._check_dask_address(self.dask_address)
        settings.check_run_environment()

    @staticmethod
    def _check_dask_address(address: str) -> None:
        """Refuse what names no Dask scheduler, without importing Dask: ``[SCHEME://]HOST:PORT``."""
        import re

        form = r"(?:(?:tcp|tls|ws|wss|ucx)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})/?"
        match = re.fullmatch(form, address)
        if match is None or not 1 <= int(match.group(2)) <= 65535:
            raise UsageError(
                f"Invalid --dask-address {address!r}: expected [SCHEME://]HOST:PORT of a Dask "
                "scheduler, e.g. tcp://scheduler:8786 (SCHEME: tcp, tls, ws, wss or ucx)."
            )


def _run_tags(
    plan: ExecutionPlan, tags: Mapping[str, str] | None, execution: ExecutionOptions
) -> dict[str, str]:
    """The tags of a new run of ``plan``: the caller's, the executor, and what the run
    builds (its targets, and the partition options that chose them, if options did).

    The partition tags are always this plan's, never copied ones: a re-execution carries
    its parent's tags, and a plan made for given targets (automation, re-execution) was
    chosen by no options.
    """
    from assetgraph.planning.targets import TARGETS_TAG, RunTargets

    run_tags = dict(tags or {})
    if execution.executor != "in_process":
        run_tags.setdefault(EXECUTOR_TAG, execution.executor)
    run_tags.pop(PARTITIONS_TAG, None)
    run_tags.pop(PARTITION_SELECTION_TAG, None)
    if plan.partitions is not None and not plan.partitions.is_empty:
        run_tags[PARTITIONS_TAG] = plan.partitions.to_tag_text()
        run_tags[PARTITION_SELECTION_TAG] = plan.partitions.to_json()
    run_tags[TARGETS_TAG] = RunTargets.from_plan(plan).to_json()
    return run_tags


def _as_keys(selection: SelectionArg | AssetSelection, defs: Definitions) -> SelectionArg:
    """A Dagster ``AssetSelection`` as the sorted keys it names; anything else as given."""
    if isinstance(selection, AssetSelection):
        return sorted(selection.resolve(defs.graph))
    return selection


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
