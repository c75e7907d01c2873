"""IO managers store the value an asset function returns and load it for its downstream.

An IO manager receives an ``OutputContext`` when storing and an ``InputContext`` when
loading; both name the asset key, the run, the resources of the run and, for
partitioned assets, the partitions: ``partition_keys`` (every key, sorted in definition
order), ``partition_key_range`` (its first and last key) and ``partition_key`` (set only
when there is exactly one). An IO manager handles a set of keys the same way whether it
holds one key, a range or a subset.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from assetgraph.keys import AssetKey
from assetgraph.partitions.key_range import PartitionKeyRange

if TYPE_CHECKING:
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.partitions.time_window import TimeWindow


def _partition_fields(context: OutputContext | InputContext) -> None:
    if context.partition_key is not None and not context.partition_keys:
        context.partition_keys = (context.partition_key,)
    elif context.partition_key is None and len(context.partition_keys) == 1:
        context.partition_key = context.partition_keys[0]
    if context.partition_key_range is None and context.partition_keys:
        context.partition_key_range = PartitionKeyRange(
            context.partition_keys[0], context.partition_keys[-1]
        )


class _DagsterNames:
    """Dagster's names for what both IO manager contexts hold, as its IO managers read them."""

    __slots__ = ()

    definition_metadata = property(lambda self: self.metadata)
    has_asset_key = property(lambda self: True)
    asset_partition_key = property(lambda self: _one_partition(self))
    asset_partition_keys = property(lambda self: list(self.partition_keys))
    asset_partition_key_range = property(lambda self: _key_range(self))
    asset_partitions_time_window = property(lambda self: _time_window(self))
    asset_partitions_def = property(lambda self: self.partitions_def)
    log = property(lambda self: _io_logger())

    @property
    def step_context(self) -> Any:
        """Dagster's internal step context: not available (a clear error, not a missing name)."""
        from assetgraph.errors import AssetgraphError

        raise AssetgraphError(
            f"IO manager context of asset '{self.asset_key}': step_context is internal to "  # type: ignore[attr-defined]
            "Dagster and assetgraph has none; read what the IO manager needs from the context "
            "itself (asset_key, upstream_output, metadata, partition_key, resources)."
        )

    def log_event(self, event: Any) -> None:
        """Keep an event (an ``AssetMaterialization``, an ``AssetObservation``) (Dagster's)."""
        self.logged_events.append(event)  # type: ignore[attr-defined]

    def get_logged_events(self) -> list[Any]:
        """The events passed to ``log_event``, in order."""
        return list(self.logged_events)  # type: ignore[attr-defined]

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        while self.teardown:  # type: ignore[attr-defined]
            self.teardown.pop()()  # type: ignore[attr-defined]

    def get_asset_identifier(self) -> list[str]:
        """The asset key's parts, then the partition key when there is one (Dagster's)."""
        return _identifier(self)  # type: ignore[arg-type]  # only the two contexts mix it in


@dataclass(slots=True)
class OutputContext(_DagsterNames):
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
    partitions_def: PartitionsDefinition | None = None
    name: str = "result"
    """The output's name (Dagster's ``context.name``): ``result``, or a multi-asset's out."""
    config: Any = None
    """The output's or input's config (Dagster's ``context.config``; set by tests)."""
    resource_config: Any = None
    """The IO manager's own config, when it was built from one (``@io_manager``)."""
    dagster_type: Any = None
    logged_events: list[Any] = field(default_factory=list, repr=False)
    teardown: list[Any] = field(default_factory=list, repr=False)
    """What ``build_*_context(...)`` used as a context manager tears down on exit."""

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
class InputContext(_DagsterNames):
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
    partitions_def: PartitionsDefinition | None = None
    name: str | None = None
    """The input's parameter name (None when loading for ``output_for``)."""
    upstream_output: OutputContext | None = None
    """The upstream asset's output, as its IO manager saw it when storing (Dagster's)."""
    annotation: Any = None
    """The type the reading parameter is annotated with, else the upstream asset's return
    annotation; None when neither names one. Table IO managers load a polars frame when it
    is ``polars.DataFrame`` or ``polars.LazyFrame`` (Dagster's ``dagster_type.typing_type``)."""
    config: Any = None
    """The output's or input's config (Dagster's ``context.config``; set by tests)."""
    resource_config: Any = None
    """The IO manager's own config, when it was built from one (``@io_manager``)."""
    dagster_type: Any = None
    """The input's ``DagsterType`` (Dagster's): when an asset step loads the input, its
    ``typing_type`` is the parameter's own annotation, ``Any`` when it has none."""
    logged_events: list[Any] = field(default_factory=list, repr=False)
    teardown: list[Any] = field(default_factory=list, repr=False)
    """What ``build_*_context(...)`` used as a context manager tears down on exit."""

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


def _one_partition(context: OutputContext | InputContext) -> str:
    if context.partition_key is None:
        from assetgraph.errors import AssetgraphError

        count = len(context.partition_keys)
        raise AssetgraphError(
            f"Asset '{context.asset_key}': {count} partitions are being "
            f"{'stored' if isinstance(context, OutputContext) else 'loaded'}, so there is no "
            "single asset_partition_key; use asset_partition_keys or asset_partition_key_range."
        )
    return context.partition_key


def _key_range(context: OutputContext | InputContext) -> PartitionKeyRange:
    if context.partition_key_range is None:
        from assetgraph.errors import AssetgraphError

        raise AssetgraphError(
            f"Asset '{context.asset_key}' is not partitioned, so it has no partition key range."
        )
    return context.partition_key_range


def _time_window(context: OutputContext | InputContext) -> TimeWindow:
    from assetgraph.errors import AssetgraphError
    from assetgraph.partitions.time_window import TimeWindow, TimeWindowPartitionsDefinition

    pdef = context.partitions_def
    if not isinstance(pdef, TimeWindowPartitionsDefinition) or not context.partition_keys:
        raise AssetgraphError(
            f"Asset '{context.asset_key}' is not partitioned by time windows, so it has no "
            "asset_partitions_time_window."
        )
    first = pdef.time_window_for_partition_key(context.partition_keys[0])
    last = pdef.time_window_for_partition_key(context.partition_keys[-1])
    return TimeWindow(first.start, last.end)


def _identifier(context: OutputContext | InputContext) -> list[str]:
    parts = list(context.asset_key.path)
    return [*parts, context.partition_key] if context.partition_key is not None else parts


def _io_logger() -> logging.Logger:
    # A child of ``get_dagster_logger()``'s (assetgraph.context, a layer above, forwards it).
    return logging.getLogger("assetgraph.dagster.io_manager")


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

    def host_local_storage(self) -> str | None:
        """Where this IO manager keeps values that only this machine can reach, or None.

        A local folder or file (an absolute path), or a description such as "this
        process's memory". A run on a remote Dask cluster (``--dask-address``) is refused
        before any step when an IO manager it uses answers with anything but None, unless
        the path lies under one of ``ASSETGRAPH_SHARED_PATHS`` (a network mount that every
        worker sees at the same path). None (the default) means the values live where any
        host can reach them (object storage, a database server), or that the IO manager
        does not say.
        """
        return None


class InputManager(ABC):
    """Loads an input without storing outputs (Dagster's): implement ``load_input``, register
    it as a resource, and name it in ``AssetIn(input_manager_key=...)``."""

    @abstractmethod
    def load_input(self, context: InputContext) -> Any:
        """Load the value of the input ``context`` describes."""

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        raise TypeError(
            f"{type(self).__name__} is an InputManager: it loads inputs and cannot store "
            f"asset '{context.asset_key}'; give the asset an IO manager as io_manager_key."
        )
