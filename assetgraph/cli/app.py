"""The typer application, its shared options, and the one place errors become exit codes."""

from __future__ import annotations

import functools
import sys
import traceback
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from assetgraph.cli.coercion import use_plain_coercion
from assetgraph.errors import AssetgraphError, CodeLocationLoadError, RunInterrupted

COMMAND_ORDER: dict[str, tuple[str, ...]] = {
    "assetgraph": (
        "check",
        "list",
        "materialize",
        "status",
        "job",
        "runs",
        "logs",
        "partitions",
        "lineage",
        "automate",
        "backfill",
        "schedules",
        "sensors",
        "ui",
        "observe",
        "storage",
        "init",
    ),
    "runs": ("list", "show", "cancel", "reexecute"),
    "partitions": ("list", "status", "add", "delete"),
    "automate": ("history", "why"),
    "storage": ("upgrade", "prune"),
    "job": ("list", "execute"),
}
"""The order ``--help`` lists commands in: the order a user meets them. A command missing
here comes after these, in the order it was registered."""


class PlainArgument(TyperArgument):
    """An argument shown as a person writes it: ``NAME`` (``[NAME]`` when optional) in the
    usage line, ``NAME`` in the table, rather than typer's ``{name}`` and ``name <str>``."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    def _rich_display_name(self) -> str:
        name = self.display_name_raw
        return name + "..." if self.nargs != 1 and not name.endswith("...") else name

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class PlainCommand(TyperCommand):
    """A command whose flags, strings and paths are coerced without pydantic
    (``cli.coercion``)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:
            use_plain_coercion(param)
        return params


class CommandGroup(TyperGroup):
    """The command groups of the CLI: commands in :data:`COMMAND_ORDER`, every parameter
    given a metavar a person would write (``FILE``, ``N``, ``[json|dot]``), and plain
    coercion as ``PlainCommand``'s."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for command in self.commands.values():
            _polish(command)

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:  # as PlainCommand's
            use_plain_coercion(param)
        return params

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self.commands)
        order = COMMAND_ORDER.get(self.name or "", ())
        return sorted(names, key=lambda n: order.index(n) if n in order else len(order))


def _polish(command: Any) -> None:
    """Give ``command`` (and its subcommands) plain metavars, and groups their order."""
    if isinstance(command, TyperGroup) and not isinstance(command, CommandGroup):
        command.__class__ = CommandGroup
    elif type(command) is TyperCommand:
        command.__class__ = PlainCommand
    for param in command.params:
        if isinstance(param, TyperArgument):
            param.__class__ = PlainArgument
            if param.metavar is None:
                param.metavar = (param.name or "value").upper()
        elif isinstance(param, TyperOption) and not param.is_flag and param.metavar is None:
            param.metavar = _option_metavar(param)
    for sub in (getattr(command, "commands", None) or {}).values():
        _polish(sub)


def _option_metavar(option: TyperOption) -> str:
    """``[a|b|c]`` for a choice, ``N`` for a number, else the option's name in capitals."""
    # typer describes a parameter's type by its annotation (older typer: a click type)
    described = getattr(option, "type_descriptor", None) or getattr(option, "type", None)
    choices = getattr(described, "choices", None)
    if choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
    annotation = getattr(described, "annotation", None)
    element = (typing.get_args(annotation) or (annotation,))[0]
    if element is int or getattr(described, "name", "") == "integer":
        return "N"
    return (option.name or "value").upper()


def _print_version(value: bool) -> None:
    if value:
        from assetgraph import __version__

        typer.echo(f"assetgraph {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="assetgraph",
    help="Declare assets as functions; materialize, inspect and keep them fresh.",
    cls=CommandGroup,
    no_args_is_help=True,
    add_completion=True,  # --install-completion: choices complete in the shell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version of assetgraph and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Declare assets as functions; materialize, inspect and keep them fresh."""


runs_app = typer.Typer(help="Inspect past runs.", no_args_is_help=True)
backfill_app = typer.Typer(
    help="Stored backfills of many partitions, carried out by 'assetgraph automate'.",
    no_args_is_help=True,
)
storage_app = typer.Typer(help="Manage the metadata database.", no_args_is_help=True)
partitions_app = typer.Typer(
    help="Dynamic partition keys, and the partition status of an asset.", no_args_is_help=True
)
job_app = typer.Typer(
    help="Op jobs (@job, graph.to_job) and asset jobs: list and execute them.",
    no_args_is_help=True,
)
app.add_typer(job_app, name="job")
app.add_typer(runs_app, name="runs")
app.add_typer(backfill_app, name="backfill")
app.add_typer(partitions_app, name="partitions")
app.add_typer(storage_app, name="storage")

# The code-location options. Every command that reads a code location declares both, first,
# in this order:  ``file: FileOption = None, module: ModuleOption = None`` and calls
# ``load(file, module)`` (tests/cli/test_cli_conventions.py checks every command).
FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="Python file of the code location (default: [tool.assetgraph] in pyproject.toml).",
        metavar="FILE",
        show_default=False,
    ),
]
ModuleOption = Annotated[
    str | None,
    typer.Option(
        "--module",
        "-m",
        help="Importable module of the code location, e.g. my_project.defs.",
        metavar="MODULE",
        show_default=False,
    ),
]
SelectOption = Annotated[
    str | None,
    typer.Option(
        "--select",
        "-s",
        help="Assets to include: 'key', '+key' (and upstream), 'key+' (and downstream), "
        "'2+key', 'group:NAME', 'tag:K=V', '*'; space = union, comma = intersection.",
        metavar="SELECTION",
        show_default=False,
    ),
]
ExcludeOption = Annotated[
    str | None,
    typer.Option(
        "--exclude",
        help="Assets to leave out (same language as --select).",
        metavar="SELECTION",
        show_default=False,
    ),
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
        metavar="KEY",
        show_default=False,
    ),
]
PartitionRangeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--partition-range",
        help="Partitions FIRST...LAST, both included (repeatable).",
        metavar="FIRST...LAST",
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
