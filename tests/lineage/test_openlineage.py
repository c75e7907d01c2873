"""OpenLineage: RunEvents with the spec's required fields, START before COMPLETE/FAIL."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import pytest

from assetgraph import Definitions, Instance, materialize
from assetgraph.lineage.openlineage import (
    SPEC_SCHEMA_URL,
    dataset_for,
    export_run_events,
    render_jsonl,
)

# Required fields of RunEvent in spec 2-0-2 (BaseEvent + RunEvent), with their types.
REQUIRED_EVENT = {"eventTime": str, "producer": str, "schemaURL": str, "run": dict, "job": dict}
EVENT_TYPES = {"START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"}


def check_event(event: dict[str, Any]) -> None:
    for field, kind in REQUIRED_EVENT.items():
        assert isinstance(event.get(field), kind), f"{field} missing or not {kind.__name__}"
    assert event["eventType"] in EVENT_TYPES
    assert datetime.fromisoformat(event["eventTime"]).tzinfo is not None
    assert event["producer"].startswith("https://")
    assert event["schemaURL"] == SPEC_SCHEMA_URL
    assert str(uuid.UUID(event["run"]["runId"])) == event["run"]["runId"]
    for name in ("namespace", "name"):
        assert isinstance(event["job"][name], str) and event["job"][name]
    for dataset in event.get("inputs", []) + event.get("outputs", []):
        assert isinstance(dataset["namespace"], str) and isinstance(dataset["name"], str)
    for facet in event["run"].get("facets", {}).values():
        assert facet["_producer"] and facet["_schemaURL"].startswith("https://")


def test_a_run_with_a_failed_step_gives_start_then_complete_or_fail(
    unpartitioned: Definitions, instance: Instance
) -> None:
    result = materialize(unpartitioned, selection="+after_broken", instance=instance)
    events = export_run_events(
        unpartitioned.graph, unpartitioned.io_managers, instance.storage, result.run_id
    )
    for event in events:
        check_event(event)
    by_job: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_job.setdefault(event["job"]["name"], []).append(event)
    assert set(by_job) == {"wh-1/orders", "report", "broken"}, "the skipped step has no events"
    assert [e["eventType"] for e in by_job["report"]] == ["START", "COMPLETE"]
    assert [e["eventType"] for e in by_job["broken"]] == ["START", "FAIL"]
    for pair in by_job.values():
        assert pair[0]["eventTime"] <= pair[1]["eventTime"]
        assert pair[0]["run"]["runId"] == pair[1]["run"]["runId"]

    parent_id = str(uuid.UUID(hex=result.run_id))
    report_start = by_job["report"][0]
    parent = report_start["run"]["facets"]["parent"]
    assert parent["run"]["runId"] == parent_id
    assert report_start["run"]["runId"] == str(uuid.uuid5(uuid.UUID(parent_id), "report"))
    error = by_job["broken"][1]["run"]["facets"]["errorMessage"]
    assert "warehouse unreachable" in error["message"] and error["programmingLanguage"] == "python"

    storage_dir = instance.storage_dir
    assert report_start["outputs"] == [{"namespace": "file", "name": str(storage_dir / "report")}]
    assert report_start["inputs"] == [
        {"namespace": "file", "name": str(storage_dir / "wh-1" / "orders")}
    ]
    # 'broken' never stored a value: its output falls back to the asset key.
    assert by_job["broken"][0]["outputs"] == [{"namespace": "assetgraph://", "name": "broken"}]


def test_partitioned_steps_name_the_asset_folder_and_one_job(
    partitioned: Definitions, instance: Instance
) -> None:
    result = materialize(
        partitioned,
        selection="raw_events",
        partition_range="2025-01-01...2025-01-02",
        instance=instance,
    )
    events = export_run_events(
        partitioned.graph, partitioned.io_managers, instance.storage, result.run_id
    )
    assert [(e["eventType"], e["job"]["name"]) for e in events] == [
        ("START", "raw_events"),
        ("COMPLETE", "raw_events"),
        ("START", "raw_events"),
        ("COMPLETE", "raw_events"),
    ]
    assert events[0]["run"]["runId"] != events[2]["run"]["runId"], "one run per partition step"
    folder = str(instance.storage_dir / "raw_events")
    assert {e["outputs"][0]["name"] for e in events} == {folder}


def test_export_is_deterministic_and_json_lines(
    unpartitioned: Definitions, instance: Instance
) -> None:
    result = materialize(unpartitioned, selection="+report", instance=instance)
    args = (unpartitioned.graph, unpartitioned.io_managers, instance.storage, result.run_id)
    first, second = export_run_events(*args), export_run_events(*args)
    assert first == second
    lines = render_jsonl(first).splitlines()
    assert [json.loads(line) for line in lines] == first


@pytest.mark.parametrize(
    ("metadata", "partitioned", "url", "expected"),
    [
        ({"path": "/data/a/b"}, False, None, ("file", "/data/a/b")),
        ({"path": "/data/p/2025-01-01"}, True, None, ("file", "/data/p")),
        ({"path": "/data/p", "partitions": 3}, True, None, ("file", "/data/p")),
        ({"path": "s3://bucket/x/y.parquet"}, False, None, ("s3://bucket", "/x/y.parquet")),
        (
            {"table": "main.orders"},
            False,
            "postgresql+psycopg://me:secret@db:5432/wh",
            ("postgresql+psycopg://me:***@db:5432/wh", "main.orders"),
        ),
        (
            {"path": "/w.duckdb", "table": "main.t"},
            False,
            "duckdb:////w.duckdb",
            ("duckdb:////w.duckdb", "main.t"),
        ),
        ({"table": "t"}, False, None, ("assetgraph://", "a/b")),
        ({}, False, None, ("assetgraph://", "a/b")),
    ],
)
def test_datasets_are_named_from_the_io_manager_location(
    metadata: dict[str, Any], partitioned: bool, url: str | None, expected: tuple[str, str]
) -> None:
    dataset = dataset_for("a/b", metadata, partitioned, url)
    assert (dataset.namespace, dataset.name) == expected
    assert "secret" not in dataset.namespace
