"""``AssetObservation``: metadata about an asset that user code records while a step runs.

Unlike a materialization it stores no value and leaves the asset's data version, status
and staleness alone: it is a note in the event log (a row count seen, a file's size, a
table's freshness), as in Dagster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from assetgraph.keys import AssetKey, CoercibleToAssetKey


@dataclass(frozen=True, init=False)
class AssetEvent:
    """What user code reports about ``asset_key`` (optionally one ``partition``): the fields
    Dagster's ``AssetObservation`` and ``AssetMaterialization`` share."""

    user_event_kind: ClassVar[str]
    """How storage records it (see ``assetgraph.storage.user_events``)."""

    asset_key: AssetKey
    description: str | None
    metadata: Mapping[str, Any]
    partition: str | None
    tags: Mapping[str, str] = field(default_factory=dict)

    def __init__(
        self,
        asset_key: CoercibleToAssetKey,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        partition: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "asset_key", AssetKey.from_user(asset_key))
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "metadata", dict(metadata or {}))
        object.__setattr__(self, "partition", partition)
        object.__setattr__(self, "tags", dict(tags or {}))

    @property
    def label(self) -> str:
        """Dagster's name for the asset key's string form."""
        return self.asset_key.to_string()


class AssetObservation(AssetEvent):
    """An observation of ``asset_key`` (optionally one ``partition``) with ``metadata``.

    Yield it from an asset, or pass it to ``context.log_event(...)``; a run's result
    returns them from ``get_asset_observation_events()`` and
    ``asset_observations_for_node(node)``.
    """

    user_event_kind: ClassVar[str] = "observation"
