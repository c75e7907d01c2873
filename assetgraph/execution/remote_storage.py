"""Refuse a run on a remote Dask cluster whose values would stay on this machine.

Workers of a cluster at ``--dask-address`` run on other hosts, with their own disks and
memory: an IO manager that keeps values in a local folder (the default pickle files under
``$ASSETGRAPH_HOME/storage``), a local DuckDB or SQLite file, or process memory would
write each value where no other worker, and not the coordinator, can read it. So before a
run is recorded, every IO manager its steps write or read through is asked where it keeps
values (``IOManager.host_local_storage``); one that answers with a place on this machine
is refused, naming the asset and the IO manager and saying what to use instead, unless the
place is under one of ``ASSETGRAPH_SHARED_PATHS`` (a network mount every worker sees at
the same path).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assetgraph import settings
from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.definitions.assets import AssetsDefinition
    from assetgraph.graph import AssetGraph


def refuse_host_local_storage(
    graph: AssetGraph,
    assets_defs: Iterable[AssetsDefinition],
    io_managers: Mapping[str, Any],
    address: str,
) -> None:
    """``UsageError`` for the first IO manager of ``assets_defs`` (their outputs, then their
    inputs) whose values the workers at ``address`` could not share."""
    shared = settings.shared_paths()
    for asset_key, io_key in _io_manager_uses(graph, assets_defs):
        manager = io_managers[io_key]
        place = manager.host_local_storage() if hasattr(manager, "host_local_storage") else None
        if place is None or _under(place, shared):
            continue
        raise UsageError(
            f"Asset '{asset_key}' uses IO manager '{io_key}' ({type(manager).__name__}), which "
            f"keeps values in {place} on this machine; the Dask workers at {address} run "
            "elsewhere and cannot read or write there. Store values where every worker "
            "reaches them: Definitions(io_managers={'" + io_key + "': "
            "PickleIOManager('s3://bucket/prefix')}) (or ParquetIOManager('s3://...'), or a "
            "database server with SQLTableIOManager). If that folder is a network mount that "
            f"every worker sees at the same path, say so: {settings.SHARED_PATHS_ENV}="
            f"{place if place.startswith('/') else '/shared/mount'}."
        )


def _io_manager_uses(
    graph: AssetGraph, assets_defs: Iterable[AssetsDefinition]
) -> Iterable[tuple[AssetKey, str]]:
    """(asset key, IO manager key) for every output and input of ``assets_defs``."""
    seen: set[str] = set()
    for assets_def in assets_defs:
        uses = [(spec.key, spec.io_manager_key) for spec in assets_def.specs]
        uses += [
            (upstream, graph.spec(upstream).io_manager_key)
            for upstream in graph.input_keys(assets_def).values()
        ]
        for asset_key, io_key in uses:
            if io_key not in seen:
                seen.add(io_key)
                yield asset_key, io_key


def _under(place: str, shared: tuple[Path, ...]) -> bool:
    path = Path(place)
    if not path.is_absolute():
        return False
    return any(path.resolve().is_relative_to(root.resolve()) for root in shared)
