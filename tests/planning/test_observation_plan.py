"""The plan of an observation run: one observe step per observable source, no upstreams."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assetgraph import Definitions, SourceAsset, UsageError, asset, observable_source_asset
from assetgraph.planning.observation import build_observation_plan
from assetgraph.planning.planner import StepKind, build_plan

NOW = datetime(2025, 6, 1, tzinfo=UTC)


@observable_source_asset(key_prefix="vendor")
def prices() -> str:
    return "v1"


@observable_source_asset
def rates() -> str:
    return "r1"


plain = SourceAsset("orders")


@asset
def report(rates: int, orders: int) -> int:
    return rates + orders


DEFS = Definitions([prices, rates, plain, report])


def test_one_observe_step_per_source_without_upstream_steps() -> None:
    plan = build_observation_plan(DEFS.graph, [rates.key, prices.key], current_time=NOW)
    assert [step.key for step in plan.steps] == ["vendor/prices", "rates"]
    assert {step.kind for step in plan.steps} == {StepKind.OBSERVE}
    assert all(step.upstream_steps == () and step.partition_keys == () for step in plan.steps)
    assert plan.selected_keys == (prices.key, rates.key)
    assert plan.current_time == NOW
    assert plan.assets_defs == [prices, rates]


def test_materialize_steps_are_of_the_materialize_kind() -> None:
    plan = build_plan(DEFS.graph, [report.key], current_time=NOW)
    assert [(step.key, step.kind) for step in plan.steps] == [("report", StepKind.MATERIALIZE)]


@pytest.mark.parametrize("key", [plain.key, report.key])
def test_only_observable_sources_are_observed(key: object) -> None:
    with pytest.raises(UsageError) as error:
        build_observation_plan(DEFS.graph, [key], current_time=NOW)  # type: ignore[list-item]
    assert str(error.value) == (
        f"Only observable source assets can be observed, not {key}: declare a source with "
        "@observable_source_asset (a function returning its DataVersion)."
    )
