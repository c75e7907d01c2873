"""The launchpad's checks and preview: a request (selection, partitions, run config) made
into the plan ``assetgraph materialize`` would run, with what a user must know first.

``plan_request`` plans the request as the CLI does (the same selection language and
partition options) and validates its run config against the planned assets' ``Config``
models, so every mistake is answered before anything starts. ``preview`` describes the
plan: steps and partitions per asset, the upstream partitions its steps read that are
neither materialized nor planned (``upstream_warnings``), the config fields the assets
take, and whether the launch needs a confirmation (``confirmation``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.planning.request import PartitionSelection
from assetgraph.ui.launchpad_models import (
    ConfigFieldOut,
    InFlightOut,
    LaunchpadIn,
    PlanAssetOut,
    PlanPreviewOut,
    UpstreamWarningOut,
)

if TYPE_CHECKING:
    from assetgraph.definitions.assets import AssetsDefinition
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.partitions.definitions import DynamicPartitionsStore
    from assetgraph.planning.planner import ExecutionPlan, PlannedAsset
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.sql_storage import SqlStorage

CONFIRM_STEPS = 100
"""A launch of more steps than this needs a confirmation."""
CONFIRM_PARTITIONS = 50
"""A launch of more partitions than this needs a confirmation."""
SHOWN_RANGES = 3
"""How many missing upstream ranges a warning lists."""
IN_FLIGHT_RUNS = 200
"""How many of the newest queued or started runs the preview compares with the plan."""


@dataclass(frozen=True)
class LaunchPlan:
    """A checked request: its plan, parsed run config, partition options, and what is
    materialized of the selected assets and their upstreams (read once, for both the
    plan's ``missing`` and the preview's warnings)."""

    plan: ExecutionPlan
    run_config: dict[str, Any] | None
    partitions: PartitionSelection
    selection: str
    materialized: Mapping[AssetKey, PartitionsSubset | Collection[str | None]]

    @property
    def steps(self) -> int:
        return len(self.plan)

    @property
    def partition_count(self) -> int:
        return sum(len(p.target) for p in self.plan.assets if p.target is not None)


def partition_options(request: LaunchpadIn) -> PartitionSelection:
    """The ``PartitionSelection`` of a request (the CLI's partition options)."""
    named = request.partition_range
    return PartitionSelection(
        keys=(request.partition,) if request.partition else (),
        ranges=(PartitionKeyRange(named.first.strip(), named.last.strip()),) if named else (),
        all_partitions=request.all_partitions,
        missing=request.missing,
        stale=request.stale,
    )


def plan_request(
    defs: Definitions, instance: Instance, request: LaunchpadIn, now: datetime
) -> LaunchPlan:
    """Plan ``request`` at ``now`` and validate its run config; an ``AssetgraphError`` that
    names the asset, partition or config field at fault when either is wrong."""
    from assetgraph.execution.materialize import plan_for_selection
    from assetgraph.execution.run_config import parse_run_config_text, resolve_run_config
    from assetgraph.selection import select_assets
    from assetgraph.status.partitions import materialized_by_asset

    selection = request.selection.strip()
    if not selection:
        raise UsageError("Write a selection: an asset key, '+key', 'group:NAME', or '*'.")
    if any(not name.strip() for name in request.tags):
        raise UsageError("A tag has an empty key: write tags as KEY=VALUE.")
    exclude = request.exclude.strip() if request.exclude else None
    partitions = partition_options(request)
    graph = defs.graph
    keys = select_assets(graph, selection, exclude)
    wanted = {parent for key in keys for parent in graph.parents(key)}
    wanted.update(keys if partitions.missing else ())
    materialized = materialized_by_asset(defs, list(wanted), instance.storage, now)
    plan = plan_for_selection(
        defs,
        selection,
        exclude,
        partitions,
        instance=instance,
        current_time=now,
        materialized=materialized,
    )
    run_config = None
    if request.run_config and request.run_config.strip():
        run_config = parse_run_config_text(request.run_config)
    resolve_run_config(graph, plan.assets_defs, run_config)
    return LaunchPlan(plan, run_config, partitions, selection, materialized)


def confirmation(steps: int, partitions: int) -> str | None:
    """Why a launch of this size needs a confirmation, or None."""
    if steps > CONFIRM_STEPS or partitions > CONFIRM_PARTITIONS:
        return (
            f"This launches {steps:,} steps over {partitions:,} partitions "
            f"(more than {CONFIRM_STEPS} steps or {CONFIRM_PARTITIONS} partitions)."
        )
    return None


def backfill_note(request: LaunchpadIn) -> str | None:
    """Why ``request`` cannot be stored as a backfill, or None when it can."""
    if request.stale:
        return (
            "A backfill takes a partition, a range, all partitions or the missing ones; "
            "not 'stale'."
        )
    if request.run_config and request.run_config.strip():
        return "A backfill's runs take no run config: launch one run instead, or clear the config."
    return None


def preview(
    defs: Definitions, storage: SqlStorage, launch: LaunchPlan, request: LaunchpadIn
) -> PlanPreviewOut:
    """What ``launch`` will do, and what to know before it starts."""
    plan = launch.plan
    assets = [
        PlanAssetOut(
            name=planned.assets_def.step_name,
            keys=[key.to_string() for key in planned.assets_def.keys],
            steps=planned.step_count,
            partitions=0 if planned.target is None else len(planned.target),
            first=None if planned.target is None else planned.target.first_key,
            last=None if planned.target is None else planned.target.last_key,
        )
        for planned in plan.assets
        if planned.step_count
    ]
    warnings = upstream_warnings(defs, plan, launch.materialized, storage)
    include = None
    if warnings:
        added = " ".join(dict.fromkeys(w.upstream for w in warnings))
        include = f"{launch.selection} {added}"
    fields = config_fields(plan.assets_defs)
    return PlanPreviewOut(
        selection=launch.selection,
        asset_keys=[key.to_string() for key in plan.selected_keys],
        assets=assets,
        steps=launch.steps,
        partitions=launch.partition_count,
        warnings=warnings,
        in_flight=in_flight_overlaps(storage, plan),
        include_upstream=include,
        config_fields=fields,
        config_template=config_template(fields),
        needs_confirmation=confirmation(launch.steps, launch.partition_count) is not None,
        confirm_reason=confirmation(launch.steps, launch.partition_count),
        backfill_note=backfill_note(request),
    )


def upstream_warnings(
    defs: Definitions,
    plan: ExecutionPlan,
    materialized: Mapping[AssetKey, PartitionsSubset | Collection[str | None]],
    store: DynamicPartitionsStore | None = None,
) -> list[UpstreamWarningOut]:
    """For each planned asset and upstream: the steps that read upstream partitions that
    are neither materialized nor built earlier in the plan (their step would fail).

    Works on partition ranges: the upstream partitions the asset's target reads (through
    the partition mapping), minus those materialized and those planned, mapped back to the
    target to count the steps that read them. Source assets are read as they are.
    ``materialized`` holds what is materialized of every upstream of the plan's assets;
    ``store`` holds the dynamic partition keys.
    """
    graph = defs.graph
    now = plan.current_time
    assert now is not None
    by_key: dict[AssetKey, PlannedAsset] = {
        key: planned for planned in plan.assets for key in planned.assets_def.keys
    }
    reads: list[tuple[PlannedAsset, AssetKey, AssetKey]] = []
    for planned in plan.assets:
        for key in planned.assets_def.keys:
            for parent in graph.parents(key):
                same = by_key.get(parent) is planned
                if not same and not graph.is_source(parent):
                    reads.append((planned, key, parent))
    warnings: dict[tuple[str, str], UpstreamWarningOut] = {}
    for planned, key, parent in reads:
        done = materialized.get(parent, ())
        found = _missing_reads(defs, planned, (key, parent), by_key.get(parent), done, now, store)
        if found is None:
            continue
        steps, missing, ranges, more = found
        name, upstream = planned.assets_def.step_name, parent.to_string()
        previous = warnings.get((name, upstream))
        if previous is not None and previous.steps >= steps:
            continue
        partitioned = graph.partitions_def(parent) is not None
        what = "partitions" if partitioned else "the unpartitioned asset"
        warnings[(name, upstream)] = UpstreamWarningOut(
            asset=name,
            upstream=upstream,
            steps=steps,
            missing_upstream=missing,
            missing_ranges=ranges,
            message=f"{steps:,} step{'s' if steps != 1 else ''} of '{name}' read {what} of "
            f"'{upstream}' that {'are' if missing != 1 else 'is'} not materialized "
            f"({_count_text(missing, ranges, more)}); include upstream?",
        )
    return list(warnings.values())


def _missing_reads(
    defs: Definitions,
    planned: PlannedAsset,
    edge: tuple[AssetKey, AssetKey],
    parent_planned: PlannedAsset | None,
    done: PartitionsSubset | Collection[str | None],
    now: datetime,
    store: DynamicPartitionsStore | None,
) -> tuple[int, int, list[str], bool] | None:
    """(steps that read missing partitions of ``parent``, missing upstream partitions, the
    first missing ranges, whether there are more), or None when nothing it reads is
    missing. ``edge`` is (the planned key, its upstream)."""
    key, parent = edge
    graph = defs.graph
    parent_def = graph.partitions_def(parent)
    if parent_def is None:
        if None in done or parent_planned is not None:
            return None
        return planned.step_count, 1, [], False
    assert isinstance(done, PartitionsSubset)
    child_def = planned.assets_def.partitions_def
    mapping = graph.partition_mapping(key, parent)
    try:
        if planned.target is None or child_def is None or mapping is None:
            needed = PartitionsSubset.all(parent_def, now, store)
        else:
            needed = mapping.upstream_subset(child_def, planned.target, parent_def, now, store)
        missing = needed - done
        if parent_planned is not None and parent_planned.target is not None:
            missing = missing - parent_planned.target
        if not missing:
            return None
        ranges = [str(r) if r.start != r.end else r.start for r in missing.ranges()]
        shown, more = ranges[:SHOWN_RANGES], len(ranges) > SHOWN_RANGES
        if planned.target is None or child_def is None:
            return planned.step_count, len(missing), shown, more
        if mapping is None:
            affected = planned.target
        else:
            affected = mapping.downstream_subset(parent_def, missing, child_def, now, store)
            affected = affected & planned.target
    except UsageError:
        return None  # the plan itself reports mapping problems
    steps = sum(1 for _ in planned.chunks_within(affected)) if affected else 0
    return (steps, len(missing), shown, more) if steps else None


def in_flight_overlaps(storage: SqlStorage, plan: ExecutionPlan) -> list[InFlightOut]:
    """The queued or started runs (the newest ``IN_FLIGHT_RUNS``) that build some of the
    partitions ``plan`` builds, read from the targets each run recorded."""
    from assetgraph.errors import StorageError
    from assetgraph.planning.targets import recorded_targets
    from assetgraph.storage.records import RunStatus

    by_name = {key.to_string(): p for p in plan.assets for key in p.assets_def.keys}
    found: list[InFlightOut] = []
    runs = storage.list_runs(IN_FLIGHT_RUNS, statuses=[RunStatus.QUEUED, RunStatus.STARTED])
    for run in runs:
        try:
            targets = recorded_targets(run)
        except StorageError:
            continue  # written by a newer assetgraph
        if targets is None:
            continue
        counts: dict[str, int] = {}
        for name, ranges in targets.assets.items():
            planned = by_name.get(name)
            if planned is None:
                continue
            if planned.target is None or ranges is None:
                counts[name] = 1 if planned.target is None and ranges is None else 0
                continue
            covered = _subset_of(planned.target, ranges, plan.current_time, storage)
            counts[name] = len(planned.target & covered)
        counts = {name: count for name, count in counts.items() if count}
        if counts:
            what = ", ".join(f"{name} {count:,}" for name, count in counts.items())
            found.append(
                InFlightOut(
                    run_id=run.run_id,
                    status=run.status.value,
                    partitions=counts,
                    message=f"Run {run.run_id[:8]} ({run.status.value}) already builds "
                    f"{sum(counts.values()):,} of these partitions ({what}).",
                )
            )
    return found


def _subset_of(
    like: PartitionsSubset,
    ranges: tuple[PartitionKeyRange, ...],
    now: datetime | None,
    storage: SqlStorage,
) -> PartitionsSubset:
    """The partitions of ``ranges`` in the definition of ``like`` (keys it lacks dropped)."""
    pdef = like.partitions_def
    found = PartitionsSubset.empty(pdef)
    for key_range in ranges:
        try:
            found = found | pdef.subset_for_range(key_range, now, storage)
        except UsageError:
            continue
    return found


def _count_text(missing: int, ranges: list[str], more: bool) -> str:
    if not ranges:
        return "never materialized"
    return f"{missing:,} missing: {', '.join(ranges)}" + (", ..." if more else "")


def config_fields(assets_defs: list[AssetsDefinition]) -> list[ConfigFieldOut]:
    """The fields of the ``Config`` model of each planned asset that takes one."""
    from pydantic_core import PydanticUndefined

    found: list[ConfigFieldOut] = []
    for assets_def in assets_defs:
        if assets_def.config_param is None:
            continue
        model = assets_def.config_param[1]
        for name, field in getattr(model, "model_fields", {}).items():
            default = None if field.default is PydanticUndefined else field.default
            found.append(
                ConfigFieldOut(
                    asset=assets_def.name,
                    field=name,
                    type=_type_name(field.annotation),
                    required=field.is_required(),
                    default=_json_ready(default),
                    description=field.description,
                )
            )
    return found


def config_template(fields: list[ConfigFieldOut]) -> str | None:
    """Run config in YAML with every field at its default (required ones empty)."""
    if not fields:
        return None
    import yaml

    by_asset: dict[str, dict[str, Any]] = {}
    for field in fields:
        by_asset.setdefault(field.asset, {})[field.field] = field.default
    return str(yaml.safe_dump(by_asset, sort_keys=False, default_flow_style=False))


def _type_name(annotation: Any) -> str:
    name = getattr(annotation, "__name__", None)
    return name if isinstance(name, str) and "[" not in repr(annotation) else repr(annotation)


def _json_ready(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


def run_targets(plan: ExecutionPlan) -> dict[str, list[str]]:
    """What ``plan`` builds as an automation request's targets: asset -> ``key`` /
    ``first...last`` texts (empty: unpartitioned), the selected keys of each definition."""
    from assetgraph.automation.state import subset_to_json

    selected = set(plan.selected_keys)
    targets: dict[str, list[str]] = {}
    for planned in plan.assets:
        keys = [k for k in planned.assets_def.keys if k in selected] or planned.assets_def.keys
        for key in keys:
            subset = planned.target
            targets[key.to_string()] = [] if subset is None else subset_to_json(subset)
    return targets
