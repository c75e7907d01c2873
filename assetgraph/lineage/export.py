"""One call from a code location and an instance to the text of any lineage format."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.definitions import Definitions
    from assetgraph.lineage.model import LineageDocument
    from assetgraph.storage.instance import Instance

FORMATS = ("json", "dot", "mermaid", "openlineage")


def lineage_document(
    defs: Definitions, instance: Instance, keys: Sequence[AssetKey], now: datetime
) -> LineageDocument:
    """The lineage document of ``keys`` with their current status."""
    from assetgraph.lineage.model import build_lineage
    from assetgraph.lineage.status import asset_statuses

    statuses = asset_statuses(defs.graph, keys, instance.storage, now)
    return build_lineage(defs.graph, keys, statuses, now)


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
    latest run) limited to the steps of ``keys``; the other formats describe the graph.
    """
    from assetgraph.errors import RunNotFoundError, UsageError

    graph = defs.graph
    if fmt == "openlineage":
        from assetgraph.lineage.openlineage import (
            DEFAULT_NAMESPACE,
            export_run_events,
            render_jsonl,
        )

        storage = instance.storage
        if run_id is None:
            latest = storage.list_runs(limit=1)
            if not latest:
                raise RunNotFoundError(
                    f"No runs in {storage.display_url} yet: materialize something first, "
                    "or point ASSETGRAPH_HOME / ASSETGRAPH_STORAGE_URL at your instance."
                )
            run = latest[0]
        else:
            found = storage.get_run(run_id)
            if found is None:
                raise RunNotFoundError(f"No run '{run_id}': see 'assetgraph runs list'.")
            run = found
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
        from assetgraph.lineage.json_format import render_json

        return render_json(document)
    if fmt == "dot":
        from assetgraph.lineage.dot import render_dot

        return render_dot(document)
    from assetgraph.lineage.mermaid import render_mermaid

    return render_mermaid(document)
