"""``assetgraph observe``: record the current data versions of observable source assets."""

from __future__ import annotations

from typing import Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import (
    FileOption,
    JsonOption,
    ModuleOption,
    VerboseOption,
    app,
    handle_errors,
    load,
)
from assetgraph.cli.assets_cmd import ExcludeOption, SelectOption


@app.command("observe")
@handle_errors
def observe_sources(
    file: FileOption = None,
    module: ModuleOption = None,
    select: SelectOption = None,
    exclude: ExcludeOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the observation functions of source assets and record their data versions.

    A changed version makes the assets downstream stale ('assetgraph status'); an
    unchanged one leaves them fresh. Exit code 1 when an observation failed.
    """
    from assetgraph.execution.observe import observe
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    result = observe(defs, select, Instance.from_env(), exclude=exclude)
    if as_json:
        render.print_json(_result_json(result))
    else:
        _print_result(result)
    if not result.success:
        raise typer.Exit(1)


def _result_json(result: Any) -> dict[str, Any]:
    return {
        "run_id": result.run_id,
        "success": result.success,
        "observations": [
            {
                "asset_key": o.asset_key.to_string(),
                "partition_key": o.partition_key,
                "data_version": o.data_version,
                "previous_version": o.previous_version,
                "changed": o.changed,
                "metadata": dict(o.metadata),
            }
            for o in result.observations
        ],
        "failures": {key.to_string(): why for key, why in result.failures.items()},
    }


def _print_result(result: Any) -> None:
    for o in result.observations:
        where = o.asset_key.to_string()
        if o.partition_key is not None:
            where += f"[{o.partition_key}]"
        if o.previous_version is None:
            what = "first observation"
        elif o.changed:
            what = f"changed from {o.previous_version[:12]}"
        else:
            what = "unchanged"
        typer.echo(f"{where}: {o.data_version[:12]} ({what})")
    changed = sum(1 for o in result.observations if o.changed)
    typer.echo(
        f"Run {result.run_id[:8]}: {len(result.observations)} observation(s), {changed} changed."
    )
    for key, why in result.failures.items():
        typer.echo(f"Error: {key}: {why}", err=True)
