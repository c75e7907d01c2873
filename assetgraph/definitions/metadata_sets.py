"""Dagster's ``TableMetadataSet``: the ``dagster/``-namespaced metadata entries of a table,
as typed fields; ``dict(TableMetadataSet(row_count=3))`` gives ``{"dagster/row_count": 3}``
and ``TableMetadataSet.extract(metadata)`` reads them back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from assetgraph.definitions.metadata import MetadataValue

NAMESPACE = "dagster"


@dataclass(frozen=True, slots=True)
class TableMetadataSet(Mapping[str, Any]):
    """Table metadata under Dagster's keys; fields left ``None`` are left out."""

    column_schema: Any = None
    column_lineage: Any = None
    row_count: int | None = None
    partition_row_count: int | None = None
    table_name: str | None = None

    def __getitem__(self, key: str) -> Any:
        field_name = key.removeprefix(f"{NAMESPACE}/")
        value = getattr(self, field_name, None) if key != field_name else None
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        for field in fields(self):
            if getattr(self, field.name) is not None:
                yield f"{NAMESPACE}/{field.name}"

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @classmethod
    def extract(cls, metadata: Mapping[str, Any]) -> TableMetadataSet:
        """The table entries of ``metadata`` (plain values or ``MetadataValue``s)."""
        found: dict[str, Any] = {}
        for field in fields(cls):
            value = metadata.get(f"{NAMESPACE}/{field.name}")
            found[field.name] = value.value if isinstance(value, MetadataValue) else value
        return cls(**found)
