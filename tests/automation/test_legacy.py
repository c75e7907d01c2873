"""Dagster's old automation names: AutoMaterializePolicy and the reconciliation sensor."""

from __future__ import annotations

import warnings

import pytest

from assetgraph import (
    AssetSelection,
    AutoMaterializePolicy,
    AutomationPolicy,
    Definitions,
    Instance,
    asset,
    build_asset_reconciliation_sensor,
)
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.errors import DefinitionError

from .conftest import at, targets, tick


def test_auto_materialize_policy_eager_warns_and_maps_to_automation_policy() -> None:
    with pytest.warns(DeprecationWarning, match=r"AutomationPolicy\.eager\(\)"):
        policy = AutoMaterializePolicy.eager()
    with pytest.warns(DeprecationWarning, match="automation_policy="):

        @asset(auto_materialize_policy=policy)
        def a() -> int:
            return 1

    assert a.specs[0].automation_policy == AutomationPolicy.eager(max_materializations_per_tick=1)


def test_auto_materialize_policy_lazy_keeps_its_rate() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        policy = AutoMaterializePolicy.lazy(max_materializations_per_minute=None)

        @asset(auto_materialize_policy=policy)
        def a() -> int:
            return 1

    assert a.specs[0].automation_policy == AutomationPolicy.lazy()


def test_something_else_as_auto_materialize_policy_is_refused() -> None:
    with pytest.raises(DefinitionError, match="auto_materialize_policy must be"):

        @asset(auto_materialize_policy="eager")
        def a() -> int:
            return 1


def test_an_eager_auto_materialize_policy_builds_a_missing_asset(
    sqlite_instance: Instance,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        @asset(auto_materialize_policy=AutoMaterializePolicy.eager())
        def a() -> int:
            return 1

    assert targets(tick(Definitions(assets=[a]), sqlite_instance, at(1))) == [{"a": []}]


def _pair() -> list[object]:
    @asset
    def up() -> int:
        return 1

    @asset
    def down(up: int) -> int:
        return up + 1

    return [up, down]


def test_a_running_reconciliation_sensor_automates_its_selection_eagerly(
    sqlite_instance: Instance,
) -> None:
    with pytest.warns(DeprecationWarning, match="build_asset_reconciliation_sensor"):
        sensor = build_asset_reconciliation_sensor(
            AssetSelection.keys("up", "down"), default_status=DefaultSensorStatus.RUNNING
        )
    defs = Definitions(assets=_pair(), sensors=[sensor])  # type: ignore[list-item]
    assert sensor.name == "asset_reconciliation_sensor"
    assert targets(tick(defs, sqlite_instance, at(1))) == [{"up": [], "down": []}]


def test_a_stopped_reconciliation_sensor_automates_nothing(sqlite_instance: Instance) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sensor = build_asset_reconciliation_sensor(["up", "down"], name="reconcile")
    defs = Definitions(assets=_pair(), sensors=[sensor])  # type: ignore[list-item]
    assert targets(tick(defs, sqlite_instance, at(1))) == []
