"""The result of an op job's run (Dagster's ``ExecuteInProcessResult`` for jobs of ops).

Outputs stay in memory, held by the result: ``output_for_node("op")`` (or ``"graph.op"``,
or a graph node's output) and ``output_value()`` (the job graph's own output). A dynamic
output, or the output of a mapped op, is a dict by mapping key, as in Dagster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assetgraph.definitions.asset_observation import AssetObservation
from assetgraph.definitions.op_events import AssetMaterialization
from assetgraph.definitions.op_plan import Collect, InputSource, Source
from assetgraph.definitions.outputs import DEFAULT_OUTPUT_NAME
from assetgraph.errors import UsageError, did_you_mean
from assetgraph.execution.op_step import OpStepResult
from assetgraph.execution.result import (
    AssetMaterialization as RecordedMaterialization,
    ExecuteInProcessResult,
    MaterializationEvent,
    ObservationEvent,
)
from assetgraph.storage.event_entries import DagsterEventType
from assetgraph.storage.records import StepStatus

_KINDS = {
    "AssetMaterialization": DagsterEventType.ASSET_MATERIALIZATION,
    "ExpectationResult": DagsterEventType.STEP_EXPECTATION_RESULT,
    "AssetObservation": DagsterEventType.ASSET_OBSERVATION,
}


@dataclass(frozen=True)
class OpEvent:
    """One event of an op's step, as ``events_for_node`` lists them."""

    event_type: DagsterEventType
    step_key: str
    event_specific_data: Any = None

    @property
    def event_type_value(self) -> str:
        return self.event_type.value


class OpJobResult(ExecuteInProcessResult):
    """What a run of an op job did: ``success``, ``run_id``, and each op's outputs."""

    def __init__(  # an op job has no asset plan: the asset result's fields are not used
        self,
        *,
        run_id: str,
        job_name: str,
        success: bool,
        status: str,
        steps: Mapping[str, OpStepResult],
        values: Mapping[tuple[str, str], Any],
        dynamic: Mapping[tuple[str, str], Mapping[str, Any]],
        graph_outputs: Mapping[str, Mapping[str, InputSource]],
        job_outputs: Mapping[str, InputSource],
        instance: Any,
    ) -> None:
        self.run_id = run_id
        self.job_name = job_name
        self.success = success
        self.status = status
        self.instance = instance
        self.op_steps = dict(steps)
        self._values = dict(values)
        self._dynamic = {k: dict(v) for k, v in dynamic.items()}
        self._graph_outputs = graph_outputs
        self._job_outputs = job_outputs
        self.step_outcomes = {}
        self.partition_status = {}
        self.asset_status = {}

    @property
    def failures(self) -> list[Any]:
        """The steps that failed (each with ``step_key`` and ``error``)."""
        return [s for s in self.op_steps.values() if s.status is StepStatus.FAILURE]

    def output_for_node(self, node_str: str, output_name: str = DEFAULT_OUTPUT_NAME) -> Any:
        """The value of output ``output_name`` of node ``node_str`` (``op``, ``graph.op``,
        or a graph); a dict by mapping key for a dynamic or mapped output."""
        if node_str in self._graph_outputs:
            outputs = self._graph_outputs[node_str]
            if output_name not in outputs:
                raise UsageError(
                    f"Node '{node_str}' has no output '{output_name}' (outputs: "
                    f"{', '.join(outputs) or 'none'})."
                )
            return self._value_of(outputs[output_name], node_str)
        return self._value_of(Source(node_str, output_name), node_str)

    def output_value(self, output_name: str = DEFAULT_OUTPUT_NAME) -> Any:
        """The value of the job graph's output ``output_name``."""
        if output_name not in self._job_outputs:
            raise UsageError(
                f"Job '{self.job_name}' has no output '{output_name}' (outputs: "
                f"{', '.join(self._job_outputs) or 'none'})."
            )
        return self._value_of(self._job_outputs[output_name], self.job_name)

    def _value_of(self, source: InputSource, node: str) -> Any:
        if isinstance(source, Collect):
            source = source.source
        if not isinstance(source, Source):
            raise UsageError(f"Node '{node}' passes through a job input; it has no output.")
        key = (source.handle, source.output)
        if key in self._dynamic:
            return dict(self._dynamic[key])
        if key in self._values:
            return self._values[key]
        handles = sorted({h for h, _ in (*self._values, *self._dynamic)})
        ran = {s.step_key.split("[", 1)[0] for s in self.op_steps.values()}
        if source.handle in ran:
            raise UsageError(
                f"Output '{source.output}' of node '{node}' was not produced in run "
                f"{self.run_id} (the op failed, was skipped, or did not yield it)."
            )
        raise UsageError(
            f"Node '{node}' was not part of run {self.run_id}." + did_you_mean(node, handles)
        )

    def events_for_node(self, node_name: str) -> list[OpEvent]:
        """The events of node ``node_name``'s steps: start, user events, outputs, end."""
        found: list[OpEvent] = []
        for step in self._steps_of(node_name):
            if step.status is StepStatus.SKIPPED:
                found.append(OpEvent(DagsterEventType.STEP_SKIPPED, step.step_key))
                continue
            found.append(OpEvent(DagsterEventType.STEP_START, step.step_key))
            for event in step.user_events:
                kind = _KINDS[type(event).__name__]
                found.append(OpEvent(kind, step.step_key, _specific(event)))
            for name in [*step.outputs, *step.dynamic]:
                found.append(OpEvent(DagsterEventType.STEP_OUTPUT, step.step_key, name))
                found.append(OpEvent(DagsterEventType.HANDLED_OUTPUT, step.step_key, name))
            ended = (
                DagsterEventType.STEP_SUCCESS
                if step.status is StepStatus.SUCCESS
                else DagsterEventType.STEP_FAILURE
            )
            found.append(OpEvent(ended, step.step_key, step.error))
        return found

    def _steps_of(self, node_name: str) -> list[OpStepResult]:
        return [
            s
            for s in self.op_steps.values()
            if (handle := s.step_key.split("[", 1)[0]) == node_name
            or handle.startswith(f"{node_name}.")
        ]

    def asset_materializations_for_node(self, node_name: str) -> list[AssetMaterialization]:  # type: ignore[override]
        """The ``AssetMaterialization``s node ``node_name`` yielded or logged."""
        return [
            event
            for step in self._steps_of(node_name)
            for event in step.user_events
            if isinstance(event, AssetMaterialization)
        ]

    def get_asset_materialization_events(self) -> list[MaterializationEvent]:
        """Every materialization the run's ops recorded, in step order."""
        found = []
        for step in self.op_steps.values():
            for event in step.user_events:
                if isinstance(event, AssetMaterialization):
                    recorded = RecordedMaterialization(
                        asset_key=event.asset_key,
                        partition=event.partition,
                        metadata=dict(event.metadata),
                        data_version=None,
                        tags=dict(event.tags),
                    )
                    found.append(MaterializationEvent(step.step_key, recorded))
        return found

    def asset_observations_for_node(self, node_name: str) -> list[AssetObservation]:
        """The ``AssetObservation``s node ``node_name`` yielded or logged."""
        return [
            event
            for step in self._steps_of(node_name)
            for event in step.user_events
            if isinstance(event, AssetObservation)
        ]

    def get_asset_observation_events(self) -> list[ObservationEvent]:
        """The ``AssetObservation``s the run's ops recorded, in step order."""
        return [
            ObservationEvent(step.step_key, event)
            for step in self.op_steps.values()
            for event in step.user_events
            if isinstance(event, AssetObservation)
        ]

    def get_step_success_events(self) -> list[OpEvent]:
        return [
            OpEvent(DagsterEventType.STEP_SUCCESS, s.step_key)
            for s in self.op_steps.values()
            if s.status is StepStatus.SUCCESS
        ]

    def get_step_failure_events(self) -> list[OpEvent]:
        return [
            OpEvent(DagsterEventType.STEP_FAILURE, s.step_key, s.error)
            for s in self.op_steps.values()
            if s.status is StepStatus.FAILURE
        ]

    def get_step_skipped_events(self) -> list[OpEvent]:  # type: ignore[override]
        return [
            OpEvent(DagsterEventType.STEP_SKIPPED, s.step_key)
            for s in self.op_steps.values()
            if s.status is StepStatus.SKIPPED
        ]

    def output_for(self, key: Any, partition: str | None = None) -> Any:
        raise UsageError(
            f"Run {self.run_id} ran op job '{self.job_name}', which stores no assets: use "
            "result.output_for_node('op_name')."
        )

    def __repr__(self) -> str:
        steps = len(self.op_steps)
        return f"<OpJobResult {self.job_name} {self.run_id} {self.status}: {steps} steps>"


@dataclass(frozen=True)
class _Materialization:
    materialization: AssetMaterialization


@dataclass(frozen=True)
class _Expectation:
    expectation_result: Any


def _specific(event: Any) -> Any:
    if isinstance(event, AssetMaterialization):
        return _Materialization(event)
    return _Expectation(event)
