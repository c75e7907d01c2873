"""Dagster's ``map_asset_specs``: change the attributes of asset definitions through their
``AssetSpec``s, and ``apply_freshness_policy``, the usual change.

Each asset of a definition is shown to ``func`` as an ``AssetSpec``; the spec it returns
sets the asset's description, metadata, group, code version, owners, tags, automation
condition and freshness policy. Keys, dependencies and partitions cannot change this way
(an error names the asset)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.assets import DEFAULT_GROUP, AssetOutputSpec, AssetsDefinition
from assetgraph.definitions.external_assets import ExternalAsset
from assetgraph.definitions.pickling import rebuild
from assetgraph.definitions.specs import AssetSpec
from assetgraph.errors import DefinitionError

if TYPE_CHECKING:
    from assetgraph.keys import AssetKey

SpecFn = Callable[[AssetSpec], AssetSpec]


def apply_freshness_policy(
    spec: AssetSpec, policy: Any, overwrite_existing: bool = True
) -> AssetSpec:
    """``spec`` with freshness policy ``policy``; with ``overwrite_existing=False`` a spec
    that already has one keeps it."""
    if spec.freshness_policy is not None and not overwrite_existing:
        return spec
    return spec.replace_attributes(freshness_policy=policy)


def map_asset_specs(func: SpecFn, iterable: Iterable[Any]) -> list[Any]:
    """Each item of ``iterable`` (``AssetSpec``s and asset definitions) with ``func``
    applied to its specs, as Dagster's ``map_asset_specs``."""
    return [map_item(func, item) for item in iterable]


def map_item(func: SpecFn, item: Any, keys: set[AssetKey] | None = None) -> Any:
    """``item`` with ``func`` applied to its specs (only those of ``keys``, when given)."""
    if isinstance(item, AssetSpec):
        return _mapped_spec(func, item) if keys is None or item.key in keys else item
    if isinstance(item, ExternalAsset):
        if keys is not None and item.key not in keys:
            return item
        return ExternalAsset(_mapped_spec(func, item.asset_spec), item._defined_at)
    if not isinstance(item, AssetsDefinition):
        raise DefinitionError(
            f"map_asset_specs: expected AssetSpecs and asset definitions, got "
            f"{type(item).__name__} {item!r}."
        )
    specs = tuple(
        _mapped_output(func, item, out) if keys is None or out.key in keys else out
        for out in item.specs
    )
    if specs == item.specs:
        return item
    clone: AssetsDefinition = rebuild(type(item), dict(vars(item)))
    clone.specs = specs
    clone._spec_by_key = {spec.key: spec for spec in specs}
    return clone


def _mapped_spec(func: SpecFn, spec: AssetSpec) -> AssetSpec:
    mapped = func(spec)
    if not isinstance(mapped, AssetSpec):
        raise DefinitionError(
            f"map_asset_specs: the function returned {type(mapped).__name__} for asset "
            f"'{spec.key}'; it must return an AssetSpec (spec.replace_attributes(...))."
        )
    return mapped


def spec_of(assets_def: AssetsDefinition, out: AssetOutputSpec) -> AssetSpec:
    """One asset of ``assets_def`` as an ``AssetSpec``."""
    return AssetSpec(
        out.key,
        deps=[i.key or i.name for i in assets_def.inputs],
        description=out.description,
        metadata=out.metadata,
        group_name=out.group,
        code_version=out.code_version,
        owners=out.owners,
        tags=out.tags,
        partitions_def=assets_def.partitions_def,
        automation_condition=out.automation_condition,
        freshness_policy=out.freshness_policy,
    )


def _mapped_output(func: SpecFn, assets_def: AssetsDefinition, out: AssetOutputSpec) -> Any:
    before = spec_of(assets_def, out)
    after = _mapped_spec(func, before)
    for fixed in ("key", "deps", "partitions_def"):
        if getattr(after, fixed) != getattr(before, fixed):
            raise DefinitionError(
                f"map_asset_specs: the function changed the {fixed} of asset '{out.key}' "
                f"({assets_def.source_location}); an asset definition's {fixed} cannot be "
                "changed this way."
            )
    return dataclasses.replace(
        out,
        description=after.description,
        metadata=dict(after.metadata),
        group=after.group_name or DEFAULT_GROUP,
        code_version=after.code_version,
        owners=tuple(after.owners),
        tags=dict(after.tags),
        automation_condition=after.automation_condition,
        freshness_policy=after.freshness_policy,
    )
