"""The typer application, its shared options, and the one place errors become exit codes."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from assetgraph.errors import AssetgraphError, CodeLocationLoadError, RunInterrupted

app = typer.Typer(
    name="assetgraph",
    help="Declare assets as functions; materialize, inspect and keep them fresh.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
runs_app = typer.Typer(help="Inspect past runs.", no_args_is_help=True)
backfill_app = typer.Typer(
    help="Stored backfills of many partitions, carried out by 'assetgraph automate'.",
    no_args_is_help=True,
)
storage_app = typer.Typer(help="Manage the metadata database.", no_args_is_help=True)
partitions_app = typer.Typer(
    help="Dynamic partition keys, and the partition status of an asset.", no_args_is_help=True
)
app.add_typer(runs_app, name="runs")
app.add_typer(backfill_app, name="backfill")
app.add_typer(partitions_app, name="partitions")
app.add_typer(storage_app, name="storage")

FileOption = Annotated[
    Path | None,
    typer.Option("--file", "-f", help="Python file of the code location.", show_default=False),
]
ModuleOption = Annotated[
    str | None,
    typer.Option("--module", "-m", help="Module of the code location.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show full tracebacks on errors.")
]

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(fn: F) -> F:
    """Turn assetgraph errors, and Ctrl-C, into one clear line and the right exit code.

    A traceback is shown only with ``--verbose`` (or ASSETGRAPH_VERBOSE=1); a code
    location that failed to import shows the user's own frames.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from assetgraph import settings

        verbose = bool(kwargs.get("verbose"))
        try:
            verbose = verbose or settings.verbose()
            settings.check_environment()  # a bad ASSETGRAPH_* value stops every command at once
            return fn(*args, **kwargs)
        except AssetgraphError as exc:
            if verbose:
                traceback.print_exc()
            elif isinstance(exc, CodeLocationLoadError) and exc.user_traceback:
                print(exc.user_traceback, file=sys.stderr)
            print(f"Error: {exc}", file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        except RunInterrupted as exc:  # the run is recorded as canceled already
            print(exc.summary(), file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if verbose:
                traceback.print_exc()
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def load(file: Path | None, module: str | None) -> Any:
    """Load the code location named by ``-f`` / ``-m`` / pyproject.toml."""
    from assetgraph.definitions.code_location import load_definitions

    return load_definitions(module=module, file=file)


def parse_tags(tags: list[str] | None) -> dict[str, str]:
    """``["k=v", ...]`` -> ``{"k": "v"}``; a malformed tag is a usage error."""
    from assetgraph.errors import UsageError

    parsed: dict[str, str] = {}
    for tag in tags or []:
        key, sep, value = tag.partition("=")
        if not sep or not key:
            raise UsageError(f"Invalid --tag '{tag}': write it as KEY=VALUE.")
        parsed[key] = value
    return parsed


PartitionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--partition",
        "-p",
        help="This partition of the partitioned assets (repeatable).",
        show_default=False,
    ),
]
PartitionRangeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--partition-range",
        help="Partitions FIRST...LAST, both included (repeatable).",
        show_default=False,
    ),
]
AllPartitionsOption = Annotated[
    bool, typer.Option("--all-partitions", help="Every partition that exists.")
]


def partition_selection(
    keys: list[str] | None,
    ranges: list[str] | None,
    all_partitions: bool = False,
    missing: bool = False,
    stale: bool = False,
) -> Any:
    """The ``PartitionSelection`` the partition options describe."""
    from assetgraph.planning.request import PartitionSelection, parse_partition_range

    return PartitionSelection(
        keys=tuple(keys or ()),
        ranges=tuple(parse_partition_range(text) for text in ranges or ()),
        all_partitions=all_partitions,
        missing=missing,
        stale=stale,
    )
