"""The neutral lineage document: what every export format (JSON, DOT, Mermaid) renders.

``build_lineage`` reads an ``AssetGraph`` and the assets' statuses and returns frozen value
objects; the formats only render them. Partitions definitions and partition mappings are
described by kind and public parameters, so the document needs no assetgraph to read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assetgraph.keys import AssetKey
from assetgraph.partitions.definitions import (
    DynamicPartitionsDefinition,
    StaticPartitionsDefinition,
)
from assetgraph.partitions.mappings import StaticPartitionMapping
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition
from assetgraph.status.assets import AssetStatus

if TYPE_CHECKING:
    from assetgraph.graph import AssetGraph
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.partitions.mappings import PartitionMapping

STATIC_KEYS_SHOWN = 10
"""How many keys of a static partitions definition the document lists."""


@dataclass(frozen=True, slots=True)
class MappingDescription:
    """A partition mapping: its class name, its public fields, and a one-line form."""

    kind: str
    params: Mapping[str, Any]

    @property
    def is_identity(self) -> bool:
        return self.kind == "IdentityPartitionMapping"

    @property
    def text(self) -> str:
        """One line, e.g. ``TimeWindowPartitionMapping(start_offset=-6, end_offset=0)``.

        Flags left False are left out.
        """
        shown = ", ".join(
            f"{name}={value!r}" for name, value in self.params.items() if value is not False
        )
        return f"{self.kind}({shown})"


@dataclass(frozen=True, slots=True)
class Upstream:
    """One upstream of an asset and the mapping of its partitions (None: unpartitioned)."""

    key: AssetKey
    partition_mapping: MappingDescription | None


@dataclass(frozen=True, slots=True)
class LineageAsset:
    """Everything the lineage export says about one asset."""

    key: AssetKey
    group: str
    description: str | None
    tags: Mapping[str, str]
    owners: tuple[str, ...]
    code_version: str
    io_manager_key: str
    partitions: Mapping[str, Any] | None
    upstream: tuple[Upstream, ...]
    downstream: tuple[AssetKey, ...]
    status: AssetStatus


@dataclass(frozen=True, slots=True)
class LineageDocument:
    """The assets of a lineage export, in topological order, and when it was made."""

    generated_at: datetime
    assets: tuple[LineageAsset, ...]

    @property
    def keys(self) -> frozenset[AssetKey]:
        return frozenset(asset.key for asset in self.assets)

    def groups(self) -> dict[str, list[LineageAsset]]:
        """Group name -> its assets, groups sorted by name."""
        by_group: dict[str, list[LineageAsset]] = {}
        for asset in self.assets:
            by_group.setdefault(asset.group, []).append(asset)
        return dict(sorted(by_group.items()))

    def edges(self) -> list[tuple[Upstream, LineageAsset]]:
        """Dependencies whose both ends are in the document (upstream, downstream)."""
        keys = self.keys
        return [(up, asset) for asset in self.assets for up in asset.upstream if up.key in keys]


def build_lineage(
    graph: AssetGraph,
    keys: Iterable[AssetKey],
    statuses: Mapping[AssetKey, AssetStatus],
    generated_at: datetime,
) -> LineageDocument:
    """The lineage document of ``keys`` (in the graph's topological order)."""
    assets = []
    for key in graph.toposort(keys):
        spec = graph.spec(key)
        upstream = tuple(
            Upstream(parent, describe_mapping(graph.partition_mapping(key, parent)))
            for parent in graph.parents(key)
        )
        partitions_def = graph.partitions_def(key)
        assets.append(
            LineageAsset(
                key=key,
                group=spec.group,
                description=spec.description,
                tags=dict(spec.tags),
                owners=tuple(spec.owners),
                code_version=graph.assets_def(key).code_version(key),
                io_manager_key=spec.io_manager_key,
                partitions=None if partitions_def is None else describe_partitions(partitions_def),
                upstream=upstream,
                downstream=tuple(graph.children(key)),
                status=statuses.get(key, AssetStatus("missing")),
            )
        )
    return LineageDocument(generated_at=generated_at, assets=tuple(assets))


def describe_partitions(definition: PartitionsDefinition) -> dict[str, Any]:
    """A partitions definition as plain data: ``kind``, ``type`` and its parameters."""
    described: dict[str, Any] = {"type": type(definition).__name__}
    if isinstance(definition, TimeWindowPartitionsDefinition):
        described.update(
            kind="time_window",
            cron_schedule=definition.cron_schedule,
            fmt=definition.fmt,
            timezone=definition.timezone,
            start=definition.start.isoformat(),
            end=None if definition.end is None else definition.end.isoformat(),
            end_offset=definition.end_offset,
        )
    elif isinstance(definition, StaticPartitionsDefinition):
        described.update(
            kind="static",
            keys_count=len(definition.keys),
            first_keys=list(definition.keys[:STATIC_KEYS_SHOWN]),
        )
    elif isinstance(definition, DynamicPartitionsDefinition):
        described.update(kind="dynamic", name=definition.name)
    elif isinstance(definition, MultiPartitionsDefinition):
        described.update(
            kind="multi",
            dimensions=[
                {"name": name, "partitions": describe_partitions(dimension)}
                for name, dimension in definition.partitions_defs.items()
            ],
        )
    else:
        described.update(kind="other", repr=repr(definition))
    return described


def describe_mapping(mapping: PartitionMapping | None) -> MappingDescription | None:
    """A partition mapping by class name and public fields (None stays None)."""
    if mapping is None:
        return None

    params: dict[str, Any]
    if isinstance(mapping, StaticPartitionMapping):
        table = mapping.downstream_partition_keys_by_upstream_partition_key
        params = {
            "downstream_partition_keys_by_upstream_partition_key": {
                up: sorted(downs) for up, downs in sorted(table.items())
            }
        }
    elif dataclasses.is_dataclass(mapping):
        params = {
            f.name: getattr(mapping, f.name)
            for f in dataclasses.fields(mapping)
            if not f.name.startswith("_")
        }
    else:
        params = {}
    return MappingDescription(kind=type(mapping).__name__, params=params)
