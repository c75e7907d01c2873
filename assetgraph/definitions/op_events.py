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

from assetgraph.definitions.asset_observation import AssetEvent


class AssetMaterialization(AssetEvent):
    """The op stored ``asset_key`` (one ``partition`` of it) itself."""

    user_event_kind: ClassVar[str] = "materialization"

    @staticmethod
    def file(
        path: str, description: str | None = None, asset_key: Any = None
    ) -> AssetMaterialization:
        """A materialization of the file at ``path``. The key defaults to the path's parts
        (``/data/x.csv`` is ``data/x.csv``), where Dagster makes the whole path one part."""
        if asset_key is None:
            asset_key = [part for part in path.replace("\\", "/").split("/") if part]
        return AssetMaterialization(
            asset_key=asset_key,
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
