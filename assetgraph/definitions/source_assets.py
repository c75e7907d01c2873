"""Source assets: data that assetgraph reads but never materializes.

A ``SourceAsset`` is a node of the graph whose value somebody else writes (a file dropped
by another system, a table loaded by a vendor). Downstream assets read it by parameter
name, through its IO manager, like any asset; the planner makes no steps for it.

``@observable_source_asset`` adds an observation function: ``assetgraph observe`` calls
it and records the data version it returns, so that a changed source makes its
downstream stale and an unchanged one leaves it fresh.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from assetgraph.definitions.asset_options import check_group, check_partitioning, check_tags
from assetgraph.definitions.assets import (
    CONTEXT_PARAM,
    DEFAULT_IO_MANAGER_KEY,
    AssetOutputSpec,
    AssetsDefinition,
    source_location,
)
from assetgraph.definitions.outputs import DataVersion
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey

if TYPE_CHECKING:
    from assetgraph.partitions.definitions import PartitionsDefinition


@dataclass(frozen=True, slots=True)
class ObserveResult:
    """What an observation function may return: a data version with metadata.

    ``data_version`` is a ``DataVersion`` or a non-empty string; ``metadata`` (a
    JSON-serializable dict: a file's size, a row count) is recorded with the observation.
    """

    data_version: DataVersion | str
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ObservedVersion:
    """One observed (source, partition): its data version and metadata, normalized."""

    partition_key: str | None
    data_version: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


class SourceAsset(AssetsDefinition):
    """An asset that assetgraph reads but never materializes.

    Its value loads through the IO manager named by ``io_manager_key``. Without
    ``observe_fn`` it is always taken as present: never missing, never stale by itself.
    With one (see ``@observable_source_asset``) ``assetgraph observe`` records its data
    version; until it is first observed it is ``missing``.
    """

    def __init__(
        self,
        key: CoercibleToAssetKey,
        *,
        description: str | None = None,
        group: str | None = None,
        group_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        io_manager_key: str | None = DEFAULT_IO_MANAGER_KEY,
        partitions_def: PartitionsDefinition | None = None,
        observe_fn: Callable[..., Any] | None = None,
    ) -> None:
        asset_key = AssetKey.from_user(key)
        name = asset_key.to_string()
        frame = sys._getframe(1)
        self._defined_at = f"{frame.f_code.co_filename}:{frame.f_lineno}"
        if observe_fn is not None and not callable(observe_fn):
            raise DefinitionError(
                f"Source asset '{name}': observe_fn must be a function, got "
                f"{type(observe_fn).__name__}."
            )
        context_param = _check_observe_signature(observe_fn, name) if observe_fn else None
        fn = observe_fn or _no_observe_fn(name)
        check_partitioning(name, fn, partitions_def, None)
        spec = AssetOutputSpec(
            key=asset_key,
            output_name="result",
            group=check_group(group or group_name, name),
            tags=check_tags(tags, name),
            description=description
            if description is not None
            else (inspect.getdoc(observe_fn) or None if observe_fn else None),
            metadata=dict(metadata or {}),
            io_manager_key=io_manager_key or DEFAULT_IO_MANAGER_KEY,
        )
        super().__init__(
            fn=fn,
            name=name,
            specs=[spec],
            inputs=(),
            context_param=context_param,
            resource_params={},
            config_param=None,
            partitions_def=partitions_def,
        )
        self.observe_fn = observe_fn

    @property
    def metadata(self) -> Mapping[str, Any]:
        """The metadata it was declared with (Dagster's ``SourceAsset.metadata``)."""
        return self.spec(self.key).metadata

    @property
    def is_observable(self) -> bool:
        """True when it has an observation function."""
        return self.observe_fn is not None

    @property
    def source_location(self) -> str:
        if self.observe_fn is not None:
            return source_location(self.observe_fn)
        return self._defined_at

    def code_version(self, key: AssetKey) -> str:
        """Source assets have no code that builds them; their versions come from observing."""
        return ""

    def __repr__(self) -> str:
        return f"<SourceAsset {self.name}>"


@overload
def observable_source_asset(fn: Callable[..., Any], /) -> SourceAsset: ...


@overload
def observable_source_asset(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group: str | None = None,
    group_name: str | None = None,
    io_manager_key: str | None = None,
    partitions_def: PartitionsDefinition | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
) -> Callable[[Callable[..., Any]], SourceAsset]: ...


def observable_source_asset(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group: str | None = None,
    group_name: str | None = None,
    io_manager_key: str | None = None,
    partitions_def: PartitionsDefinition | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
) -> SourceAsset | Callable[[Callable[..., Any]], SourceAsset]:
    """Declare a source asset whose function observes its current data version.

    The function (optionally taking ``context``) returns a ``DataVersion``, a string or an
    ``ObserveResult``; for a partitioned source, a mapping from partition key to one of
    those (for the partitions it observed). The key is ``key_prefix + (name or the
    function's name)``.
    """

    def decorate(func: Callable[..., Any]) -> SourceAsset:
        if not callable(func):
            raise DefinitionError(
                "@observable_source_asset must decorate a function, got "
                f"{type(func).__name__} {func!r}."
            )
        prefix: tuple[str, ...]
        if key_prefix is None:
            prefix = ()
        elif isinstance(key_prefix, str):
            prefix = tuple(key_prefix.split("/"))
        else:
            prefix = tuple(key_prefix)
        return SourceAsset(
            AssetKey((*prefix, name or func.__name__)),
            description=description,
            group=group or group_name,
            metadata=metadata,
            tags=tags,
            io_manager_key=io_manager_key,
            partitions_def=partitions_def,
            observe_fn=func,
        )

    if fn is not None:
        return decorate(fn)
    return decorate


def is_source(assets_def: AssetsDefinition) -> bool:
    """True for a source asset (nothing to materialize)."""
    return isinstance(assets_def, SourceAsset)


def normalize_observation(source: SourceAsset, returned: Any) -> list[ObservedVersion]:
    """The versions an observation function returned, checked, one per partition.

    Raises ``DefinitionError`` naming the source when the value has the wrong shape.
    Partition keys are not checked against the partitions definition here (the caller
    knows the current time and the dynamic partitions).
    """
    name = source.name
    if source.partitions_def is None:
        version, metadata = _one_version(name, None, returned)
        return [ObservedVersion(None, version, metadata)]
    if not isinstance(returned, Mapping):
        raise DefinitionError(
            f"The observe function of source asset '{name}' ({source.source_location}) "
            f"returned {_shown(returned)}; a partitioned source returns a mapping from "
            "partition key to DataVersion (or str, or ObserveResult), for the partitions it "
            "observed."
        )
    found: list[ObservedVersion] = []
    for partition, value in returned.items():
        if not isinstance(partition, str) or not partition:
            raise DefinitionError(
                f"The observe function of source asset '{name}' returned a mapping with the "
                f"key {partition!r}; partition keys are non-empty strings."
            )
        version, metadata = _one_version(name, partition, value)
        found.append(ObservedVersion(partition, version, metadata))
    return found


def _one_version(name: str, partition: str | None, value: Any) -> tuple[str, dict[str, Any]]:
    metadata: dict[str, Any] = {}
    if isinstance(value, ObserveResult):
        metadata = dict(value.metadata)
        value = value.data_version
    if isinstance(value, DataVersion):
        value = value.value
    if isinstance(value, str) and value:
        return value, metadata
    where = f" for partition '{partition}'" if partition is not None else ""
    raise DefinitionError(
        f"The observe function of source asset '{name}' returned {_shown(value)}{where}; "
        "it must return a DataVersion, a non-empty str or an ObserveResult"
        + (" (a partitioned source: a mapping of those by partition key)." if partition else ".")
    )


def _shown(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _check_observe_signature(fn: Callable[..., Any], name: str) -> str | None:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError) as exc:
        raise DefinitionError(f"Source asset '{name}': cannot read its signature: {exc}") from exc
    others = [p for p in params if p != CONTEXT_PARAM]
    if others:
        raise DefinitionError(
            f"The observe function of source asset '{name}' ({source_location(fn)}) takes "
            f"{', '.join(repr(p) for p in others)}: it may take only 'context' (source "
            "assets read no upstream assets)."
        )
    return CONTEXT_PARAM if CONTEXT_PARAM in params else None


def _no_observe_fn(name: str) -> Callable[..., Any]:
    def not_observable(*args: Any, **kwargs: Any) -> Any:
        raise DefinitionError(
            f"Source asset '{name}' has no observe function: assetgraph reads it, but "
            "neither builds nor observes it."
        )

    not_observable.__qualname__ = f"SourceAsset({name!r})"
    return not_observable
