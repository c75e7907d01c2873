"""Sensors: user functions, evaluated each tick, that ask for runs when something happened.

A sensor function takes a ``SensorEvaluationContext`` and returns or yields ``RunRequest``
objects (or a ``SkipReason`` saying why not), or returns a ``SensorResult``. Sensors are
stopped unless ``default_status=DefaultSensorStatus.RUNNING`` or a user started them.
``context.cursor`` is the string it stored last time with ``context.update_cursor(...)``;
it is kept in the metadata database, so a restarted daemon carries on where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from assetgraph.automation.job_targets import job_name_of
from assetgraph.automation.requests import (
    Requested,
    RunRequest,
    SensorResult,
    SkipReason,
    collect,
)
from assetgraph.automation.schedules import call_with_context, check_name
from assetgraph.definitions.default_status import DefaultSensorStatus, default_status_value
from assetgraph.errors import DefinitionError


class SensorEvaluationContext:
    """What a sensor function sees: the tick's time, its cursor, and the instance.

    ``instance`` is the deployment's ``Instance`` (``add_dynamic_partitions(name, keys)``,
    ``delete_dynamic_partition(name, key)``, ``get_dynamic_partitions(name)``,
    ``has_dynamic_partition(name, key)``); ``repository_def`` the ``Definitions`` of the code
    location (None in tests). ``last_tick_completion_time`` is the timestamp
    (seconds) of the previous evaluation, None on the first. ``resources`` holds the code
    location's resources (set up on first use); a sensor function may also take one as a
    parameter of its name, as in Dagster.
    """

    def __init__(
        self,
        *,
        sensor_name: str,
        now: datetime,
        cursor: str | None,
        last_evaluated_at: datetime | None,
        instance: Any = None,
        last_run_key: str | None = None,
        repository_def: Any = None,
        resources: Mapping[str, Any] | Any = None,
        resource_names: Iterable[str] | None = None,
    ) -> None:
        self.sensor_name = sensor_name
        if resources is None or isinstance(resources, Mapping):
            resource_names = list(resources or {}) if resource_names is None else resource_names
            resources = SimpleNamespace(**dict(resources or {}))
        self.resources: Any = resources
        self.resource_names: frozenset[str] = frozenset(resource_names or ())
        self.repository_def = repository_def
        self.now = now
        self.cursor = cursor
        self.last_evaluated_at = last_evaluated_at
        self.instance = instance
        self.last_run_key = last_run_key
        self.cursor_updated = False

    @property
    def last_tick_completion_time(self) -> float | None:
        return None if self.last_evaluated_at is None else self.last_evaluated_at.timestamp()

    @property
    def last_completion_time(self) -> float | None:
        return self.last_tick_completion_time

    @property
    def log(self) -> logging.Logger:
        return logging.getLogger(f"assetgraph.sensors.{self.sensor_name}")

    def update_cursor(self, cursor: str | None) -> None:
        """Store ``cursor`` for the next evaluation (kept only if the sensor succeeds)."""
        self.cursor = cursor
        self.cursor_updated = True


def build_sensor_context(
    instance: Any = None,
    cursor: str | None = None,
    sensor_name: str | None = None,
    last_tick_completion_time: float | None = None,
    resources: Mapping[str, Any] | None = None,
    definitions: Any = None,
    repository_def: Any = None,
) -> SensorEvaluationContext:
    """A context to call a sensor function with in tests, as Dagster's helper."""
    from datetime import UTC

    last = (
        None
        if last_tick_completion_time is None
        else datetime.fromtimestamp(last_tick_completion_time, tz=UTC)
    )
    return SensorEvaluationContext(
        sensor_name=sensor_name or "test_sensor",
        now=datetime.now(UTC),
        cursor=cursor,
        last_evaluated_at=last,
        instance=instance,
        repository_def=definitions if definitions is not None else repository_def,
        resources=resources,
    )


SensorFunction = Callable[..., Any]


class SensorDefinition:
    """A sensor: its function, what its runs target, and how often it is evaluated.

    Dagster's arguments: ``job`` / ``job_name`` / ``jobs``, ``asset_selection`` or
    ``target`` say what a ``RunRequest`` without ``job_name``/``asset_selection`` runs
    (assetgraph's ``selection=`` too; all assets when none is given);
    ``minimum_interval_seconds`` (default 30) spaces evaluations; ``default_status``
    says whether it runs before anyone starts or stops it.
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        evaluation_fn: SensorFunction | None = None,
        job_name: str | None = None,
        minimum_interval_seconds: float | None = None,
        description: str | None = None,
        job: Any = None,
        jobs: Sequence[Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        asset_selection: Any = None,
        required_resource_keys: set[str] | None = None,
        target: Any = None,
        metadata: Mapping[str, Any] | None = None,
        selection: Any = None,
        fn: SensorFunction | None = None,
    ) -> None:
        evaluation_fn = evaluation_fn or fn
        if evaluation_fn is None or not callable(evaluation_fn):
            raise DefinitionError(f"Sensor {name!r} needs a function (evaluation_fn=...).")
        name = name or getattr(evaluation_fn, "__name__", None)
        check_name("Sensor", name)
        assert name is not None
        self.name: str = name
        self.fn = evaluation_fn
        self.evaluation_fn = evaluation_fn
        targets = [t for t in (job, job_name, jobs, asset_selection, target, selection) if t]
        if len(targets) > 1:
            raise DefinitionError(
                f"Sensor '{name}': give one of job, job_name, jobs, asset_selection or target."
            )
        self.jobs: tuple[Any, ...] = tuple(jobs or ()) or ((job,) if job is not None else ())
        self.job = self.jobs[0] if len(self.jobs) == 1 else None
        self.job_name = job_name_of(self.job) if self.job is not None else job_name
        self.asset_selection = asset_selection
        self.target: Any = asset_selection if asset_selection is not None else target
        if self.target is None:
            self.target = selection
        self.selection: Any = self.target if self.target is not None else "*"
        interval = 30.0 if minimum_interval_seconds is None else minimum_interval_seconds
        if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0:
            raise DefinitionError(
                f"Sensor '{self.name}': minimum_interval_seconds must be a number >= 0, got "
                f"{interval!r}."
            )
        self.minimum_interval_seconds = float(interval)
        self.description = description
        self.default_status = DefaultSensorStatus(
            default_status_value(default_status, f"Sensor '{name}'")
        )
        self.required_resource_keys = set(required_resource_keys or ())
        self.metadata = dict(metadata or {})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"

    def evaluate(self, context: SensorEvaluationContext) -> list[Requested]:
        """Call the function and collect its run requests and skip reasons."""
        return self.evaluate_full(context)[0]

    def evaluate_full(
        self, context: SensorEvaluationContext
    ) -> tuple[list[Requested], SensorResult | None]:
        """Call the function: its requests and skip reasons, and its ``SensorResult``."""
        result = call_with_context(self.fn, context)
        return collect(f"Sensor '{self.name}'", result)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the sensor function directly (for tests), as Dagster allows."""
        return self.fn(*args, **kwargs)


def sensor(
    fn: SensorFunction | None = None,
    /,
    *,
    name: str | None = None,
    job: Any = None,
    jobs: Sequence[Any] | None = None,
    job_name: str | None = None,
    asset_selection: Any = None,
    target: Any = None,
    minimum_interval_seconds: float | None = None,
    description: str | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    required_resource_keys: set[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    selection: Any = None,
) -> Any:
    """Declare a sensor: ``fn(context)`` returns or yields ``RunRequest`` / ``SkipReason``,
    or returns a ``SensorResult``.

    As Dagster's ``@sensor``: it is evaluated by the automation daemon, while running, at
    most every ``minimum_interval_seconds`` (30); its requests run ``job`` (or
    ``asset_selection`` / ``target``; assetgraph's ``selection=`` string too).
    """

    def decorate(func: SensorFunction) -> SensorDefinition:
        if not callable(func):
            raise DefinitionError(f"@sensor decorates a function, got {type(func).__name__}.")
        return SensorDefinition(
            name=name or func.__name__,
            evaluation_fn=func,
            job=job,
            jobs=jobs,
            job_name=job_name,
            asset_selection=asset_selection,
            target=target,
            selection=selection,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description if description is not None else func.__doc__,
            default_status=default_status,
            required_resource_keys=required_resource_keys,
            metadata=metadata,
        )

    if fn is not None:
        return decorate(fn)
    return decorate


__all__ = [
    "RunRequest",
    "SensorDefinition",
    "SensorEvaluationContext",
    "SensorResult",
    "SkipReason",
    "build_sensor_context",
    "sensor",
]
