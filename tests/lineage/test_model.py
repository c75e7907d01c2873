"""The neutral lineage document: partitions definitions and mappings described as data."""

from __future__ import annotations

from datetime import UTC, datetime

from assetgraph import Definitions
from assetgraph.keys import AssetKey
from assetgraph.lineage.model import build_lineage, describe_mapping
from assetgraph.partitions import StaticPartitionMapping, TimeWindowPartitionMapping
from assetgraph.status.assets import AssetStatus

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def test_assets_carry_spec_fields_and_both_directions(unpartitioned: Definitions) -> None:
    graph = unpartitioned.graph
    document = build_lineage(graph, graph.all_keys, {}, NOW)
    by_key = {asset.key.to_string(): asset for asset in document.assets}
    orders = by_key["wh-1/orders"]
    assert orders.group == "raw" and orders.owners == ("team:data",)
    assert orders.tags == {"tier": "bronze"}
    assert [k.to_string() for k in orders.downstream] == ["report"]
    report = by_key["report"]
    assert report.code_version == "v7"
    assert [(u.key.to_string(), u.partition_mapping) for u in report.upstream] == [
        ("wh-1/orders", None)
    ]
    assert report.status == AssetStatus("missing"), "no status given means missing"
    assert list(document.groups()) == ["default", "mart", "raw"]


def test_selection_keeps_topological_order_and_edges_inside_it(unpartitioned: Definitions) -> None:
    graph = unpartitioned.graph
    keys = [AssetKey.from_user(k) for k in ("broken", "report")]
    document = build_lineage(graph, keys, {}, NOW)
    assert [a.key.to_string() for a in document.assets] == ["report", "broken"]
    assert [(u.key.to_string(), a.key.to_string()) for u, a in document.edges()] == [
        ("report", "broken")
    ]
    # The asset still lists its upstream outside the selection.
    assert [u.key.to_string() for u in document.assets[0].upstream] == ["wh-1/orders"]


def test_partitions_definitions_by_kind(partitioned: Definitions) -> None:
    graph = partitioned.graph
    document = build_lineage(graph, graph.all_keys, {}, NOW)
    parts = {a.key.to_string(): a.partitions for a in document.assets}
    assert parts["summary"] is None
    raw = parts["raw_events"]
    assert raw is not None
    assert raw["kind"] == "time_window" and raw["type"] == "DailyPartitionsDefinition"
    assert raw["cron_schedule"] == "0 0 * * *" and raw["fmt"] == "%Y-%m-%d"
    assert raw["timezone"] == "UTC" and raw["end_offset"] == 0
    assert raw["start"].startswith("2025-01-01T00:00:00")
    assert raw["end"].startswith("2025-01-11T00:00:00")
    regions = parts["by_region"]
    assert regions == {
        "type": "StaticPartitionsDefinition",
        "kind": "static",
        "keys_count": 12,
        "first_keys": [f"region-{n}" for n in range(10)],
    }
    assert parts["per_customer"] == {
        "type": "DynamicPartitionsDefinition",
        "kind": "dynamic",
        "name": "customers",
    }
    grid = parts["grid"]
    assert grid is not None and grid["kind"] == "multi"
    assert [d["name"] for d in grid["dimensions"]] == ["day", "region"]
    assert grid["dimensions"][1]["partitions"]["kind"] == "static"


def test_upstream_mappings_are_described_by_class_and_fields(partitioned: Definitions) -> None:
    graph = partitioned.graph
    document = build_lineage(graph, graph.all_keys, {}, NOW)
    mappings = {
        (u.key.to_string(), a.key.to_string()): u.partition_mapping
        for a in document.assets
        for u in a.upstream
    }
    weekly = mappings[("raw_events", "weekly")]
    assert weekly is not None and not weekly.is_identity
    assert weekly.text == "TimeWindowPartitionMapping(start_offset=-6, end_offset=0)"
    assert weekly.params["allow_nonexistent_upstream_partitions"] is False
    cleaned = mappings[("raw_events", "cleaned")]
    assert cleaned is not None and cleaned.is_identity
    summary = mappings[("weekly", "summary")]
    assert summary is not None and summary.kind == "AllPartitionMapping"


def test_static_mapping_table_is_plain_data() -> None:
    described = describe_mapping(StaticPartitionMapping({"a": ["y", "x"], "b": "z"}))
    assert described is not None
    assert described.params == {
        "downstream_partition_keys_by_upstream_partition_key": {"a": ["x", "y"], "b": ["z"]}
    }
    assert describe_mapping(None) is None
    window = describe_mapping(TimeWindowPartitionMapping(-1, 0, True))
    assert window is not None and "allow_nonexistent_upstream_partitions=True" in window.text
