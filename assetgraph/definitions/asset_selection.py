"""``AssetSelection``: Dagster's composable query over the assets of a code location.

A selection is a value (built with ``AssetSelection.groups("sales") | AssetSelection.assets(x)``
and the like) that is resolved later, against an asset graph, to a set of asset keys. As in
Dagster: ``all()``, ``groups()``, ``tag()``, ``key_prefixes()`` and ``upstream()`` select
materializable assets only (source assets need ``include_sources=True``); naming a key no
asset has is an error when resolved; ``from_string`` reads Dagster's selection syntax
(``key:"a"+ and group:"sales"``, falling back to the legacy ``*a``, ``+a+`` clauses). Our
own dbt-style language (``assetgraph materialize --select``) is ``AssetSelection.from_select``.

A selection also names asset checks (``resolve_checks``): by default the checks of the
assets it selects; ``all_asset_checks()``, ``checks_for_assets()`` and ``checks()`` select
checks alone (a run of them loads their assets' stored values), and ``without_checks()``
drops them.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.errors import SelectionError, did_you_mean
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.selection import (
    reachable,  # the graph walk of the selection language
    select_assets,
)

if TYPE_CHECKING:
    from assetgraph.definitions.assets import AssetsDefinition
    from assetgraph.graph import AssetGraph

KIND_TAG_PREFIX = "dagster/kind/"
"""Dagster stores an asset's kinds as tags ``dagster/kind/<kind>``; ``kind()`` reads them."""


class AssetSelection(ABC):
    """A query over assets, resolved against an asset graph to a set of keys.

    Combine selections with ``|`` (union), ``&`` (intersection) and ``-`` (difference).
    ``resolve(graph)`` gives the keys; it raises a ``SelectionError`` naming any selected key
    that no asset has (with the nearest keys), unless ``allow_missing=True``.
    """

    # -- building ---------------------------------------------------------------------------

    @staticmethod
    def all(include_sources: bool = False) -> AssetSelection:
        """Every materializable asset (and source assets too with ``include_sources``)."""
        return AllSelection(include_sources)

    @staticmethod
    def all_asset_checks() -> AssetSelection:
        """Every asset check (no assets): a run of it runs the checks on what is stored."""
        return ChecksSelection(None)

    @staticmethod
    def assets(*assets_defs: AssetsDefinition | CoercibleToAssetKey) -> AssetSelection:
        """The given assets: definitions (all their keys), ``AssetKey``s, ``"a/b"`` strings or
        sequences of key parts."""
        return KeysAssetSelection(tuple(_keys_of(assets_defs)))

    @staticmethod
    def keys(*asset_keys: CoercibleToAssetKey) -> AssetSelection:
        """The assets with these keys (``"a/b"`` is the key ``a/b``); Dagster's older spelling
        of ``assets()``."""
        return KeysAssetSelection(tuple(_keys_of(asset_keys)))

    @staticmethod
    def key_prefixes(
        *key_prefixes: str | Sequence[str], include_sources: bool = False
    ) -> AssetSelection:
        """Assets whose key starts with one of these prefixes (``"a"`` or ``["a", "b"]``)."""
        prefixes = tuple(
            tuple(p.split("/")) if isinstance(p, str) else tuple(p) for p in key_prefixes
        )
        return KeyPrefixesAssetSelection(prefixes, include_sources)

    @staticmethod
    def key_substring(key_substring: str, include_sources: bool = False) -> AssetSelection:
        """Assets whose ``a/b`` key string contains ``key_substring``."""
        return KeySubstringAssetSelection(key_substring, include_sources)

    @staticmethod
    def groups(*group_strs: str, include_sources: bool = False) -> AssetSelection:
        """Assets of any of these groups (an unknown group selects nothing, as in Dagster)."""
        for group in group_strs:
            if not isinstance(group, str):
                raise SelectionError(
                    f"AssetSelection.groups() takes group names, got {type(group).__name__}."
                )
        return GroupsAssetSelection(tuple(group_strs), include_sources)

    @staticmethod
    def tag(key: str, value: str, include_sources: bool = False) -> AssetSelection:
        """Assets with the tag ``key`` set to ``value``."""
        return TagAssetSelection(key, value, include_sources)

    @staticmethod
    def tag_string(string: str, include_sources: bool = False) -> AssetSelection:
        """``"k=v"`` or ``"k"`` (a tag with an empty value), as ``tag()``."""
        key, sep, value = string.partition("=")
        if sep and "=" in value:
            raise SelectionError(f"Invalid tag selection '{string}': use at most one '='.")
        return TagAssetSelection(key, value, include_sources)

    @staticmethod
    def kind(kind: str | None, include_sources: bool = False) -> AssetSelection:
        """Assets of this kind (``None``: assets with no kind)."""
        return KindAssetSelection(kind, include_sources)

    @staticmethod
    def owner(owner: str | None) -> AssetSelection:
        """Assets owned by ``owner``."""
        return OwnerAssetSelection(owner)

    @staticmethod
    def checks_for_assets(*assets_defs: AssetsDefinition | CoercibleToAssetKey) -> AssetSelection:
        """The checks of these assets, not the assets themselves."""
        return ChecksSelection(tuple(_keys_of(assets_defs)))

    @staticmethod
    def checks(*assets_defs_or_check_keys: AssetChecksDefinition | AssetCheckKey) -> AssetSelection:
        """These checks (``@asset_check`` definitions or ``AssetCheckKey``s), no assets."""
        keys: list[AssetCheckKey] = []
        for item in assets_defs_or_check_keys:
            if isinstance(item, AssetChecksDefinition):
                keys.extend(spec.key for spec in item.specs)
            elif isinstance(item, AssetCheckKey):
                keys.append(item)
            else:
                raise SelectionError(
                    "AssetSelection.checks() takes @asset_check definitions or AssetCheckKeys, "
                    f"got {type(item).__name__}: {item!r}."
                )
        return CheckKeysSelection(tuple(keys))

    @staticmethod
    def from_select(text: str | Sequence[str], exclude: str | None = None) -> AssetSelection:
        """A selection in assetgraph's dbt-style language (``"+revenue group:sales"``), the one
        ``assetgraph materialize --select`` takes; see ``assetgraph.selection``."""
        joined = text if isinstance(text, str) else " ".join(text)
        return SelectLanguageSelection(joined, exclude)

    @classmethod
    def from_string(cls, string: str, include_sources: bool = False) -> AssetSelection:
        """A selection in Dagster's syntax: ``key:"a"``, ``key:raw_*``, ``group:sales``,
        ``tag:"k"="v"``, ``owner:``, ``kind:``, ``+X`` / ``X+`` / ``2+X`` / ``X+1``,
        ``sinks(X)``, ``roots(X)``, ``not``, ``and``, ``or``, parentheses, ``*``; else a
        legacy clause (``*a``: a and all upstream, ``+a``: one level, ``a++``: two down,
        ``tag:k=v``)."""
        from assetgraph.definitions.selection_syntax import parse_selection

        return parse_selection(string, include_sources)

    @classmethod
    def from_coercible(cls, selection: Any) -> AssetSelection:
        """A selection from what ``define_asset_job(selection=...)`` accepts: an
        ``AssetSelection``, a selection string, or a sequence of strings, keys or asset
        definitions."""
        if isinstance(selection, AssetSelection):
            return selection
        if isinstance(selection, str):
            return cls.from_string(selection)
        if isinstance(selection, AssetsDefinition):
            return cls.assets(selection)
        if isinstance(selection, Sequence) and selection:
            if all(isinstance(item, str) for item in selection):
                return reduce(lambda a, b: a | b, (cls.from_string(s) for s in selection))
            if all(isinstance(item, AssetKey | AssetsDefinition) for item in selection):
                return cls.assets(*selection)
        if isinstance(selection, Sequence) and not selection:
            return KeysAssetSelection(())
        raise SelectionError(
            "A selection must be an AssetSelection, a selection string, or a list of strings, "
            f"AssetKeys or asset definitions; got {type(selection).__name__}: {selection!r}."
        )

    # -- chaining ---------------------------------------------------------------------------

    def upstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        """These assets and the materializable assets upstream of them (``depth`` levels;
        all when None)."""
        return TraversalSelection(self, depth, include_self, towards_upstream=True)

    def downstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        """These assets and the assets downstream of them (``depth`` levels; all when None)."""
        return TraversalSelection(self, depth, include_self, towards_upstream=False)

    def sinks(self) -> AssetSelection:
        """The assets of this selection with nothing downstream of them inside it."""
        return EndsSelection(self, at_roots=False)

    def roots(self) -> AssetSelection:
        """The materializable assets of this selection with nothing upstream of them inside it."""
        return EndsSelection(self, at_roots=True)

    def sources(self) -> AssetSelection:
        """Dagster's deprecated name for ``roots()``."""
        return self.roots()

    def required_multi_asset_neighbors(self) -> AssetSelection:
        """These assets plus every other asset of a multi-asset that cannot be subset."""
        return NeighborsSelection(self)

    def materializable(self) -> AssetSelection:
        """These assets without the source (external) ones."""
        return MaterializableSelection(self)

    def upstream_source_assets(self) -> AssetSelection:
        """The source assets upstream of these assets."""
        return ParentSourcesSelection(self)

    def without_checks(self) -> AssetSelection:
        """These assets without their checks: a run of it runs none of their checks."""
        return self - AssetSelection.all_asset_checks()

    def __or__(self, other: AssetSelection) -> AssetSelection:
        return OrAssetSelection(
            _operands(self, OrAssetSelection) + _operands(other, OrAssetSelection)
        )

    def __and__(self, other: AssetSelection) -> AssetSelection:
        return AndAssetSelection(
            _operands(self, AndAssetSelection) + _operands(other, AndAssetSelection)
        )

    def __sub__(self, other: AssetSelection) -> AssetSelection:
        _check_operand(other, "-")
        return SubtractAssetSelection(self, other)

    # -- resolving --------------------------------------------------------------------------

    def resolve(self, all_assets: Any, allow_missing: bool = False) -> set[AssetKey]:
        """The keys this selection names in ``all_assets``: an ``AssetGraph``, a
        ``Definitions``, or a list of asset definitions."""
        return self.resolve_inner(_as_graph(all_assets), allow_missing)

    @abstractmethod
    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        """The keys of ``graph`` this selection names."""

    def resolve_checks(
        self, all_assets: Any, asset_checks: Iterable[AssetChecksDefinition] | None = None
    ) -> set[AssetCheckKey]:
        """The asset checks this selection names: of ``asset_checks`` (by default those of
        ``all_assets``, a ``Definitions``)."""
        if asset_checks is None:
            asset_checks = getattr(all_assets, "asset_checks", ())
        known = tuple(dict.fromkeys(s.key for check in asset_checks for s in check.specs))
        return self.resolve_checks_inner(_as_graph(all_assets), known)

    def resolve_checks_inner(
        self, graph: AssetGraph, checks: Sequence[AssetCheckKey]
    ) -> set[AssetCheckKey]:
        """Of ``checks``, those this selection names: by default the selected assets'."""
        assets = self.resolve_inner(graph, allow_missing=True)
        return {key for key in checks if key.asset_key in assets}


def _operands(selection: AssetSelection, kind: type[Any]) -> tuple[AssetSelection, ...]:
    _check_operand(selection, "|" if kind is OrAssetSelection else "&")
    return selection.operands if isinstance(selection, kind) else (selection,)


def _check_operand(selection: object, operator: str) -> None:
    if not isinstance(selection, AssetSelection):
        raise SelectionError(
            f"AssetSelection {operator} {type(selection).__name__}: both sides must be "
            "AssetSelections (wrap keys in AssetSelection.assets(...))."
        )


def _keys_of(items: Iterable[Any]) -> list[AssetKey]:
    keys: list[AssetKey] = []
    for item in items:
        if isinstance(item, AssetsDefinition):
            keys.extend(item.keys)
        else:
            keys.append(AssetKey.from_user(item))
    return keys


def _as_graph(all_assets: Any) -> AssetGraph:
    if isinstance(all_assets, AssetGraph):
        return all_assets
    graph = getattr(all_assets, "graph", None)  # a Definitions
    if isinstance(graph, AssetGraph):
        return graph
    return AssetGraph(list(all_assets))


def _base(graph: AssetGraph, include_sources: bool) -> list[AssetKey]:
    return [k for k in graph.all_keys if include_sources or not graph.is_source(k)]


def _reachable(
    graph: AssetGraph, start: set[AssetKey], depth: int | None, *, upstream: bool
) -> set[AssetKey]:
    return reachable(graph, start, depth, upstream=upstream)


# -- leaves --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AllSelection(AssetSelection):
    include_sources: bool = False

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set(_base(graph, self.include_sources))


@dataclass(frozen=True, slots=True)
class ChecksSelection(AssetSelection):
    """Asset checks (all when ``asset_keys`` is None): no asset keys."""

    asset_keys: tuple[AssetKey, ...] | None

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set()

    def resolve_checks_inner(
        self, graph: AssetGraph, checks: Sequence[AssetCheckKey]
    ) -> set[AssetCheckKey]:
        if self.asset_keys is None:
            return set(checks)
        return {key for key in checks if key.asset_key in self.asset_keys}


@dataclass(frozen=True, slots=True)
class CheckKeysSelection(AssetSelection):
    """Named asset checks (``AssetSelection.checks``): no asset keys."""

    check_keys: tuple[AssetCheckKey, ...]

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set()

    def resolve_checks_inner(
        self, graph: AssetGraph, checks: Sequence[AssetCheckKey]
    ) -> set[AssetCheckKey]:
        missing = [key.to_user_string() for key in self.check_keys if key not in checks]
        if missing:
            raise SelectionError(
                f"Asset check(s) {', '.join(missing)} were selected, but Definitions has no "
                "such check: pass the @asset_check to Definitions(asset_checks=[...])."
            )
        return set(self.check_keys)


@dataclass(frozen=True, slots=True)
class KeysAssetSelection(AssetSelection):
    selected_keys: tuple[AssetKey, ...]

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        missing = [key for key in dict.fromkeys(self.selected_keys) if not graph.has(key)]
        if missing and not allow_missing:
            names = ", ".join(f"'{key}'" for key in missing)
            hints = "".join(
                did_you_mean(key.to_string(), graph.key_strings()) for key in missing[:4]
            )
            raise SelectionError(
                f"Asset key(s) {names} were selected, but no asset definition supplies "
                f"{'it' if len(missing) == 1 else 'them'}: check the spelling, and that every "
                f"asset is passed to Definitions.{hints}"
            )
        return set(self.selected_keys) - set(missing)


@dataclass(frozen=True, slots=True)
class KeyPrefixesAssetSelection(AssetSelection):
    prefixes: tuple[tuple[str, ...], ...]
    include_sources: bool = False

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return {
            key
            for key in _base(graph, self.include_sources)
            if any(key.path[: len(prefix)] == prefix for prefix in self.prefixes)
        }


@dataclass(frozen=True, slots=True)
class KeySubstringAssetSelection(AssetSelection):
    substring: str
    include_sources: bool = False

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return {k for k in _base(graph, self.include_sources) if self.substring in k.to_string()}


@dataclass(frozen=True, slots=True)
class KeyWildcardAssetSelection(AssetSelection):
    """``key:raw_*``: keys whose ``a/b`` string matches, ``*`` standing for any characters."""

    pattern: str

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        regex = re.compile("^" + re.escape(self.pattern).replace(r"\*", ".*") + "$")
        return {key for key in graph.all_keys if regex.match(key.to_string())}


@dataclass(frozen=True, slots=True)
class GroupsAssetSelection(AssetSelection):
    selected_groups: tuple[str, ...]
    include_sources: bool = False

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        wanted = set(self.selected_groups)
        return {k for k in _base(graph, self.include_sources) if graph.group_of(k) in wanted}


@dataclass(frozen=True, slots=True)
class TagAssetSelection(AssetSelection):
    key: str
    value: str
    include_sources: bool = False

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return {
            k
            for k in _base(graph, self.include_sources)
            if graph.tags_of(k).get(self.key) == self.value
        }


@dataclass(frozen=True, slots=True)
class KindAssetSelection(AssetSelection):
    kind_str: str | None
    include_sources: bool = False

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return {
            k
            for k in _base(graph, self.include_sources)
            if (self.kind_str in _kinds(graph, k))
            or (self.kind_str is None and not _kinds(graph, k))
        }


def _kinds(graph: AssetGraph, key: AssetKey) -> set[str]:
    spec = graph.spec(key)
    kinds = {t.removeprefix(KIND_TAG_PREFIX) for t in spec.tags if t.startswith(KIND_TAG_PREFIX)}
    kinds.update(getattr(spec, "kinds", None) or ())
    return kinds


@dataclass(frozen=True, slots=True)
class OwnerAssetSelection(AssetSelection):
    selected_owner: str | None

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return {k for k in graph.all_keys if self.selected_owner in graph.spec(k).owners}


@dataclass(frozen=True, slots=True)
class SelectLanguageSelection(AssetSelection):
    """assetgraph's dbt-style selection language (``assetgraph.selection``)."""

    text: str
    exclude: str | None = None

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set(select_assets(graph, self.text, self.exclude))


# -- combinations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrAssetSelection(AssetSelection):
    operands: tuple[AssetSelection, ...]

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return set().union(*(op.resolve_inner(graph, allow_missing) for op in self.operands))

    def resolve_checks_inner(
        self, graph: AssetGraph, checks: Sequence[AssetCheckKey]
    ) -> set[AssetCheckKey]:
        return set().union(*(op.resolve_checks_inner(graph, checks) for op in self.operands))


@dataclass(frozen=True, slots=True)
class AndAssetSelection(AssetSelection):
    operands: tuple[AssetSelection, ...]

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        sets = [op.resolve_inner(graph, allow_missing) for op in self.operands]
        return set.intersection(*sets)

    def resolve_checks_inner(
        self, graph: AssetGraph, checks: Sequence[AssetCheckKey]
    ) -> set[AssetCheckKey]:
        return set.intersection(*(op.resolve_checks_inner(graph, checks) for op in self.operands))


@dataclass(frozen=True, slots=True)
class SubtractAssetSelection(AssetSelection):
    left: AssetSelection
    right: AssetSelection

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        return self.left.resolve_inner(graph, allow_missing) - self.right.resolve_inner(
            graph, allow_missing
        )

    def resolve_checks_inner(
        self, graph: AssetGraph, checks: Sequence[AssetCheckKey]
    ) -> set[AssetCheckKey]:
        left = self.left.resolve_checks_inner(graph, checks)
        return left - self.right.resolve_checks_inner(graph, checks)


@dataclass(frozen=True, slots=True)
class TraversalSelection(AssetSelection):
    """``upstream()`` / ``downstream()``: what the child selects and its neighbours."""

    child: AssetSelection
    depth: int | None
    include_self: bool
    towards_upstream: bool

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        selected = self.child.resolve_inner(graph, allow_missing)
        if self.depth is not None and self.depth < 0:
            raise SelectionError(f"A traversal depth must be 0 or more, got {self.depth}.")
        reached = _reachable(graph, selected, self.depth, upstream=self.towards_upstream) | selected
        if not self.include_self:
            reached -= selected
        if self.towards_upstream:  # as in Dagster: upstream never adds source assets
            reached = {key for key in reached if not graph.is_source(key)}
        return reached


@dataclass(frozen=True, slots=True)
class EndsSelection(AssetSelection):
    """``roots()`` / ``sinks()``: assets with no ancestor (descendant) inside the selection."""

    child: AssetSelection
    at_roots: bool

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        selected = self.child.resolve_inner(graph, allow_missing)
        if self.at_roots:
            selected = {key for key in selected if not graph.is_source(key)}
        return {
            key
            for key in selected
            if not (_reachable(graph, {key}, None, upstream=self.at_roots) & (selected - {key}))
        }


@dataclass(frozen=True, slots=True)
class NeighborsSelection(AssetSelection):
    """``required_multi_asset_neighbors()``."""

    child: AssetSelection

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        selected = self.child.resolve_inner(graph, allow_missing)
        result = set(selected)
        for key in selected:
            assets_def = graph.assets_def(key)
            if not getattr(assets_def, "can_subset", False):
                result.update(assets_def.keys)
        return result


@dataclass(frozen=True, slots=True)
class MaterializableSelection(AssetSelection):
    child: AssetSelection

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        selected = self.child.resolve_inner(graph, allow_missing)
        return {key for key in selected if not graph.is_source(key)}


@dataclass(frozen=True, slots=True)
class ParentSourcesSelection(AssetSelection):
    child: AssetSelection

    def resolve_inner(self, graph: AssetGraph, allow_missing: bool) -> set[AssetKey]:
        selected = self.child.resolve_inner(graph, allow_missing)
        upstream = _reachable(graph, selected, None, upstream=True) | selected
        return {key for key in upstream if graph.is_source(key)}
