"""Typed metadata values, as Dagster's ``MetadataValue``: how a value is stored and shown.

A metadata entry is either a plain value, whose type is inferred as in Dagster (``str`` is
text, ``int`` int, ``float`` float, ``bool`` bool, ``dict``/``list`` JSON, ``None`` null),
or a ``MetadataValue`` built with one of its constructors (``MetadataValue.md(...)``,
``.url(...)``, ``.table(...)``...). Stored entries are JSON: an inferable value is stored
as itself, any other as ``{"__metadata__": type, "value": ...}``, so the UI and the CLI can
render each by its type (markdown as escaped text, URLs as links, tables as tables).

A leaf module: it imports nothing of assetgraph but ``keys``.
"""

from __future__ import annotations

import builtins
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assetgraph.keys import AssetKey, CoercibleToAssetKey

TYPE_MARKER = "__metadata__"
"""The key that tags a stored entry whose type cannot be inferred from its JSON value."""

METADATA_TYPES = (
    "text",
    "int",
    "float",
    "bool",
    "json",
    "null",
    "md",
    "url",
    "path",
    "notebook",
    "timestamp",
    "table",
    "table_schema",
    "asset",
    "dagster_run",
    "column_lineage",
)
"""Every metadata type; the first six are inferred from plain values."""

_INFERRED = frozenset({"text", "int", "float", "bool", "json", "null"})


@dataclass(frozen=True, slots=True)
class TableColumnConstraints:
    """Constraints on a column's values (Dagster's): nullable, unique, and other rules."""

    nullable: bool = True
    unique: bool = False
    other: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "other", tuple(self.other))

    def to_json(self) -> dict[str, Any]:
        return {"nullable": self.nullable, "unique": self.unique, "other": list(self.other)}


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One column of a ``TableSchema``: a name, a type name and an optional description,
    constraints and tags."""

    name: str
    type: str = "string"
    description: str | None = None
    constraints: TableColumnConstraints = field(default_factory=TableColumnConstraints)
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TableColumnDep:
    """One upstream column a column is computed from (Dagster's)."""

    asset_key: AssetKey
    column_name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "asset_key", AssetKey.from_user(self.asset_key))


@dataclass(frozen=True, slots=True)
class TableColumnLineage:
    """Column-level lineage (Dagster's): each column -> the upstream columns it is made
    from; stored under the metadata key ``dagster/column_lineage``."""

    deps_by_column: Mapping[str, Sequence[TableColumnDep]]

    def to_json(self) -> dict[str, Any]:
        return {
            column: [
                {"asset_key": d.asset_key.to_string(), "column_name": d.column_name} for d in deps
            ]
            for column, deps in self.deps_by_column.items()
        }


@dataclass(frozen=True, slots=True)
class TableSchema:
    """The columns of a table, for ``MetadataValue.table_schema`` and ``MetadataValue.table``."""

    columns: Sequence[TableColumn] = ()

    @staticmethod
    def from_name_type_dict(name_type_dict: Mapping[str, str]) -> TableSchema:
        """A schema of columns named and typed by ``{name: type}``, in that order."""
        return TableSchema(columns=[TableColumn(name=n, type=t) for n, t in name_type_dict.items()])

    def to_json(self) -> dict[str, Any]:
        return {"columns": [_column_json(c) for c in self.columns]}


def _column_json(column: TableColumn) -> dict[str, Any]:
    """A column as stored; constraints and tags only when they say something."""
    stored: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": column.description,
    }
    if column.constraints != TableColumnConstraints():
        stored["constraints"] = column.constraints.to_json()
    if column.tags:
        stored["tags"] = dict(column.tags)
    return stored


@dataclass(frozen=True, slots=True, init=False)
class TableRecord:
    """One row of a ``MetadataValue.table``: column name -> a str, int, float or bool."""

    data: Mapping[str, Any]

    def __init__(self, data: Mapping[str, Any] | None = None, **columns: Any) -> None:
        object.__setattr__(self, "data", {**dict(data or {}), **columns})


@dataclass(frozen=True, slots=True, eq=False)
class MetadataValue:
    """One typed metadata entry; build it with a constructor such as ``MetadataValue.md``.

    ``type`` is one of ``METADATA_TYPES``; ``value`` is what the entry holds (for a table,
    its records as dicts; for a table schema, its columns; for an asset, its key string).
    """

    type: str
    value: Any = field(default=None)

    # Constructors, named and shaped as Dagster's.
    @staticmethod
    def text(text: str) -> MetadataValue:
        return typed("text", str(text))

    @staticmethod
    def int(value: builtins.int) -> MetadataValue:
        return typed("int", value)

    @staticmethod
    def float(value: builtins.float) -> MetadataValue:
        return typed("float", value)

    @staticmethod
    def bool(value: builtins.bool) -> MetadataValue:
        return typed("bool", value)

    @staticmethod
    def json(data: Mapping[str, Any] | Sequence[Any]) -> MetadataValue:
        return typed("json", to_json_value(data))

    @staticmethod
    def md(data: str) -> MetadataValue:
        """Markdown text (shown escaped, never as raw HTML)."""
        return typed("md", str(data))

    @staticmethod
    def url(url: str) -> MetadataValue:
        return typed("url", str(url))

    @staticmethod
    def path(path: str | os.PathLike[str]) -> MetadataValue:
        return typed("path", os.fspath(path))

    @staticmethod
    def notebook(path: str | os.PathLike[str]) -> MetadataValue:
        return typed("notebook", os.fspath(path))

    @staticmethod
    def timestamp(value: builtins.float | datetime) -> MetadataValue:
        """A point in time: seconds since the epoch, or an aware ``datetime``."""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(
                    "MetadataValue.timestamp needs a timezone-aware datetime "
                    "(e.g. datetime.now(timezone.utc)) or seconds since the epoch."
                )
            return typed("timestamp", value.timestamp())
        return typed("timestamp", builtins.float(value))

    @staticmethod
    def table(
        records: Sequence[TableRecord | Mapping[str, Any]], schema: TableSchema | None = None
    ) -> MetadataValue:
        rows = [dict(r.data if isinstance(r, TableRecord) else r) for r in records]
        return typed(
            "table",
            {
                "records": to_json_value(rows),
                "schema": None if schema is None else schema.to_json(),
            },
        )

    @staticmethod
    def table_schema(schema: TableSchema) -> MetadataValue:
        return typed("table_schema", schema.to_json())

    @staticmethod
    def asset(asset_key: CoercibleToAssetKey) -> MetadataValue:
        return typed("asset", AssetKey.from_user(asset_key).to_string())

    @staticmethod
    def dagster_run(run_id: str) -> MetadataValue:
        return typed("dagster_run", str(run_id))

    @staticmethod
    def column_lineage(lineage: TableColumnLineage) -> MetadataValue:
        return typed("column_lineage", lineage.to_json())

    @staticmethod
    def null() -> MetadataValue:
        return typed("null", None)

    def __eq__(self, other: object) -> builtins.bool:
        if not isinstance(other, MetadataValue):
            return NotImplemented
        return (self.type, self.value) == (other.type, other.value)

    def __hash__(self) -> builtins.int:
        return hash((self.type, json.dumps(self.value, sort_keys=True, default=str)))

    def __post_init__(self) -> None:
        if self.type not in METADATA_TYPES:
            raise ValueError(
                f"unknown metadata type {self.type!r}; expected one of {', '.join(METADATA_TYPES)}"
            )

    def to_stored(self) -> Any:
        """The JSON form stored in the event log (see the module docstring)."""
        if self.type in _INFERRED and infer_type(self.value) == self.type:
            return self.value
        return {TYPE_MARKER: self.type, "value": self.value}


def infer_type(value: Any) -> str:
    """The metadata type Dagster infers for a plain value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "text"
    return "json"


def normalize_metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """User metadata as stored JSON: ``MetadataValue`` entries tagged, plain values kept.

    A value of another type (an ``AssetKey``, a path, a NumPy number) becomes the closest
    JSON value, or its ``str``; keys become strings.
    """
    stored: dict[str, Any] = {}
    for name, value in (metadata or {}).items():
        stored[str(name)] = to_stored(value)
    return stored


def to_stored(value: Any) -> Any:
    """One metadata value as stored JSON."""
    if isinstance(value, MetadataValue):
        return value.to_stored()
    if isinstance(value, AssetKey):
        return MetadataValue.asset(value).to_stored()
    if isinstance(value, os.PathLike):
        return MetadataValue.path(value).to_stored()
    if isinstance(value, datetime) and value.tzinfo is not None:
        return MetadataValue.timestamp(value).to_stored()
    if isinstance(value, TableSchema):
        return MetadataValue.table_schema(value).to_stored()
    if isinstance(value, TableColumnLineage):
        return MetadataValue("column_lineage", value.to_json()).to_stored()
    return to_json_value(value)


def from_stored(value: Any) -> MetadataValue:
    """A stored metadata entry back as a ``MetadataValue`` (plain values by inference)."""
    if isinstance(value, Mapping) and value.get(TYPE_MARKER) in METADATA_TYPES:
        return typed(str(value[TYPE_MARKER]), value.get("value"))
    return typed(infer_type(value), value)


def metadata_type(value: Any) -> str:
    """The metadata type of a stored entry (``md``, ``url``, ``int``...)."""
    return from_stored(value).type


def metadata_from_stored(stored: Mapping[str, Any] | None) -> dict[str, MetadataValue]:
    """Stored metadata back as name -> ``MetadataValue``."""
    return {name: from_stored(value) for name, value in (stored or {}).items()}


def render_text(value: Any) -> str:
    """A stored entry as one readable line or block of text, for the CLI."""
    entry = from_stored(value)
    data = entry.value
    if entry.type == "table" and isinstance(data, Mapping):
        records = data.get("records") or []
        columns = list(dict.fromkeys(k for row in records for k in row))
        lines = [" | ".join(columns)] + [
            " | ".join(str(row.get(c, "")) for c in columns) for row in records
        ]
        return "\n".join(lines)
    if entry.type == "table_schema" and isinstance(data, Mapping):
        return ", ".join(f"{c['name']}: {c['type']}" for c in data.get("columns", []))
    if entry.type == "timestamp" and isinstance(data, int | float):
        return datetime.fromtimestamp(float(data), tz=UTC).isoformat()
    if entry.type in ("json", "column_lineage"):
        return json.dumps(data, sort_keys=True)
    if entry.type == "null":
        return "null"
    return str(data)


def to_json_value(value: Any) -> Any:
    """``value`` as plain JSON: mappings and sequences recursively, anything else as str."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item") and callable(value.item):  # NumPy / pandas scalars
        try:
            return to_json_value(value.item())
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, MetadataValue):
        return value.to_stored()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_value(v) for v in value]
    return str(value)


class _Typed(MetadataValue):
    """A ``MetadataValue`` of one type, under Dagster's class name for it."""

    __slots__ = ()
    metadata_type = "text"

    def __init__(self, value: Any = None) -> None:
        object.__setattr__(self, "type", self.metadata_type)
        object.__setattr__(self, "value", value)


class TextMetadataValue(_Typed):
    """Plain text (``.text``)."""

    __slots__ = ()
    metadata_type = "text"
    text = property(lambda self: self.value)


class IntMetadataValue(_Typed):
    __slots__ = ()
    metadata_type = "int"


class FloatMetadataValue(_Typed):
    __slots__ = ()
    metadata_type = "float"


class BoolMetadataValue(_Typed):
    __slots__ = ()
    metadata_type = "bool"


class JsonMetadataValue(_Typed):
    """JSON data (``.data``)."""

    __slots__ = ()
    metadata_type = "json"
    data = property(lambda self: self.value)


class MarkdownMetadataValue(_Typed):
    """Markdown text (``.md_str``)."""

    __slots__ = ()
    metadata_type = "md"
    md_str = property(lambda self: self.value)


class UrlMetadataValue(_Typed):
    """A link (``.url``)."""

    __slots__ = ()
    metadata_type = "url"
    url = property(lambda self: self.value)


class PathMetadataValue(_Typed):
    """A file path (``.path``)."""

    __slots__ = ()
    metadata_type = "path"
    path = property(lambda self: self.value)


class NotebookMetadataValue(PathMetadataValue):
    __slots__ = ()
    metadata_type = "notebook"


class TimestampMetadataValue(_Typed):
    """Seconds since the epoch (``.value``)."""

    __slots__ = ()
    metadata_type = "timestamp"


class TableMetadataValue(_Typed):
    """Table rows (``.records``, as ``TableRecord``s) and their ``.schema``."""

    __slots__ = ()
    metadata_type = "table"

    @property
    def records(self) -> list[TableRecord]:
        return [TableRecord(row) for row in (self.value or {}).get("records") or []]

    @property
    def schema(self) -> TableSchema | None:
        return _schema((self.value or {}).get("schema"))


class TableSchemaMetadataValue(_Typed):
    """A table's columns (``.schema``)."""

    __slots__ = ()
    metadata_type = "table_schema"
    schema = property(lambda self: _schema(self.value))


class TableColumnLineageMetadataValue(_Typed):
    """Column lineage (``.column_lineage``)."""

    __slots__ = ()
    metadata_type = "column_lineage"

    @property  # Dagster: a constructor on the base class, the lineage here
    def column_lineage(self) -> TableColumnLineage:  # type: ignore[override]
        return TableColumnLineage(
            {
                column: [
                    TableColumnDep(AssetKey.from_user(d["asset_key"]), d["column_name"])
                    for d in deps
                ]
                for column, deps in (self.value or {}).items()
            }
        )


class NullMetadataValue(_Typed):
    __slots__ = ()
    metadata_type = "null"


_CLASSES: dict[str, type[_Typed]] = {
    cls.metadata_type: cls
    for cls in (
        TextMetadataValue,
        IntMetadataValue,
        FloatMetadataValue,
        BoolMetadataValue,
        JsonMetadataValue,
        MarkdownMetadataValue,
        UrlMetadataValue,
        PathMetadataValue,
        NotebookMetadataValue,
        TimestampMetadataValue,
        TableMetadataValue,
        TableSchemaMetadataValue,
        TableColumnLineageMetadataValue,
        NullMetadataValue,
    )
}


def typed(type_: str, value: Any) -> MetadataValue:
    """A metadata value of ``type_`` as Dagster's class for that type (``UrlMetadataValue``
    for ``url``...), or as a plain ``MetadataValue`` for types Dagster has no class for."""
    cls = _CLASSES.get(type_)
    return cls(value) if cls is not None else MetadataValue(type_, value)


def _schema(stored: Any) -> TableSchema | None:
    if not isinstance(stored, Mapping):
        return None
    return TableSchema(
        columns=[
            TableColumn(
                name=c["name"],
                type=c.get("type", "string"),
                description=c.get("description"),
                constraints=TableColumnConstraints(**(c.get("constraints") or {})),
                tags=c.get("tags") or {},
            )
            for c in stored.get("columns", [])
        ]
    )
