"""The selection language, as in dbt: which assets a command works on.

    revenue          one asset (``a/b`` for a prefixed key; ``*`` and ``?`` glob inside)
    +revenue         it and everything upstream; ``2+revenue``: two levels up
    revenue+         it and everything downstream; ``revenue+1``: one level down
    group:sales      every asset of a group
    tag:tier=gold    every asset with that tag (``tag:tier``: with the tag at all)
    *                every asset

Terms separated by spaces are unioned; atoms joined by commas are intersected
(``group:sales,tag:tier=gold``). ``exclude`` uses the same language and is subtracted.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assetgraph.errors import SelectionError, did_you_mean
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey

_ATOM = re.compile(
    r"""^(?:(?P<up_depth>\d*)(?P<up>\+))?
        (?P<body>\*|group:[^,\s+]+|tag:[^,\s+]+|[A-Za-z0-9_\-.*?/]+)
        (?:(?P<down>\+)(?P<down_depth>\d*))?$""",
    re.VERBOSE,
)
_KEY_CHARS = re.compile(r"[A-Za-z0-9_\-.*?/]")
ALL = None  # depth meaning "no limit"


@dataclass(frozen=True, slots=True)
class _Atom:
    body: str
    up: int | None  # levels upstream to add: 0 none, None all
    down: int | None


def select_assets(
    graph: AssetGraph,
    selection: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None = None,
) -> list[AssetKey]:
    """The keys ``selection`` names (all when None), minus ``exclude``, in topological order."""
    chosen = set(graph.all_keys) if selection is None else _evaluate(graph, _text(selection))
    if exclude:
        chosen -= _evaluate(graph, _text(exclude))
    return graph.toposort(chosen)


def _text(selection: str | Sequence[str]) -> str:
    return selection if isinstance(selection, str) else " ".join(selection)


def _evaluate(graph: AssetGraph, text: str) -> set[AssetKey]:
    if not text.strip():
        raise SelectionError("Empty selection: name at least one asset, or use '*' for all.")
    result: set[AssetKey] = set()
    for term in re.finditer(r"\S+", text):
        atoms: list[_Atom] = []
        offset = term.start()
        for part in term.group().split(","):
            atoms.append(_parse_atom(text, offset, part))
            offset += len(part) + 1
        matched = _resolve(graph, atoms[0])
        for atom in atoms[1:]:
            matched &= _resolve(graph, atom)
        result |= matched
    return result


def _parse_atom(text: str, offset: int, part: str) -> _Atom:
    match = _ATOM.match(part)
    if match is None:
        raise SelectionError(f"Invalid selection '{text}': {_explain(offset, part)}")
    up = 0
    if match["up"]:
        up = int(match["up_depth"]) if match["up_depth"] else ALL  # type: ignore[assignment]
    down = 0
    if match["down"]:
        down = int(match["down_depth"]) if match["down_depth"] else ALL  # type: ignore[assignment]
    return _Atom(match["body"], up, down)


def _explain(offset: int, part: str) -> str:
    """Why ``part`` (starting at ``offset`` of the selection) does not parse."""
    if not part:
        return f"empty atom at column {offset + 1} (two commas, or a comma at an end)."
    body = part.lstrip("0123456789+").rstrip("0123456789+")
    if not body:
        return f"'{part}' at column {offset + 1} names no asset."
    for index, char in enumerate(part):
        if char in "+0123456789" and (index == 0 or part[:index].strip("0123456789+") == ""):
            continue
        if body.startswith(("group:", "tag:")):
            break
        if not _KEY_CHARS.match(char) and char != "+":
            return (
                f"unexpected character {char!r} at column {offset + index + 1} in '{part}'. "
                "Asset keys use letters, digits, '_', '-', '.' and '/'."
            )
    return (
        f"cannot read '{part}' at column {offset + 1}: write KEY, +KEY, KEY+, N+KEY, KEY+N, "
        "group:NAME, tag:K=V or *."
    )


def _resolve(graph: AssetGraph, atom: _Atom) -> set[AssetKey]:
    base = _base_keys(graph, atom.body)
    result = set(base)
    if atom.up != 0:
        result |= reachable(graph, base, atom.up, upstream=True)
    if atom.down != 0:
        result |= reachable(graph, base, atom.down, upstream=False)
    return result


def _base_keys(graph: AssetGraph, body: str) -> set[AssetKey]:
    if body == "*":
        return set(graph.all_keys)
    if body.startswith("group:"):
        group = body.removeprefix("group:")
        groups = graph.groups()
        if group not in groups:
            raise SelectionError(f"Unknown group '{group}'." + did_you_mean(group, groups))
        return {key for key in graph.all_keys if graph.group_of(key) == group}
    if body.startswith("tag:"):
        name, sep, value = body.removeprefix("tag:").partition("=")
        return {
            key
            for key in graph.all_keys
            if name in graph.tags_of(key) and (not sep or graph.tags_of(key)[name] == value)
        }
    if "*" in body or "?" in body:
        found = {key for key in graph.all_keys if fnmatch.fnmatchcase(key.to_string(), body)}
        if not found:
            raise SelectionError(f"Pattern '{body}' matches no asset.")
        return found
    key = AssetKey.from_user(body) if _valid_key(body) else None
    if key is None or not graph.has(key):
        raise SelectionError(f"Unknown asset '{body}'." + did_you_mean(body, graph.key_strings()))
    return {key}


def _valid_key(body: str) -> bool:
    parts = body.split("/")
    return all(part and part not in (".", "..") for part in parts)


def reachable(
    graph: AssetGraph, start: Iterable[AssetKey], depth: int | None, *, upstream: bool
) -> set[AssetKey]:
    """Keys reachable from ``start`` within ``depth`` levels (all levels when None)."""
    seen: set[AssetKey] = set()
    frontier = set(start)
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        following: set[AssetKey] = set()
        for key in frontier:
            neighbours = graph.parents(key) if upstream else graph.children(key)
            following.update(n for n in neighbours if n not in seen)
        seen |= following
        frontier = following
    return seen
