"""Finding the asset key of a dbt model or source among ``dbt_assets`` definitions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assetgraph.dbt.nodes import DbtNodes, nodes_of
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey


def get_asset_key_for_model(dbt_assets: Sequence[Any], model_name: str) -> AssetKey:
    """The asset key of the dbt model ``model_name`` among the given ``dbt_assets``."""
    names: list[str] = []
    for nodes in _nodes_of(dbt_assets):
        for unique_id, key in nodes.key_by_unique_id.items():
            props = nodes.manifest["nodes"][unique_id]
            if props["resource_type"] == "model":
                names.append(props["name"])
                if props["name"] == model_name:
                    return key
    raise DefinitionError(
        f"No dbt model named '{model_name}' in these dbt_assets; models: "
        f"{', '.join(sorted(names)) or 'none'}."
    )


def get_asset_key_for_source(dbt_assets: Sequence[Any], source_name: str) -> AssetKey:
    """The asset key of the dbt source ``source_name``, which must hold one table."""
    from assetgraph.dbt.translator import DagsterDbtTranslator

    for nodes in _nodes_of(dbt_assets):
        tables = [
            props
            for props in nodes.manifest.get("sources", {}).values()
            if props["source_name"] == source_name
        ]
        if len(tables) > 1:
            raise DefinitionError(
                f"dbt source '{source_name}' has {len(tables)} tables; name the table's key "
                "instead (AssetKey([source name, table name]) by default)."
            )
        if tables:
            return DagsterDbtTranslator().get_asset_key(tables[0])
    raise DefinitionError(f"No dbt source named '{source_name}' in these dbt_assets.")


def _nodes_of(dbt_assets: Sequence[Any]) -> list[DbtNodes]:
    nodes = [n for n in map(nodes_of, dbt_assets) if n is not None]
    if not nodes:
        raise DefinitionError("Pass the definitions that dbt_assets made (a list of them).")
    return nodes
