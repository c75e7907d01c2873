"""``stale`` in lineage exports: JSON (against its schema), DOT (through Graphviz), Mermaid."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from assetgraph import Instance, materialize
from assetgraph.definitions.code_location import load_definitions
from assetgraph.lineage.colors import FILL, STROKE
from assetgraph.lineage.export import render_lineage
from assetgraph.lineage.json_format import lineage_schema
from assetgraph.status.assets import STATUSES

NOW = datetime(2025, 1, 20, tzinfo=UTC)

LOCATION = """
from assetgraph import DailyPartitionsDefinition, SourceAsset, asset

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-06")
vendor_feed = SourceAsset("vendor_feed", group="raw")

@asset(partitions_def=daily, group="raw", code_version="{version}")
def events(context):
    return context.partition_key

@asset(partitions_def=daily, group="mart", code_version="1")
def cleaned(events):
    return events

@asset(group="mart", code_version="1")
def total(cleaned):
    return len(cleaned)
"""


@pytest.fixture
def location(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(LOCATION.format(version="1"))
    return path


def test_stale_asset_in_json_lineage(location: Path, tmp_path: Path) -> None:
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    defs = load_definitions(file=location)
    materialize(defs, all_partitions=True, instance=instance)
    # New code for events, rebuilt for two days only (same data): the other three days of
    # events are stale, and so are the days of cleaned that read them.
    location.write_text(LOCATION.format(version="2"))
    changed = load_definitions(file=location)
    materialize(
        changed, selection="events", partition_range="2025-01-02...2025-01-03", instance=instance
    )

    document = json.loads(render_lineage(changed, instance, "json", now=NOW))
    jsonschema.Draft202012Validator(lineage_schema()).validate(document)
    statuses = {a["key"]: a["status"] for a in document["assets"]}
    assert statuses["events"] == {
        "status": "stale",
        "last_materialization": None,
        "partitions": {"total": 5, "materialized": 5, "failed": 0, "missing": 0, "stale": 3},
    }
    assert statuses["cleaned"]["status"] == "stale"
    assert statuses["cleaned"]["partitions"]["stale"] == 3
    assert statuses["total"]["status"] == "stale"
    assert statuses["vendor_feed"]["status"] == "materialized", "a plain source is present"


def test_stale_is_a_status_with_its_own_colours() -> None:
    assert "stale" in STATUSES
    assert lineage_schema()["$defs"]["status"]["properties"]["status"]["enum"] == list(STATUSES)
    assert FILL["stale"] not in {FILL[s] for s in STATUSES if s != "stale"}
    assert STROKE["stale"] not in {STROKE[s] for s in STATUSES if s != "stale"}


def test_stale_asset_in_dot_and_mermaid(location: Path, tmp_path: Path) -> None:
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    defs = load_definitions(file=location)
    materialize(defs, all_partitions=True, instance=instance)
    location.write_text(LOCATION.format(version="2"))
    changed = load_definitions(file=location)

    dot = render_lineage(changed, instance, "dot", now=NOW)
    assert (
        f'"events" [label="events\\nstale 5/5, 5 stale", fillcolor="{FILL["stale"]}", '
        f'color="{STROKE["stale"]}"];' in dot
    )
    assert '"legend: stale" [label="stale"' in dot
    if shutil.which("dot") is not None:
        source = tmp_path / "lineage.dot"
        source.write_text(dot)
        done = subprocess.run(
            ["dot", "-Tsvg", str(source), "-o", str(tmp_path / "lineage.svg")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr

    mermaid = render_lineage(changed, instance, "mermaid", now=NOW)
    assert f"  classDef stale fill:{FILL['stale']},stroke:{STROKE['stale']},color:#000" in mermaid
    stale_line = next(line for line in mermaid.splitlines() if line.endswith(" stale"))
    assert stale_line.startswith("  class ") and stale_line.count(",") == 2  # 3 stale assets
