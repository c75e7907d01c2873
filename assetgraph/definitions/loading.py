"""Dagster's loaders: the assets and asset checks defined in modules or a package.

``load_assets_from_modules([m1, m2], group_name=..., key_prefix=...)`` returns every
asset (``@asset``, ``@multi_asset``, ``@graph_asset``, source assets) found at the top
level of the modules, once each; ``key_prefix`` prefixes their keys and the explicit
upstream keys among them (parameter names already resolve within the prefix), and
``group_name`` sets their group. ``load_assets_from_package_module`` does the same for a
package and all its submodules.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pkgutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

from assetgraph.definitions.assets import DEFAULT_GROUP, AssetsDefinition
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.pickling import rebuild
from assetgraph.definitions.source_assets import is_source
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey


def load_assets_from_modules(
    modules: Iterable[ModuleType],
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    *,
    source_key_prefix: str | Sequence[str] | None = None,
) -> list[AssetsDefinition]:
    """The assets defined at the top level of ``modules`` (or in lists held there)."""
    found = _assets_in(_objects_in(modules))
    return _with_attributes(found, group_name, _prefix(key_prefix), _prefix(source_key_prefix))


def load_assets_from_current_module(
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    *,
    source_key_prefix: str | Sequence[str] | None = None,
) -> list[AssetsDefinition]:
    """The assets defined so far at the top level of the calling module."""
    frame = sys._getframe(1)
    module = ModuleType(str(frame.f_globals.get("__name__", "__main__")))
    module.__dict__.update(frame.f_globals)
    return load_assets_from_modules(
        [module], group_name, key_prefix, source_key_prefix=source_key_prefix
    )


def load_assets_from_package_module(
    package_module: ModuleType,
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    *,
    source_key_prefix: str | Sequence[str] | None = None,
) -> list[AssetsDefinition]:
    """The assets of ``package_module`` and of every module below it (imported here)."""
    return load_assets_from_modules(
        _package_modules(package_module),
        group_name,
        key_prefix,
        source_key_prefix=source_key_prefix,
    )


def load_assets_from_package_name(
    package_name: str,
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
) -> list[AssetsDefinition]:
    """``load_assets_from_package_module`` for the package named ``package_name``."""
    return load_assets_from_package_module(
        importlib.import_module(package_name), group_name, key_prefix
    )


def load_asset_checks_from_modules(
    modules: Iterable[ModuleType],
    asset_key_prefix: str | Sequence[str] | None = None,
) -> list[AssetChecksDefinition]:
    """The asset checks at the top level of ``modules``; ``asset_key_prefix`` prefixes the
    key of the asset each one checks (to match assets loaded with that ``key_prefix``)."""
    seen: dict[int, AssetChecksDefinition] = {}
    for obj in _objects_in(modules):
        if isinstance(obj, AssetChecksDefinition):
            seen.setdefault(id(obj), obj)
    prefix = _prefix(asset_key_prefix)
    checks = list(seen.values())
    if not prefix:
        return checks
    prefixed = []
    for check in checks:
        clone = rebuild(type(check), dict(vars(check)))
        clone.asset_key = AssetKey((*prefix, *check.asset_key.path))
        specs = []
        for spec in getattr(check, "specs", ()):
            spec = copy.copy(spec)  # frozen: its own __init__ takes asset=, not asset_key=
            object.__setattr__(spec, "asset_key", AssetKey((*prefix, *spec.asset_key.path)))
            specs.append(spec)
        clone.specs = tuple(specs)
        prefixed.append(clone)
    return prefixed


def load_asset_checks_from_package_module(
    package_module: ModuleType, asset_key_prefix: str | Sequence[str] | None = None
) -> list[AssetChecksDefinition]:
    """``load_asset_checks_from_modules`` over a package and every module below it."""
    return load_asset_checks_from_modules(_package_modules(package_module), asset_key_prefix)


def _objects_in(modules: Iterable[ModuleType]) -> list[Any]:
    if isinstance(modules, ModuleType):
        modules = [modules]
    objects: list[Any] = []
    for module in modules:
        if not isinstance(module, ModuleType):
            raise DefinitionError(
                f"load_assets_from_modules expects a list of modules, got "
                f"{type(module).__name__} {module!r}; pass the module objects (import them)."
            )
        for value in vars(module).values():
            if isinstance(value, list | tuple):
                objects.extend(value)
            else:
                objects.append(value)
    return objects


def _assets_in(objects: Iterable[Any]) -> list[AssetsDefinition]:
    """Each asset once; two different definitions of one key are an error naming it."""
    found: dict[int, AssetsDefinition] = {}
    owner: dict[AssetKey, AssetsDefinition] = {}
    for obj in objects:
        if not isinstance(obj, AssetsDefinition) or id(obj) in found:
            continue
        for key in obj.keys:
            other = owner.setdefault(key, obj)
            if other is not obj:
                raise DefinitionError(
                    f"Asset '{key}' is defined twice in the loaded modules: at "
                    f"{other.source_location} and at {obj.source_location}."
                )
        found[id(obj)] = obj
    return list(found.values())


def _package_modules(package: ModuleType) -> list[ModuleType]:
    modules = [package]
    path = getattr(package, "__path__", None)
    if path is None:
        return modules
    for info in pkgutil.walk_packages(path, prefix=f"{package.__name__}."):
        modules.append(importlib.import_module(info.name))
    return modules


def _prefix(prefix: str | Sequence[str] | None) -> tuple[str, ...]:
    if prefix is None:
        return ()
    if isinstance(prefix, str):
        return tuple(prefix.split("/"))
    return tuple(prefix)


def _with_attributes(
    assets: list[AssetsDefinition],
    group_name: str | None,
    key_prefix: tuple[str, ...],
    source_key_prefix: tuple[str, ...],
) -> list[AssetsDefinition]:
    if group_name is None and not key_prefix and not source_key_prefix:
        return assets

    renamed: dict[AssetKey, AssetKey] = {}
    for assets_def in assets:
        prefix = source_key_prefix if is_source(assets_def) else key_prefix
        for key in assets_def.keys:
            renamed[key] = AssetKey((*prefix, *key.path)) if prefix else key
    return [_renamed(a, renamed, group_name) for a in assets]


def _renamed(
    assets_def: AssetsDefinition, renamed: Mapping[AssetKey, AssetKey], group_name: str | None
) -> AssetsDefinition:
    """A copy of ``assets_def`` with its keys (and explicit upstream keys) renamed."""
    specs = []
    for spec in assets_def.specs:
        changes: dict[str, Any] = {"key": renamed.get(spec.key, spec.key)}
        if group_name is not None:
            if spec.group not in (DEFAULT_GROUP, group_name):
                raise DefinitionError(
                    f"Asset '{spec.key}' ({assets_def.source_location}) already has group "
                    f"'{spec.group}'; load_assets_from_modules(group_name='{group_name}') "
                    "cannot set another."
                )
            changes["group"] = group_name
        specs.append(dataclasses.replace(spec, **changes))
    inputs = [
        dataclasses.replace(i, key=renamed[i.key]) if i.key is not None and i.key in renamed else i
        for i in assets_def.inputs
    ]
    clone = _copy_of(assets_def)
    clone.specs = tuple(specs)
    clone.inputs = tuple(inputs)
    clone._spec_by_key = {spec.key: spec for spec in clone.specs}
    internal = getattr(assets_def, "internal_deps", None)
    if internal:
        clone.internal_deps = {
            renamed.get(k, k): frozenset(renamed.get(u, u) for u in ups)
            for k, ups in internal.items()
        }
    return clone


def _copy_of(assets_def: AssetsDefinition) -> AssetsDefinition:
    """A shallow copy (``copy.copy`` would return the module attribute: see pickling)."""
    clone: AssetsDefinition = rebuild(type(assets_def), dict(vars(assets_def)))
    return clone
