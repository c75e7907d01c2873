"""Mermaid lineage: a well-formed flowchart with safe ids, subgraphs and status classes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from assetgraph import Definitions, Instance, materialize
from assetgraph.lineage.export import render_lineage
from assetgraph.lineage.mermaid import label, safe_ids

NOW = datetime(2025, 1, 20, tzinfo=UTC)
SAFE_ID = re.compile(r"^[A-Za-z0-9_]+$")
NODE = re.compile(r'^\s+(\S+)\["(.*)"\]$')
EDGE = re.compile(r'^\s+(\S+) -->(?:\|"[^"]*"\|)? (\S+)$')
SUBGRAPH = re.compile(r'^\s+subgraph (\S+) \["[^"]*"\]$')


def check_structure(text: str) -> dict[str, str]:
    """Every structural rule of the output; returns node id -> label."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    depth = 0
    classes: dict[str, str] = {}
    class_defs: set[str] = set()
    for line in lines[1:]:
        if match := SUBGRAPH.match(line):
            assert SAFE_ID.match(match[1]), line
            depth += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0, "an 'end' without its subgraph"
        elif match := NODE.match(line):
            assert SAFE_ID.match(match[1]) and match[1] not in nodes, line
            assert '"' not in match[2], f"raw quote in label: {line}"
            nodes[match[1]] = match[2]
        elif match := EDGE.match(line):
            edges.append((match[1], match[2]))
        elif line.startswith("  classDef "):
            class_defs.add(line.split()[1])
        elif line.startswith("  class "):
            _, members, name = line.split()
            for member in members.split(","):
                classes[member] = name
        else:
            raise AssertionError(f"unexpected line: {line!r}")
    assert depth == 0, "unbalanced subgraph/end"
    for source, target in edges:
        assert source in nodes and target in nodes, f"edge to an undefined id: {source}->{target}"
    assert set(classes) == set(nodes), "every node has a status class"
    assert set(classes.values()) <= class_defs
    return nodes


def test_unpartitioned_flowchart_after_a_run(
    unpartitioned: Definitions, instance: Instance
) -> None:
    materialize(unpartitioned, selection="+broken", instance=instance)
    text = render_lineage(unpartitioned, instance, "mermaid", now=NOW)
    nodes = check_structure(text)
    assert nodes["n_wh_1_orders"] == "wh-1/orders<br/>materialized"
    assert "  n_wh_1_orders --> n_report" in text
    assert '  subgraph g_mart ["mart"]' in text
    assert re.search(r"^  class .*\bn_broken\b.* failed$", text, re.M)
    assert "  classDef failed fill:#ffcdd2" in text


def test_partitioned_flowchart_labels_mapping_edges(
    partitioned: Definitions, instance: Instance
) -> None:
    text = render_lineage(partitioned, instance, "mermaid", now=NOW)
    nodes = check_structure(text)
    assert nodes["n_raw_events"] == "raw_events<br/>missing 0/10"
    assert (
        '  n_raw_events -->|"TimeWindowPartitionMapping(start_offset=-6, end_offset=0)"| n_weekly'
        in text
    )
    assert "  n_raw_events --> n_cleaned" in text


def test_ids_and_labels_are_escaped() -> None:
    assert safe_ids(["a/b", "a-b", "end"], "n_") == {
        "a/b": "n_a_b",
        "a-b": "n_a_b_2",
        "end": "n_end",
    }
    assert (
        label('say "hi" <b> #1 `x` & y\nz') == '"say #34;hi#34; #60;b#62; #35;1 #96;x#96; #38; y z"'
    )
