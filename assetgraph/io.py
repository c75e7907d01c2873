"""IO managers store the value an asset function returns and load it for its downstream.

An IO manager receives an ``OutputContext`` when storing and an ``InputContext`` when
loading; both name the asset key (and, for partitioned assets, the partitions), the run,
and the resources of the run.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from assetgraph.keys import AssetKey


@dataclass(slots=True)
class OutputContext:
    """What an IO manager knows while storing one asset's value."""

    asset_key: AssetKey
    run_id: str
    step_key: str
    resources: SimpleNamespace = field(default_factory=SimpleNamespace)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    partition_key: str | None = None
    output_metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def has_partition_key(self) -> bool:
        return self.partition_key is not None

    def add_output_metadata(self, metadata: Mapping[str, Any]) -> None:
        """Attach metadata (a path, a row count) to the materialization being recorded."""
        self.output_metadata.update(metadata)


@dataclass(slots=True)
class InputContext:
    """What an IO manager knows while loading an upstream asset's value.

    ``asset_key`` is the upstream asset being loaded; ``downstream_key`` the asset reading
    it (None when loading for ``output_for``).
    """

    asset_key: AssetKey
    run_id: str
    downstream_key: AssetKey | None = None
    resources: SimpleNamespace = field(default_factory=SimpleNamespace)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    partition_key: str | None = None

    @property
    def has_partition_key(self) -> bool:
        return self.partition_key is not None


class IOManager(ABC):
    """Base class of IO managers: implement ``handle_output`` and ``load_input``.

    Writes must be atomic (a reader sees the old value or the new one, never a part) and
    idempotent (storing the same value twice leaves the same state).
    """

    @abstractmethod
    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Store ``obj`` as the value of ``context.asset_key``."""

    @abstractmethod
    def load_input(self, context: InputContext) -> Any:
        """Load the stored value of ``context.asset_key``."""
