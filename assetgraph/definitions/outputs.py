"""Values an asset function may return besides the bare value: ``Output``, ``MaterializeResult``.

Both are shaped as Dagster's. An ``Output`` wraps the value an IO manager then stores; a
``MaterializeResult`` says the asset stored its data itself, so no IO manager is called and
only the materialization (with its metadata, data version and check results) is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.versions.provenance import DataVersion as DataVersion

if TYPE_CHECKING:
    from assetgraph.definitions.checks import AssetCheckResult

DEFAULT_OUTPUT_NAME = "result"
"""The name of the only output of an ``@asset`` (Dagster's default ``output_name``)."""


@dataclass(frozen=True, slots=True)
class Output:
    """A returned value with metadata, a data version, tags, or the output it belongs to.

    ``output_name`` picks the output of a ``@multi_asset`` (the key of its ``outs``);
    ``"result"`` is the output of an ``@asset``. ``metadata`` entries are plain values or
    ``MetadataValue``s; ``tags`` (str -> str) are recorded with the materialization.
    """

    value: Any
    output_name: str = DEFAULT_OUTPUT_NAME
    metadata: Mapping[str, Any] = field(default_factory=dict)
    data_version: DataVersion | None = None
    tags: Mapping[str, str] = field(default_factory=dict, kw_only=True)

    def __class_getitem__(cls, item: Any) -> Any:
        """``Output[int]`` in a return annotation (Dagster's generic form) is ``Output``."""
        return cls


@dataclass(frozen=True, slots=True, init=False)
class MaterializeResult:
    """What an asset returns when it stored its data itself (Dagster's ``MaterializeResult``).

    No IO manager is called: the materialization is recorded with ``metadata``,
    ``data_version`` and ``tags``, and ``check_results`` are the results of the asset's
    ``check_specs``. ``asset_key`` says which asset of a ``@multi_asset`` this is for (it
    may be left out for a single asset). Downstream assets should depend on it with
    ``deps=[...]``: there is no stored value to load.
    """

    asset_key: AssetKey | None
    metadata: Mapping[str, Any]
    check_results: tuple[AssetCheckResult, ...]
    data_version: DataVersion | None
    tags: Mapping[str, str]

    def __init__(
        self,
        asset_key: CoercibleToAssetKey | None = None,
        *,
        metadata: Mapping[str, Any] | None = None,
        check_results: Sequence[AssetCheckResult] | None = None,
        data_version: DataVersion | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        key = None if asset_key is None else AssetKey.from_user(asset_key)
        object.__setattr__(self, "asset_key", key)
        object.__setattr__(self, "metadata", dict(metadata or {}))
        object.__setattr__(self, "check_results", tuple(check_results or ()))
        object.__setattr__(self, "data_version", data_version)
        object.__setattr__(self, "tags", dict(tags or {}))
