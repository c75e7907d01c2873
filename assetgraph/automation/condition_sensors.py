"""``AutomationConditionSensorDefinition``: which assets' automation conditions are evaluated.

As in Dagster, the conditions of the assets a user-declared automation condition sensor
targets are evaluated only while that sensor runs (it starts stopped unless
``default_status=RUNNING``); assets no such sensor targets are evaluated by the implicit
default sensor, which always runs. While running, ``default_condition`` applies to its
targets that have no condition of their own, and ``run_tags`` go on the runs it requests.
assetgraph evaluates every running sensor's targets at each tick of ``assetgraph automate``:
``minimum_interval_seconds`` is recorded, not used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assetgraph.automation.requests import SkipReason
from assetgraph.automation.sensors import SensorDefinition, SensorEvaluationContext
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey


class AutomationConditionSensorDefinition(SensorDefinition):
    """A sensor that evaluates the automation conditions of ``target`` (Dagster's)."""

    def __init__(
        self,
        name: str,
        *,
        target: Any = None,
        asset_selection: Any = None,
        tags: Mapping[str, str] | None = None,
        run_tags: Mapping[str, Any] | None = None,
        default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
        minimum_interval_seconds: int | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        emit_backfills: bool = True,
        use_user_code_server: bool = False,
        default_condition: Any = None,
    ) -> None:
        selection = target if target is not None else asset_selection
        if selection is None:
            raise DefinitionError(
                f"AutomationConditionSensorDefinition '{name}' needs target=... (an "
                "AssetSelection, a selection string or asset keys)."
            )

        def evaluate(context: SensorEvaluationContext) -> SkipReason:
            return SkipReason("its target's automation conditions are evaluated each tick")

        super().__init__(
            name=name,
            evaluation_fn=evaluate,
            minimum_interval_seconds=minimum_interval_seconds,
            description=description
            or "Evaluates the automation conditions of its target (Dagster's).",
            default_status=default_status,
            metadata=metadata,
        )
        self.condition_target = selection
        self.tags = {str(k): str(v) for k, v in (tags or {}).items()}
        self.run_tags = {str(k): str(v) for k, v in (run_tags or {}).items()}
        self.emit_backfills = emit_backfills
        self.use_user_code_server = use_user_code_server
        self.default_condition = default_condition


@dataclass
class ConditionScope:
    """What the automation condition sensors of a code location decide this tick."""

    stopped: set[AssetKey] = field(default_factory=set)
    """Assets whose conditions are not evaluated: every sensor targeting them is stopped."""
    defaults: dict[AssetKey, Any] = field(default_factory=dict)
    run_tags: dict[AssetKey, dict[str, str]] = field(default_factory=dict)


def condition_scope(
    sensors: Iterable[object], graph: Any, running: Callable[[Any], bool]
) -> ConditionScope:
    """The assets the automation condition ``sensors`` leave out, and the default
    conditions and run tags of the running ones."""
    from assetgraph.automation.legacy import selected_keys

    scope = ConditionScope()
    live: set[AssetKey] = set()
    for sensor in sensors:
        if not isinstance(sensor, AutomationConditionSensorDefinition):
            continue
        keys = selected_keys(sensor.condition_target, graph, f"Sensor '{sensor.name}'")
        if not running(sensor):
            scope.stopped |= keys
            continue
        live |= keys
        for key in keys:
            if sensor.default_condition is not None:
                scope.defaults.setdefault(key, sensor.default_condition)
            scope.run_tags.setdefault(key, {}).update(sensor.run_tags)
    scope.stopped -= live
    return scope


__all__ = ["AutomationConditionSensorDefinition", "ConditionScope", "condition_scope"]
