"""``@freshness_policy_sensor``: a sensor called on each change of freshness state.

The automation daemon records a ``freshness_state_change`` event whenever a freshness
policy of an asset goes from one of pass, warn, fail, unknown to another (once per change,
not every tick). At each evaluation this sensor reads the changes stored after its cursor
(the id of the last one it handled), oldest first, and calls its function once per change
of an asset in ``asset_selection`` with a ``FreshnessPolicySensorContext``: ``asset_key``,
``freshness_policy``, ``new_state`` and ``previous_state`` (``FreshnessState``),
``overdue_partitions``, ``state_change_timestamp``, and Dagster's ``minutes_overdue`` /
``previous_minutes_overdue`` (0 when the state passes; for a failing time window, the
minutes past it; None otherwise). Evaluated for the first time, it is called for each
selected asset's latest change, so a sensor started while an asset fails alerts once.

Dagster's (deprecated) decorator of this name calls its function for every selected asset
at every evaluation; this one calls it only on changes, which is what an alert wants.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assetgraph.automation.requests import Requested, SkipReason, collect
from assetgraph.automation.schedules import call_with_context, check_name
from assetgraph.automation.sensors import SensorDefinition, SensorEvaluationContext
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.definitions.policies import FreshnessPolicy, FreshnessState
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey
from assetgraph.storage.events import FRESHNESS_RUN_ID, FreshnessStateChanged
from assetgraph.storage.records import EventType

CHANGES_READ = 500
"""At most this many changes are handled per evaluation (the rest next time)."""


@dataclass(frozen=True, slots=True)
class FreshnessPolicySensorContext:
    """What a freshness policy sensor's function sees for one change of state."""

    sensor_name: str
    asset_key: AssetKey
    freshness_policy: FreshnessPolicy | None
    new_state: FreshnessState
    previous_state: FreshnessState
    state_change_timestamp: float
    overdue_partitions: tuple[str, ...]
    minutes_overdue: float | None
    previous_minutes_overdue: float | None
    instance: Any = None
    storage_id: int | None = None

    @property
    def log(self) -> logging.Logger:
        return logging.getLogger(f"assetgraph.sensors.{self.sensor_name}")


class FreshnessPolicySensorDefinition(SensorDefinition):
    """A sensor on changes of freshness state; see the module docstring."""

    def __init__(
        self,
        name: str,
        asset_selection: Any,
        freshness_policy_sensor_fn: Callable[..., Any],
        *,
        minimum_interval_seconds: float | None = None,
        description: str | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    ) -> None:
        from assetgraph.definitions.asset_selection import AssetSelection

        try:
            self.asset_selection = AssetSelection.from_coercible(asset_selection)
        except (DefinitionError, TypeError, ValueError) as exc:
            raise DefinitionError(
                f"Freshness policy sensor '{name}': asset_selection must be an AssetSelection, "
                f"a selection string or a list of keys or assets ({exc})."
            ) from None
        self.freshness_policy_sensor_fn = freshness_policy_sensor_fn
        selection = self.asset_selection

        def evaluate(context: SensorEvaluationContext) -> object:
            return _evaluate(context, name, selection, freshness_policy_sensor_fn)

        super().__init__(
            name=name,
            evaluation_fn=evaluate,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description,
            default_status=default_status,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the user's function directly with a context, for tests."""
        return self.freshness_policy_sensor_fn(*args, **kwargs)


def _evaluate(
    context: SensorEvaluationContext, name: str, selection: Any, fn: Callable[..., Any]
) -> list[Requested]:
    if context.instance is None:
        raise DefinitionError(
            f"Freshness policy sensor '{name}' needs an instance to read freshness events."
        )
    defs = getattr(context, "repository_def", None)
    graph = getattr(defs, "graph", None)
    watched = None if graph is None else selection.resolve(graph, allow_missing=True)
    cursor = context.cursor or ""
    after = int(cursor) if cursor.isdigit() else None
    events = context.instance.storage.events_for_run(
        FRESHNESS_RUN_ID, [EventType.FRESHNESS_STATE_CHANGE], after_id=after or 0
    )
    if after is None:  # first evaluation: the latest change of each asset
        latest = {event.asset_key: event for event in events}
        handled = sorted(latest.values(), key=lambda event: event.event_id or 0)
    else:
        handled = events[:CHANGES_READ]
    found: list[Requested] = []
    called = 0
    for event in handled:
        key = AssetKey.from_user(event.asset_key or "")
        if watched is not None and key not in watched:
            continue
        body = FreshnessStateChanged.from_payload(event.payload)
        policy = graph.spec(key).freshness_policy if graph is not None and graph.has(key) else None
        called += 1
        found.extend(
            collect(
                f"Sensor '{name}'",
                call_with_context(fn, _context(name, key, policy, body, event, context)),
            )[0]
        )
    if events:
        last = (handled or events)[-1] if after is not None else events[-1]
        context.update_cursor(str(last.event_id))
    elif after is None:
        context.update_cursor("0")
    if found:
        return found
    if called:
        return [SkipReason(f"handled {called} change(s) of freshness state")]
    return [SkipReason("no new change of freshness state")]


def _context(
    name: str,
    key: AssetKey,
    policy: FreshnessPolicy | None,
    body: FreshnessStateChanged,
    event: Any,
    context: SensorEvaluationContext,
) -> FreshnessPolicySensorContext:
    new = _state(body.new_state)
    previous = _state(body.previous_state)
    since = body.last_updated
    overdue = _overdue(new, event.timestamp, since, policy)
    return FreshnessPolicySensorContext(
        sensor_name=name,
        asset_key=key,
        freshness_policy=policy,
        new_state=new,
        previous_state=previous,
        state_change_timestamp=event.timestamp,
        overdue_partitions=body.overdue_partitions,
        minutes_overdue=overdue,
        previous_minutes_overdue=0.0 if previous is FreshnessState.PASS else None,
        instance=context.instance,
        storage_id=event.event_id,
    )


def _overdue(
    state: FreshnessState, when: float, updated: float | None, policy: FreshnessPolicy | None
) -> float | None:
    if state is FreshnessState.PASS:
        return 0.0
    if state is FreshnessState.UNKNOWN or updated is None or policy is None:
        return None
    if policy.fail_window is not None and state is FreshnessState.FAIL:
        return max(0.0, (when - updated - policy.fail_window.total_seconds()) / 60.0)
    return None


def _state(value: str) -> FreshnessState:
    try:
        return FreshnessState(value)
    except ValueError:
        return FreshnessState.UNKNOWN


def freshness_policy_sensor(
    asset_selection: Any,
    *,
    name: str | None = None,
    minimum_interval_seconds: float | None = None,
    description: str | None = None,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
) -> Callable[[Callable[..., Any]], FreshnessPolicySensorDefinition]:
    """Declare a sensor called with a ``FreshnessPolicySensorContext`` for each change of
    freshness state of an asset in ``asset_selection`` (see the module docstring)."""

    def decorate(fn: Callable[..., Any]) -> FreshnessPolicySensorDefinition:
        sensor_name = name or fn.__name__
        check_name("Sensor", sensor_name)
        return FreshnessPolicySensorDefinition(
            sensor_name,
            asset_selection,
            fn,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description if description is not None else fn.__doc__,
            default_status=default_status,
        )

    return decorate


__all__ = [
    "FreshnessPolicySensorContext",
    "FreshnessPolicySensorDefinition",
    "freshness_policy_sensor",
]
