"""The planner: a selection of assets -> an execution plan of steps in dependency order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assetgraph.assets import AssetsDefinition
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey


@dataclass(frozen=True, slots=True)
class Step:
    """One unit of work: run one asset function (for one partition, once partitioned)."""

    key: str
    assets_def: AssetsDefinition
    asset_keys: tuple[AssetKey, ...]
    upstream_steps: tuple[str, ...]
    partition_key: str | None = None


@dataclass(frozen=True, slots=True)
class ExecutionPlan:
    """The steps of a run, topologically ordered; computed before anything runs."""

    steps: tuple[Step, ...]
    selected_keys: tuple[AssetKey, ...]

    @property
    def step_keys(self) -> list[str]:
        return [step.key for step in self.steps]

    def __len__(self) -> int:
        return len(self.steps)


def build_plan(graph: AssetGraph, selected: Iterable[AssetKey]) -> ExecutionPlan:
    """One step per asset definition with a selected key, each after its upstream steps.

    A multi-asset runs as one step that materializes all of its outputs.
    """
    selected_keys = graph.toposort(selected)
    step_of_key: dict[AssetKey, str] = {}
    ordered_defs: list[AssetsDefinition] = []
    seen: set[int] = set()
    for key in selected_keys:
        assets_def = graph.assets_def(key)
        if id(assets_def) not in seen:
            seen.add(id(assets_def))
            ordered_defs.append(assets_def)
        step_of_key[key] = assets_def.step_name
    for assets_def in ordered_defs:
        for key in assets_def.keys:
            step_of_key[key] = assets_def.step_name
    steps: list[Step] = []
    for assets_def in ordered_defs:
        upstream: dict[str, None] = {}
        for key in assets_def.keys:
            for parent in graph.parents(key):
                parent_step = step_of_key.get(parent)
                if parent_step is not None and parent_step != assets_def.step_name:
                    upstream[parent_step] = None
        steps.append(
            Step(
                key=assets_def.step_name,
                assets_def=assets_def,
                asset_keys=assets_def.keys,
                upstream_steps=tuple(upstream),
            )
        )
    return ExecutionPlan(steps=tuple(steps), selected_keys=tuple(selected_keys))
