"""``Definitions.merge``: several ``Definitions`` as one, refusing any name given twice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assetgraph.errors import DefinitionError

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions


def merged_arguments(def_sets: Sequence[Definitions]) -> dict[str, Any]:
    """The arguments of one ``Definitions`` holding everything of ``def_sets`` (see
    ``Definitions.merge``), refusing any name given twice."""
    _refuse_duplicate_keys(def_sets)
    retry_policies = {id(d.retry_policy): d.retry_policy for d in def_sets if d.retry_policy}
    if len(retry_policies) > 1:
        raise DefinitionError(
            "Definitions.merge: the Definitions have different retry_policy defaults; give at "
            "most one of them a retry_policy."
        )
    kwargs: dict[str, Any] = {
        "assets": [a for d in def_sets for a in d.assets],
        "asset_checks": [c for d in def_sets for c in d.asset_checks],
        "resources": _merged_mapping("resource", (d.resources for d in def_sets)),
        "io_managers": _merged_mapping("IO manager", (d.io_managers for d in def_sets)),
        "pools": _merged_mapping("pool", (d.pools for d in def_sets)),
        "retry_policy": next(iter(retry_policies.values()), None),
        "schedules": _unique_named("schedule", (d.schedules for d in def_sets)),
        "sensors": _unique_named("sensor", (d.sensors for d in def_sets)),
        "loggers": _merged_mapping("logger", (d.loggers for d in def_sets)),
    }
    jobs = [getattr(d, "jobs", ()) for d in def_sets]
    if any(jobs):
        kwargs["jobs"] = _unique_named("job", jobs)
    return kwargs


def _refuse_duplicate_keys(def_sets: Sequence[Definitions]) -> None:
    """Two different definitions of one asset key, or two checks of one name, are refused."""
    owners: dict[str, Any] = {}
    for defs in def_sets:
        for assets_def in defs.assets:
            for key in assets_def.keys:
                text = key.to_string()
                other = owners.setdefault(text, assets_def)
                if other is not assets_def:
                    raise DefinitionError(
                        f"Definitions.merge: asset '{text}' is defined twice, at "
                        f"{other.source_location} and at {assets_def.source_location}. "
                        "Keep one, or give one a key_prefix."
                    )


def _merged_mapping(what: str, mappings: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for mapping in mappings:
        for name, value in mapping.items():
            if name in merged and merged[name] is not value and merged[name] != value:
                raise DefinitionError(
                    f"Definitions.merge: {what} '{name}' is given twice with different values "
                    f"({type(merged[name]).__name__} and {type(value).__name__}); rename one "
                    "or pass the same object."
                )
            merged[name] = value
    return merged


def _unique_named(what: str, groups: Iterable[Iterable[Any]]) -> list[Any]:
    found: dict[str, Any] = {}
    for group in groups:
        for obj in group:
            name = str(getattr(obj, "name", obj))
            if name in found and found[name] is not obj:
                raise DefinitionError(f"Definitions.merge: two {what}s are named '{name}'.")
            found.setdefault(name, obj)
    return list(found.values())
