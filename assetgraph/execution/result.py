"""The result of a run, as ``materialize`` returns it (Dagster's ``ExecuteInProcessResult``).

Dagster's ``MaterializeResult`` is something else: what an asset returns when it stored
its data itself (``assetgraph.definitions.outputs``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from assetgraph.definitions.asset_observation import AssetObservation
from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.checks import AssetCheckSeverity
from assetgraph.definitions.metadata import MetadataValue, metadata_from_stored
from assetgraph.definitions.outputs import DEFAULT_OUTPUT_NAME
from assetgraph.errors import UsageError
from assetgraph.execution.step import StepOutcome, stored_annotation
from assetgraph.graph import AssetGraph
from assetgraph.io import InputContext
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.planning.planner import ExecutionPlan
from assetgraph.storage.event_entries import DagsterEvent, DagsterEventType
from assetgraph.storage.events import Observed, RuntimeObservation
from assetgraph.storage.records import EventType


@dataclass(frozen=True, slots=True)
class AssetMaterialization:
    """One recorded materialization of a run: the asset, its partition, typed metadata."""

    asset_key: AssetKey
    partition: str | None
    metadata: Mapping[str, MetadataValue]
    data_version: str | None
    tags: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ObservationEvent:
    """Dagster's ``DagsterEvent`` of an ``AssetObservation``, as far as tests read one."""

    step_key: str | None
    asset_observation: AssetObservation
    event_type_value: str = "ASSET_OBSERVATION"

    @property
    def asset_key(self) -> AssetKey:
        return self.asset_observation.asset_key

    @property
    def partition(self) -> str | None:
        return self.asset_observation.partition


@dataclass(frozen=True, slots=True)
class MaterializationEvent:
    """Dagster's ``DagsterEvent`` of a materialization, as far as tests read one."""

    step_key: str | None
    materialization: AssetMaterialization
    event_type_value: str = "ASSET_MATERIALIZATION"

    @property
    def asset_key(self) -> AssetKey:
        return self.materialization.asset_key

    @property
    def partition(self) -> str | None:
        return self.materialization.partition


@dataclass(frozen=True, slots=True)
class AssetCheckEvaluation:
    """One recorded check result of a run, as Dagster's ``get_asset_check_evaluations``."""

    asset_key: AssetKey
    check_name: str
    passed: bool
    severity: AssetCheckSeverity
    metadata: Mapping[str, MetadataValue]
    description: str | None
    partition: str | None

    @property
    def asset_check_key(self) -> AssetCheckKey:
        """Dagster's name for the check this result is for."""
        return AssetCheckKey(self.asset_key, self.check_name)


class ExecuteInProcessResult:
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
        loaded together (as the IO manager combines several partitions). The asset's return
        annotation is the input annotation the IO manager sees (a polars frame for
        ``-> polars.DataFrame``).
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
            partitions_def=self._graph.partitions_def(asset_key),
            annotation=stored_annotation(self._graph, asset_key),
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

    def output_for_node(self, node_str: str, output_name: str = DEFAULT_OUTPUT_NAME) -> Any:
        """Dagster's spelling: the value of output ``output_name`` of node ``node_str``.

        A node is an asset's step (its key as ``a__b`` or ``a/b``) or a multi-asset's
        name; ``output_name`` picks one of a multi-asset's outs.
        """
        return self.output_for(self._key_of_node(node_str, output_name))

    def asset_materializations_for_node(self, node_name: str) -> list[AssetMaterialization]:
        """The materializations recorded by node ``node_name`` (see ``output_for_node``)."""
        keys = set(self._keys_of_node(node_name))
        return [m for m in self.get_asset_materializations() if m.asset_key in keys]

    def get_asset_materializations(self) -> list[AssetMaterialization]:
        """Every materialization this run recorded, in step order."""
        return [event.materialization for event in self.get_asset_materialization_events()]

    def get_asset_materialization_events(self) -> list[MaterializationEvent]:
        """Dagster's method: the run's materialization events (``asset_key``,
        ``partition``, ``materialization``), in step order."""
        found = []
        for event in self._events():
            if event.event_type != EventType.ASSET_MATERIALIZATION or event.asset_key is None:
                continue
            payload = event.payload
            materialization = AssetMaterialization(
                asset_key=AssetKey.from_user(event.asset_key),
                partition=event.partition_key,
                metadata=metadata_from_stored(payload.get("metadata")),
                data_version=payload.get("data_version"),
                tags=dict(payload.get("tags") or {}),
            )
            found.append(MaterializationEvent(event.step_key, materialization))
        return found

    def asset_observations_for_node(self, node_name: str) -> list[AssetObservation]:
        """The ``AssetObservation``s node ``node_name`` yielded or logged, in order."""
        self._keys_of_node(node_name)  # raises when the node was not part of the run
        step_name = next(d.step_name for d in self.plan.assets_defs if node_name in _node_names(d))
        return [
            event.asset_observation
            for event in self.get_asset_observation_events()
            if event.step_key is not None
            and (event.step_key == step_name or event.step_key.startswith(f"{step_name}["))
        ]

    # -- the run, as Dagster's run status sensors see it -----------------------------------

    @property
    def dagster_run(self) -> Any:
        """This run as Dagster's ``DagsterRun`` (``run_id``, ``job_name``, ``status``,
        ``tags``), read from the instance."""
        from assetgraph.storage.dagster_runs import dagster_run

        record = self.instance.storage.get_run(self.run_id) if self.instance else None
        if record is None:
            raise UsageError(f"Run {self.run_id} is not in the result's instance.")
        return dagster_run(record)

    def get_job_success_event(self) -> Any:
        """The event that ended this run successfully (``event_type_value``
        ``"PIPELINE_SUCCESS"``); an error when the run did not succeed."""
        return self._run_end_event(EventType.RUN_SUCCESS, "succeed")

    def get_job_failure_event(self) -> Any:
        """The event that ended this run in failure (``message`` says what failed); an
        error when the run did not fail."""
        return self._run_end_event(EventType.RUN_FAILURE, "fail")

    def _run_end_event(self, kind: EventType, verb: str) -> Any:
        from assetgraph.storage.event_entries import entry_of

        events = self.instance.storage.events_for_run(self.run_id, [kind]) if self.instance else []
        if not events:
            raise UsageError(f"Run {self.run_id} did not {verb}: it has no {kind.value} event.")
        return entry_of(events[-1]).dagster_event

    def get_asset_observation_events(self) -> list[ObservationEvent]:
        """Dagster's method: the ``AssetObservation``s this run recorded (``asset_key``,
        ``partition``, ``asset_observation``), in step order: those user code logged, and
        the data versions its observable source assets returned (tag
        ``dagster/data_version``)."""
        found = []
        for event in self._events():
            if event.asset_key is None:
                continue
            if event.event_type == EventType.ASSET_OBSERVATION:
                observed = Observed.from_payload(event.payload)
                version = {"dagster/data_version": str(observed.data_version)}
                seen = AssetObservation(
                    asset_key=event.asset_key,
                    metadata=metadata_from_stored(observed.metadata),
                    partition=event.partition_key,
                    tags=version if observed.data_version is not None else {},
                )
                found.append(ObservationEvent(event.step_key, seen))
            if event.event_type != EventType.RUNTIME_OBSERVATION:
                continue
            body = RuntimeObservation.from_payload(event.payload)
            observation = AssetObservation(
                asset_key=event.asset_key,
                description=body.description,
                metadata=metadata_from_stored(body.metadata),
                partition=event.partition_key,
                tags=body.tags,
            )
            found.append(ObservationEvent(event.step_key, observation))
        return found

    def get_step_skipped_events(self) -> list[DagsterEvent]:
        """Dagster's method: a ``STEP_SKIPPED`` event for each step this run did not run
        because an upstream step failed, was skipped, or left out an optional output."""
        found = []
        for event in self._events():
            if event.event_type != EventType.STEP_SKIPPED:
                continue
            key = AssetKey.from_user(event.asset_key) if event.asset_key else None
            found.append(
                DagsterEvent(
                    event_type_value=DagsterEventType.STEP_SKIPPED.value,
                    asset_key=key,
                    partition=event.partition_key,
                    step_key=event.step_key,
                    message=event.message,
                )
            )
        return found

    def get_asset_check_evaluations(self) -> list[AssetCheckEvaluation]:
        """Every asset check result this run recorded (Dagster's method of that name)."""
        found = []
        for event in self._events():
            if event.event_type != EventType.ASSET_CHECK_EVALUATION or event.asset_key is None:
                continue
            payload = event.payload
            found.append(
                AssetCheckEvaluation(
                    asset_key=AssetKey.from_user(event.asset_key),
                    check_name=str(payload.get("check_name")),
                    passed=bool(payload.get("passed")),
                    severity=AssetCheckSeverity(payload.get("severity") or "ERROR"),
                    metadata=metadata_from_stored(payload.get("metadata")),
                    description=payload.get("description"),
                    partition=event.partition_key,
                )
            )
        return found

    def _events(self) -> list[Any]:
        """The run's events, in step order (each step's as it recorded them)."""
        return [event for outcome in self.step_outcomes.values() for event in outcome.events]

    def _keys_of_node(self, node: str) -> list[AssetKey]:
        for assets_def in self.plan.assets_defs:
            if node in _node_names(assets_def):
                return list(assets_def.keys)
        raise UsageError(f"Node '{node}' was not part of run {self.run_id}.")

    def _key_of_node(self, node: str, output_name: str) -> AssetKey:
        keys = self._keys_of_node(node)
        if len(keys) == 1 and output_name == DEFAULT_OUTPUT_NAME:
            return keys[0]
        for key in keys:
            spec = self._graph.spec(key)
            if spec.output_name == output_name:
                return key
        raise UsageError(f"Node '{node}' has no output '{output_name}'.")

    def __repr__(self) -> str:
        state = "success" if self.success else "failure"
        return f"<ExecuteInProcessResult {self.run_id} {state}: {len(self.step_outcomes)} steps>"


_SEVERITY = {"success": 0, "skipped": 1, "failure": 2}


def _worst(previous: str | None, status: str) -> str:
    if previous is None or _SEVERITY[status] > _SEVERITY[previous]:
        return status
    return previous


def _node_names(assets_def: Any) -> set[str]:
    """The names a node (an asset's step) answers to: its name, step name, and keys as
    ``a__b``."""
    names = {assets_def.name, assets_def.step_name}
    return names | {key.to_string().replace("/", "__") for key in assets_def.keys}
