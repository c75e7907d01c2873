"""``deps=[...]``, ``AssetDep`` and ``AssetSpec`` (external assets), as Dagster has them.

The code locations are written the way Dagster's documentation writes them, with
``from dagster import`` rewritten to ``from assetgraph import``.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetDep,
    AssetKey,
    AssetSpec,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    SourceAsset,
    TimeWindowPartitionMapping,
    asset,
    materialize,
)
from assetgraph.cli.main import app
from assetgraph.errors import DefinitionError, UsageError

EXTERNAL = """
from assetgraph import AssetSpec, Definitions, asset

raw_logs = AssetSpec("raw_logs")
processed_logs = AssetSpec("processed_logs", deps=[raw_logs])


@asset(deps=[processed_logs])
def aggregated_logs() -> None:
    # Read processed_logs, aggregate them, write the result somewhere
    ...


defs = Definitions(assets=[raw_logs, processed_logs, aggregated_logs])
"""

PARTITION_DEPS = """
from assetgraph import (
    AssetDep,
    DailyPartitionsDefinition,
    TimeWindowPartitionMapping,
    asset,
)

partitions_def = DailyPartitionsDefinition(start_date="2023-01-21")


@asset(partitions_def=partitions_def)
def events(context):
    return context.partition_key


@asset(
    partitions_def=partitions_def,
    deps=[
        AssetDep(
            events,
            partition_mapping=TimeWindowPartitionMapping(start_offset=-1, end_offset=-1),
        )
    ],
)
def yesterday_event_stats(context):
    return context.partition_key
"""


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_an_asset_spec_in_definitions_is_an_external_asset(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(EXTERNAL)

    listing = _cli("list", "-f", "defs.py", "--json")
    assert listing.exit_code == 0, listing.output
    assert {"raw_logs", "processed_logs", "aggregated_logs"} <= set(listing.output.split('"'))

    lineage = _cli("lineage", "-f", "defs.py", "--format", "json")
    upstream = {
        entry["key"]: [up["key"] for up in entry["upstream"]]
        for entry in json.loads(lineage.output)["assets"]
    }
    assert upstream == {
        "raw_logs": [],
        "processed_logs": ["raw_logs"],
        "aggregated_logs": ["processed_logs"],
    }

    refused = _cli("materialize", "-f", "defs.py", "--select", "processed_logs")
    assert refused.exit_code == 2
    assert "external asset" in refused.output

    built = _cli("materialize", "-f", "defs.py")
    assert built.exit_code == 0, built.output
    records = Instance.from_env().storage.latest_materializations()
    assert {key for key, _ in records} == {"aggregated_logs"}, "externals are not materialized"


def test_external_asset_keeps_what_its_spec_declares() -> None:
    spec = AssetSpec(
        "warehouse/orders",
        description="Loaded nightly by the vendor",
        metadata={"table": "orders"},
        group_name="vendor",
        owners=["team:data"],
        tags={"tier": "bronze"},
        kinds={"snowflake"},
    )

    @asset(deps=[spec])
    def order_report() -> int:
        return 1

    defs = Definitions(assets=[spec, order_report])
    key = AssetKey(["warehouse", "orders"])
    assert defs.graph.is_source(key) and defs.graph.is_external(key)
    declared = defs.graph.spec(key)
    assert declared.group == "vendor" and declared.owners == ("team:data",)
    assert declared.tags == {"tier": "bronze", "dagster/kind/snowflake": ""}
    assert declared.description == "Loaded nightly by the vendor"
    assert list(defs.graph.parents(AssetKey("order_report"))) == [key]
    with pytest.raises(UsageError, match="external asset"):
        materialize(defs, selection="warehouse/orders")
    assert materialize(defs).output_for("order_report") == 1


def test_a_dep_mapping_says_which_upstream_partitions_a_partition_depends_on(
    tmp_path: Path,
) -> None:
    (tmp_path / "defs.py").write_text(PARTITION_DEPS)
    first_day = _cli("materialize", "-f", "defs.py", "--partition", "2023-01-21")
    assert first_day.exit_code == 2, "the first day has no previous day to depend on"
    assert "do not exist" in first_day.output
    result = _cli(
        "materialize",
        "-f",
        "defs.py",
        "--partition-range",
        "2023-01-22...2023-01-23",
        "--select",
        "+yesterday_event_stats",
    )
    assert result.exit_code == 0, result.output

    events = Instance.from_env().storage.latest_materializations(["events"])
    stats = materialize_payload(tmp_path, "2023-01-23")
    read = stats["input_versions"]["events"]
    assert list(read) == ["2023-01-22"], "stats for a day depend on the previous day's events"
    assert read["2023-01-22"] == events[("events", "2023-01-22")].data_version


def materialize_payload(tmp_path: Path, partition: str) -> dict[str, Any]:
    """The payload of the latest materialization of yesterday_event_stats[partition]."""
    instance = Instance.from_env()
    record = instance.storage.latest_materializations(["yesterday_event_stats"])[
        ("yesterday_event_stats", partition)
    ]
    event = next(
        e
        for e in instance.storage.events_for_run(record.run_id)
        if e.asset_key == "yesterday_event_stats" and e.partition_key == partition
    )
    return event.payload


def test_asset_dep_takes_every_way_of_naming_an_asset() -> None:
    source = SourceAsset("src")

    @asset
    def upstream() -> int:
        return 1

    spec = AssetSpec("spec_asset")
    deps = [
        AssetDep("a/b"),
        AssetDep(["c", "d"]),
        AssetDep(AssetKey("e")),
        AssetDep(upstream),
        AssetDep(spec),
        AssetDep(source),
    ]
    assert [dep.asset_key for dep in deps] == [
        AssetKey(["a", "b"]),
        AssetKey(["c", "d"]),
        AssetKey("e"),
        AssetKey("upstream"),
        AssetKey("spec_asset"),
        AssetKey("src"),
    ]
    mapping = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
    assert AssetDep("x", partition_mapping=mapping).partition_mapping is mapping
    with pytest.raises(DefinitionError, match="AssetDep"):
        AssetDep(3.5)


def test_deps_orders_but_does_not_load_and_an_undeclared_key_is_external() -> None:
    loaded: list[str] = []

    @asset
    def first() -> int:
        loaded.append("first")
        return 1

    @asset(deps=[first, "somewhere_else"])
    def second() -> int:
        loaded.append("second")
        return 2

    defs = Definitions(assets=[first, second])
    assert defs.graph.is_external(AssetKey("somewhere_else"))
    result = materialize(defs)
    assert result.success and loaded == ["first", "second"]


def test_deps_with_a_mapping_between_daily_assets_is_checked_like_an_input() -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(partitions_def=daily)
    def up() -> int:
        return 1

    @asset(partitions_def=daily, deps=[AssetDep(up, partition_mapping="previous day")])
    def down() -> int:
        return 1

    with pytest.raises(DefinitionError, match="PartitionMapping"):
        Definitions(assets=[up, down])


def test_asset_spec_copies_with_replaced_and_merged_attributes() -> None:
    spec = AssetSpec("orders", tags={"a": "1"}, owners=["x@example.com"], kinds={"python"})
    moved = spec.replace_attributes(key="sales/orders", group_name="sales")
    assert moved.key == AssetKey(["sales", "orders"]) and moved.group_name == "sales"
    merged = spec.merge_attributes(tags={"b": "2"}, owners=["team:y"], deps=["raw"])
    assert merged.tags == {"a": "1", "b": "2"}
    assert merged.owners == ("x@example.com", "team:y")
    assert [dep.asset_key for dep in merged.deps] == [AssetKey("raw")]
    with pytest.raises(DefinitionError, match="unknown attribute"):
        spec.replace_attributes(colour="blue")


def test_external_assets_pickle_as_worker_processes_receive_them() -> None:
    spec = AssetSpec("raw", deps=["upstream_feed"], group_name="vendor", kinds={"s3"})
    defs = Definitions(assets=[spec])

    received = pickle.loads(pickle.dumps(defs))
    graph = received.graph
    assert graph.is_external(AssetKey("raw")) and graph.is_external(AssetKey("upstream_feed"))
    assert list(graph.parents(AssetKey("raw"))) == [AssetKey("upstream_feed")]
    assert graph.spec(AssetKey("raw")).tags == {"dagster/kind/s3": ""}
