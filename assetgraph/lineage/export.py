"""One call from a code location and an instance to the text of any lineage format."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from assetgraph.errors import RunNotFoundError, UsageError
from assetgraph.keys import AssetKey
from assetgraph.lineage.dot import render_dot
from assetgraph.lineage.json_format import render_json
from assetgraph.lineage.mermaid import render_mermaid
from assetgraph.lineage.model import build_lineage
from assetgraph.lineage.openlineage import (
    DEFAULT_NAMESPACE,
    export_run_events,
    render_jsonl,
)
from assetgraph.status.assets import asset_statuses

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.graph import AssetGraph
    from assetgraph.lineage.model import LineageDocument
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.records import RunRecord
    from assetgraph.storage.sql_storage import SqlStorage

FORMATS = ("json", "dot", "mermaid", "openlineage")


def lineage_document(
    defs: Definitions, instance: Instance, keys: Sequence[AssetKey], now: datetime
) -> LineageDocument:
    """The lineage document of ``keys`` with their current status."""
    statuses = asset_statuses(defs.graph, keys, instance.storage, now)
    return build_lineage(defs.graph, keys, statuses, now)


def latest_run_of(graph: AssetGraph, storage: SqlStorage) -> RunRecord:
    """The newest run that built an asset of ``graph``: an instance may hold the runs of
    several code locations. Reads runs newest first, a page at a time."""
    limit: int | None = 50
    while True:
        runs = storage.list_runs(limit=limit)
        found = next((run for run in runs if _builds_any(graph, run)), None)
        if found is not None:
            return found
        if limit is None or len(runs) < limit:
            break
        limit = limit * 20 if limit < 20_000 else None
    what = "yet" if not runs else "of the assets of this code location"
    raise RunNotFoundError(
        f"No runs {what} in {storage.display_url}: materialize something first, "
        "or point ASSETGRAPH_HOME / ASSETGRAPH_STORAGE_URL at your instance."
    )


def _builds_any(graph: AssetGraph, run: RunRecord) -> bool:
    return any(graph.has(AssetKey.from_user(key)) for key in run.asset_keys)


def render_lineage(
    defs: Definitions,
    instance: Instance,
    fmt: str,
    keys: Sequence[AssetKey] | None = None,
    *,
    now: datetime,
    run_id: str | None = None,
    namespace: str | None = None,
) -> str:
    """The text of ``fmt`` for ``keys`` (all assets when None).

    ``openlineage`` describes run ``run_id`` (an id or a unique prefix; default the
    latest run of this code location) limited to the steps of ``keys`` (default: of every
    asset of the code location); the other formats describe the graph.
    """
    graph = defs.graph
    if fmt == "openlineage":
        storage = instance.storage
        if run_id is None:
            run = latest_run_of(graph, storage)
        else:
            found = storage.get_run(run_id)
            if found is None:
                raise RunNotFoundError(f"No run '{run_id}': see 'assetgraph runs list'.")
            run = found
            if not _builds_any(graph, run):
                built = ", ".join(run.asset_keys[:5]) or "nothing"
                raise UsageError(
                    f"Run {run.run_id[:8]} built no asset of this code location (it built "
                    f"{built}): pass the -f / -m of the code location it ran."
                )
        events = export_run_events(
            graph,
            defs.io_managers,
            storage,
            run.run_id,
            selected=keys,
            namespace=namespace or DEFAULT_NAMESPACE,
        )
        return render_jsonl(events)
    if fmt not in FORMATS:
        raise UsageError(f"Unknown lineage format '{fmt}': use one of {', '.join(FORMATS)}.")
    if run_id is not None or namespace is not None:
        raise UsageError("--run and --namespace apply only to --format openlineage.")
    document = lineage_document(defs, instance, list(graph.all_keys if keys is None else keys), now)
    if fmt == "json":
        return render_json(document)
    if fmt == "dot":
        return render_dot(document)

    return render_mermaid(document)
