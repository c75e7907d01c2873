"""The shape a partitioned input takes, decided by the parameter's annotation.

A bare (unannotated) parameter keeps Dagster's behaviour: what the IO manager returns,
which for pickled values is the value for one partition and a dict keyed by partition for
several. An annotation asks for one shape whatever the number of partitions:

- ``pd.DataFrame`` (or a pandera ``DataFrame[Model]``) / ``pyarrow.Table`` /
  ``polars.DataFrame`` or ``polars.LazyFrame``: the partitions concatenated in key order
  (a dict of frames from the IO manager is joined; the table IO managers return one frame);
  a polars frame is made lazy or collected to the kind annotated;
- ``dict[str, T]`` (or ``Mapping[str, T]``): always a dict keyed by partition, even for
  one; an IO manager that returns one table for several partitions is asked once per
  partition.

Applied once, in the step's input loading, so every IO manager gets the same rule.
"""

from __future__ import annotations

import collections.abc
import sys
import typing
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Literal

from assetgraph.io import InputContext

Shape = Literal["bare", "frame", "table", "polars", "polars_lazy", "dict"]


def input_shapes(fn: Callable[..., Any], name: str) -> dict[str, Shape]:
    """Each parameter of ``fn`` whose annotation asks for a shape, with that shape."""
    from assetgraph.definitions.signatures import cached_signature

    shapes: dict[str, Shape] = {}
    for param in cached_signature(fn, name).parameters.values():
        shape = shape_of(param.annotation)
        if shape != "bare":
            shapes[param.name] = shape
    return shapes


def shape_of(annotation: Any) -> Shape:
    """The shape ``annotation`` asks for (``"bare"`` when it asks for none)."""
    if annotation is None or isinstance(annotation, str):
        return "bare"
    origin = typing.get_origin(annotation)
    if origin in (dict, collections.abc.Mapping, collections.abc.MutableMapping):
        args = typing.get_args(annotation)
        return "dict" if not args or args[0] is str else "bare"
    cls = origin if isinstance(origin, type) else annotation
    if not isinstance(cls, type):
        return "bare"
    pandas = sys.modules.get("pandas")
    if pandas is not None and issubclass(cls, pandas.DataFrame):
        return "frame"
    if cls.__name__ == "Table" and cls.__module__.startswith("pyarrow"):
        return "table"
    polars = sys.modules.get("polars")
    if polars is not None and issubclass(cls, polars.LazyFrame):
        return "polars_lazy"
    if polars is not None and issubclass(cls, polars.DataFrame):
        return "polars"
    return "bare"


def load_shaped(manager: Any, context: InputContext, shape: Shape) -> Any:
    """Load ``context``'s partitions through ``manager`` in the given shape."""
    keys = context.partition_keys
    if shape == "bare" or not keys:
        return manager.load_input(context)
    if shape == "dict":
        value = manager.load_input(context)
        if isinstance(value, Mapping) and set(value) == set(keys):
            return {key: value[key] for key in keys}
        if len(keys) == 1:
            return {keys[0]: value}
        return {key: manager.load_input(_one(context, key)) for key in keys}
    value = manager.load_input(context)
    if len(keys) > 1 and isinstance(value, Mapping) and set(value) == set(keys):
        parts = [value[key] for key in keys]
        if shape == "frame":
            value = _concat_frames(parts)
        elif shape == "table":
            value = _concat_tables(parts)
        else:
            value = _concat_polars(parts)
    if shape in ("polars", "polars_lazy"):
        return _polars_as(value, lazy=shape == "polars_lazy")
    return value


def _one(context: InputContext, key: str) -> InputContext:
    return replace(context, partition_key=key, partition_keys=(key,), partition_key_range=None)


def _concat_frames(frames: list[Any]) -> Any:
    import pandas as pd

    default_index = all(isinstance(frame.index, pd.RangeIndex) for frame in frames)
    return pd.concat(frames, ignore_index=default_index)


def _concat_polars(frames: list[Any]) -> Any:
    import polars as pl

    if any(isinstance(frame, pl.LazyFrame) for frame in frames):
        frames = [frame.lazy() if isinstance(frame, pl.DataFrame) else frame for frame in frames]
    return pl.concat(frames, how="diagonal_relaxed")


def _polars_as(value: Any, lazy: bool) -> Any:
    """A polars frame as the kind annotated: a DataFrame made lazy, or a LazyFrame collected."""
    import polars as pl

    if lazy and isinstance(value, pl.DataFrame):
        return value.lazy()
    if not lazy and isinstance(value, pl.LazyFrame):
        return value.collect()
    return value


def _concat_tables(tables: list[Any]) -> Any:
    import pyarrow as pa

    return pa.concat_tables(tables)
