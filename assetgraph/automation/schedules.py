"""Schedules, as Dagster writes them: ``ScheduleDefinition`` and ``@schedule``.

At each tick of ``cron_schedule`` (in ``execution_timezone``) a *running* schedule asks for
runs of its job (or ``target``). Without a function it asks for one run with its
``run_config`` and ``tags``; a function (``@schedule`` or ``execution_fn=``) gets a
``ScheduleEvaluationContext`` and returns or yields ``RunRequest`` / ``SkipReason``, or
returns a run config dict. Schedules are stopped unless ``default_status`` is RUNNING or a
user started them (``assetgraph schedules start NAME``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any, overload

from assetgraph.automation.job_targets import job_name_of
from assetgraph.definitions.default_status import DefaultScheduleStatus, default_status_value
from assetgraph.definitions.policies import cron_ticks, next_tick, previous_tick
from assetgraph.errors import DefinitionError

_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")

PartitionsForTick = Sequence[str] | Callable[[datetime], Sequence[str]] | None


class ScheduleEvaluationContext:
    """What a schedule function sees: the tick's time, the instance and the resources
    (``context.resources.NAME``, or a parameter named after the resource)."""

    def __init__(
        self,
        *,
        scheduled_execution_time: datetime | None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
    ) -> None:
        self.scheduled_execution_time = scheduled_execution_time
        self.instance = instance
        self.resources: Any = SimpleNamespace(**dict(resources or {}))
        self.resource_names: frozenset[str] = frozenset(resources or {})

    @property
    def log(self) -> Any:
        import logging

        return logging.getLogger("assetgraph.schedules")


def build_schedule_context(
    instance: Any = None,
    scheduled_execution_time: datetime | None = None,
    resources: Mapping[str, Any] | None = None,
) -> ScheduleEvaluationContext:
    """A context to call a schedule function with in tests, as Dagster's helper."""
    return ScheduleEvaluationContext(
        scheduled_execution_time=scheduled_execution_time, instance=instance, resources=resources
    )


class ScheduleDefinition:
    """A schedule: at each tick of ``cron_schedule``, runs of a job or of some assets.

    Dagster's arguments: ``job`` (a job, or ``job_name``) or ``target`` (assets, an
    ``AssetSelection`` or a selection string) say what runs; ``name`` defaults to
    ``f"{job name}_schedule"``; ``execution_fn(context)`` returns what to run (see the
    module docstring); without it, ``should_execute(context)`` may skip a tick and
    ``run_config`` (or ``run_config_fn(context)``) and ``tags`` (or ``tags_fn``) go on the
    one run. assetgraph's own ``selection=``, ``partitions=`` (keys, or a function of the
    tick's time) and ``timezone=`` remain accepted. By default a run builds, of each
    time-partitioned asset, the window that just ended at the tick. A tick missed while
    automation was off is not run after the fact: only the latest one is.
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        cron_schedule: str | Sequence[str] | None = None,
        job_name: str | None = None,
        run_config: Mapping[str, Any] | None = None,
        run_config_fn: Callable[[ScheduleEvaluationContext], Mapping[str, Any]] | None = None,
        tags: Mapping[str, str] | None = None,
        tags_fn: Callable[[ScheduleEvaluationContext], Mapping[str, str]] | None = None,
        should_execute: Callable[[ScheduleEvaluationContext], bool] | None = None,
        environment_vars: Mapping[str, str] | None = None,
        execution_timezone: str | None = None,
        execution_fn: Callable[..., Any] | None = None,
        description: str | None = None,
        job: Any = None,
        default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
        required_resource_keys: set[str] | None = None,
        target: Any = None,
        metadata: Mapping[str, Any] | None = None,
        selection: Any = None,
        partitions: PartitionsForTick = None,
        timezone: str | None = None,
    ) -> None:
        if job is not None and job_name is not None:
            raise DefinitionError("ScheduleDefinition takes job or job_name, not both.")
        self.job = job
        self.job_name = job_name_of(job) if job is not None else job_name
        if self.job_name is not None and (target is not None or selection is not None):
            raise DefinitionError(
                f"Schedule '{name or self.job_name}': give job/job_name or target, not both."
            )
        if name is None:
            if self.job_name is not None:
                name = f"{self.job_name}_schedule"
            elif execution_fn is not None:
                name = getattr(execution_fn, "__name__", None)
        check_name("ScheduleDefinition", name)
        assert name is not None
        self.name: str = name
        crons: list[Any] = (
            list(cron_schedule) if isinstance(cron_schedule, list | tuple) else [cron_schedule]
        )
        if not crons or any(not isinstance(c, str) or not c.strip() for c in crons):
            raise DefinitionError(
                f"Schedule '{name}': cron_schedule must be a cron string or a list of them."
            )
        self.cron_schedules: tuple[str, ...] = tuple(crons)
        self.cron_schedule: str | Sequence[str] = (
            self.cron_schedules[0] if isinstance(cron_schedule, str) else list(self.cron_schedules)
        )
        if execution_timezone is not None and timezone is not None:
            raise DefinitionError(f"Schedule '{name}': give execution_timezone or timezone.")
        self.timezone: str = execution_timezone or timezone or "UTC"
        self.execution_timezone = self.timezone
        for cron in self.cron_schedules:
            cron_ticks(cron, self.timezone)
        if execution_fn is not None and (run_config is not None or run_config_fn is not None):
            raise DefinitionError(
                f"Schedule '{name}': execution_fn returns its run config; drop run_config."
            )
        self.target: Any = target if target is not None else selection
        self.selection: Any = self.target if self.target is not None else "*"
        self.partitions = partitions
        self.run_config: dict[str, Any] = dict(run_config or {})
        self.run_config_fn = run_config_fn
        self.tags: dict[str, str] = {str(k): str(v) for k, v in (tags or {}).items()}
        self.tags_fn = tags_fn
        self.should_execute = should_execute
        self.environment_vars = dict(environment_vars or {})
        self.execution_fn = execution_fn
        self.description = description
        self.default_status = DefaultScheduleStatus(
            default_status_value(default_status, f"Schedule '{name}'")
        )
        self.required_resource_keys = set(required_resource_keys or ())
        self.metadata = dict(metadata or {})

    def __repr__(self) -> str:
        return f"ScheduleDefinition(name={self.name!r}, cron_schedule={self.cron_schedule!r})"

    def last_tick_at(self, ts: float) -> int:
        """The last tick at or before ``ts`` (POSIX seconds) of any of its cron schedules."""
        return max(previous_tick(cron, self.timezone, ts) for cron in self.cron_schedules)

    def next_tick_after(self, ts: float) -> int:
        """The first tick strictly after ``ts`` of any of its cron schedules."""
        return min(next_tick(cron, self.timezone, ts) for cron in self.cron_schedules)

    def resolved_for(self, defs: Any) -> ScheduleDefinition:
        """This schedule once its job is known in ``defs`` (itself, unless built from a
        job whose partitions its assets decide)."""
        return self

    def partition_keys_for(self, tick: datetime) -> list[str] | None:
        """The partition keys named for the run of ``tick`` (None: the default choice)."""
        if self.partitions is None:
            return None
        keys = self.partitions(tick) if callable(self.partitions) else self.partitions
        return [str(key) for key in keys]

    def evaluate(self, context: ScheduleEvaluationContext) -> object:
        """What the schedule asks for at one tick: whatever ``execution_fn`` returned, or
        the one ``RunRequest`` of its run config and tags (a ``SkipReason`` when
        ``should_execute`` says no)."""
        from assetgraph.automation.requests import RunRequest, SkipReason

        if self.execution_fn is not None:
            result = call_with_context(self.execution_fn, context)
            if isinstance(result, Mapping):
                return RunRequest(run_config=result, tags=self.tags)
            return result
        if self.should_execute is not None and not self.should_execute(context):
            return SkipReason("should_execute returned False")
        run_config = self.run_config_fn(context) if self.run_config_fn else self.run_config
        tags = self.tags_fn(context) if self.tags_fn else self.tags
        return RunRequest(run_config=dict(run_config or {}), tags=dict(tags or {}))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the schedule function directly (for tests), as Dagster allows."""
        if self.execution_fn is None:
            raise DefinitionError(f"Schedule '{self.name}' has no function to call.")
        return self.execution_fn(*args, **kwargs)


def call_with_context(fn: Callable[..., Any], context: Any, *leading: Any) -> Any:
    """Call ``fn`` as Dagster calls a schedule or sensor function: its first parameter that
    is not a resource gets ``context`` (when it takes one), then ``leading`` values in order;
    a parameter named after a resource gets that resource (``context.resources``)."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return fn(context, *leading)
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return fn(context, *leading)
    names: frozenset[str] = frozenset(getattr(context, "resource_names", ()))
    positional = [context, *leading]
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in params:
        if param.kind is param.VAR_KEYWORD:
            continue
        if param.name in names and param.name != "context":
            kwargs[param.name] = getattr(context.resources, param.name)
        elif positional and param.kind is not param.KEYWORD_ONLY:
            args.append(positional.pop(0))
        elif param.default is param.empty:
            known = ", ".join(sorted(names)) or "none"
            raise DefinitionError(
                f"{getattr(fn, '__name__', fn)!r} takes parameter '{param.name}', which is "
                f"neither its context nor a resource (resources: {known})."
            )
    return fn(*args, **kwargs)


ScheduleFunction = Callable[..., Any]


@overload
def schedule(fn: ScheduleFunction, /) -> ScheduleDefinition: ...


@overload
def schedule(
    cron_schedule: str, /, **kwargs: Any
) -> Callable[[ScheduleFunction], ScheduleDefinition]: ...


@overload
def schedule(
    *,
    cron_schedule: str,
    name: str | None = None,
    job: Any = None,
    job_name: str | None = None,
    target: Any = None,
    execution_timezone: str | None = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    **kwargs: Any,
) -> Callable[[ScheduleFunction], ScheduleDefinition]: ...


def schedule(
    cron_schedule: str | ScheduleFunction | None = None, /, **kwargs: Any
) -> ScheduleDefinition | Callable[[ScheduleFunction], ScheduleDefinition]:
    """Declare a schedule from a function of a ``ScheduleEvaluationContext``.

    As Dagster's ``@schedule(cron_schedule=, job=/job_name=/target=, execution_timezone=,
    default_status=, name=, tags=, description=)``: the function returns or yields
    ``RunRequest`` / ``SkipReason``, returns a run config dict (one run with that config),
    or returns nothing (the tick is skipped). The name defaults to the function's.
    """
    if callable(cron_schedule) and not isinstance(cron_schedule, str):
        raise DefinitionError(
            "@schedule needs cron_schedule=...: write @schedule(cron_schedule=...)."
        )
    if cron_schedule is not None:
        kwargs["cron_schedule"] = cron_schedule
    for unknown in set(kwargs) - _SCHEDULE_ARGUMENTS:
        raise DefinitionError(f"@schedule got an unknown argument {unknown!r}.")

    def decorate(func: ScheduleFunction) -> ScheduleDefinition:
        if not callable(func):
            raise DefinitionError(f"@schedule decorates a function, got {type(func).__name__}.")
        options = dict(kwargs)
        options.setdefault("name", func.__name__)
        if options.get("description") is None:
            options["description"] = func.__doc__
        return ScheduleDefinition(execution_fn=func, **options)

    return decorate


_SCHEDULE_ARGUMENTS = {
    "cron_schedule",
    "name",
    "job",
    "job_name",
    "target",
    "execution_timezone",
    "default_status",
    "tags",
    "tags_fn",
    "description",
    "environment_vars",
    "required_resource_keys",
    "metadata",
    "selection",
    "partitions",
    "timezone",
}


def check_name(what: str, name: object) -> None:
    """Schedule and sensor names: letters, digits, ``_``, ``-``, ``.``."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise DefinitionError(
            f"{what} name {name!r} is not valid: use letters, digits, '_', '-' and '.'."
        )
