"""JSON lineage: every document validates against the shipped JSON Schema (draft 2020-12)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources

import jsonschema
import pytest

from assetgraph import Definitions, Instance, materialize
from assetgraph.lineage.export import render_lineage
from assetgraph.lineage.json_format import lineage_schema

NOW = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = lineage_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_schema_ships_as_a_file_in_the_package() -> None:
    shipped = resources.files("assetgraph.lineage").joinpath("lineage.schema.json")
    schema = json.loads(shipped.read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"] == {"const": "1"}


def test_unpartitioned_document_after_a_run_validates(
    unpartitioned: Definitions, instance: Instance, validator: jsonschema.Draft202012Validator
) -> None:
    result = materialize(unpartitioned, selection="+broken", instance=instance)
    document = json.loads(render_lineage(unpartitioned, instance, "json", now=NOW))
    validator.validate(document)
    assert document["schema_version"] == "1"
    assert document["generated_at"] == "2025-01-20T12:00:00+00:00"
    assets = {a["key"]: a for a in document["assets"]}
    order = [a["key"] for a in document["assets"]]
    assert order.index("wh-1/orders") < order.index("report") < order.index("broken")
    orders = assets["wh-1/orders"]
    assert orders["key_path"] == ["wh-1", "orders"]
    assert orders["description"] == 'Raw "orders" <from> the API\nsecond line'
    assert orders["status"]["status"] == "materialized"
    last = orders["status"]["last_materialization"]
    assert last["run_id"] == result.run_id
    assert datetime.fromisoformat(last["timestamp"]).tzinfo is not None
    assert assets["broken"]["status"]["status"] == "failed"
    assert assets["lonely"]["status"] == {
        "status": "missing",
        "last_materialization": None,
        "partitions": None,
    }
    assert assets["report"]["upstream"] == [{"key": "wh-1/orders", "partition_mapping": None}]
    assert assets["report"]["downstream"] == ["broken"]


def test_partitioned_document_validates(
    partitioned: Definitions, instance: Instance, validator: jsonschema.Draft202012Validator
) -> None:
    materialize(
        partitioned,
        selection="raw_events",
        partition_range="2025-01-01...2025-01-03",
        instance=instance,
    )
    document = json.loads(render_lineage(partitioned, instance, "json", now=NOW))
    validator.validate(document)
    assets = {a["key"]: a for a in document["assets"]}
    assert assets["raw_events"]["status"] == {
        "status": "partial",
        "last_materialization": None,
        "partitions": {"total": 10, "materialized": 3, "failed": 0, "missing": 7, "stale": 0},
    }
    (upstream,) = assets["weekly"]["upstream"]
    assert upstream["partition_mapping"] == {
        "type": "TimeWindowPartitionMapping",
        "params": {
            "start_offset": -6,
            "end_offset": 0,
            "allow_nonexistent_upstream_partitions": False,
        },
        "text": "TimeWindowPartitionMapping(start_offset=-6, end_offset=0)",
    }
    assert assets["grid"]["partitions"]["kind"] == "multi"


def test_schema_rejects_a_document_missing_a_field(
    unpartitioned: Definitions, instance: Instance, validator: jsonschema.Draft202012Validator
) -> None:
    document = json.loads(render_lineage(unpartitioned, instance, "json", now=NOW))
    del document["assets"][0]["upstream"]
    with pytest.raises(jsonschema.ValidationError, match="upstream"):
        validator.validate(document)
