"""Sensors: user functions, evaluated each tick, that ask for runs when something happened.

A sensor function takes a ``SensorEvaluationContext`` and returns or yields ``RunRequest``
objects (or a ``SkipReason`` saying why not). ``context.cursor`` is the string it stored
last time with ``context.update_cursor(...)``; it is kept in the metadata database, so a
restarted daemon carries on where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

from assetgraph.automation.schedules import check_name
from assetgraph.errors import DefinitionError


@dataclass(frozen=True, slots=True)
class RunRequest:
    """Ask for one run: of the sensor's selection (or ``asset_selection``), for
    ``partition_keys`` of its partitioned assets. A ``run_key`` already used by this
    sensor is not run twice."""

    partition_keys: Sequence[str] | None = None
    asset_selection: str | Sequence[str] | None = None
    run_key: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    run_config: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SkipReason:
    """Why a sensor asked for nothing this time (shown in the tick's record)."""

    message: str = ""


class SensorEvaluationContext:
    """What a sensor function sees: the tick's time, its cursor, and the instance."""

    def __init__(
        self,
        *,
        sensor_name: str,
        now: datetime,
        cursor: str | None,
        last_evaluated_at: datetime | None,
        instance: Any = None,
    ) -> None:
        self.sensor_name = sensor_name
        self.now = now
        self.cursor = cursor
        self.last_evaluated_at = last_evaluated_at
        self.instance = instance
        self.cursor_updated = False

    def update_cursor(self, cursor: str | None) -> None:
        """Store ``cursor`` for the next evaluation (kept only if the sensor succeeds)."""
        self.cursor = cursor
        self.cursor_updated = True


SensorResult = RunRequest | SkipReason | None | Iterable[RunRequest | SkipReason]
SensorFunction = Callable[[SensorEvaluationContext], SensorResult]


@dataclass(frozen=True, slots=True)
class SensorDefinition:
    """A sensor: its function, the assets its runs select, and how often it is evaluated."""

    name: str
    fn: SensorFunction
    selection: str | Sequence[str] = "*"
    minimum_interval_seconds: float = 30.0
    description: str | None = None

    def __post_init__(self) -> None:
        check_name("Sensor", self.name)
        interval = self.minimum_interval_seconds
        if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0:
            raise DefinitionError(
                f"Sensor '{self.name}': minimum_interval_seconds must be a number >= 0, got "
                f"{interval!r}."
            )

    def evaluate(self, context: SensorEvaluationContext) -> list[RunRequest | SkipReason]:
        """Call the function and collect what it returned or yielded."""
        result = self.fn(context)
        if result is None:
            return []
        if isinstance(result, RunRequest | SkipReason):
            return [result]
        found: list[RunRequest | SkipReason] = []
        for item in result:
            if not isinstance(item, RunRequest | SkipReason):
                raise DefinitionError(
                    f"Sensor '{self.name}' yielded {type(item).__name__}; yield RunRequest(...) "
                    "or SkipReason(...)."
                )
            found.append(item)
        return found


@overload
def sensor(fn: SensorFunction, /) -> SensorDefinition: ...


@overload
def sensor(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    selection: str | Sequence[str] = "*",
    minimum_interval_seconds: float = 30.0,
    description: str | None = None,
) -> Callable[[SensorFunction], SensorDefinition]: ...


def sensor(
    fn: SensorFunction | None = None,
    /,
    *,
    name: str | None = None,
    selection: str | Sequence[str] = "*",
    minimum_interval_seconds: float = 30.0,
    description: str | None = None,
) -> SensorDefinition | Callable[[SensorFunction], SensorDefinition]:
    """Declare a sensor: ``fn(context)`` returns or yields ``RunRequest`` / ``SkipReason``.

    It is evaluated by the automation daemon at most every ``minimum_interval_seconds``;
    its runs materialize ``selection`` (a selection string or list of keys).
    """

    def decorate(func: SensorFunction) -> SensorDefinition:
        if not callable(func):
            raise DefinitionError(f"@sensor decorates a function, got {type(func).__name__}.")
        return SensorDefinition(
            name=name or func.__name__,
            fn=func,
            selection=selection,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description if description is not None else func.__doc__,
        )

    if fn is not None:
        return decorate(fn)
    return decorate
