"""``MetadataValue``, ``Output`` and ``MaterializeResult`` metadata: stored typed, read back,
rendered by ``runs show`` and served by the UI API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import (
    AssetKey,
    DataVersion,
    Instance,
    MaterializeResult,
    MetadataValue,
    Output,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
    materialize,
)
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType

SCHEMA = TableSchema(columns=[TableColumn("id", "int"), TableColumn("name", description="who")])


@pytest.fixture
def instance(isolated_home: Path) -> Instance:
    return Instance.from_env()


def stored_metadata(instance: Instance, run_id: str, key: str) -> dict[str, object]:
    events = instance.storage.events_for_run(run_id, [EventType.ASSET_MATERIALIZATION])
    found = [e for e in events if e.asset_key == key]
    assert len(found) == 1, f"expected one materialization of {key}, got {found}"
    return dict(found[0].payload["metadata"])


def test_each_constructor_keeps_its_type_and_value() -> None:
    moment = datetime(2025, 1, 31, 12, tzinfo=UTC)
    cases = {
        "text": (MetadataValue.text("hi"), "hi"),
        "int": (MetadataValue.int(3), 3),
        "float": (MetadataValue.float(0.5), 0.5),
        "bool": (MetadataValue.bool(True), True),
        "json": (MetadataValue.json({"a": [1, 2]}), {"a": [1, 2]}),
        "md": (MetadataValue.md("# Title"), "# Title"),
        "url": (MetadataValue.url("https://example.com"), "https://example.com"),
        "path": (MetadataValue.path(Path("/data/x.csv")), "/data/x.csv"),
        "notebook": (MetadataValue.notebook("nb.ipynb"), "nb.ipynb"),
        "timestamp": (MetadataValue.timestamp(moment), moment.timestamp()),
        "asset": (MetadataValue.asset(AssetKey(("a", "b"))), "a/b"),
        "null": (MetadataValue.null(), None),
    }
    for expected_type, (value, expected) in cases.items():
        assert (value.type, value.value) == (expected_type, expected), expected_type
    table = MetadataValue.table([TableRecord({"id": 1, "name": "x"})], schema=SCHEMA)
    assert table.value["records"] == [{"id": 1, "name": "x"}]
    assert table.value["schema"]["columns"][1] == {
        "name": "name",
        "type": "string",
        "description": "who",
    }
    with pytest.raises(ValueError, match="timezone-aware"):
        MetadataValue.timestamp(datetime(2025, 1, 1))


def test_output_metadata_is_stored_typed_and_plain_values_are_inferred(
    instance: Instance,
) -> None:
    @asset
    def report() -> Output:
        return Output(
            7,
            metadata={
                "rows": 7,
                "share": 0.25,
                "ok": True,
                "owner": "ana",
                "layout": {"cols": ["a", "b"]},
                "preview": MetadataValue.md("| a |\n|---|\n| <b>1</b> |"),
                "dashboard": MetadataValue.url("https://example.com/d"),
                "table": MetadataValue.table([TableRecord(id=1, name="x")], schema=SCHEMA),
            },
            data_version=DataVersion("v7"),
            tags={"team": "growth"},
        )

    result = materialize([report], instance=instance)

    assert result.success
    stored = stored_metadata(instance, result.run_id, "report")
    assert stored["rows"] == 7 and stored["owner"] == "ana", "plain values are kept as is"
    assert stored["preview"] == {"__metadata__": "md", "value": "| a |\n|---|\n| <b>1</b> |"}
    [materialization] = result.asset_materializations_for_node("report")
    types = {name: value.type for name, value in materialization.metadata.items()}
    assert {k: types[k] for k in ("rows", "share", "ok", "owner", "layout")} == {
        "rows": "int",
        "share": "float",
        "ok": "bool",
        "owner": "text",
        "layout": "json",
    }
    assert (types["preview"], types["dashboard"], types["table"]) == ("md", "url", "table")
    assert materialization.metadata["rows"].value == 7
    assert materialization.data_version == "v7"
    assert materialization.tags == {"team": "growth"}
    assert result.output_for_node("report") == 7
    [event] = result.get_asset_materialization_events()
    assert (event.asset_key, event.partition) == (AssetKey(("report",)), None)
    assert event.materialization.metadata["dashboard"].value == "https://example.com/d"


def test_runs_show_prints_each_entry_by_its_type(instance: Instance) -> None:
    @asset
    def scores() -> MaterializeResult:
        return MaterializeResult(
            metadata={
                "count": 2,
                "summary": MetadataValue.md("line one\nline two"),
                "where": MetadataValue.path("/tmp/scores.csv"),
                "table": MetadataValue.table([{"id": 1, "name": "x"}, {"id": 2, "name": "y"}]),
            }
        )

    result = materialize([scores], instance=instance)
    shown = CliRunner().invoke(app, ["runs", "show", result.run_id])

    assert shown.exit_code == 0, shown.output
    assert "count (int): 2" in shown.output
    assert "summary (md): line one\n      line two" in shown.output
    assert "where (path): /tmp/scores.csv" in shown.output
    assert "table (table): id | name\n      1 | x\n      2 | y" in shown.output


def test_output_takes_its_output_name_second_as_in_dagster(instance: Instance) -> None:
    from assetgraph import AssetOut, multi_asset

    @multi_asset(outs={"first": AssetOut(), "second": AssetOut()})
    def two() -> object:
        yield Output(2, "second", {"n": 2})
        yield Output(1, "first")

    result = materialize([two], instance=instance)

    assert result.success
    assert (result.output_for("first"), result.output_for("second")) == (1, 2)
    assert result.output_for_node("two", "second") == 2
    [second] = [m for m in result.get_asset_materializations() if m.asset_key.path == ("second",)]
    assert second.metadata["n"].value == 2
