"""``assetgraph status``: what is missing or stale, and why."""

from __future__ import annotations

from typing import Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import (
    FileOption,
    JsonOption,
    ModuleOption,
    PartitionOption,
    PartitionRangeOption,
    VerboseOption,
    app,
    handle_errors,
    load,
    partition_selection,
)
from assetgraph.cli.assets_cmd import ExcludeOption, SelectOption


@app.command("status")
@handle_errors
def status(
    file: FileOption = None,
    module: ModuleOption = None,
    select: SelectOption = None,
    exclude: ExcludeOption = None,
    partition: PartitionOption = None,
    partition_range: PartitionRangeOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Show missing and stale asset partitions, grouped by asset, with their root causes.

    Stale means: the code changed since it was built, or something it reads changed (or
    is itself stale or missing). 'assetgraph materialize --stale --missing' rebuilds
    exactly these, upstream first.
    """
    from assetgraph.selection import select_assets
    from assetgraph.staleness import stale_status
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    keys = select_assets(defs.graph, select, exclude)
    partitions = partition_selection(partition, partition_range)
    report = stale_status(
        defs,
        [key.to_string() for key in keys],
        partitions=partitions,
        instance=Instance.from_env(),
    )
    rows = [_asset_json(report, status) for status in report]
    if as_json:
        render.print_json(rows)
        return
    _print_report(rows)


def _asset_json(report: Any, status: Any) -> dict[str, Any]:
    counts = {
        "total": len(status.materialized | status.missing),
        "materialized": len(status.materialized),
        "missing": len(status.missing),
        "stale": len(status.stale),
        "fresh": len(status.fresh),
    }
    return {
        "key": status.key.to_string(),
        "status": status.status,
        "partitioned": status.is_partitioned,
        "counts": counts,
        "missing": _ranges(status.missing) if status.is_partitioned else None,
        "causes": [
            {
                "cause": cause.cause.value,
                "partitions": _ranges(cause.partitions) if status.is_partitioned else None,
                "upstream": None if cause.upstream is None else cause.upstream.to_string(),
                "upstream_partitions": None
                if cause.upstream_partitions is None or cause.upstream is None
                else _ranges(cause.upstream_partitions),
                "detail": cause.detail,
                "text": cause.describe(status.key),
            }
            for cause in status.causes
        ],
        "root_causes": report.root_causes(status.key) if status.stale else [],
    }


def _ranges(subset: Any) -> list[str]:
    from assetgraph.staleness import UNPARTITIONED

    if subset.partitions_def is UNPARTITIONED:
        return []
    return [r.start if r.start == r.end else f"{r.start}...{r.end}" for r in subset.ranges()]


def _print_report(rows: list[dict[str, Any]]) -> None:
    fresh = [row for row in rows if row["status"] == "fresh"]
    for row in rows:
        if row["status"] == "fresh":
            continue
        counts = row["counts"]
        if row["partitioned"]:
            typer.echo(
                f"{row['key']}: {counts['stale']} stale, {counts['missing']} missing, "
                f"{counts['fresh']} fresh of {counts['total']} partitions"
            )
            if row["missing"]:
                typer.echo(f"  missing  {_shorten(row['missing'])}")
        else:
            typer.echo(f"{row['key']}: {row['status']}")
        for cause in row["causes"]:
            typer.echo(f"  stale    {cause['text']}")
        roots = [r for r in row["root_causes"] if not r.startswith(row["key"])]
        if roots and all(c["cause"] == "upstream_stale" for c in row["causes"]):
            typer.echo(f"  root     {'; '.join(roots[:3])}")
    if fresh:
        typer.echo(
            f"{len(fresh)} asset(s) fresh" + ("." if len(fresh) < len(rows) else ": nothing to do.")
        )
    elif not rows:
        typer.echo("No assets selected.")


def _shorten(ranges: list[str], shown: int = 4) -> str:
    text = ", ".join(ranges[:shown])
    return text + (f", +{len(ranges) - shown} more" if len(ranges) > shown else "")
