"""The lineage document as a Mermaid ``flowchart LR``: a subgraph per group, a class per status.

Asset keys become safe ids (``n_`` + the key with every character outside
``[A-Za-z0-9_]`` replaced by ``_``, suffixed on a collision): the prefix keeps ids clear of
Mermaid's keywords (``end``) and edge markers (``o``, ``x``). Labels are quoted, with
characters Mermaid would interpret written as entity codes (``#34;``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assetgraph.keys import AssetKey
from assetgraph.lineage.colors import FILL, STROKE
from assetgraph.lineage.model import LineageAsset, LineageDocument
from assetgraph.status.assets import STATUSES

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
# '#' first, so the entity codes added for the others are not escaped again.
_ENTITIES = {"#": "#35;", '"': "#34;", "<": "#60;", ">": "#62;", "`": "#96;", "&": "#38;"}


def label(text: str) -> str:
    """``text`` as a quoted Mermaid label, on one line, with special characters as entities."""
    text = " ".join(text.split())
    for char, code in _ENTITIES.items():
        text = text.replace(char, code)
    return f'"{text}"'


def safe_ids(names: Iterable[str], prefix: str) -> dict[str, str]:
    """Name -> a unique Mermaid id made of ``prefix`` and the name's safe characters."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = candidate = prefix + _UNSAFE.sub("_", name)
        number = 2
        while candidate in taken:
            candidate = f"{base}_{number}"
            number += 1
        taken.add(candidate)
        ids[name] = candidate
    return ids


def render_mermaid(document: LineageDocument) -> str:
    """The document as Mermaid flowchart text, ending with a newline."""
    node_ids = safe_ids((asset.key.to_string() for asset in document.assets), "n_")
    groups = document.groups()
    group_ids = safe_ids(groups, "g_")
    lines = ["flowchart LR"]
    for group, assets in groups.items():
        lines.append(f"  subgraph {group_ids[group]} [{label(group)}]")
        lines.extend(f"    {node_ids[a.key.to_string()]}[{_node_label(a)}]" for a in assets)
        lines.append("  end")
    for upstream, asset in document.edges():
        mapping = upstream.partition_mapping
        arrow = "-->"
        if mapping is not None and not mapping.is_identity:
            arrow = f"-->|{label(mapping.text)}|"
        lines.append(f"  {_id(node_ids, upstream.key)} {arrow} {_id(node_ids, asset.key)}")
    for status in STATUSES:
        lines.append(f"  classDef {status} fill:{FILL[status]},stroke:{STROKE[status]},color:#000")
    for status in STATUSES:
        members = [
            node_ids[a.key.to_string()] for a in document.assets if a.status.status == status
        ]
        if members:
            lines.append(f"  class {','.join(members)} {status}")
    return "\n".join(lines) + "\n"


def _id(node_ids: dict[str, str], key: AssetKey) -> str:
    return node_ids[key.to_string()]


def _node_label(asset: LineageAsset) -> str:
    counts = asset.status.partitions
    status: str = asset.status.status
    if counts is not None:
        status += f" {counts.materialized}/{counts.total}"
    # The only markup in a label is our own line break, added after escaping.
    return label(asset.key.to_string())[:-1] + "<br/>" + status + '"'
