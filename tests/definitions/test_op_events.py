"""``AssetMaterialization`` and ``AssetObservation``: the events user code reports about an
asset, sharing their fields but never equal to each other."""

from __future__ import annotations

import pickle

import pytest

from assetgraph import AssetKey, AssetMaterialization, AssetObservation


def test_a_materialization_and_an_observation_of_the_same_asset_are_different_events() -> None:
    materialization = AssetMaterialization("raw/orders", metadata={"rows": 3}, partition="a")
    observation = AssetObservation("raw/orders", metadata={"rows": 3}, partition="a")

    assert materialization.asset_key == observation.asset_key == AssetKey(("raw", "orders"))
    assert materialization != observation
    assert materialization == AssetMaterialization(
        ["raw", "orders"], metadata={"rows": 3}, partition="a"
    )
    assert repr(materialization).startswith("AssetMaterialization(asset_key=")
    assert repr(observation).startswith("AssetObservation(asset_key=")
    assert (materialization.user_event_kind, observation.user_event_kind) == (
        "materialization",
        "observation",
    )
    assert pickle.loads(pickle.dumps(materialization)) == materialization
    with pytest.raises(AttributeError):
        materialization.description = "changed"  # type: ignore[misc]


def test_a_file_materialization_is_keyed_by_the_parts_of_its_path() -> None:
    made = AssetMaterialization.file("/data/exports/orders.csv", description="export")

    assert made.asset_key == AssetKey(("data", "exports", "orders.csv"))
    assert made.metadata == {"path": "/data/exports/orders.csv"}
    assert made.label == "data/exports/orders.csv"
    assert AssetMaterialization.file("/x.csv", asset_key="exports").asset_key == AssetKey(
        ("exports",)
    )
