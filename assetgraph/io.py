"""IO managers store the value an asset function returns and load it for its downstream.

An IO manager receives an ``OutputContext`` when storing and an ``InputContext`` when
loading; both name the asset key, the run, the resources of the run and, for
partitioned assets, the partitions: ``partition_keys`` (every key, sorted in definition
order), ``partition_key_range`` (its first and last key) and ``partition_key`` (set only
when there is exactly one). An IO manager handles a set of keys the same way whether it
holds one key, a range or a subset.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange


def _partition_fields(context: OutputContext | InputContext) -> None:
    if context.partition_key is not None and not context.partition_keys:
        context.partition_keys = (context.partition_key,)
    elif context.partition_key is None and len(context.partition_keys) == 1:
        context.partition_key = context.partition_keys[0]
    if context.partition_key_range is None and context.partition_keys:
        context.partition_key_range = PartitionKeyRange(
            context.partition_keys[0], context.partition_keys[-1]
        )


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
    partition_keys: tuple[str, ...] = ()
    partition_key_range: PartitionKeyRange | None = None
    data_versions: dict[str | None, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _partition_fields(self)

    def set_data_version(self, version: str, partition_key: str | None = None) -> None:
        """Report a content version of what was stored (for one partition, or for all).

        A digest of the bytes written (``assetgraph.versions.digests.HashingWriter``) or of the
        frame (``assetgraph.versions.digests.frame_data_version``) lets downstream assets stay
        fresh when a rebuild stores the same data.
        """
        self.data_versions[partition_key] = version

    @property
    def has_partition_key(self) -> bool:
        """True when exactly one partition is being stored."""
        return self.partition_key is not None

    @property
    def has_asset_partitions(self) -> bool:
        """True when the asset is partitioned (one key, a range or a subset of keys)."""
        return bool(self.partition_keys)

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
    partition_keys: tuple[str, ...] = ()
    partition_key_range: PartitionKeyRange | None = None

    def __post_init__(self) -> None:
        _partition_fields(self)

    @property
    def has_partition_key(self) -> bool:
        """True when exactly one upstream partition is being loaded."""
        return self.partition_key is not None

    @property
    def has_asset_partitions(self) -> bool:
        """True when the upstream asset is partitioned (one key or several)."""
        return bool(self.partition_keys)


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
