"""Events an op records while it runs, as Dagster's: ``AssetMaterialization`` and
``ExpectationResult``. An op yields them or passes them to ``context.log_event(...)``.

An ``AssetMaterialization`` says the op wrote the asset ``asset_key`` itself: the run
records a materialization of that key (with its metadata, description and partition), as
Dagster does, so ``assetgraph status`` and ``Instance.get_latest_materialization_event``
see it. An ``ExpectationResult`` is recorded in the run's event log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from assetgraph.keys import AssetKey, CoercibleToAssetKey


@dataclass(frozen=True, init=False)
class AssetMaterialization:
    """The op stored ``asset_key`` (one ``partition`` of it) itself."""

    user_event_kind: ClassVar[str] = "materialization"
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
        """Dagster's label: the asset key's string form."""
        return self.asset_key.to_string()

    @staticmethod
    def file(
        path: str, description: str | None = None, asset_key: Any = None
    ) -> AssetMaterialization:
        """A materialization of the file at ``path`` (the key defaults to the path)."""
        return AssetMaterialization(
            asset_key=asset_key if asset_key is not None else path,
            description=description,
            metadata={"path": path},
        )


@dataclass(frozen=True)
class ExpectationResult:
    """Whether a data expectation held (``success``), with a label and metadata."""

    user_event_kind: ClassVar[str] = "expectation"
    """How storage records it (see ``assetgraph.storage.user_events``)."""

    success: bool
    label: str | None = None
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
