"""Stores pandas or polars DataFrames as Parquet files, locally or on any fsspec file system.

Layout under ``base_dir``: ``<key parts>.parquet`` for an unpartitioned asset, and
``<key parts>/<partition file name>.parquet`` for each partition of a partitioned one,
e.g. ``shop/orders/2025-01-31.parquet``. The partition file name is the partition key
percent-encoded (see ``io_managers.pickle.partition_file_name``): a multi-dimensional key
``2025-01-01|eu`` is stored as ``2025-01-01%7Ceu.parquet``, an hourly key
``2025-01-31-13:00`` as ``2025-01-31-13%3A00.parquet``.

``base_dir`` is a local folder or an fsspec URL (``s3://bucket/prefix``, ``gs://...``,
``memory://...``), so that workers on other machines share one store; ``storage_options``
go to the fsspec file system. Writes are atomic: a local file is written under a temporary
name in the same folder and renamed over the old one; on other file systems each object is
put under a temporary key, then moved into place (``io_managers.object_store``).

A polars ``DataFrame`` or ``LazyFrame`` is stored with polars; loading gives a polars frame
when the reading parameter (or the upstream asset) is annotated with one
(``io_managers.polars_frames``), else a pandas DataFrame. A ``LazyFrame`` loaded from a
local folder scans its files (``polars.scan_parquet``).

pandas, pyarrow, polars and fsspec are imported when first needed, so importing this module
is cheap.
"""

from __future__ import annotations

import io
import os
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.keys import AssetKey
from assetgraph.versions.digests import frame_data_version
from io_managers.files import open_temp_beside
from io_managers.pickle import missing_value_error, partition_file_name
from io_managers.polars_frames import (
    FrameKind,
    as_kind,
    collected,
    concat_polars,
    is_pandas_index_column,
    is_polars_frame,
    pandas_column,
    polars_data_version,
    requested_kind,
    rows_of_keys,
    without_pandas_index,
)

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from io_managers.object_store import ObjectStore

PARTITION_KEY_COLUMN = "partition_key"


# Frames and partition columns: shared with the table IO managers (sql, duckdb).


def require_frame(asset_key: AssetKey, obj: Any, manager: str) -> Any:
    """``obj`` if it is a pandas or polars DataFrame (a LazyFrame is collected), else a
    StorageError naming the asset."""
    import pandas as pd

    if is_polars_frame(obj):
        return collected(obj)
    if not isinstance(obj, pd.DataFrame):
        raise StorageError(
            f"{manager} stores pandas or polars DataFrames, but asset '{asset_key}' returned "
            f"{type(obj).__name__}: return a DataFrame or give the asset another io_manager_key."
        )
    return obj


def data_version_of(frame: Any) -> str:
    """The content digest of a pandas or (collected) polars frame."""
    return polars_data_version(frame) if is_polars_frame(frame) else frame_data_version(frame)


def partition_column_for(metadata: Mapping[str, Any], frame: Any) -> str | None:
    """The frame column that holds partition keys, if there is one.

    That is the asset's ``partition_expr`` metadata (an error if the frame lacks it), else a
    ``partition_key`` column when the frame has one, else None.
    """
    declared = metadata.get("partition_expr")
    if declared is not None:
        return str(declared)
    return PARTITION_KEY_COLUMN if PARTITION_KEY_COLUMN in frame.columns else None


def partition_key_strings(column: Any) -> pd.Series[str]:
    """The partition key each value of ``column`` (pandas or polars) names, as a string.

    Strings stay as they are; dates give ``2025-01-31``; datetimes give ``2025-01-31`` when
    every one is at midnight, else the hourly form ``2025-01-31-13:00``.
    """
    import pandas as pd

    series = pandas_column(column)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        stamps = series.dt
        at_midnight = bool((stamps.normalize() == series).all())
        keys: pd.Series[str] = stamps.strftime("%Y-%m-%d" if at_midnight else "%Y-%m-%d-%H:%M")
        return keys
    return series.astype(str)


def check_partition_values(
    asset_key: AssetKey,
    keys: tuple[str, ...],
    column: str,
    frame: Any,
) -> pd.Series[str]:
    """The key of each row, after checking that every row names one of ``keys``."""
    if column not in frame.columns:
        raise StorageError(
            f"Asset '{asset_key}' declares partition column '{column}' (metadata "
            f"partition_expr), but its DataFrame has no such column; columns are "
            f"{list(map(str, frame.columns))}."
        )
    row_keys = partition_key_strings(frame[column])
    outside = row_keys[~row_keys.isin(keys)]
    if len(outside):
        shown = ", ".join(repr(v) for v in outside.unique()[:5])
        raise StorageError(
            f"Asset '{asset_key}' is stored for partitions {_describe(keys)}, but its column "
            f"'{column}' holds other values ({shown}): every row must belong to one of the "
            "partitions being written."
        )
    return row_keys


def split_by_partition(context: OutputContext, frame: Any, manager: str) -> dict[str, Any]:
    """``frame`` cut into one frame per partition key of ``context`` (empty ones included)."""
    keys = context.partition_keys
    column = partition_column_for(context.metadata, frame)
    if column is None:
        if len(keys) == 1:
            return {keys[0]: frame}
        raise StorageError(
            f"Asset '{context.asset_key}' is stored for {len(keys)} partitions at once "
            f"({context.partition_key_range}); {manager} splits the DataFrame by partition, "
            "so it needs a column holding each row's partition key: name it with "
            "@asset(metadata={'partition_expr': 'column'}) or call it 'partition_key'."
        )
    row_keys = check_partition_values(context.asset_key, keys, column, frame)
    if len(keys) == 1:
        return {keys[0]: frame}
    if is_polars_frame(frame):
        return rows_of_keys(frame, row_keys, keys)
    parts = {str(key): part for key, part in frame.groupby(row_keys.to_numpy(), sort=False)}
    return {key: parts.get(key, frame.iloc[0:0]) for key in keys}


def report_frame_versions(context: OutputContext, frame: Any, manager: str) -> None:
    """Tell ``context`` the content version of ``frame`` (of each partition's rows)."""
    keys = context.partition_keys
    if len(keys) <= 1:
        context.set_data_version(data_version_of(frame), keys[0] if keys else None)
        return
    for key, part in split_by_partition(context, frame, manager).items():
        context.set_data_version(data_version_of(part), key)


def concat_in_key_order(frames: list[Any]) -> Any:
    """One frame of ``frames`` in order; a fresh row index when each had a default one."""
    import pandas as pd

    if len(frames) == 1:
        return frames[0]
    if not isinstance(frames[0], pd.DataFrame):
        return concat_polars(frames)
    default_index = all(isinstance(f.index, pd.RangeIndex) for f in frames)
    return pd.concat(frames, ignore_index=default_index)


def _describe(keys: tuple[str, ...]) -> str:
    if len(keys) == 1:
        return f"'{keys[0]}'"
    return f"'{keys[0]}'...'{keys[-1]}' ({len(keys)} keys)"


# The IO manager.


class ParquetIOManager(IOManager):
    """Stores each (asset, partition) DataFrame as one Parquet file under ``base_dir``.

    Storing several partitions at once (a single-run backfill of a range) needs a column
    holding each row's partition key: the asset's ``partition_expr`` metadata names it,
    else a ``partition_key`` column is used. The frame is split by that column into one
    file per key; keys without rows get an empty file of the same schema. Loading one
    partition returns its frame; loading several returns one frame, concatenated in
    partition key order.
    """

    def __init__(
        self,
        base_dir: str | os.PathLike[str],
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        base = os.fspath(base_dir)
        self.storage_options: dict[str, Any] = dict(storage_options or {})
        self.is_local = "://" not in base or base.startswith("file://")
        if self.is_local:
            base = base.removeprefix("file://")
            self.base_dir = str(Path(base).absolute())
        else:
            self.base_dir = base.rstrip("/")
        self._store: ObjectStore | None = None

    def __getstate__(self) -> dict[str, Any]:
        # File system objects may hold connections; workers make their own.
        return {k: v for k, v in self.__dict__.items() if k != "_store"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._store = None

    @property
    def store(self) -> ObjectStore:
        """The object store under ``base_dir`` (a URL; not for a local folder)."""
        if self._store is None:
            from io_managers.object_store import ObjectStore

            self._store = ObjectStore(self.base_dir, self.storage_options)
        return self._store

    def host_local_storage(self) -> str | None:
        return self.base_dir if self.is_local else None

    def path_for(self, asset_key: AssetKey, partition_key: str | None = None) -> str:
        """The file (local path or fsspec path) of ``asset_key``'s value or partition."""
        parts = list(asset_key.path)
        if partition_key is None:
            parts[-1] += ".parquet"
        else:
            parts.append(partition_file_name(partition_key) + ".parquet")
        if self.is_local:
            path = Path(self.base_dir).joinpath(*parts)
            inside = path.resolve().is_relative_to(Path(self.base_dir).resolve())
            text = str(path)
        else:
            return self.store.path_for(asset_key, partition_key, ".parquet")
        if not inside:
            where = f" partition '{partition_key}'" if partition_key is not None else ""
            raise StorageError(
                f"Asset '{asset_key}'{where} would be stored at {text}, outside the IO "
                f"manager's base directory {self.base_dir}: refusing."
            )
        return text

    def _dirname(self, path: str) -> str:
        return os.path.dirname(path) if self.is_local else posixpath.dirname(path)

    def _basename(self, path: str) -> str:
        return os.path.basename(path) if self.is_local else posixpath.basename(path)

    def _display(self, path: str) -> str:
        if self.is_local:
            return path
        return self.store.url_of(path)

    # Storing.

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        frame = require_frame(context.asset_key, obj, "ParquetIOManager")
        if context.partition_keys:
            split = split_by_partition(context, frame, "ParquetIOManager")
            frames: dict[str | None, Any] = {k: v for k, v in split.items()}
        else:
            frames = {None: frame}
        paths = {key: self.path_for(context.asset_key, key) for key in frames}
        for key, part in frames.items():
            context.set_data_version(data_version_of(part), key)
        if self.is_local:
            self._write_local(frames, paths)
        else:
            self._write_remote(context.asset_key, frames, paths)
        if len(paths) == 1:
            where = self._display(next(iter(paths.values())))
        else:
            where = self._display(self._dirname(next(iter(paths.values()))))
        metadata: dict[str, Any] = {"path": where, "row_count": len(frame)}
        if len(paths) > 1:
            metadata["partitions"] = len(paths)
        context.add_output_metadata(metadata)

    def _write_local(
        self, frames: Mapping[str | None, Any], paths: Mapping[str | None, str]
    ) -> None:
        # Write every file under a temporary name first and rename only when all are
        # written: a failure leaves every partition with its old file.
        staged: list[tuple[str, str]] = []
        try:
            for key, frame in frames.items():
                path = paths[key]
                os.makedirs(os.path.dirname(path), exist_ok=True)
                fd, tmp_name = open_temp_beside(Path(path))
                staged.append((tmp_name, path))
                with os.fdopen(fd, "wb") as handle:
                    _write_parquet(frame, handle)
            for tmp_name, path in staged:
                os.replace(tmp_name, path)
        except BaseException:
            for tmp_name, _ in staged:
                Path(tmp_name).unlink(missing_ok=True)
            raise

    def _write_remote(
        self,
        asset_key: AssetKey,
        frames: Mapping[str | None, Any],
        paths: Mapping[str | None, str],
    ) -> None:
        # Serialize everything before the first put, so a bad frame changes nothing.
        payloads: list[tuple[str, bytes]] = []
        for key, frame in frames.items():
            buffer = io.BytesIO()
            _write_parquet(frame, buffer)
            payloads.append((paths[key], buffer.getvalue()))
        self.store.write_all(asset_key, payloads)

    # Loading.

    def load_input(self, context: InputContext) -> Any:
        """The stored frame: pandas, or polars when ``context.annotation`` asks for it."""
        keys = context.partition_keys
        kind = requested_kind(context.annotation)
        if not keys:
            return self._read(context.asset_key, None, kind)
        if len(keys) > 1:
            self._check_present(context.asset_key, keys)
        return concat_in_key_order([self._read(context.asset_key, key, kind) for key in keys])

    def _read(self, asset_key: AssetKey, partition_key: str | None, kind: FrameKind) -> Any:
        path = self.path_for(asset_key, partition_key)
        partitions = (partition_key,) if partition_key is not None else ()
        if not self.is_local:
            data = self.store.read(asset_key, partition_key, path)
            return _read_parquet(io.BytesIO(data), kind)
        try:
            if kind == "polars_lazy":
                return _scan_parquet(path)
            return _read_parquet(path, kind)
        except FileNotFoundError:
            raise missing_value_error(asset_key, partitions, self._display(path)) from None

    def _check_present(self, asset_key: AssetKey, keys: tuple[str, ...]) -> None:
        paths = {key: self.path_for(asset_key, key) for key in keys}
        folder = self._dirname(next(iter(paths.values())))
        if self.is_local:
            present = set(os.listdir(folder)) if os.path.isdir(folder) else set()
        else:
            present = self.store.names_in(asset_key, folder)
        missing = tuple(k for k, p in paths.items() if self._basename(p) not in present)
        if missing:
            raise missing_value_error(asset_key, missing, self._display(folder))


def _write_parquet(frame: Any, target: Any) -> None:
    if is_polars_frame(frame):
        frame.write_parquet(target)
    else:
        frame.to_parquet(target, engine="pyarrow")


def _read_parquet(source: Any, kind: FrameKind) -> Any:
    if kind == "pandas":
        import pandas as pd

        return pd.read_parquet(source, engine="pyarrow")
    import polars as pl

    return as_kind(without_pandas_index(pl.read_parquet(source)), kind)


def _scan_parquet(path: str) -> pl.LazyFrame:
    """A lazy scan of a local Parquet file (its rows are read when the frame is collected)."""
    import polars as pl

    if not os.path.exists(path):
        raise FileNotFoundError(path)
    frame = pl.scan_parquet(path)
    extra = [name for name in frame.collect_schema().names() if is_pandas_index_column(name)]
    return frame.drop(extra) if extra else frame
