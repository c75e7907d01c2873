"""MkDocs hook: the CLI and API reference pages, generated at build time so they cannot drift.

- ``<!-- cli-reference -->`` in a page becomes one section per command of the typer app
  (``assetgraph.cli.main.app``), walked as a click command tree: usage, help, arguments and
  options with their defaults and environment variables.
- ``<!-- api-reference -->`` becomes one mkdocstrings block (``::: assetgraph.NAME``) per
  name of ``assetgraph.__all__``, grouped by the module that defines it.

``render_cli_reference`` and ``api_names`` are used by ``tests/docs`` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

CLI_MARKER = "<!-- cli-reference -->"
API_MARKER = "<!-- api-reference -->"

API_SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("Assets and lineage", ("assetgraph.keys", "assetgraph.definitions.asset_decorator", "assetgraph.definitions.assets",
                            "assetgraph.definitions.backfill")),
    ("Asset checks", ("assetgraph.definitions.checks", "assetgraph.definitions.check_specs",
                      "assetgraph.automation.freshness_checks")),
    ("Definitions and code locations", ("assetgraph.definitions.definitions", "assetgraph.definitions.code_location",
                                        "assetgraph.graph", "assetgraph.selection")),
    ("Asset jobs and selections", ("assetgraph.definitions.asset_selection", "assetgraph.definitions.jobs")),
    ("Config and resources", ("assetgraph.definitions.config",)),
    ("Execution", ("assetgraph.context", "assetgraph.definitions.outputs",
                   "assetgraph.planning.request", "assetgraph.planning.planner",
                   "assetgraph.execution.materialize", "assetgraph.execution.in_memory",
                   "assetgraph.definitions.asset_observation",
                   "assetgraph.execution.run_phases", "assetgraph.execution.result")),
    ("IO managers", ("assetgraph.io",)),
    ("Partitions", ("assetgraph.partitions.definitions", "assetgraph.partitions.time_window",
                    "assetgraph.partitions.multi", "assetgraph.partitions.key_range",
                    "assetgraph.partitions.subset")),
    ("Partition mappings", ("assetgraph.partitions.mappings", "assetgraph.partitions.multi_mappings",
                            "assetgraph.partitions.specific_mapping")),
    ("Source assets", ("assetgraph.definitions.source_assets", "assetgraph.execution.observe")),
    ("Backfills and the run queue", ("assetgraph.automation.backfills",
                                     "assetgraph.storage.backfill_store")),
    ("Staleness", ("assetgraph.status.staleness",)),
    ("Storage", ("assetgraph.storage.instance", "assetgraph.storage.temporary_instance",
                 "assetgraph.storage.records")),
    ("Errors", ("assetgraph.errors",)),
]  # fmt: skip


def _is_group(command: Any) -> bool:
    # typer may vendor click (typer._click), so groups are recognised by what they hold
    return isinstance(getattr(command, "commands", None), dict)


def walk_commands(
    command: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the tree, parents first, subcommands in registration order."""
    yield path, command
    if _is_group(command):
        for name, sub in command.commands.items():
            if not sub.hidden:
                yield from walk_commands(sub, (*path, name))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _param_row(param: Any, ctx: Any) -> str | None:
    """A table row of one parameter, as ``--help`` shows it; None for ``--help`` itself."""
    record = param.get_help_record(ctx)
    if record is None or "--help" in getattr(param, "opts", ()):
        return None
    names, help_text = record
    kind = "argument" if getattr(param, "param_type_name", "") == "argument" else "option"
    return f"| `{_cell(names)}` | {kind} | {_cell(help_text)} |"


def render_command(path: tuple[str, ...], command: Any, root: Any) -> str:
    """One command's section: heading, usage, help text and a table of its parameters."""
    name = " ".join(("assetgraph", *path))
    context_class = type(root.make_context.__self__).context_class  # the vendored click's
    parent = context_class(root, info_name="assetgraph")
    ctx = context_class(command, info_name=" ".join(path), parent=parent)
    level = "#" * min(2 + max(len(path) - 1, 0), 4)
    lines = [f"{level} `{name}`", ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```text", f"{name} {usage}".rstrip(), "```", ""]
    if command.help:
        lines += [command.help.strip().replace("\b\n", ""), ""]
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    rows = [row for row in (_param_row(p, ctx) for p in params) if row is not None]
    if rows:
        lines += ["| parameter | kind | meaning |", "| --- | --- | --- |", *rows, ""]
    if _is_group(command):
        subs = [f"`{name} {n}`" for n, c in command.commands.items() if not c.hidden]
        lines += ["Subcommands: " + ", ".join(subs) + ".", ""]
    return "\n".join(lines)


def render_cli_reference(app: Any = None) -> str:
    """The whole CLI reference, in Markdown, from the typer app's click command tree."""
    import typer.main

    if app is None:
        from assetgraph.cli.app import app as main_app
        from assetgraph.cli.main import run  # noqa: F401  (registers every command)

        app = main_app
    root = typer.main.get_command(app)
    sections = [render_command(path, cmd, root) for path, cmd in walk_commands(root) if path]
    return "\n".join(sections)


def api_names() -> dict[str, list[str]]:
    """Section title -> the public names of ``assetgraph.__all__`` it documents."""
    import assetgraph

    exports: dict[str, str] = assetgraph._EXPORTS
    sections: dict[str, list[str]] = {}
    placed: set[str] = set()
    for title, modules in API_SECTIONS:
        names = sorted(n for n in assetgraph.__all__ if exports.get(n) in modules)
        sections[title] = names
        placed.update(names)
    rest = sorted(set(assetgraph.__all__) - placed)
    if rest:
        sections["Other"] = rest
    return sections


def render_api_reference() -> str:
    """mkdocstrings blocks for every public name, one section per topic.

    Each block names the defining module (``assetgraph.status.staleness.StaleCause``), which
    always resolves, whether or not ``__init__`` re-imports the name for type checkers.
    """
    import assetgraph

    exports: dict[str, str] = assetgraph._EXPORTS
    lines: list[str] = []
    for title, names in api_names().items():
        if not names:
            continue
        lines += [f"## {title}", ""]
        for name in names:
            lines += [f"::: {exports[name]}.{name}", ""]
    return "\n".join(lines)


OUTSIDE_LINK = re.compile(r"\[([^\]]+)\]\(((?:\.\./)+[^)\s]+)\)")


def _unlink_outside(markdown: str, page_depth: int) -> str:
    """Links that climb out of the docs folder (to files of the repository or beside it)
    become the path as code, since the site cannot serve them."""

    def replace(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        if target.count("../") <= page_depth:
            return match.group(0)
        path = target.lstrip("./")
        return text if path in text else f"{text} (`{path}`)"

    return OUTSIDE_LINK.sub(replace, markdown)


def on_page_markdown(markdown: str, page: Any = None, **kwargs: Any) -> str:
    """Replace the reference markers of a page with the generated Markdown."""
    if page is not None:
        depth = page.file.src_uri.count("/")
        markdown = _unlink_outside(markdown, depth)
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, render_cli_reference())
    if API_MARKER in markdown:
        markdown = markdown.replace(API_MARKER, render_api_reference())
    return markdown
