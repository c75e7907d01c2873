"""``assetgraph partitions``: dynamic partition keys, and the partition status of an asset."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from assetgraph.cli import render
from assetgraph.cli.app import (
    FileOption,
    JsonOption,
    ModuleOption,
    VerboseOption,
    handle_errors,
    load,
    partitions_app,
)

KeysArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Partition keys (or '-' to read one key per line from stdin).",
        metavar="KEY...",
        show_default=False,
    ),
]
FromFileOption = Annotated[
    Path | None,
    typer.Option(
        "--from-file",
        help="Read keys from this file, one per line.",
        metavar="PATH",
        show_default=False,
    ),
]


NameArgument = Annotated[
    str, typer.Argument(help="Name of the DynamicPartitionsDefinition.", metavar="NAME")
]


def _check_name(name: str, file: Path | None, module: str | None) -> None:
    """With a code location (-f / -m / pyproject.toml), ``name`` must be one of its dynamic
    partitions definitions; without one, any name is taken as given."""
    from assetgraph.definitions.code_location import configured_location
    from assetgraph.errors import UsageError, did_you_mean
    from assetgraph.partitions.multi import dynamic_partitions_names

    if file is None and module is None and configured_location() is None:
        return
    graph = load(file, module).graph
    names = {
        n for key in graph.all_keys for n in dynamic_partitions_names(graph.partitions_def(key))
    }
    if name in names:
        return
    known = (
        f"its dynamic partitions definitions are {', '.join(repr(n) for n in sorted(names))}."
        if names
        else "it has no DynamicPartitionsDefinition."
    )
    raise UsageError(
        f"No asset of the code location uses dynamic partitions named '{name}': {known}"
        + did_you_mean(name, names)
    )


def _keys(keys: list[str] | None, from_file: Path | None) -> list[str]:
    from assetgraph.errors import UsageError

    found = [k for k in keys or [] if k != "-"]
    if keys and "-" in keys:
        found.extend(line.rstrip("\r\n") for line in sys.stdin if line.strip())
    if from_file is not None:
        if not from_file.is_file():
            raise UsageError(f"--from-file '{from_file}' does not exist.")
        with from_file.open(encoding="utf-8") as handle:
            found.extend(line.rstrip("\r\n") for line in handle if line.strip())
    if not found:
        raise UsageError(
            "Give at least one partition key (arguments, '-' for stdin, or --from-file)."
        )
    return found


@partitions_app.command("add")
@handle_errors
def add(
    name: NameArgument,
    keys: KeysArgument = None,
    file: FileOption = None,
    module: ModuleOption = None,
    from_file: FromFileOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Add keys to a dynamic partitions definition (keys already there are kept).

    Every key is checked first; one bad key refuses the whole call.
    """
    from assetgraph.storage.instance import Instance

    _check_name(name, file, module)
    new = _keys(keys, from_file)
    added = Instance.from_env().storage.add_dynamic_partitions(name, new)
    typer.echo(f"Added {added} key(s) to '{name}' ({len(new) - added} already there).")


@partitions_app.command("delete")
@handle_errors
def delete(
    name: NameArgument,
    keys: KeysArgument = None,
    file: FileOption = None,
    module: ModuleOption = None,
    from_file: FromFileOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Remove keys from a dynamic partitions definition (stored values are kept)."""
    from assetgraph.storage.instance import Instance

    _check_name(name, file, module)
    gone = _keys(keys, from_file)
    removed = Instance.from_env().storage.delete_dynamic_partitions(name, gone)
    typer.echo(f"Deleted {removed} key(s) from '{name}' ({len(gone) - removed} were not there).")


@partitions_app.command("list")
@handle_errors
def list_keys(
    name: Annotated[
        str | None,
        typer.Argument(
            help="Name of the DynamicPartitionsDefinition; omit for all names.", metavar="NAME"
        ),
    ] = None,
    file: FileOption = None,
    module: ModuleOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """List the keys of a dynamic partitions definition, in the order they were added."""
    from assetgraph.storage.instance import Instance

    if name is not None:
        _check_name(name, file, module)
    storage = Instance.from_env().storage
    values = (
        storage.dynamic_partitions_names() if name is None else storage.get_dynamic_partitions(name)
    )
    if as_json:
        render.print_json(values)
        return
    out = sys.stdout
    for value in values:
        out.write(value + "\n")


@partitions_app.command("status")
@handle_errors
def status(
    asset: Annotated[str, typer.Argument(help="Asset key, e.g. 'sales/orders'.", metavar="ASSET")],
    file: FileOption = None,
    module: ModuleOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Per-partition status of an asset: materialized, failed or missing, as key ranges."""
    from assetgraph.errors import UsageError
    from assetgraph.status.partitions import partition_status_ranges
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    key = defs.graph.find(asset)
    pdef = defs.graph.partitions_def(key)
    if pdef is None:
        raise UsageError(f"Asset '{key}' is not partitioned: see 'assetgraph list' for its status.")
    storage = Instance.from_env().storage
    ranges = partition_status_ranges(key, pdef, storage)
    if as_json:
        render.print_json(
            [
                {"status": r.status, "first": r.first, "last": r.last, "count": r.count}
                for r in ranges
            ]
        )
        return
    totals: dict[str, int] = {}
    for r in ranges:
        totals[r.status] = totals.get(r.status, 0) + r.count
    title = (
        f"{key}: " + ", ".join(f"{n} {s}" for s, n in sorted(totals.items()))
        if totals
        else f"{key}: no partitions yet"
    )
    rows: list[list[Any]] = [
        [r.status, r.first if r.first == r.last else f"{r.first}...{r.last}", str(r.count)]
        for r in ranges
    ]
    render.print_table(title, ["status", "partitions", "count"], rows)
