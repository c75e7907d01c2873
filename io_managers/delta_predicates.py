"""The SQL predicates that select an asset's partitions in a Delta table (delta-rs syntax).

One predicate serves both directions: ``write_deltalake(mode="overwrite", predicate=...)``
replaces exactly the rows it matches (delta-rs refuses rows of the new frame outside it),
and the read of the same partitions filters by it.

Each dimension of the asset's partitions has a column (``PartitionColumns``):

- a time-window dimension on a ``date`` or ``timestamp`` column selects the rows inside
  the window, ``start <= column < end`` (Dagster's rule: the column may hold event times,
  not only window starts); adjacent windows are merged into one range;
- any other column (static, dynamic, or a string column of a time dimension) holds the
  key itself, selected with ``column IN ('k1', 'k2')``.

A multi-partitioned asset ANDs its dimensions for each key and ORs the keys. Identifiers
are double-quoted and keys are quoted string literals, so no key changes the statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.errors import StorageError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.partitions.time_window import TimeWindow

PARTITION_KEY_COLUMN = "partition_key"

TIME_KINDS = ("date", "timestamp", "timestamp_ntz")
"""Column kinds that a time-window dimension selects by range."""


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """``value`` as a single-quoted SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class PartitionColumns:
    """The column that holds each dimension of an asset's partitions.

    ``by_dimension`` maps a dimension name to its column; a single-dimension asset uses
    the key None. ``declared`` is False when no ``partition_expr`` was given (the
    ``partition_key`` column, which holds the whole key, is used).
    """

    by_dimension: Mapping[str | None, str]
    declared: bool

    @property
    def names(self) -> list[str]:
        """The partition columns, in dimension order."""
        return list(self.by_dimension.values())


def partition_columns(
    asset_key: AssetKey, metadata: Mapping[str, Any], partitions_def: PartitionsDefinition | None
) -> PartitionColumns:
    """The partition columns of an asset from its ``partition_expr`` metadata.

    A string names one column (holding the whole key); a multi-partitioned asset may give
    a mapping of dimension name to column, which must name every dimension.
    """
    declared = metadata.get("partition_expr")
    if declared is None:
        return PartitionColumns({None: PARTITION_KEY_COLUMN}, declared=False)
    if isinstance(declared, str):
        return PartitionColumns({None: declared}, declared=True)
    dimensions = _dimension_names(partitions_def)
    if not isinstance(declared, Mapping) or not dimensions:
        raise StorageError(
            f"Asset '{asset_key}': metadata partition_expr must be a column name, or for a "
            f"multi-partitioned asset a mapping of dimension name to column; got {declared!r}."
        )
    if set(declared) != set(dimensions):
        raise StorageError(
            f"Asset '{asset_key}': metadata partition_expr names dimensions {sorted(declared)}, "
            f"but its partitions have dimensions {dimensions}: give one column for each."
        )
    return PartitionColumns({name: str(declared[name]) for name in dimensions}, declared=True)


def column_kind(arrow_type: Any) -> str:
    """``date``, ``timestamp`` (zoned), ``timestamp_ntz`` (naive) or ``other``."""
    import pyarrow as pa

    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp" if arrow_type.tz else "timestamp_ntz"
    return "other"


def partitions_predicate(
    asset_key: AssetKey,
    keys: Sequence[str],
    columns: PartitionColumns,
    kinds: Mapping[str, str],
    partitions_def: PartitionsDefinition | None,
) -> str:
    """The predicate that selects the rows of partitions ``keys``.

    ``kinds`` gives each partition column's kind (``column_kind``).
    """
    if None in columns.by_dimension:
        column = columns.by_dimension[None]
        return _dimension_predicate(asset_key, keys, column, kinds[column], partitions_def)
    from assetgraph.partitions.multi import SEPARATOR, MultiPartitionsDefinition

    assert isinstance(partitions_def, MultiPartitionsDefinition)
    definitions = partitions_def.partitions_defs
    names = partitions_def.dimension_names
    alternatives = []
    for key in keys:
        parts = dict(zip(names, key.split(SEPARATOR), strict=True))
        alternatives.append(
            " AND ".join(
                _dimension_predicate(
                    asset_key, [parts[name]], column, kinds[column], definitions[name]
                )
                for name, column in columns.by_dimension.items()
                if name is not None
            )
        )
    if len(alternatives) == 1:
        return alternatives[0]
    return " OR ".join(f"({alternative})" for alternative in alternatives)


def _dimension_predicate(
    asset_key: AssetKey,
    keys: Sequence[str],
    column: str,
    kind: str,
    partitions_def: PartitionsDefinition | None,
) -> str:
    from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition

    name = quote_identifier(column)
    if kind in TIME_KINDS and isinstance(partitions_def, TimeWindowPartitionsDefinition):
        windows = [partitions_def.time_window_for_partition_key(key) for key in keys]
        ranges = [
            f"{name} >= {_time_literal(asset_key, column, kind, start)} AND "
            f"{name} < {_time_literal(asset_key, column, kind, end)}"
            for start, end in _merged(windows)
        ]
        return ranges[0] if len(ranges) == 1 else " OR ".join(f"({r})" for r in ranges)
    values = ", ".join(quote_literal(str(key)) for key in keys)
    return f"{name} IN ({values})"


def _merged(windows: list[TimeWindow]) -> list[tuple[datetime, datetime]]:
    """The windows as ranges, adjacent ones joined (``windows`` in time order)."""
    ranges: list[tuple[datetime, datetime]] = []
    for start, end in sorted((window.start, window.end) for window in windows):
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _time_literal(asset_key: AssetKey, column: str, kind: str, moment: datetime) -> str:
    if kind == "date":
        if (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0):
            raise StorageError(
                f"Asset '{asset_key}' has partitions shorter than a day, but its partition "
                f"column '{column}' holds dates: make it a timestamp or a string column."
            )
        return quote_literal(moment.date().isoformat())
    if kind == "timestamp":  # a zoned column holds UTC instants
        return quote_literal(moment.astimezone(UTC).isoformat())
    return quote_literal(moment.replace(tzinfo=None).isoformat())  # naive: wall-clock time


def _dimension_names(partitions_def: PartitionsDefinition | None) -> list[str]:
    from assetgraph.partitions.multi import MultiPartitionsDefinition

    if isinstance(partitions_def, MultiPartitionsDefinition):
        return partitions_def.dimension_names
    return []
