"""Which asset checks a run runs, and where: in their asset's step, or in a step of their own.

A run materializing an asset runs the asset's checks in its step (before anything is
stored); a selection may leave some out (``AssetSelection.without_checks()``): those are
the plan's ``skipped_checks``. A check selected without its asset (``all_asset_checks()``,
``checks_for_assets()``, ``checks()``) gets a check step of its own: it loads the asset's
latest stored value, as Dagster's checks-only runs do. One check step per ``@asset_check``
definition (a ``@multi_asset_check`` runs once for all the checks it reports).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime

from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.errors import UsageError
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey
from assetgraph.planning.planner import ExecutionPlan, Step


def plan_with_checks(
    plan: ExecutionPlan,
    graph: AssetGraph,
    checks_by_asset: Mapping[AssetKey, Sequence[AssetChecksDefinition]],
    selected: Collection[AssetCheckKey],
) -> ExecutionPlan:
    """``plan`` running exactly the ``selected`` checks: those of its assets in their
    steps, the others in check steps of their own (after the plan's steps)."""
    built = {key for key in plan.selected_keys if not graph.is_source(key)}
    known = {spec.key for defs in checks_by_asset.values() for d in defs for spec in d.specs}
    unknown = sorted(key.to_user_string() for key in selected if key not in known)
    if unknown:
        raise UsageError(
            f"Asset check(s) {', '.join(unknown)} were selected, but no @asset_check of the "
            "code location defines them."
        )
    skipped = frozenset(key for key in known if key.asset_key in built and key not in selected)
    alone = [key for key in selected if key.asset_key not in built]
    return plan.with_checks(check_steps(graph, checks_by_asset, alone), skipped)


def checks_only_plan(
    graph: AssetGraph,
    checks_by_asset: Mapping[AssetKey, Sequence[AssetChecksDefinition]],
    selected: Collection[AssetCheckKey],
    current_time: datetime | None = None,
) -> ExecutionPlan:
    """The plan of a run of the ``selected`` checks alone, no asset materialized."""
    empty = ExecutionPlan((), (), current_time or datetime.now(UTC))
    return plan_with_checks(empty, graph, checks_by_asset, selected)


def check_steps(
    graph: AssetGraph,
    checks_by_asset: Mapping[AssetKey, Sequence[AssetChecksDefinition]],
    keys: Collection[AssetCheckKey],
) -> list[Step]:
    """One step per check definition among ``keys``, in the order of the graph's assets."""
    wanted = set(keys)
    by_definition: dict[int, tuple[AssetChecksDefinition, list[AssetCheckKey]]] = {}
    for host in graph.toposort(checks_by_asset):
        for check in checks_by_asset[host]:
            mine = [spec.key for spec in check.specs if spec.key in wanted]
            if mine and id(check) not in by_definition:
                by_definition[id(check)] = (check, mine)
    steps: list[Step] = []
    for check, mine in by_definition.values():
        asset_key = mine[0].asset_key
        assets_def = graph.assets_def(asset_key)
        if assets_def.partitions_def is not None:
            raise UsageError(
                f"Asset check '{mine[0].to_user_string()}' checks the partitioned asset "
                f"'{asset_key}': its checks run only in the asset's steps; select the asset "
                "and its partitions too."
            )
        asset_keys = tuple(dict.fromkeys(key.asset_key for key in mine))
        step_key = mine[0].to_user_string() if len(mine) == 1 else check.check_key
        steps.append(Step(step_key, assets_def, asset_keys, (), checks=tuple(mine)))
    return steps
