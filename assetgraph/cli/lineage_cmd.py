"""``assetgraph lineage``: export the asset graph or a run's lineage to a file or stdout."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from assetgraph.cli.app import (
    ExcludeOption,
    FileOption,
    ModuleOption,
    SelectOption,
    VerboseOption,
    app,
    handle_errors,
    load,
)


class LineageFormat(StrEnum):
    JSON = "json"
    DOT = "dot"
    MERMAID = "mermaid"
    OPENLINEAGE = "openlineage"


@app.command("lineage")
@handle_errors
def lineage(
    file: FileOption = None,
    module: ModuleOption = None,
    select: SelectOption = None,
    exclude: ExcludeOption = None,
    fmt: Annotated[
        LineageFormat,
        typer.Option(
            "--format",
            help="json (versioned schema), dot (Graphviz), mermaid, or openlineage "
            "(RunEvents of one run, JSON Lines).",
            case_sensitive=False,
        ),
    ] = LineageFormat.JSON,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (atomically); default stdout.",
            show_default=False,
        ),
    ] = None,
    run: Annotated[
        str | None,
        typer.Option(
            "--run",
            metavar="RUN_ID",
            help="Run id or prefix for openlineage (default: the latest run of this code "
            "location).",
            show_default=False,
        ),
    ] = None,
    namespace: Annotated[
        str | None,
        typer.Option(
            "--namespace",
            metavar="NAME",
            help="OpenLineage job namespace (default: assetgraph).",
            show_default=False,
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Export lineage: assets, groups, partitions, code versions and status, or a run's events."""
    from assetgraph.errors import UsageError
    from assetgraph.lineage.export import render_lineage
    from assetgraph.selection import select_assets
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    keys = None
    if select or exclude:
        keys = select_assets(defs.graph, select, exclude)
        if not keys:
            what = " ".join(
                f"{flag} '{text}'"
                for flag, text in (("--select", select), ("--exclude", exclude))
                if text
            )
            raise UsageError(f"{what} {'leaves' if exclude else 'matched'} no assets.")
    text = render_lineage(
        defs,
        Instance.from_env(),
        fmt.value,
        keys,
        now=datetime.now(UTC),
        run_id=run,
        namespace=namespace,
    )
    if output is None:
        sys.stdout.write(text)
        return
    write_atomically(output, text)
    typer.echo(f"Wrote {fmt.value} lineage to {output}.", err=True)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    from assetgraph.errors import UsageError

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"Cannot write '{path}': folder '{folder}' does not exist.")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
