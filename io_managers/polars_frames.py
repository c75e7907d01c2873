"""Polars frames in the table IO managers (parquet, DuckDB, SQL): what to load, how to store.

A manager stores a ``polars.DataFrame`` or ``LazyFrame`` (collected first) as it stores a
pandas DataFrame, and loads a polars frame when the reading parameter's annotation (else
the upstream asset's return annotation) is ``polars.DataFrame`` or ``polars.LazyFrame``,
or a subclass such as pandera's ``pandera.typing.polars.DataFrame[Model]``.

polars is never imported here unless the user's code has imported it already, or a value
is loaded as a polars frame.
"""

from __future__ import annotations

import collections.abc
import re
import sys
import types
import typing
from typing import TYPE_CHECKING, Any, Literal

from assetgraph.versions.digests import frame_data_version

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

FrameKind = Literal["pandas", "polars", "polars_lazy"]

_PANDAS_INDEX_COLUMN = re.compile(r"^__index_level_\d+__$")


def requested_kind(annotation: Any) -> FrameKind:
    """The kind of frame ``annotation`` asks an IO manager to load (pandas by default).

    ``dict[str, F]`` (one frame per partition) and ``F | None`` ask for what ``F`` asks for.
    """
    polars = sys.modules.get("polars")
    if polars is None or annotation is None:
        return "pandas"  # a polars annotation means the user's module imported polars
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (dict, collections.abc.Mapping) and len(args) == 2:
        return requested_kind(args[1])  # dict[str, pl.DataFrame]: one frame per partition
    if origin in (typing.Union, types.UnionType):
        kinds = {requested_kind(arg) for arg in args if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else "pandas"  # pl.DataFrame | None
    cls = origin if isinstance(origin, type) else annotation
    if not isinstance(cls, type):
        return "pandas"
    if issubclass(cls, polars.LazyFrame):
        return "polars_lazy"
    if issubclass(cls, polars.DataFrame):
        return "polars"
    return "pandas"


def is_polars_frame(obj: Any) -> bool:
    """True for a ``polars.DataFrame`` or ``polars.LazyFrame``."""
    polars = sys.modules.get("polars")
    return polars is not None and isinstance(obj, polars.DataFrame | polars.LazyFrame)


def collected(obj: Any) -> Any:
    """``obj``, with a ``polars.LazyFrame`` collected into a DataFrame."""
    polars = sys.modules.get("polars")
    if polars is not None and isinstance(obj, polars.LazyFrame):
        return obj.collect()
    return obj


def as_kind(frame: pl.DataFrame, kind: FrameKind) -> pl.DataFrame | pl.LazyFrame:
    """A loaded polars ``frame`` as the kind asked for (lazy or not)."""
    return frame.lazy() if kind == "polars_lazy" else frame


def is_pandas_index_column(name: str) -> bool:
    """True for an index column pandas writes into the Parquet files it stores."""
    return _PANDAS_INDEX_COLUMN.match(name) is not None


def without_pandas_index(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without the index columns pandas writes into Parquet files it stores."""
    extra = [name for name in frame.columns if is_pandas_index_column(name)]
    return frame.drop(extra) if extra else frame


def pandas_column(column: Any) -> pd.Series[Any]:
    """A frame column as a pandas Series (a polars Series is converted)."""
    polars = sys.modules.get("polars")
    if polars is not None and isinstance(column, polars.Series):
        converted: pd.Series[Any] = column.to_pandas()
        return converted
    series: pd.Series[Any] = column
    return series


def pandas_frame(frame: pl.DataFrame) -> pd.DataFrame:
    """``frame`` as pandas, its Date columns holding ``datetime.date`` values (as pandas
    frames read from a database do) rather than midnight timestamps."""
    import pandas as pd
    import polars as pl

    converted = frame.to_pandas()
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            converted[name] = pd.Series(frame[name].to_list(), index=converted.index, dtype=object)
    return converted


def polars_data_version(frame: pl.DataFrame) -> str:
    """The content digest of a polars frame: that of the same data as a pandas frame."""
    return frame_data_version(frame.to_pandas())


def rows_of_keys(
    frame: pl.DataFrame, row_keys: pd.Series[str], keys: tuple[str, ...]
) -> dict[str, pl.DataFrame]:
    """``frame`` cut into one frame per key of ``keys`` (empty ones included)."""
    import polars as pl

    values = row_keys.to_numpy()
    return {key: frame.filter(pl.Series(values == key)) for key in keys}


def with_constant(frame: pl.DataFrame, column: str, value: str) -> pl.DataFrame:
    """``frame`` with a ``column`` holding ``value`` on every row."""
    import polars as pl

    return frame.with_columns(pl.lit(value).alias(column))


def concat_polars(frames: list[Any]) -> Any:
    """Polars frames (all eager or all lazy) as one, columns united as pandas would."""
    import polars as pl

    return frames[0] if len(frames) == 1 else pl.concat(frames, how="diagonal_relaxed")


def records_frame(rows: list[Any], names: list[str]) -> pl.DataFrame:
    """Database rows (tuples in ``names`` order) as a polars frame."""
    import polars as pl

    return pl.DataFrame(
        [tuple(row) for row in rows], schema=names, orient="row", infer_schema_length=None
    )
