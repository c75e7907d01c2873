"""The lineage document as Graphviz DOT: one cluster per group, nodes coloured by status.

Every id is a quoted string (keys hold ``/``, ``-`` and ``.``) and every label is escaped,
so any key, group or description yields valid input for ``dot``. Edges carry the text of
their partition mapping unless it is the identity (or there is none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from assetgraph.lineage.colors import FILL, STROKE
from assetgraph.lineage.model import LineageAsset, LineageDocument
from assetgraph.status.assets import STATUSES

_CLUSTER_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
LEGEND_CLUSTER = "cluster_legend"


def quote(text: str) -> str:
    """``text`` as a DOT double-quoted string (backslashes, quotes and newlines escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f'"{escaped}"'


def render_dot(document: LineageDocument) -> str:
    """The document as a ``digraph``, ending with a newline."""
    lines = [
        "digraph lineage {",
        "  rankdir=LR;",
        '  graph [fontname="Helvetica", compound=true];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#607d8b"];',
    ]
    groups = document.groups()
    clusters = cluster_ids(groups)
    for group, assets in groups.items():
        lines.append(f"  subgraph {clusters[group]} {{")
        lines.append(f"    label={quote(group)};")
        lines.append('    style="rounded"; color="#90a4ae";')
        lines.extend(f"    {_node(asset)}" for asset in assets)
        lines.append("  }")
    for upstream, asset in document.edges():
        mapping = upstream.partition_mapping
        attrs = ""
        if mapping is not None and not mapping.is_identity:
            attrs = f" [label={quote(mapping.text)}]"
        lines.append(
            f"  {quote(upstream.key.to_string())} -> {quote(asset.key.to_string())}{attrs};"
        )
    lines.extend(_legend())
    lines.append("}")
    return "\n".join(lines) + "\n"


def cluster_ids(groups: Iterable[str]) -> dict[str, str]:
    """Group -> ``cluster_<group>`` made an identifier, suffixed when two would collide."""
    taken = {LEGEND_CLUSTER}
    ids: dict[str, str] = {}
    for group in groups:
        base = candidate = "cluster_" + _CLUSTER_UNSAFE.sub("_", group)
        number = 2
        while candidate in taken:
            candidate = f"{base}_{number}"
            number += 1
        taken.add(candidate)
        ids[group] = candidate
    return ids


def _node(asset: LineageAsset) -> str:
    status = asset.status.status
    label = asset.key.to_string() + "\n" + _status_text(asset)
    attrs = [
        f"label={quote(label)}",
        f"fillcolor={quote(FILL[status])}",
        f"color={quote(STROKE[status])}",
    ]
    if asset.description:
        attrs.append(f"tooltip={quote(asset.description)}")
    return f"{quote(asset.key.to_string())} [{', '.join(attrs)}];"


def _status_text(asset: LineageAsset) -> str:
    counts = asset.status.partitions
    if counts is None:
        return asset.status.status
    return (
        f"{asset.status.status} {counts.materialized}/{counts.total}"
        + (f", {counts.stale} stale" if counts.stale else "")
        + (f", {counts.failed} failed" if counts.failed else "")
    )


def _legend() -> list[str]:
    lines = [
        f"  subgraph {LEGEND_CLUSTER} {{",
        '    label="status"; style="rounded"; color="#b0bec5"; fontsize=10;',
    ]
    for status in STATUSES:
        lines.append(
            f"    {quote('legend: ' + status)} [label={quote(status)}, "
            f"fillcolor={quote(FILL[status])}, color={quote(STROKE[status])}];"
        )
    # Invisible edges keep the legend in one row.
    for first, second in pairwise(STATUSES):
        lines.append(
            f"    {quote('legend: ' + first)} -> {quote('legend: ' + second)} [style=invis];"
        )
    lines.append("  }")
    return lines
