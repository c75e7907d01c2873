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
from assetgraph.planning.planner import ExecutionPlan


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
        status: str | None = None,
        instance: Any = None,
    ) -> None:
        self.run_id = run_id
        self.success = success
        self.status = status or ("success" if success else "failure")
        # Held so that an ephemeral instance (and its stored values) lives as long as this.
        self.instance = instance
        self.plan = plan
        self.step_outcomes = dict(outcomes)
        self._graph = graph
        self._io_managers = io_managers
        self.partition_status: dict[tuple[AssetKey, str | None], str] = {}
        self.asset_status: dict[AssetKey, str] = {}
        for step in plan.steps:
            status = self.step_outcomes[step.key].status if step.key in outcomes else "skipped"
            for key in step.asset_keys:
                for partition in step.partition_keys or (None,):
                    self.partition_status[(key, partition)] = status
                previous = self.asset_status.get(key)
                self.asset_status[key] = _worst(previous, status)

    @property
    def failures(self) -> list[StepOutcome]:
        """Outcomes of the steps that failed."""
        return [o for o in self.step_outcomes.values() if o.status == "failure"]

    def status_for(self, key: CoercibleToAssetKey, partition: str | None = None) -> str:
        """``success``, ``failure`` or ``skipped`` for an asset (or one partition) of this run.

        For a partitioned asset without ``partition``: the worst status of its partitions.
        """
        asset_key = AssetKey.from_user(key)
        if asset_key not in self.asset_status:
            raise UsageError(f"Asset '{asset_key}' was not part of run {self.run_id}.")
        if partition is None:
            return self.asset_status[asset_key]
        status = self.partition_status.get((asset_key, partition))
        if status is None:
            raise UsageError(
                f"Partition '{partition}' of asset '{asset_key}' was not part of run {self.run_id}."
            )
        return status

    def output_for(self, key: CoercibleToAssetKey, partition: str | None = None) -> Any:
        """Load the value this run stored for ``key`` (and ``partition``) through its IO manager.

        For a partitioned asset without ``partition``, every partition this run stored is
        loaded together (as the IO manager combines several partitions).
        """
        asset_key = AssetKey.from_user(key)
        status = self.status_for(asset_key, partition)
        if status != "success":
            what = f"Partition '{partition}' of asset" if partition else "Asset"
            raise UsageError(f"{what} '{asset_key}' was not materialized in this run ({status}).")
        spec = self._graph.spec(asset_key)
        partitions: tuple[str, ...] = ()
        if partition is not None:
            partitions = (partition,)
        elif self._graph.partitions_def(asset_key) is not None:
            partitions = tuple(self.materialized_partitions.get(asset_key, ()))
        context = InputContext(
            asset_key=asset_key,
            run_id=self.run_id,
            resources=SimpleNamespace(),
            metadata=spec.metadata,
            partition_keys=partitions,
        )
        return self._io_managers[spec.io_manager_key].load_input(context)

    @property
    def materialized_partitions(self) -> dict[AssetKey, list[str]]:
        """Asset key -> the partitions this run materialized, in plan order."""
        found: dict[AssetKey, list[str]] = {}
        for (key, partition), status in self.partition_status.items():
            if status == "success" and partition is not None:
                found.setdefault(key, []).append(partition)
        return found

    def __repr__(self) -> str:
        state = "success" if self.success else "failure"
        return f"<MaterializeResult {self.run_id} {state}: {len(self.step_outcomes)} steps>"


_SEVERITY = {"success": 0, "skipped": 1, "failure": 2}


def _worst(previous: str | None, status: str) -> str:
    if previous is None or _SEVERITY[status] > _SEVERITY[previous]:
        return status
    return previous
