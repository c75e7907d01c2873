"""``materialize``: select, plan and run assets, recording everything in the metadata database."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.code_location import pools_from_pyproject
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import AssetgraphError, RunFailure, RunInterrupted, UsageError
from assetgraph.execution.coordinator import Coordinator, CoordinatorSettings
from assetgraph.execution.data_versions import RunDataVersions
from assetgraph.execution.interrupts import signal_name, sigterm_interrupts
from assetgraph.execution.launchers import EXECUTORS, make_launcher
from assetgraph.execution.lifecycle import RunHeartbeat
from assetgraph.execution.resources import io_managers_for, resources_for_run
from assetgraph.execution.result import MaterializeResult
from assetgraph.execution.run_config import resolve_run_config
from assetgraph.execution.step import StepEnvironment, StepOutcome
from assetgraph.execution.worker import make_payload
from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.planning.planner import (
    ExecutionPlan,
    MaterializedPartitions,
    PartitionSelection,
    build_plan,
    parse_partition_range,
)
from assetgraph.selection import select_assets
from assetgraph.status.staleness import compute_staleness
from assetgraph.storage.coordination import free_run, reconcile_runs
from assetgraph.storage.instance import Instance
from assetgraph.storage.records import EventRecord, EventType, RunRecord, RunStatus
from assetgraph.storage.retention import auto_prune

if TYPE_CHECKING:
    from assetgraph.storage.sql_storage import SqlStorage

logger = logging.getLogger(__name__)

EXECUTOR_TAG = "assetgraph/executor"
PARTITIONS_TAG = "assetgraph/partitions"
"""Run tag holding the partition options a run was started with, as typed."""
PARTITION_SELECTION_TAG = "assetgraph/partition_selection"
"""Run tag holding the partition options a run was started with, as JSON. What the run
builds is in ``assetgraph/targets`` (``assetgraph.planning.targets``)."""

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
    executor: str = "in_process",
    workers: int | None = None,
    dask_address: str | None = None,
    no_wait: bool = False,
) -> MaterializeResult:
    """Materialize the selected assets (all by default) in one run, in this process.

    ``selection`` is a selection string (``"+revenue"``), or a list of keys, key strings or
    asset definitions. Partitioned assets need their partitions named: ``partition_key``,
    ``partition_keys``, ``partition_range`` (``"2025-01-01...2025-01-31"``),
    ``all_partitions=True``; ``missing=True`` keeps only those never materialized and
    ``stale=True`` only the stale ones (both: either), for every selected asset.
    ``executor`` runs the steps ``in_process`` (default), in ``workers`` processes
    (``multiprocess``) or on a Dask cluster (``dask``, at ``dask_address`` or local).
    Without ``instance``, an ephemeral instance is used (nothing persists), as with
    Dagster's ``materialize``. Returns a result with ``success``, ``run_id`` and
    ``output_for(key, partition)``; with ``raise_on_error=True`` a failed step raises.
    """
    defs = as_definitions(assets_or_defs, resources)
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
        materialized = _materialized(defs, keys, storage, now)
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


def _materialized(
    defs: Definitions, keys: Sequence[AssetKey], storage: SqlStorage, now: datetime
) -> MaterializedPartitions:
    """What is materialized of ``keys``: partitions as ranges (from the status kept as
    ranges), unpartitioned assets as ``[None]`` when materialized."""
    from assetgraph.status.partitions import partition_statuses

    partitioned = {
        key: pdef for key in keys if (pdef := defs.graph.partitions_def(key)) is not None
    }
    found: dict[AssetKey, Any] = {
        key: status.materialized
        for key, status in partition_statuses(partitioned, storage, now).items()
    }
    plain = [key.to_string() for key in keys if key not in partitioned]
    if plain:
        for name, done in storage.materialized_partitions(plain).items():
            found[AssetKey.from_user(name)] = done
    return found


def _refresh_partition_status(defs: Definitions, plan: ExecutionPlan, storage: SqlStorage) -> None:
    """Bring the range status of the run's partitioned assets up to date, so the next
    ``list`` or ``partitions status`` applies only what changed after this run. Never
    fails the run: status is brought up to date on the next read anyway."""
    from assetgraph.status.partitions import partition_statuses

    touched = {key for step in plan.steps if step.partition_keys for key in step.asset_keys}
    assets = {key: pdef for key in touched if (pdef := defs.graph.partitions_def(key))}
    try:
        partition_statuses(assets, storage, plan.current_time)
    except AssetgraphError as exc:
        logger.warning("Partition status not brought up to date after the run: %s", exc)


def execute_plan(
    defs: Definitions,
    plan: ExecutionPlan,
    *,
    instance: Instance,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    selection_text: str = "*",
    on_event: Callable[[EventRecord], None] | None = None,
    execution: ExecutionOptions | None = None,
) -> MaterializeResult:
    """Run ``plan`` as a new run: validate config, record the run, execute, record the end."""
    execution = execution or ExecutionOptions()
    configs = resolve_run_config(defs.graph, [s.assets_def for s in plan.steps], run_config)
    storage = instance.storage
    reconcile_runs(storage)  # frees leases and slots of runs that died
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
            tags=_run_tags(plan, tags, execution),
            run_config=dict(run_config or {}),
        )
    )

    def notify(events: list[EventRecord]) -> None:
        if on_event is not None:
            for event in events:
                on_event(event)

    def record(events: list[EventRecord]) -> None:
        storage.store_events(events)
        notify(events)

    record([EventRecord(run_id, EventType.RUN_START, started, message=f"{len(plan)} steps")])
    outcomes: dict[str, StepOutcome] = {}
    settings = CoordinatorSettings(
        pools={**pools_from_pyproject(), **defs.pools},
        default_retry=defs.retry_policy,
        no_wait=execution.no_wait,
    )
    coordinator: Coordinator | None = None
    interrupted: KeyboardInterrupt | None = None
    try:
        with (
            sigterm_interrupts(),
            RunHeartbeat(
                storage,
                run_id,
                settings.cancel,
                interrupt_main=execution.executor == "in_process",
            ),
            resources_for_run(defs.resources, run_id) as resources,
        ):
            env = StepEnvironment(
                run_id=run_id,
                graph=defs.graph,
                io_managers=io_managers,
                resources=resources,
                configs=configs,
                run_config=dict(run_config or {}),
                checks=defs.checks_by_asset,
            )
            launcher = make_launcher(
                execution.executor,
                env,
                lambda: make_payload(defs, run_id, instance.storage_dir, run_config or {}),
                workers=execution.workers,
                dask_address=execution.dask_address,
            )
            try:
                versions = RunDataVersions(defs.graph, plan, storage)
                coordinator = Coordinator(
                    plan, run_id, storage, launcher, versions, notify, settings
                )
                outcomes = coordinator.run()
                interrupted = coordinator.interrupted
            finally:
                launcher.close()
    except KeyboardInterrupt as exc:  # before or after the steps (the coordinator has its own)
        if not settings.cancel.is_set():
            interrupted = exc
    except BaseException as exc:
        aborted = f"run aborted: {type(exc).__name__}: {exc}"
        _finish(storage, run_id, RunStatus.FAILURE, aborted, record)
        raise
    status, error = _run_status(outcomes, settings, interrupted)
    _finish(storage, run_id, status, error, record)
    if interrupted is not None:
        free_run(storage, run_id)  # a step interrupted while it was being launched
        raise _interruption(run_id, plan, coordinator, interrupted)
    _refresh_partition_status(defs, plan, storage)
    auto_prune(storage)  # at most once a day, when ASSETGRAPH_RETENTION_DAYS is set
    return MaterializeResult(
        run_id=run_id,
        success=status is RunStatus.SUCCESS,
        plan=plan,
        outcomes=outcomes,
        graph=defs.graph,
        io_managers=io_managers,
        status=status.value,
        instance=instance,
    )


def _run_status(
    outcomes: Mapping[str, StepOutcome],
    settings: CoordinatorSettings,
    interrupted: KeyboardInterrupt | None,
) -> tuple[RunStatus, str | None]:
    """How a run that was not aborted ended, and why when not a success."""
    if interrupted is not None:
        return RunStatus.CANCELED, f"interrupted by {signal_name(interrupted)}"
    if settings.cancel.is_set():
        return RunStatus.CANCELED, "canceled on request"
    failed = [o.step_key for o in outcomes.values() if o.status == "failure"]
    if not failed:
        return RunStatus.SUCCESS, None
    error = f"{len(failed)} step(s) failed: {', '.join(failed[:20])}"
    if len(failed) > 20:
        error += f" and {len(failed) - 20} more"
    return RunStatus.FAILURE, error


def _interruption(
    run_id: str,
    plan: ExecutionPlan,
    coordinator: Coordinator | None,
    interrupted: KeyboardInterrupt,
) -> RunInterrupted:
    canceled = coordinator.canceled_running if coordinator is not None else 0
    waiting = coordinator.canceled_waiting if coordinator is not None else 0
    done = len(coordinator.outcomes) - canceled - waiting if coordinator is not None else 0
    not_started = len(plan) - done - canceled
    return RunInterrupted(run_id, signal_name(interrupted), done, canceled, not_started)


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
        run_tags[PARTITIONS_TAG] = plan.partitions.describe()
        run_tags[PARTITION_SELECTION_TAG] = plan.partitions.to_json()
    run_tags[TARGETS_TAG] = RunTargets.from_plan(plan).to_json()
    return run_tags


def _finish(
    storage: Any,
    run_id: str,
    status: RunStatus,
    error: str | None,
    record: Callable[[list[EventRecord]], None],
) -> None:
    ended = time.time()
    event_type = {
        RunStatus.SUCCESS: EventType.RUN_SUCCESS,
        RunStatus.CANCELED: EventType.RUN_CANCELED,
    }.get(status, EventType.RUN_FAILURE)
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
