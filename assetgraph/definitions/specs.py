"""Dagster's ``AssetSpec`` and ``AssetDep``: what is declared about an asset, and an edge to one.

An ``AssetSpec`` names an asset and what is known about it (its upstreams, group, owners,
tags, kinds, partitions) without saying how it is built. Passed to
``@multi_asset(specs=[...])`` it is one output of the function; passed directly in
``Definitions(assets=[...])`` it is an *external* asset: shown in the graph, readable by
its downstream, never materialized by assetgraph (as in Dagster).

An ``AssetDep`` is one entry of ``deps=[...]``: an upstream that is ordered before the
asset (not loaded), with an optional partition mapping that says which of its partitions
a partition of the asset depends on.

This module imports nothing else of assetgraph's definitions, so every layer may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.partitions.definitions import PartitionsDefinition

KIND_TAG_PREFIX = "dagster/kind/"
"""Dagster stores each of an asset's ``kinds`` as the tag ``dagster/kind/<kind>: ""``."""


@dataclass(frozen=True, slots=True, init=False)
class AssetDep:
    """One upstream of an asset that is ordered before it but not loaded as an input.

    Args:
        asset: the upstream: a key (``"a/b"``, a sequence of parts, an ``AssetKey``), an
            ``AssetSpec``, or an asset definition (``@asset`` function, ``SourceAsset``).
        partition_mapping: which partitions of the upstream each partition of the asset
            depends on; the default between the two partitions definitions otherwise.
    """

    asset_key: AssetKey
    partition_mapping: Any

    def __init__(self, asset: Any, *, partition_mapping: Any = None) -> None:
        object.__setattr__(self, "asset_key", asset_key_of(asset, "AssetDep(asset=...)"))
        object.__setattr__(self, "partition_mapping", partition_mapping)


@dataclass(frozen=True, slots=True, init=False)
class AssetSpec:
    """Everything declared about one asset, short of how to build it (Dagster's ``AssetSpec``).

    Args:
        key: the asset key (``"a/b"``, a sequence of parts, an ``AssetKey``).
        deps: upstream assets (keys, specs, asset definitions or ``AssetDep``).
        description: shown in listings and the UI.
        metadata: static metadata of the asset.
        skippable: in a ``@multi_asset``, the function may leave this output out.
        group_name: the asset's group (``default`` when not given).
        code_version: the version of the code that builds it.
        owners: people or teams (``"team:data"``, an email address).
        tags: string tags, selectable with ``tag:K=V``.
        kinds: what the asset is (``{"python", "snowflake"}``), recorded as Dagster's
            ``dagster/kind/<kind>`` tags.
        partitions_def: how the asset is partitioned.
        automation_condition: when automation builds it (an ``AutomationCondition``); used
            where the spec is an output of a ``@multi_asset``.
    """

    key: AssetKey
    deps: tuple[AssetDep, ...]
    description: str | None
    metadata: Mapping[str, Any]
    skippable: bool
    group_name: str | None
    code_version: str | None
    owners: tuple[str, ...]
    tags: Mapping[str, str]
    kinds: frozenset[str]
    partitions_def: PartitionsDefinition | None
    automation_condition: Any
    freshness_policy: Any

    def __init__(
        self,
        key: Any,
        *,
        deps: Iterable[Any] | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        skippable: bool = False,
        group_name: str | None = None,
        code_version: str | None = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: Iterable[str] | None = None,
        partitions_def: PartitionsDefinition | None = None,
        automation_condition: Any = None,
        freshness_policy: Any = None,
        legacy_freshness_policy: Any = None,
    ) -> None:
        asset_key = AssetKey.from_user(key)
        where = f"AssetSpec('{asset_key}')"
        set_ = object.__setattr__
        set_(self, "key", asset_key)
        set_(self, "deps", tuple(as_asset_deps(deps, f"{where}: deps")))
        set_(self, "description", description)
        set_(self, "metadata", dict(metadata or {}))
        set_(self, "skippable", bool(skippable))
        set_(self, "group_name", group_name)
        set_(self, "code_version", code_version)
        set_(self, "owners", tuple(owners or ()))
        set_(self, "tags", dict(tags or {}))
        set_(self, "kinds", frozenset(kinds or ()))
        set_(self, "partitions_def", partitions_def)
        if automation_condition is not None:
            from assetgraph.definitions.automation_condition import check_automation_condition

            check_automation_condition(asset_key.to_string(), automation_condition, None)
        set_(self, "automation_condition", automation_condition)
        if legacy_freshness_policy is not None:
            from assetgraph.definitions.legacy_freshness import one_freshness_policy

            freshness_policy = one_freshness_policy(
                freshness_policy, legacy_freshness_policy, where
            )
        set_(self, "freshness_policy", freshness_policy)

    def __hash__(self) -> int:
        return hash(self.key)

    def replace_attributes(self, **changes: Any) -> AssetSpec:
        """A copy with the given attributes replaced (``key``, ``deps``, ``group_name``, ...)."""
        unknown = sorted(set(changes) - set(self.__slots__))
        if unknown:
            raise DefinitionError(
                f"AssetSpec('{self.key}').replace_attributes() got unknown attribute(s) "
                f"{', '.join(unknown)}; attributes: {', '.join(self.__slots__)}."
            )
        if "key" in changes:
            changes["key"] = AssetKey.from_user(changes["key"])
        if "deps" in changes:
            changes["deps"] = tuple(as_asset_deps(changes["deps"], f"AssetSpec('{self.key}')"))
        return replace(self, **changes)

    def merge_attributes(
        self,
        *,
        deps: Iterable[Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        owners: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        kinds: Iterable[str] | None = None,
    ) -> AssetSpec:
        """A copy with the given deps, metadata, owners, tags and kinds added to its own."""
        extra_deps = as_asset_deps(deps, f"AssetSpec('{self.key}')")
        return replace(
            self,
            deps=(*self.deps, *(d for d in extra_deps if d not in self.deps)),
            metadata={**self.metadata, **(metadata or {})},
            owners=(*self.owners, *(o for o in owners or () if o not in self.owners)),
            tags={**self.tags, **(tags or {})},
            kinds=self.kinds | frozenset(kinds or ()),
        )

    @property
    def tags_with_kinds(self) -> dict[str, str]:
        """``tags`` plus one ``dagster/kind/<kind>`` tag per kind, as Dagster records them."""
        return {**self.tags, **kind_tags(self.kinds)}


def kind_tags(kinds: Iterable[str] | None) -> dict[str, str]:
    """Dagster's tag form of ``kinds``: ``{"dagster/kind/<kind>": ""}`` per kind."""
    return {f"{KIND_TAG_PREFIX}{kind}": "" for kind in sorted(kinds or ())}


def asset_key_of(obj: Any, where: str) -> AssetKey:
    """The key ``obj`` names: a key, a spec, or a single-asset definition."""
    if isinstance(obj, AssetSpec):
        return obj.key
    if isinstance(obj, AssetDep):
        return obj.asset_key
    keys = getattr(obj, "keys", None)
    if isinstance(keys, tuple) and keys and all(isinstance(k, AssetKey) for k in keys):
        if len(keys) != 1:
            raise DefinitionError(
                f"{where}: {obj!r} materializes {len(keys)} assets; name one of them by key."
            )
        only: AssetKey = keys[0]
        return only
    try:
        return AssetKey.from_user(obj)
    except DefinitionError as exc:
        raise DefinitionError(f"{where}: {exc}") from exc
    except (TypeError, ValueError) as exc:
        raise DefinitionError(
            f"{where}: expected an asset key, AssetSpec or asset definition, got "
            f"{type(obj).__name__} {obj!r}."
        ) from exc


def as_asset_deps(deps: Iterable[Any] | None, where: str) -> list[AssetDep]:
    """``deps=[...]`` as ``AssetDep`` objects; a multi-asset definition adds all its keys."""
    if isinstance(deps, str | AssetKey | AssetSpec | AssetDep):
        raise DefinitionError(f"{where} must be a list, e.g. deps=[{deps!r}].")
    found: list[AssetDep] = []
    for dep in deps or ():
        if isinstance(dep, AssetDep):
            found.append(dep)
            continue
        keys = getattr(dep, "keys", None)
        if isinstance(keys, tuple) and len(keys) > 1 and all(isinstance(k, AssetKey) for k in keys):
            found.extend(AssetDep(key) for key in keys)
        else:
            found.append(AssetDep(asset_key_of(dep, where)))
    return found


class AssetSpecs(tuple["AssetSpec", ...]):
    """What Dagster's ``AssetsDefinition(specs=[AssetSpec, ...])`` (no function) makes here:
    its specs, each an external asset in ``Definitions(assets=[...])``, which takes the
    group apart, as the code-location loader does."""

    __slots__ = ()


def external_asset_specs(kwargs: dict[str, Any]) -> AssetSpecs:
    """The specs of ``AssetsDefinition(specs=[AssetSpec, ...])``, checked."""
    specs = kwargs.pop("specs", None)
    kwargs.pop("execution_type", None)
    if specs is None or kwargs or not all(isinstance(s, AssetSpec) for s in specs):
        raise DefinitionError(
            "AssetsDefinition(...) without a function takes specs=[AssetSpec(...), ...] "
            "(external assets); to build assets, decorate a function with @asset or "
            "@multi_asset."
        )
    return AssetSpecs(specs)
