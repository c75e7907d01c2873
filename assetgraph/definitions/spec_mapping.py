"""Dagster's ``map_asset_specs``: change the declared attributes of assets (group, tags,
kinds, owners, metadata, description, code version, automation condition, freshness
policy, added deps) through a function over ``AssetSpec``, whether the asset is an
``AssetSpec``, an external asset or an ``@asset`` / ``@multi_asset`` definition; and
``apply_freshness_policy``, the usual such function."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from assetgraph.definitions.assets import (
    DEFAULT_GROUP,
    AssetOutputSpec,
    AssetsDefinition,
    InputSpec,
)
from assetgraph.definitions.external_assets import ExternalAsset
from assetgraph.definitions.pickling import rebuild
from assetgraph.definitions.specs import KIND_TAG_PREFIX, AssetSpec
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey

SpecMapper = Callable[[AssetSpec], AssetSpec]


def apply_freshness_policy(
    spec: AssetSpec, policy: Any, overwrite_existing: bool = True
) -> AssetSpec:
    """``spec`` with freshness policy ``policy``; with ``overwrite_existing=False`` a spec
    that already has one keeps it."""
    if spec.freshness_policy is not None and not overwrite_existing:
        return spec
    return spec.replace_attributes(freshness_policy=policy)


def map_asset_specs(func: SpecMapper, iterable: Iterable[Any]) -> list[Any]:
    """Each ``AssetSpec`` or asset definition of ``iterable`` with its specs passed through
    ``func`` (Dagster's ``dg.map_asset_specs``); other objects are kept as they are."""
    return [mapped(obj, func) for obj in iterable]


def mapped(obj: Any, func: SpecMapper, keys: set[AssetKey] | None = None) -> Any:
    """``obj`` (an ``AssetSpec`` or asset definition) with the specs of ``keys`` (all when
    None) passed through ``func``."""
    if isinstance(obj, AssetSpec):
        return _checked(func, obj) if keys is None or obj.key in keys else obj
    if isinstance(obj, ExternalAsset):
        spec = obj.asset_spec
        if keys is not None and spec.key not in keys:
            return obj
        return ExternalAsset(_checked(func, spec), defined_at=getattr(obj, "_defined_at", None))
    if isinstance(obj, AssetsDefinition):
        return _mapped_definition(obj, func, keys)
    return obj


def spec_of(assets_def: AssetsDefinition, output: AssetOutputSpec) -> AssetSpec:
    """The ``AssetSpec`` of one output of ``assets_def``, as Dagster's ``specs`` shows it."""
    kinds = {t[len(KIND_TAG_PREFIX) :] for t in output.tags if t.startswith(KIND_TAG_PREFIX)}
    return AssetSpec(
        output.key,
        deps=[i.key or i.name for i in assets_def.inputs],
        description=output.description,
        metadata=output.metadata,
        group_name=output.group,
        code_version=output.code_version,
        owners=output.owners,
        tags={k: v for k, v in output.tags.items() if not k.startswith(KIND_TAG_PREFIX)},
        kinds=kinds,
        partitions_def=assets_def.partitions_def,
        automation_condition=output.automation_condition,
        freshness_policy=output.freshness_policy,
    )


def _checked(func: SpecMapper, spec: AssetSpec) -> AssetSpec:
    new = func(spec)
    if not isinstance(new, AssetSpec):
        raise DefinitionError(
            f"map_asset_specs: the function returned {type(new).__name__} for asset "
            f"'{spec.key}'; it must return an AssetSpec (e.g. spec.replace_attributes(...))."
        )
    return new


def _mapped_definition(
    assets_def: AssetsDefinition, func: SpecMapper, keys: set[AssetKey] | None
) -> AssetsDefinition:
    outputs = []
    inputs = list(assets_def.inputs)
    for output in assets_def.specs:
        if keys is not None and output.key not in keys:
            outputs.append(output)
            continue
        old = spec_of(assets_def, output)
        new = _checked(func, old)
        if new.key != old.key:
            raise DefinitionError(
                f"map_asset_specs: the function changed the key of asset '{old.key}' to "
                f"'{new.key}' ({assets_def.source_location}); the key of an asset built by a "
                "function cannot change: give @asset(key=...) or a key_prefix instead."
            )
        known = {i.key or i.name for i in inputs}
        inputs += [
            InputSpec(param=None, name=d.asset_key, key=d.asset_key)
            for d in new.deps
            if d.asset_key not in known
        ]
        outputs.append(
            dataclasses.replace(
                output,
                group=new.group_name or DEFAULT_GROUP,
                tags=new.tags_with_kinds,
                description=new.description,
                metadata=dict(new.metadata),
                owners=new.owners,
                code_version=new.code_version,
                automation_condition=new.automation_condition,
                freshness_policy=new.freshness_policy,
            )
        )
    clone: AssetsDefinition = rebuild(type(assets_def), dict(vars(assets_def)))
    clone.specs = tuple(outputs)
    clone.inputs = tuple(inputs)
    clone._spec_by_key = {spec.key: spec for spec in clone.specs}
    return clone
