"""Dagster's components and ``defs/`` project layout: ``Component`` classes instantiated
from ``defs.yaml`` files or ``@component_instance`` functions, and
``load_from_defs_folder`` / ``load_defs``, which load a project's ``defs/`` folder.

``import dagster as dg`` code reaches these as ``dg.components.load_defs(...)`` too, so
this package answers every public name of ``assetgraph`` (``assetgraph.components`` is
this package itself)."""

from __future__ import annotations

import sys
from typing import Any

components = sys.modules[__name__]


def __getattr__(name: str) -> Any:
    import assetgraph

    return getattr(assetgraph, name)
