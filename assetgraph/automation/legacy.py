"""Dagster's older automation names, mapped to assetgraph's, each with a DeprecationWarning.

- ``AutoMaterializePolicy.eager()`` / ``.lazy()`` (and ``@asset(auto_materialize_policy=)``)
  become ``AutomationPolicy.eager()`` / ``.lazy()``; ``max_materializations_per_minute``
  becomes ``max_materializations_per_tick``.
- ``build_asset_reconciliation_sensor(asset_selection)`` turns automation on for its
  selection: each selected asset without a policy of its own gets ``AutomationPolicy.eager()``
  while ``assetgraph automate`` runs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assetgraph.automation.requests import SkipReason
from assetgraph.automation.sensors import SensorDefinition, SensorEvaluationContext
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.definitions.policies import AutomationPolicy
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.graph import AssetGraph


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"{old} is Dagster's older name; assetgraph maps it to {new}. Use {new} instead.",
        DeprecationWarning,
        stacklevel=3,
    )


@dataclass(frozen=True, slots=True)
class AutoMaterializePolicy:
    """Dagster's ``AutoMaterializePolicy``: a deprecated spelling of ``AutomationPolicy``.

    Only ``eager()`` and ``lazy()`` are supported (not ``with_rules``/``without_rules``).
    """

    kind: str
    max_materializations_per_minute: int | None = 1

    @classmethod
    def eager(cls, max_materializations_per_minute: int | None = 1) -> AutoMaterializePolicy:
        """Build when missing or when an upstream is updated: ``AutomationPolicy.eager()``."""
        _deprecated("AutoMaterializePolicy.eager()", "AutomationPolicy.eager()")
        return cls("eager", max_materializations_per_minute)

    @classmethod
    def lazy(cls, max_materializations_per_minute: int | None = 1) -> AutoMaterializePolicy:
        """Build only when a freshness policy needs it: ``AutomationPolicy.lazy()``."""
        _deprecated("AutoMaterializePolicy.lazy()", "AutomationPolicy.lazy()")
        return cls("lazy", max_materializations_per_minute)

    def to_automation_policy(self) -> AutomationPolicy:
        """The assetgraph policy this one maps to."""
        cap = self.max_materializations_per_minute
        if self.kind == "eager":
            return AutomationPolicy.eager(max_materializations_per_tick=cap)
        return AutomationPolicy.lazy(max_materializations_per_tick=cap)


def automation_policy_for(policy: object, asset_name: str) -> AutomationPolicy:
    """``@asset(auto_materialize_policy=...)`` as an ``AutomationPolicy`` (warns)."""
    if isinstance(policy, AutomationPolicy):
        return policy
    if not isinstance(policy, AutoMaterializePolicy):
        raise DefinitionError(
            f"Asset '{asset_name}': auto_materialize_policy must be AutoMaterializePolicy.eager() "
            f"or .lazy(), got {type(policy).__name__}; prefer automation_policy="
            "AutomationPolicy.eager()."
        )
    _deprecated("@asset(auto_materialize_policy=...)", "@asset(automation_policy=...)")
    return policy.to_automation_policy()


class ReconciliationSensorDefinition(SensorDefinition):
    """The sensor ``build_asset_reconciliation_sensor`` makes: it requests no runs itself;
    while it is running, ``assetgraph automate`` automates its selection eagerly."""

    reconciles: Any = None


def build_asset_reconciliation_sensor(
    asset_selection: Any,
    name: str = "asset_reconciliation_sensor",
    minimum_interval_seconds: float | None = None,
    description: str | None = None,
    default_status: Any = DefaultSensorStatus.STOPPED,
    run_tags: Any = None,
) -> SensorDefinition:
    """Dagster's reconciliation sensor (deprecated): eager automation for ``asset_selection``.

    ``asset_selection`` is an ``AssetSelection``, a selection string, or a list of keys or
    assets. Put the sensor in ``Definitions(sensors=[...])``; as in Dagster it starts
    stopped unless ``default_status=DefaultSensorStatus.RUNNING``. ``run_tags`` is accepted
    and ignored.
    """
    _deprecated(
        "build_asset_reconciliation_sensor(...)",
        "@asset(automation_policy=AutomationPolicy.eager())",
    )

    def reconcile(context: SensorEvaluationContext) -> SkipReason:
        return SkipReason("its selection is automated eagerly by the automation evaluator")

    sensor = ReconciliationSensorDefinition(
        name,
        evaluation_fn=reconcile,
        minimum_interval_seconds=minimum_interval_seconds,
        description=description
        or "Eager automation for its selection (Dagster's asset reconciliation sensor).",
        default_status=default_status,
    )
    sensor.reconciles = asset_selection
    return sensor


def reconciled_keys(
    sensors: Iterable[object], graph: AssetGraph, running: Callable[[Any], bool]
) -> set[AssetKey]:
    """The keys selected by every reconciliation sensor of ``sensors`` that is ``running``."""
    keys: set[AssetKey] = set()
    for sensor in sensors:
        if isinstance(sensor, ReconciliationSensorDefinition) and running(sensor):
            keys |= _selected(sensor.reconciles, graph, f"Sensor '{sensor.name}'")
    return keys


def selected_keys(selection: Any, graph: AssetGraph, owner: str) -> set[AssetKey]:
    """The keys of ``selection``: an ``AssetSelection``, a selection string, or keys/assets."""
    return _selected(selection, graph, owner)


def _selected(selection: Any, graph: AssetGraph, owner: str) -> set[AssetKey]:
    from assetgraph.definitions.assets import AssetsDefinition
    from assetgraph.selection import select_assets

    if hasattr(selection, "resolve"):
        return {AssetKey.from_user(key) for key in selection.resolve(graph)}
    if isinstance(selection, str):
        return set(select_assets(graph, selection))
    if isinstance(selection, AssetsDefinition | AssetKey):
        selection = [selection]
    if isinstance(selection, Sequence | set | frozenset):
        keys: set[AssetKey] = set()
        for item in selection:
            if isinstance(item, AssetsDefinition):
                keys.update(item.keys)
            else:
                keys.add(AssetKey.from_user(item))
        return keys
    raise DefinitionError(
        f"{owner}: the selection must be a selection string, a list of keys "
        f"or assets, or an AssetSelection; got {type(selection).__name__}."
    )
