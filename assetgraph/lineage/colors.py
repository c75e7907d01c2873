"""The colour of each status, shared by the DOT and Mermaid exports (and the legend)."""

from __future__ import annotations

from assetgraph.status.assets import Status

FILL: dict[Status, str] = {
    "materialized": "#c8e6c9",
    "partial": "#fff3c4",
    "stale": "#ffe0b2",
    "missing": "#eeeeee",
    "failed": "#ffcdd2",
}
STROKE: dict[Status, str] = {
    "materialized": "#2e7d32",
    "partial": "#b28704",
    "stale": "#e65100",
    "missing": "#757575",
    "failed": "#c62828",
}
