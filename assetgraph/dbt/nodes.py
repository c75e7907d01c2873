"""The dbt nodes of one ``dbt_assets`` definition: their asset specs, check specs and keys.

Models, seeds and snapshots are assets (ephemeral models are not: an edge through one
goes to its own upstreams). Their upstreams are other nodes and dbt sources, named by
the translator's keys, so a source whose key is a Python asset's depends on that asset.
Each dbt test on a selected asset is an asset check of it, blocking when dbt's severity
is ``error``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from assetgraph.dbt.translator import GROUP_PROPS_KEY, DagsterDbtTranslator
from assetgraph.definitions.check_specs import AssetCheckSpec
from assetgraph.definitions.specs import AssetDep, AssetSpec
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey

ASSET_RESOURCE_TYPES = ("model", "seed", "snapshot")

_NODES_BY_FUNCTION: weakref.WeakKeyDictionary[Any, DbtNodes] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class DbtNodes:
    """What a ``dbt_assets`` definition holds of its manifest."""

    manifest: Mapping[str, Any]
    specs: tuple[AssetSpec, ...]
    check_specs: tuple[AssetCheckSpec, ...]
    key_by_unique_id: Mapping[str, AssetKey]
    check_by_test_id: Mapping[str, AssetCheckSpec]
    select: str
    exclude: str | None
    fqn_by_key: Mapping[AssetKey, str] = field(default_factory=dict)

    def selection_args(self, keys: set[AssetKey]) -> list[str]:
        """dbt's ``--select``/``--exclude`` for ``keys`` (the definition's own when all)."""
        if keys >= set(self.fqn_by_key):
            return ["--select", self.select, *(["--exclude", self.exclude] if self.exclude else [])]
        return ["--select", *sorted(f"fqn:{self.fqn_by_key[key]}" for key in keys)]


def build_dbt_nodes(
    manifest: Mapping[str, Any],
    translator: DagsterDbtTranslator,
    selected: frozenset[str] | None,
    select: str,
    exclude: str | None,
    partitions_def: Any = None,
) -> DbtNodes:
    """The specs of the selected asset nodes (``selected`` None: every node) and their tests."""
    kinds = {"dbt", str((manifest.get("metadata") or {}).get("adapter_type") or "")} - {""}
    specs: list[AssetSpec] = []
    key_by_id: dict[str, AssetKey] = {}
    fqn_by_key: dict[AssetKey, str] = {}
    for unique_id, props in sorted(manifest["nodes"].items()):
        if not _is_asset(props) or (selected is not None and unique_id not in selected):
            continue
        props = _with_group(manifest, props)
        key = translator.get_asset_key(props)
        key_by_id[unique_id] = key
        fqn_by_key[key] = ".".join(props["fqn"])
        deps = [
            AssetDep(
                translator.get_asset_key(parent),
                partition_mapping=translator.get_partition_mapping(props, parent),
            )
            for parent in _upstream_nodes(manifest, props)
        ]
        specs.append(
            AssetSpec(
                key,
                deps=deps,
                description=translator.get_description(props),
                metadata=translator.get_metadata(props),
                group_name=translator.get_group_name(props),
                code_version=translator.get_code_version(props),
                owners=translator.get_owners(props),
                tags=translator.get_tags(props),
                kinds=kinds,
                partitions_def=partitions_def,
                automation_condition=translator.get_automation_condition(props),
            )
        )
    _refuse_duplicate_keys(key_by_id, manifest)
    checks = _check_specs(manifest, translator, key_by_id, selected)
    return DbtNodes(
        manifest=manifest,
        specs=tuple(specs),
        check_specs=tuple(checks.values()),
        key_by_unique_id=key_by_id,
        check_by_test_id=checks,
        select=select,
        exclude=exclude,
        fqn_by_key=fqn_by_key,
    )


def remember_nodes(fn: Any, nodes: DbtNodes) -> None:
    """Keep the nodes of the ``dbt_assets`` definition whose function is ``fn``."""
    _NODES_BY_FUNCTION[fn] = nodes


def nodes_of(assets_def: Any) -> DbtNodes | None:
    """The dbt nodes of a definition ``dbt_assets`` made (None for any other)."""
    return _NODES_BY_FUNCTION.get(getattr(assets_def, "fn", None))


def node_props(manifest: Mapping[str, Any], unique_id: str) -> Mapping[str, Any]:
    """A node's properties, from ``nodes`` or ``sources``."""
    found = manifest["nodes"].get(unique_id) or manifest.get("sources", {}).get(unique_id)
    if found is None:
        raise DefinitionError(f"the dbt manifest has no node '{unique_id}'.")
    return dict(found)


def _with_group(manifest: Mapping[str, Any], props: Mapping[str, Any]) -> Mapping[str, Any]:
    """The node's properties with its dbt group's manifest entry (owner) beside them."""
    group = (props.get("config") or {}).get("group") or props.get("group")
    if not group:
        return props
    found = next((g for g in manifest.get("groups", {}).values() if g.get("name") == group), None)
    return {**props, GROUP_PROPS_KEY: found} if found else props


def _is_asset(props: Mapping[str, Any]) -> bool:
    if props.get("resource_type") not in ASSET_RESOURCE_TYPES:
        return False
    return (props.get("config") or {}).get("materialized") != "ephemeral"


def _upstream_nodes(manifest: Mapping[str, Any], props: Mapping[str, Any]) -> Iterator[Any]:
    """The asset nodes and sources a node reads, looking through ephemeral models."""
    seen: set[str] = set()
    pending = list((props.get("depends_on") or {}).get("nodes") or ())
    while pending:
        unique_id = pending.pop()
        if unique_id in seen:
            continue
        seen.add(unique_id)
        parent = node_props(manifest, unique_id)
        if parent["resource_type"] == "source" or _is_asset(parent):
            yield parent
        elif parent["resource_type"] == "model":  # ephemeral
            pending.extend((parent.get("depends_on") or {}).get("nodes") or ())


def _refuse_duplicate_keys(key_by_id: Mapping[str, AssetKey], manifest: Mapping[str, Any]) -> None:
    by_key: dict[AssetKey, list[str]] = {}
    for unique_id, key in key_by_id.items():
        by_key.setdefault(key, []).append(unique_id)
    clashes = {key: ids for key, ids in by_key.items() if len(ids) > 1}
    if clashes:
        key, ids = next(iter(clashes.items()))
        files = ", ".join(f"{i} ({manifest['nodes'][i].get('original_file_path')})" for i in ids)
        raise DefinitionError(
            f"dbt nodes {files} all have the asset key '{key}'; give them distinct keys "
            "(meta: {dagster: {asset_key: [...]}} in their YAML, or a DagsterDbtTranslator)."
        )


def _check_specs(
    manifest: Mapping[str, Any],
    translator: DagsterDbtTranslator,
    key_by_id: Mapping[str, AssetKey],
    selected: frozenset[str] | None,
) -> dict[str, AssetCheckSpec]:
    """Test unique id -> the check spec of each test on one of the selected assets."""
    if not translator.settings.enable_asset_checks:
        return {}
    checks: dict[str, AssetCheckSpec] = {}
    for unique_id, props in sorted(manifest["nodes"].items()):
        if props.get("resource_type") != "test":
            continue
        if selected is not None and unique_id not in selected:
            continue
        parents = list((props.get("depends_on") or {}).get("nodes") or ())
        attached = props.get("attached_node") or (parents[0] if len(parents) == 1 else None)
        if attached is None or attached not in key_by_id:
            continue
        severity = str((props.get("config") or {}).get("severity") or "error")
        checks[unique_id] = AssetCheckSpec(
            props["name"],
            asset=key_by_id[attached],
            description=props.get("description") or None,
            blocking=severity.lower() == "error",
            metadata={"dbt/unique_id": unique_id},
        )
    return checks
