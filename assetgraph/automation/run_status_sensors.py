"""``@run_status_sensor`` and ``@run_failure_sensor``: sensors on runs reaching a status.

At each evaluation the sensor reads the runs that reached ``run_status`` since its cursor
(the end time of the last run it handled) and calls its function once per run, oldest
first, with a context holding ``dagster_run`` (``job_name``, ``run_id``, ``status``,
``tags``). A sensor evaluated for the first time starts after the runs already finished,
as in Dagster. ``monitored_jobs`` limits it to runs of those jobs (default: every run of
the code location; a run of no job counts as the job ``__ASSET_JOB``); its ``RunRequest``
objects run ``request_job``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assetgraph.automation.job_targets import job_name_of
from assetgraph.automation.requests import Requested, RunRequest, SkipReason, collect
from assetgraph.automation.schedules import call_with_context, check_name
from assetgraph.automation.sensors import SensorDefinition, SensorEvaluationContext
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.errors import DefinitionError
from assetgraph.storage.dagster_runs import STORED_STATUS, DagsterRun, DagsterRunStatus, dagster_run

RUNS_READ = 200
"""At most this many newly finished runs are handled per evaluation (the rest next time)."""


_FINISHED = (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED)
_EVENT_TYPE_VALUES = {
    DagsterRunStatus.SUCCESS: "PIPELINE_SUCCESS",
    DagsterRunStatus.FAILURE: "PIPELINE_FAILURE",
    DagsterRunStatus.CANCELED: "PIPELINE_CANCELED",
}
"""Dagster's ``DagsterEventType`` value of the event that ends a run with each status."""


@dataclass(frozen=True, slots=True)
class RunStatusEvent:
    """The event that ended a run (Dagster's ``DagsterEvent``: its type and message)."""

    event_type_value: str
    message: str | None = None


class RunStatusSensorContext:
    """What a run status sensor's function sees for one run."""

    def __init__(
        self,
        sensor_name: str,
        dagster_run: DagsterRun,
        dagster_event: RunStatusEvent,
        instance: Any,
        sensor_context: SensorEvaluationContext | None = None,
    ) -> None:
        self.sensor_name = sensor_name
        self.dagster_run = dagster_run
        self.dagster_event = dagster_event
        self.instance = instance
        self.sensor_context = sensor_context

    @property
    def log(self) -> logging.Logger:
        return logging.getLogger(f"assetgraph.sensors.{self.sensor_name}")

    @property
    def resources(self) -> Any:
        """The code location's resources (those of the sensor's evaluation)."""
        return getattr(self.sensor_context, "resources", None)

    @property
    def resource_names(self) -> frozenset[str]:
        return frozenset(getattr(self.sensor_context, "resource_names", ()))

    def for_run_failure(self) -> RunFailureSensorContext:
        """This context as a run failure sensor's (Dagster's helper, for tests)."""
        return RunFailureSensorContext(
            self.sensor_name,
            self.dagster_run,
            self.dagster_event,
            self.instance,
            self.sensor_context,
        )

    @property
    def partition_key(self) -> str | None:
        tags = self.dagster_run.tags
        return tags.get("dagster/partition") or tags.get("assetgraph/partition")


class RunFailureSensorContext(RunStatusSensorContext):
    """The context of a run failure sensor: ``failure_event.message`` says what failed."""

    @property
    def failure_event(self) -> RunStatusEvent:
        return self.dagster_event


class RunStatusSensorDefinition(SensorDefinition):
    """A sensor on runs reaching ``run_status``; see the module docstring."""

    def __init__(
        self,
        name: str,
        run_status: DagsterRunStatus,
        run_status_sensor_fn: Callable[..., Any],
        *,
        minimum_interval_seconds: float | None = None,
        description: str | None = None,
        monitored_jobs: Sequence[Any] | None = None,
        monitor_all_code_locations: bool | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        request_job: Any = None,
        request_jobs: Sequence[Any] | None = None,
        failure: bool = False,
    ) -> None:
        if not isinstance(run_status, DagsterRunStatus):
            raise DefinitionError(
                f"Run status sensor '{name}': run_status must be a DagsterRunStatus, got "
                f"{run_status!r}."
            )
        if run_status not in _FINISHED:
            raise DefinitionError(
                f"Run status sensor '{name}': assetgraph watches runs that ended; use "
                "DagsterRunStatus.SUCCESS, FAILURE or CANCELED."
            )
        self.run_status = run_status
        self.run_status_sensor_fn = run_status_sensor_fn
        self.monitored_jobs = tuple(monitored_jobs or ())
        self.monitor_all_code_locations = bool(monitor_all_code_locations)
        watched = {job_name_of(job) for job in self.monitored_jobs}
        context_class = RunFailureSensorContext if failure else RunStatusSensorContext

        def evaluate(context: SensorEvaluationContext) -> object:
            return _evaluate(
                context, name, run_status, watched, context_class, run_status_sensor_fn
            )

        super().__init__(
            name=name,
            evaluation_fn=evaluate,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            job=request_job,
            jobs=request_jobs,
            default_status=default_status,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the user's function directly with a run status context, for tests."""
        return self.run_status_sensor_fn(*args, **kwargs)


def _evaluate(
    context: SensorEvaluationContext,
    name: str,
    run_status: DagsterRunStatus,
    watched: set[str | None],
    context_class: type[RunStatusSensorContext],
    fn: Callable[..., Any],
) -> list[Requested]:
    if context.instance is None:
        raise DefinitionError(f"Run status sensor '{name}' needs an instance to read runs.")
    runs = context.instance.storage.list_runs(limit=RUNS_READ, statuses=[STORED_STATUS[run_status]])
    runs = sorted((r for r in runs if r.ended_at is not None), key=lambda r: r.ended_at)
    cursor = _load(context.cursor)
    if cursor is None:  # first evaluation: start after what already ended
        last = runs[-1] if runs else None
        context.update_cursor(_dump(last.ended_at if last else 0.0, [last.run_id] if last else []))
        return [SkipReason("started: watching runs that end from now on")]
    after, seen = cursor
    found: list[Requested] = []
    for run in runs:
        assert run.ended_at is not None
        if run.ended_at < after or (run.ended_at == after and run.run_id in seen):
            continue
        seen = seen if run.ended_at == after else []
        after = run.ended_at
        seen.append(run.run_id)
        found_run = dagster_run(run)
        if watched and found_run.job_name not in watched:
            continue
        event = RunStatusEvent(_EVENT_TYPE_VALUES[run_status], run.error)
        items, _ = collect(
            f"Sensor '{name}'",
            call_with_context(fn, context_class(name, found_run, event, context.instance, context)),
        )
        found.extend(items)
    context.update_cursor(_dump(after, seen))
    return found or [SkipReason(f"no new run with status {run_status.value}")]


def build_run_status_sensor_context(
    sensor_name: str,
    dagster_event: Any,
    dagster_instance: Any,
    dagster_run: DagsterRun,
    context: Any = None,
    resources: Mapping[str, Any] | None = None,
    repository_def: Any = None,
    logger: Any = None,
) -> RunStatusSensorContext:
    """A context to call a run status sensor's function with in tests (Dagster's helper):
    ``result.dagster_run`` and ``result.get_job_success_event()`` /
    ``get_job_failure_event()`` of an ``execute_in_process`` give its arguments;
    ``.for_run_failure()`` makes it a run failure sensor's."""
    from assetgraph.automation.sensors import build_sensor_context

    sensor_context = context or build_sensor_context(
        instance=dagster_instance,
        sensor_name=sensor_name,
        resources=resources,
        repository_def=repository_def,
    )
    return RunStatusSensorContext(
        sensor_name, dagster_run, dagster_event, dagster_instance, sensor_context
    )


def _load(text: str | None) -> tuple[float, list[str]] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
        return float(value["after"]), [str(r) for r in value.get("seen", [])]
    except (ValueError, KeyError, TypeError):
        return None


def _dump(after: float, seen: list[str]) -> str:
    return json.dumps({"after": after, "seen": seen})


def run_status_sensor(
    run_status: DagsterRunStatus,
    name: str | None = None,
    minimum_interval_seconds: float | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    job_selection: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    monitor_all_repositories: bool | None = None,
) -> Callable[[Callable[..., Any]], RunStatusSensorDefinition]:
    """Declare a sensor called with a ``RunStatusSensorContext`` for each run that reaches
    ``run_status`` (Dagster's decorator); it may return ``RunRequest`` for ``request_job``."""
    return _decorator(
        run_status,
        name,
        minimum_interval_seconds,
        description,
        monitored_jobs or job_selection,
        monitor_all_code_locations or monitor_all_repositories,
        request_job,
        request_jobs,
        default_status,
        failure=False,
    )


def run_failure_sensor(
    name: str | None = None,
    minimum_interval_seconds: float | None = None,
    description: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    job_selection: Sequence[Any] | None = None,
    monitor_all_code_locations: bool | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    request_job: Any = None,
    request_jobs: Sequence[Any] | None = None,
    monitor_all_repositories: bool | None = None,
) -> Any:
    """Declare a sensor called with a ``RunFailureSensorContext`` for each failed run;
    usable bare (``@run_failure_sensor``) or with arguments, as in Dagster."""
    if callable(name):  # bare @run_failure_sensor
        bare = _decorator(
            DagsterRunStatus.FAILURE,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            DefaultSensorStatus.STOPPED,
            failure=True,
        )
        return bare(name)
    return _decorator(
        DagsterRunStatus.FAILURE,
        name,
        minimum_interval_seconds,
        description,
        monitored_jobs or job_selection,
        monitor_all_code_locations or monitor_all_repositories,
        request_job,
        request_jobs,
        default_status,
        failure=True,
    )


def _decorator(
    run_status: DagsterRunStatus,
    name: str | None,
    minimum_interval_seconds: float | None,
    description: str | None,
    monitored_jobs: Sequence[Any] | None,
    monitor_all: bool | None,
    request_job: Any,
    request_jobs: Sequence[Any] | None,
    default_status: DefaultSensorStatus,
    *,
    failure: bool,
) -> Callable[[Callable[..., Any]], RunStatusSensorDefinition]:
    def decorate(fn: Callable[..., Any]) -> RunStatusSensorDefinition:
        sensor_name = name or fn.__name__
        check_name("Sensor", sensor_name)
        return RunStatusSensorDefinition(
            sensor_name,
            run_status,
            fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description if description is not None else fn.__doc__,
            monitored_jobs=monitored_jobs,
            monitor_all_code_locations=monitor_all,
            default_status=default_status,
            request_job=request_job,
            request_jobs=request_jobs,
            failure=failure,
        )

    return decorate


__all__ = [
    "DagsterRun",
    "DagsterRunStatus",
    "RunFailureSensorContext",
    "RunRequest",
    "RunStatusSensorContext",
    "RunStatusSensorDefinition",
    "build_run_status_sensor_context",
    "run_failure_sensor",
    "run_status_sensor",
]
