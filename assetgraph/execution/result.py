"""The result of a run, as ``materialize`` returns it."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from assetgraph.errors import UsageError
from assetgraph.execution.step import StepOutcome
from assetgraph.graph import AssetGraph
from assetgraph.io import InputContext
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.planner import ExecutionPlan


class MaterializeResult:
    """What a run did: ``success``, ``run_id``, each step's outcome, and stored outputs."""

    def __init__(
        self,
        *,
        run_id: str,
        success: bool,
        plan: ExecutionPlan,
        outcomes: Mapping[str, StepOutcome],
        graph: AssetGraph,
        io_managers: Mapping[str, Any],
    ) -> None:
        self.run_id = run_id
        self.success = success
        self.plan = plan
        self.step_outcomes = dict(outcomes)
        self._graph = graph
        self._io_managers = io_managers
        self.asset_status: dict[AssetKey, str] = {}
        for step in plan.steps:
            status = self.step_outcomes[step.key].status if step.key in outcomes else "skipped"
            for key in step.asset_keys:
                self.asset_status[key] = status

    @property
    def failures(self) -> list[StepOutcome]:
        """Outcomes of the steps that failed."""
        return [o for o in self.step_outcomes.values() if o.status == "failure"]

    def status_for(self, key: CoercibleToAssetKey) -> str:
        """``success``, ``failure`` or ``skipped`` for an asset of this run."""
        asset_key = AssetKey.from_user(key)
        if asset_key not in self.asset_status:
            raise UsageError(f"Asset '{asset_key}' was not part of run {self.run_id}.")
        return self.asset_status[asset_key]

    def output_for(self, key: CoercibleToAssetKey, partition: str | None = None) -> Any:
        """Load the value this run stored for ``key`` through its IO manager."""
        asset_key = AssetKey.from_user(key)
        status = self.status_for(asset_key)
        if status != "success":
            raise UsageError(f"Asset '{asset_key}' was not materialized in this run ({status}).")
        spec = self._graph.spec(asset_key)
        context = InputContext(
            asset_key=asset_key,
            run_id=self.run_id,
            resources=SimpleNamespace(),
            metadata=spec.metadata,
            partition_key=partition,
        )
        return self._io_managers[spec.io_manager_key].load_input(context)

    def __repr__(self) -> str:
        state = "success" if self.success else "failure"
        return f"<MaterializeResult {self.run_id} {state}: {len(self.step_outcomes)} steps>"
