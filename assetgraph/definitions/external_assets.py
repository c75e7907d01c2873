"""External assets: an ``AssetSpec`` passed directly in ``Definitions(assets=[...])``.

As in Dagster, an external asset is in the graph (listed, shown in lineage, with its own
upstream ``deps``) but something other than assetgraph writes it: it has no steps, and
selecting only external assets to materialize is an error. Downstream assets depend on it
through ``deps=[...]`` (or load it through its IO manager, like a ``SourceAsset``) and are
never blocked by it. A key named in ``deps=[...]`` that no definition declares becomes an
external asset too, as Dagster does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assetgraph.definitions.assets import InputSpec
from assetgraph.definitions.source_assets import SourceAsset
from assetgraph.definitions.specs import AssetSpec
from assetgraph.keys import AssetKey


class ExternalAsset(SourceAsset):
    """The asset an ``AssetSpec`` declares, materialized outside assetgraph."""

    def __init__(self, spec: AssetSpec, defined_at: str | None = None) -> None:
        super().__init__(
            spec.key,
            description=spec.description,
            group_name=spec.group_name,
            metadata=spec.metadata,
            tags=spec.tags_with_kinds,
            partitions_def=spec.partitions_def,
        )
        if defined_at is not None:
            self._defined_at = defined_at
        self.asset_spec = spec
        own = replace(
            self.specs[0],
            owners=spec.owners,
            code_version=spec.code_version,
            freshness_policy=spec.freshness_policy,
        )
        self.specs = (own,)
        self._spec_by_key = {own.key: own}
        self.inputs = tuple(
            InputSpec(
                param=None,
                name=dep.asset_key,
                key=dep.asset_key,
                partition_mapping=dep.partition_mapping,
            )
            for dep in spec.deps
        )

    def __reduce__(self) -> Any:
        """Rebuilt from its spec in worker processes (it has no function to pickle)."""
        return (ExternalAsset, (self.asset_spec, self._defined_at))

    def __repr__(self) -> str:
        return f"<ExternalAsset {self.name}>"


def external_asset_for_key(
    key: AssetKey, named_by: str, how: str = "deps=[...] of"
) -> ExternalAsset:
    """The external asset standing for an undeclared key in ``deps=[...]`` of ``named_by``
    (or named ``how`` otherwise, e.g. ``checked by``)."""
    return ExternalAsset(AssetSpec(key), defined_at=f"{how} {named_by}")


def external_asset_from_spec(spec: AssetSpec) -> ExternalAsset:
    """The external asset an ``AssetSpec`` declares (Dagster's); the same as passing the
    spec itself in ``Definitions(assets=[...])``."""
    if not isinstance(spec, AssetSpec):
        from assetgraph.errors import DefinitionError

        raise DefinitionError(
            f"external_asset_from_spec takes an AssetSpec, got {type(spec).__name__}."
        )
    return ExternalAsset(spec, defined_at=f"AssetSpec('{spec.key}')")


def external_assets_from_specs(specs: Any) -> list[ExternalAsset]:
    """``external_asset_from_spec`` for each of ``specs`` (Dagster's)."""
    return [external_asset_from_spec(spec) for spec in specs]
