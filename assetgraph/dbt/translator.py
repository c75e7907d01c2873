"""``DagsterDbtTranslator``: how a dbt node of the manifest becomes an asset's key, group, tags, ...

Each method takes the node's properties as the manifest holds them (``resource_type``,
``name``, ``config``, ``meta``, ``tags``, ``checksum``, ...); subclass and override one to
change it, as with dagster-dbt. The defaults follow dagster-dbt's, so keys carry over:

- key: ``meta.dagster.asset_key`` when set; a source is ``[source_name, table name]``; a
  model, seed or snapshot is ``[schema configured on it, name]`` or just ``[name]``;
- group: ``meta.dagster.group``, else the dbt group; owners: ``meta.dagster.owners``,
  else the dbt group's owner email; tags: each dbt tag as a tag with an empty value;
- code version: the checksum dbt keeps of the node's file, so an edit makes it stale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assetgraph.keys import AssetKey

UNIQUE_ID_METADATA_KEY = "dbt/unique_id"
GROUP_PROPS_KEY = "assetgraph_group"
"""Added to a node's properties: its dbt group's entry in the manifest (name, owner)."""


@dataclass(frozen=True)
class DagsterDbtTranslatorSettings:
    """Switches of the translator: ``enable_asset_checks`` turns dbt tests into asset checks."""

    enable_asset_checks: bool = True


class DagsterDbtTranslator:
    """Derives what assetgraph declares about an asset from a dbt node's properties."""

    def __init__(self, settings: DagsterDbtTranslatorSettings | None = None) -> None:
        self.settings = settings or DagsterDbtTranslatorSettings()

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        """The node's asset key (sources included: the key a Python asset must have)."""
        configured = _dagster_meta(dbt_resource_props).get("asset_key")
        if configured:
            return AssetKey.from_user(configured)
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey((dbt_resource_props["source_name"], dbt_resource_props["name"]))
        schema = (dbt_resource_props.get("config") or {}).get("schema")
        name = dbt_resource_props["name"]
        return AssetKey((schema, name)) if schema else AssetKey((name,))

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The dbt description, else ``dbt <resource type> <name>``."""
        props = dbt_resource_props
        return props.get("description") or f"dbt {props['resource_type']} {props['name']}"

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        """Static metadata: the node's unique id, materialization and relation."""
        props = dbt_resource_props
        metadata: dict[str, Any] = {UNIQUE_ID_METADATA_KEY: props["unique_id"]}
        materialized = (props.get("config") or {}).get("materialized")
        if materialized:
            metadata["dbt/materialization"] = materialized
        relation = props.get("relation_name")
        if relation:
            metadata["dbt/relation"] = relation
        return metadata

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """``meta.dagster.group``, else the node's dbt group, else the default group."""
        group = _dagster_meta(dbt_resource_props).get("group")
        return group or (dbt_resource_props.get("config") or {}).get("group") or None

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        """Each dbt tag as an asset tag with an empty value (``tag:nightly`` selects it)."""
        return {tag: "" for tag in dbt_resource_props.get("tags") or ()}

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        """``meta.dagster.owners``, else ``meta.owner``, else the dbt group owner's email."""
        owners = _dagster_meta(dbt_resource_props).get("owners")
        if owners:
            return list(owners)
        group = dbt_resource_props.get(GROUP_PROPS_KEY) or {}
        owner = _meta(dbt_resource_props).get("owner") or (group.get("owner") or {}).get("email")
        if not owner:
            return None
        return [owner] if isinstance(owner, str) else list(owner)

    def get_code_version(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The checksum dbt keeps of the node's file (SQL, CSV, ...)."""
        checksum = (dbt_resource_props.get("checksum") or {}).get("checksum")
        return str(checksum) if checksum else None

    def get_partition_mapping(
        self, dbt_resource_props: Mapping[str, Any], dbt_parent_resource_props: Mapping[str, Any]
    ) -> Any:
        """The partition mapping of an edge to an upstream node; None is the default."""
        return None

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> Any:
        """When automation builds the asset (an ``AutomationCondition``); None by default."""
        return None


def _meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    config_meta = (props.get("config") or {}).get("meta") or {}
    return config_meta or props.get("meta") or {}


def _dagster_meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    found = _meta(props).get("dagster") or {}
    return found if isinstance(found, Mapping) else {}
