"""Stores pandas, pyarrow or polars frames as Delta Lake tables, through delta-rs (``deltalake``).

Each asset is one Delta table at ``<root_uri>/<key parts joined by />`` (``shop/orders`` is
``<root_uri>/shop/orders``), on a local path or an object storage URL (``s3://``, ``gs://``,
``az://``...; ``storage_options`` go to delta-rs as they are).

Every write is one Delta commit, so a reader sees the table before it or after it:

- an unpartitioned asset overwrites the table, schema included;
- a partitioned asset replaces its partitions' rows: ``write_deltalake(mode="overwrite",
  predicate=...)`` with the predicate of ``io_managers.delta_predicates`` on the column named
  by the asset's ``partition_expr`` metadata (a mapping of dimension to column for
  multi-partitions), else on a ``partition_key`` column added when one partition is written.
  delta-rs refuses a frame with rows outside the partitions written. A new table is
  partitioned (Delta's ``partitionBy``) by those columns, except timestamp ones.

Rewriting a partition is idempotent: the same frame gives the same rows. Two runs that
write different partitions at once may both try the same table version; delta-rs settles
most of these itself, and a commit it refuses as conflicting is retried whole, up to
``max_commit_attempts`` times.

Schema evolution: a partitioned write merges schemas (``schema_mode="merge"``): a new column
is added, and rows of other partitions read it as null; a column whose type changed is an
error naming the asset and the columns. An unpartitioned write replaces the schema.

The committed table version is the materialization's data version (``v<version>@<commit
time in ms>``: the time keeps a re-created table's versions distinct), and the metadata
records ``table_uri``, ``table_version``, ``row_count``, ``table_schema``,
``commit_attempts`` and, for partitions, the ``partition_predicate``. So a rewrite of the
same rows is a new version, and marks the assets downstream stale.

Loading selects the requested partitions with the same predicate, in partition key order,
as a pandas DataFrame, or as a ``pyarrow.Table`` or polars frame when the reading parameter
(or the upstream asset) is annotated with one. deltalake, pyarrow, pandas and polars are
imported when first needed.
"""

from __future__ import annotations

import collections.abc
import os
import random
import sys
import time
import types
import typing
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.keys import AssetKey
from io_managers.delta_predicates import (
    PARTITION_KEY_COLUMN,
    PartitionColumns,
    column_kind,
    partition_columns,
    partitions_predicate,
    quote_identifier,
)
from io_managers.pickle import missing_value_error
from io_managers.polars_frames import as_kind, collected, is_polars_frame, requested_kind

if TYPE_CHECKING:
    import pyarrow as pa
    from deltalake import DeltaTable

_WRITE_TOKEN = "assetgraph.write"
"""Custom commit metadata that finds this write's commit in the table's history."""


class DeltaLakeIOManager(IOManager):
    """Stores each asset's frame in a Delta table under ``root_uri``.

    Args:
        root_uri: a local folder or an object storage URL (``s3://bucket/lake``).
        storage_options: delta-rs storage options, e.g. for S3 ``AWS_ENDPOINT_URL``,
            ``AWS_ALLOW_HTTP``, ``AWS_ACCESS_KEY_ID``, ``AWS_REGION``.
        max_commit_attempts: how many times one write is tried when concurrent writers
            make its commit conflict.
    """

    def __init__(
        self,
        root_uri: str | os.PathLike[str],
        storage_options: Mapping[str, str] | None = None,
        *,
        max_commit_attempts: int = 5,
    ) -> None:
        root = os.fspath(root_uri)
        self.is_local = "://" not in root or root.startswith("file://")
        if self.is_local:
            root = str(Path(root.removeprefix("file://")).absolute())
        self.root_uri = root.rstrip("/")
        self.storage_options: dict[str, str] = {
            k: str(v) for k, v in (storage_options or {}).items()
        }
        if max_commit_attempts < 1:
            raise ValueError(f"max_commit_attempts must be at least 1, got {max_commit_attempts}.")
        self.max_commit_attempts = max_commit_attempts

    def host_local_storage(self) -> str | None:
        return self.root_uri if self.is_local else None

    def table_uri(self, asset_key: AssetKey) -> str:
        """Where the Delta table of ``asset_key`` lives."""
        if any(part in (".", "..") for part in asset_key.path):
            raise StorageError(
                f"Asset '{asset_key}' would be stored outside {self.root_uri}: a key part "
                "may not be '.' or '..'."
            )
        return "/".join([self.root_uri, *asset_key.path])

    def _open(self, uri: str) -> DeltaTable | None:
        from deltalake import DeltaTable

        if not DeltaTable.is_deltatable(uri, storage_options=self.storage_options):
            return None
        return DeltaTable(uri, storage_options=self.storage_options)

    # Storing.

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        data = arrow_table(context.asset_key, obj)
        uri = self.table_uri(context.asset_key)
        columns: PartitionColumns | None = None
        if context.partition_keys:
            columns = partition_columns(context.asset_key, context.metadata, context.partitions_def)
            data = _with_partition_column(context, columns, data)
        token = uuid.uuid4().hex
        predicate, attempts = self._commit(context, uri, data, columns, token)
        committed = self._open(uri)
        assert committed is not None
        version, timestamp = _committed_version(committed, token)
        for key in context.partition_keys or (None,):
            context.set_data_version(f"v{version}@{timestamp}", key)
        metadata: dict[str, Any] = {
            "table_uri": uri,
            "table_version": version,
            "row_count": data.num_rows,
            "table_schema": _schema_of(committed),
            "commit_attempts": attempts,
        }
        if predicate is not None:
            metadata["partition_predicate"] = predicate
        context.add_output_metadata(metadata)

    def _commit(
        self,
        context: OutputContext,
        uri: str,
        data: pa.Table,
        columns: PartitionColumns | None,
        token: str,
    ) -> tuple[str | None, int]:
        """Write ``data`` in one commit carrying ``token``, trying again from the start
        (the table re-read) while concurrent commits conflict with it.

        Returns the predicate written with and the number of attempts.
        """
        from deltalake.exceptions import CommitFailedError

        attempts = 0
        while True:
            attempts += 1
            table = self._open(uri)
            predicate = None
            if columns is not None:
                schema = data.schema if table is None else _arrow_schema(table)
                predicate, _ = _partitions_predicate(context, columns, schema, uri)
            try:
                _write(uri, data, table, columns, predicate, self.storage_options, token)
                return predicate, attempts
            except CommitFailedError as exc:
                if attempts >= self.max_commit_attempts:
                    raise StorageError(
                        f"Asset '{context.asset_key}': gave up writing Delta table {uri} after "
                        f"{attempts} attempts, each in conflict with a concurrent commit "
                        f"({_first_line(exc)}); retry the run, or raise max_commit_attempts."
                    ) from exc
            except Exception as exc:
                keys = context.partition_keys
                raise _write_error(context.asset_key, uri, keys, data, table, exc) from exc
            time.sleep(0.05 * 2**attempts * random.uniform(0.5, 1.5))

    # Loading.

    def load_input(self, context: InputContext) -> Any:
        """The table's rows (of the partitions asked for): a pandas frame, or a pyarrow
        Table or polars frame when ``context.annotation`` asks for one."""
        uri = self.table_uri(context.asset_key)
        keys = context.partition_keys
        table = self._open(uri)
        if table is None:
            raise missing_value_error(context.asset_key, keys, f"Delta table {uri}")
        query = "SELECT * FROM t"
        order: str | None = None
        if keys:
            columns = partition_columns(context.asset_key, context.metadata, context.partitions_def)
            predicate, kinds = _partitions_predicate(context, columns, _arrow_schema(table), uri)
            query += f" WHERE {predicate}"
            if len(columns.names) == 1 and kinds[columns.names[0]] == "other":
                order = columns.names[0]  # sorted below, in key order
            else:
                query += " ORDER BY " + ", ".join(map(quote_identifier, columns.names))
        rows = _query(table, query)
        if order is not None and len(keys) > 1:
            rows = _in_key_order(rows, order, keys)
        return _as_requested(rows, context.annotation)


def _partitions_predicate(
    context: OutputContext | InputContext,
    columns: PartitionColumns,
    schema: pa.Schema,
    uri: str,
) -> tuple[str, dict[str, str]]:
    """The predicate of the context's partitions on a table of ``schema``, and the kind of
    each partition column."""
    missing = [name for name in columns.names if name not in schema.names]
    if missing:
        raise StorageError(
            f"Delta table {uri} of asset '{context.asset_key}' has no partition column "
            f"{missing} (columns: {schema.names}): set metadata partition_expr to the column "
            "that holds the partitions, or move the table away to start a new one."
        )
    kinds = {name: column_kind(schema.field(name).type) for name in columns.names}
    predicate = partitions_predicate(
        context.asset_key, context.partition_keys, columns, kinds, context.partitions_def
    )
    return predicate, kinds


# Frames.


def arrow_table(asset_key: AssetKey, obj: Any) -> pa.Table:
    """``obj`` (pandas, polars or pyarrow) as a pyarrow Table; the pandas index is dropped."""
    import pandas as pd
    import pyarrow as pa

    if isinstance(obj, pa.Table):
        return obj
    if is_polars_frame(obj):
        converted: pa.Table = collected(obj).to_arrow()
        return converted
    if isinstance(obj, pd.DataFrame):
        return pa.Table.from_pandas(obj, preserve_index=False)
    raise StorageError(
        f"DeltaLakeIOManager stores pandas, polars or pyarrow tables, but asset '{asset_key}' "
        f"returned {type(obj).__name__}: return a frame or give the asset another io_manager_key."
    )


def _with_partition_column(
    context: OutputContext, columns: PartitionColumns, data: pa.Table
) -> pa.Table:
    """``data`` with its partition columns checked, a ``partition_key`` one added if needed."""
    import pyarrow as pa

    keys = context.partition_keys
    if not columns.declared and PARTITION_KEY_COLUMN not in data.column_names:
        if len(keys) > 1:
            raise StorageError(
                f"Asset '{context.asset_key}' is stored for {len(keys)} partitions at once "
                f"({context.partition_key_range}); DeltaLakeIOManager needs a column holding "
                "each row's partition: name it with @asset(metadata={'partition_expr': "
                "'column'}) or call it 'partition_key'."
            )
        values = pa.array([keys[0]] * data.num_rows, pa.string())
        return data.append_column(PARTITION_KEY_COLUMN, values)
    missing = [name for name in columns.names if name not in data.column_names]
    if missing:
        raise StorageError(
            f"Asset '{context.asset_key}' declares partition column(s) {missing} (metadata "
            f"partition_expr), but its frame has no such column; columns are "
            f"{data.column_names}."
        )
    return data


def _wants_arrow(annotation: Any) -> bool:
    """True when ``annotation`` asks for ``pyarrow.Table`` (alone, per partition, or | None)."""
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is None or annotation is None:
        return False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (dict, collections.abc.Mapping) and len(args) == 2:
        return _wants_arrow(args[1])
    if origin in (typing.Union, types.UnionType):
        return any(_wants_arrow(arg) for arg in args if arg is not type(None))
    return isinstance(annotation, type) and issubclass(annotation, pyarrow.Table)


def _as_requested(rows: pa.Table, annotation: Any) -> Any:
    if _wants_arrow(annotation):
        return rows
    kind = requested_kind(annotation)
    if kind == "pandas":
        return rows.to_pandas()
    import polars as pl

    frame = pl.from_arrow(rows)
    assert isinstance(frame, pl.DataFrame)  # a table, not a single column
    return as_kind(frame, kind)


def _in_key_order(rows: pa.Table, column: str, keys: tuple[str, ...]) -> pa.Table:
    """``rows`` stably sorted by the position of their ``column`` value in ``keys``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.cast(rows.column(column), pa.string())
    position = pc.index_in(values, value_set=pa.array(keys, pa.string()))
    return rows.take(pc.sort_indices(position))


# delta-rs.


def _write(
    uri: str,
    data: pa.Table,
    table: DeltaTable | None,
    columns: PartitionColumns | None,
    predicate: str | None,
    storage_options: dict[str, str],
    token: str,
) -> None:
    from deltalake import CommitProperties, write_deltalake

    partition_by = None
    if table is None and columns is not None:
        partition_by = [
            name
            for name in columns.names
            if column_kind(data.schema.field(name).type) not in ("timestamp", "timestamp_ntz")
        ] or None
    write_deltalake(
        uri,
        data,
        mode="overwrite",
        predicate=predicate,
        partition_by=partition_by,
        schema_mode="overwrite" if predicate is None else "merge",
        storage_options=storage_options,
        commit_properties=CommitProperties(custom_metadata={_WRITE_TOKEN: token}),
    )


def _query(table: DeltaTable, query: str) -> pa.Table:
    import pyarrow as pa
    from deltalake import QueryBuilder

    rows = pa.table(QueryBuilder().register("t", table).execute(query))
    # DataFusion answers with view types, which many pyarrow kernels and users do not take.
    views = {pa.string_view(): pa.string(), pa.binary_view(): pa.binary()}
    fields = [field.with_type(views.get(field.type, field.type)) for field in rows.schema]
    return rows.cast(pa.schema(fields)) if fields != list(rows.schema) else rows


def _arrow_schema(table: DeltaTable) -> pa.Schema:
    import pyarrow as pa

    return pa.schema(table.schema().to_arrow())


def _schema_of(table: DeltaTable) -> dict[str, str]:
    return {field.name: str(field.type) for field in _arrow_schema(table)}


def _committed_version(table: DeltaTable, token: str) -> tuple[int, int]:
    """The version and commit time (ms) of the commit that carries ``token``."""
    for commit in table.history(limit=100):
        if commit.get(_WRITE_TOKEN) == token:
            return int(commit["version"]), int(commit.get("timestamp") or 0)
    raise StorageError(  # a hundred other commits landed meanwhile: the log is unreadable
        f"Delta table {table.table_uri}: the commit just written is not among the latest "
        "hundred; its version is unknown."
    )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _write_error(
    asset_key: AssetKey,
    uri: str,
    keys: tuple[str, ...],
    data: pa.Table,
    table: DeltaTable | None,
    exc: BaseException,
) -> StorageError:
    """What went wrong writing ``data``, in the user's terms where it can be told."""
    message = str(exc)
    if "failed validation check" in message:
        return StorageError(
            f"Asset '{asset_key}' is stored for partitions {_shown(keys)}, but rows of its "
            "frame lie outside them (delta-rs: "
            f"{_first_line(exc)}): every row must belong to a partition being written."
        )
    if table is not None:
        existing = {field.name: field.type for field in _arrow_schema(table)}
        changed = [
            f"'{field.name}' ({existing[field.name]} in the table, {field.type} in the frame)"
            for field in data.schema
            if field.name in existing and not _compatible(existing[field.name], field.type)
        ]
        if changed:
            return StorageError(
                f"Asset '{asset_key}': column(s) {', '.join(changed)} changed type since "
                f"Delta table {uri} was written; cast them back, or rematerialize every "
                "partition after moving the table away (new columns are added by themselves)."
            )
    return StorageError(f"Asset '{asset_key}': writing Delta table {uri} failed: {message}")


def _compatible(stored: pa.DataType, written: pa.DataType) -> bool:
    import pyarrow as pa

    if stored == written:
        return True
    families = (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view)
    if any(f(stored) for f in families) and any(f(written) for f in families):
        return True
    if pa.types.is_integer(stored) and pa.types.is_integer(written):
        return True
    if pa.types.is_timestamp(stored) and pa.types.is_timestamp(written):
        return bool(stored.tz) == bool(written.tz)
    return bool(pa.types.is_floating(stored) and pa.types.is_floating(written))


def _shown(keys: tuple[str, ...]) -> str:
    if len(keys) == 1:
        return f"'{keys[0]}'"
    return f"'{keys[0]}'...'{keys[-1]}' ({len(keys)} keys)"
