"""DOT lineage: Graphviz accepts it; clusters per group, quoted ids, status colours."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assetgraph import Definitions, Instance, materialize
from assetgraph.lineage.dot import cluster_ids, quote
from assetgraph.lineage.export import render_lineage

NOW = datetime(2025, 1, 20, tzinfo=UTC)
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(
    DOT is None, reason="Graphviz 'dot' is not installed (Debian: apt-get install graphviz)"
)


def run_dot(text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert DOT is not None
    source = tmp_path / "lineage.dot"
    source.write_text(text)
    return subprocess.run(
        [DOT, "-Tsvg", str(source), "-o", str(tmp_path / "lineage.svg")],
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_dot
def test_graphviz_renders_unpartitioned_lineage_after_a_run(
    unpartitioned: Definitions, instance: Instance, tmp_path: Path
) -> None:
    materialize(unpartitioned, selection="+broken", instance=instance)
    text = render_lineage(unpartitioned, instance, "dot", now=NOW)
    done = run_dot(text, tmp_path)
    assert done.returncode == 0, f"dot rejected the output:\n{done.stderr}\n{text}"
    svg = (tmp_path / "lineage.svg").read_text()
    assert "wh&#45;1/orders" in svg, "the node of wh-1/orders is drawn"


@needs_dot
def test_graphviz_renders_partitioned_lineage_with_mapping_labels(
    partitioned: Definitions, instance: Instance, tmp_path: Path
) -> None:
    text = render_lineage(partitioned, instance, "dot", now=NOW)
    done = run_dot(text, tmp_path)
    assert done.returncode == 0, f"dot rejected the output:\n{done.stderr}\n{text}"


def test_one_labelled_cluster_per_group_and_quoted_escaped_nodes(
    unpartitioned: Definitions, instance: Instance
) -> None:
    materialize(unpartitioned, selection="+broken", instance=instance)
    text = render_lineage(unpartitioned, instance, "dot", now=NOW)
    assert text.startswith("digraph lineage {")
    for group in ("default", "mart", "raw"):
        assert f"subgraph cluster_{group} {{" in text
        assert f'label="{group}";' in text
    assert "subgraph cluster_legend {" in text
    assert text.count("{") == text.count("}")
    assert '"wh-1/orders" -> "report";' in text
    assert 'tooltip="Raw \\"orders\\" <from> the API\\nsecond line"' in text
    assert '"report" [label="report\\nmaterialized", fillcolor="#c8e6c9"' in text
    assert '"broken" [label="broken\\nfailed", fillcolor="#ffcdd2"' in text


def test_edges_are_labelled_with_non_identity_mappings_only(
    partitioned: Definitions, instance: Instance
) -> None:
    text = render_lineage(partitioned, instance, "dot", now=NOW)
    assert (
        '"raw_events" -> "weekly" '
        '[label="TimeWindowPartitionMapping(start_offset=-6, end_offset=0)"];'
    ) in text
    assert '"raw_events" -> "cleaned";' in text
    assert '"weekly" -> "summary" [label="AllPartitionMapping()"];' in text
    assert 'label="raw_events\\nmissing 0/10"' in text


def test_quote_and_cluster_ids_are_safe_for_any_text() -> None:
    assert quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert cluster_ids(["legend", "my group", "my-group"]) == {
        "legend": "cluster_legend_2",
        "my group": "cluster_my_group",
        "my-group": "cluster_my_group_2",
    }
