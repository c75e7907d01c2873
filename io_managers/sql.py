"""Stores pandas or polars DataFrames as database tables through SQLAlchemy Core (SQLite,
PostgreSQL...).

Each asset has one table, named by joining its key parts with ``__`` (``shop/orders`` is
table ``shop__orders``), in the manager's ``schema`` (None: the connection's default).
The naming is the same on every database, so a key always maps to one predictable table.
Identifiers are always quoted by SQLAlchemy, and partition keys are only ever bound
parameters, so no key can change the meaning of a statement.

A partitioned asset keeps each row's partition key in a column: the one named by the
asset's ``partition_expr`` metadata (as in Dagster; it must be a plain column of the
frame), else a ``partition_key`` column, which the manager adds when the frame lacks it.
Storing partitions deletes their rows and inserts the new ones in one transaction, so a
re-run never duplicates rows and a failure leaves the old rows. The table is created from
the first frame's columns; columns that appear later are added (nullable), and columns a
later frame lacks are stored as NULL. Storing an unpartitioned asset replaces its whole
table: the frame goes into a new table, which takes the old one's place in the same
transaction (so views depending on the table must be recreated).

Loading returns the rows of the requested partitions in partition key order, with the
partition column, or the whole table. A partition with no rows loads as an empty frame: a
table cannot tell an empty partition from one never stored (the metadata database can).

A polars ``DataFrame`` or ``LazyFrame`` is stored through its pandas form (so column types
follow the same rules); loading gives a polars frame when the reading parameter (or the
upstream asset) is annotated with one (``io_managers.polars_frames``).

pandas, polars and SQLAlchemy are imported when first needed, so importing this module is
cheap.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.keys import AssetKey
from io_managers.parquet import (
    PARTITION_KEY_COLUMN,
    check_partition_values,
    partition_column_for,
    partition_key_strings,
    report_frame_versions,
    require_frame,
)
from io_managers.polars_frames import (
    as_kind,
    is_polars_frame,
    pandas_frame,
    records_frame,
    requested_kind,
    with_constant,
)

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa

# SQLite allows 999 bound parameters per statement in old builds: stay below.
MAX_IN_PARAMETERS = 900
_HOURLY_KEY = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d{2}:\d{2})$")


# Shared with the DuckDB IO manager.


def table_name_for(asset_key: AssetKey) -> str:
    """The table of ``asset_key``: its key parts joined with ``__`` (``a/b`` is ``a__b``)."""
    return "__".join(asset_key.path)


def partition_column_to_write(context: OutputContext, frame: Any, manager: str) -> tuple[str, Any]:
    """The partition column and the frame to insert, checked against the partitions written.

    With ``partition_expr`` metadata the frame must have that column; without it, a
    ``partition_key`` column is used, or added when exactly one partition is written.
    Every row must name one of the partitions being written.
    """
    keys = context.partition_keys
    column = partition_column_for(context.metadata, frame)
    if column is None:
        if len(keys) > 1:
            raise StorageError(
                f"Asset '{context.asset_key}' is stored for {len(keys)} partitions at once "
                f"({context.partition_key_range}); {manager} needs a column holding each "
                "row's partition key: name it with @asset(metadata={'partition_expr': "
                "'column'}) or call it 'partition_key'."
            )
        if is_polars_frame(frame):
            return PARTITION_KEY_COLUMN, with_constant(frame, PARTITION_KEY_COLUMN, keys[0])
        return PARTITION_KEY_COLUMN, frame.assign(**{PARTITION_KEY_COLUMN: keys[0]})
    check_partition_values(context.asset_key, keys, column, frame)
    return column, frame


def partition_column_to_read(context: InputContext) -> str:
    """The column holding partition keys in a partitioned asset's table."""
    return str(context.metadata.get("partition_expr") or PARTITION_KEY_COLUMN)


def key_values(keys: Sequence[str], kind: str) -> list[Any]:
    """Partition keys as values of a column of ``kind`` ('date', 'datetime' or 'text')."""
    if kind == "date":
        return [date.fromisoformat(key) for key in keys]
    if kind == "datetime":
        values: list[Any] = []
        for key in keys:
            hourly = _HOURLY_KEY.match(key)
            values.append(datetime.fromisoformat(f"{hourly[1]}T{hourly[2]}" if hourly else key))
        return values
    return list(keys)


def in_key_order(frame: Any, column: str, keys: Sequence[str]) -> Any:
    """The rows of ``frame`` (pandas or polars) sorted by the position of their partition
    key in ``keys``."""
    polars = is_polars_frame(frame)
    if len(keys) < 2 or len(frame) == 0:
        return frame if polars else frame.reset_index(drop=True)
    position = {key: i for i, key in enumerate(keys)}
    order = partition_key_strings(frame[column]).map(position).argsort(kind="stable")
    if polars:
        return frame[order.to_numpy()]
    return frame.iloc[order].reset_index(drop=True)


def chunks(values: Sequence[Any], size: int = MAX_IN_PARAMETERS) -> Iterator[Sequence[Any]]:
    """``values`` in slices of at most ``size`` (for ``IN`` lists)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of plain Python values (None for missing ones)."""
    import pandas as pd

    names = [str(name) for name in frame.columns]
    columns: list[list[Any]] = []
    for name in frame.columns:
        series = frame[name]
        values = series.astype(object).where(series.notna(), None).tolist()
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            values = [None if v is None else v.to_pydatetime() for v in values]
        columns.append(values)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


# SQLAlchemy pieces.


def _sql_type(series: pd.Series[Any]) -> sa.types.TypeEngine[Any]:
    import pandas as pd
    import sqlalchemy as sa

    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return sa.Boolean()
    if pd.api.types.is_integer_dtype(dtype):
        return sa.BigInteger()
    if pd.api.types.is_float_dtype(dtype):
        return sa.Float(precision=53)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return sa.DateTime(timezone=True)
    if pd.api.types.is_datetime64_dtype(dtype):
        return sa.DateTime()
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    by_inferred: dict[str, sa.types.TypeEngine[Any]] = {
        "date": sa.Date(),
        "datetime": sa.DateTime(),
        "integer": sa.BigInteger(),
        "floating": sa.Float(precision=53),
        "mixed-integer-float": sa.Float(precision=53),
        "boolean": sa.Boolean(),
        "decimal": sa.Numeric(),
        "bytes": sa.LargeBinary(),
    }
    return by_inferred.get(inferred, sa.Text())


def _column_kind(sql_type: sa.types.TypeEngine[Any]) -> str:
    import sqlalchemy as sa

    if isinstance(sql_type, sa.DateTime):
        return "datetime"
    if isinstance(sql_type, sa.Date):
        return "date"
    return "text"


def _short_name(base: str, suffix: str, limit: int) -> str:
    name = f"{base}{suffix}"
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(base.encode()).hexdigest()[:8]
    return f"{base[: limit - len(suffix) - 9]}_{digest}{suffix}"


def _ddl_helpers() -> tuple[type[Any], type[Any]]:
    """DDL constructs SQLAlchemy Core lacks: rename a table, add a column (both quoted)."""
    global _DDL
    if _DDL is None:
        from sqlalchemy.ext.compiler import compiles
        from sqlalchemy.schema import ExecutableDDLElement

        class RenameTable(ExecutableDDLElement):
            inherit_cache = False

            def __init__(self, table: sa.Table, new_name: str) -> None:
                self.table, self.new_name = table, new_name

        class AddColumn(ExecutableDDLElement):
            inherit_cache = False

            def __init__(self, table: sa.Table, column: sa.Column[Any]) -> None:
                self.table, self.column = table, column

        @compiles(RenameTable)
        def _rename(element: RenameTable, compiler: Any, **kw: Any) -> str:
            preparer = compiler.preparer
            return (
                f"ALTER TABLE {preparer.format_table(element.table)} "
                f"RENAME TO {preparer.quote(element.new_name)}"
            )

        @compiles(AddColumn)
        def _add(element: AddColumn, compiler: Any, **kw: Any) -> str:
            return (
                f"ALTER TABLE {compiler.preparer.format_table(element.table)} "
                f"ADD COLUMN {compiler.get_column_specification(element.column)}"
            )

        _DDL = (RenameTable, AddColumn)
    return _DDL


_DDL: tuple[type[Any], type[Any]] | None = None


class SQLTableIOManager(IOManager):
    """Stores each asset's DataFrame in a table of the database at ``url`` (SQLAlchemy URL).

    The engine is created on first use and kept; pickling the manager (to send it to
    another process) drops it, and the copy makes its own.
    """

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        self._engine: sa.Engine | None = None

    def host_local_storage(self) -> str | None:
        # A SQLite file is on this machine's disk; any other database is a server.
        if not self.url.startswith("sqlite"):
            return None
        path = self.url.split(":///", 1)[1] if ":///" in self.url else ""
        path = path.split("?", 1)[0]
        if not path or path == ":memory:":
            return "the memory of the process that runs each step (in-memory SQLite)"
        return os.path.abspath(path)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_engine"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._engine = None

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, created on first use."""
        if self._engine is None:
            import sqlalchemy as sa

            engine = sa.create_engine(self.url)
            if engine.dialect.name == "sqlite":
                _make_sqlite_transactional(engine)
            self._engine = engine
        return self._engine

    def dispose(self) -> None:
        """Close the engine's pooled connections."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def table_name(self, asset_key: AssetKey) -> str:
        """The table of ``asset_key``; an error if the database cannot take that long a name."""
        name = table_name_for(asset_key)
        limit = self.engine.dialect.max_identifier_length
        if len(name.encode()) > limit:
            raise StorageError(
                f"Asset '{asset_key}' would be stored in table '{name}', longer than the "
                f"{limit} characters {self.engine.dialect.name} allows: use a shorter key."
            )
        return name

    def _where(self, name: str) -> str:
        schema = f'"{self.schema}".' if self.schema else ""
        url = self.engine.url.render_as_string(hide_password=True)
        return f'table {schema}"{name}" in {url}'

    def _reflect(self, conn: sa.Connection, name: str) -> sa.Table | None:
        import sqlalchemy as sa

        if not sa.inspect(conn).has_table(name, schema=self.schema):
            return None
        return sa.Table(name, sa.MetaData(), schema=self.schema, autoload_with=conn)

    def _write_connection(self) -> sa.Connection:
        return self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")

    # Storing.

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        frame = require_frame(context.asset_key, obj, "SQLTableIOManager")
        name = self.table_name(context.asset_key)
        metadata: dict[str, Any] = {"row_count": len(frame)}
        if is_polars_frame(frame):
            frame = pandas_frame(frame)
        report_frame_versions(context, frame, "SQLTableIOManager")
        if context.partition_keys:
            column, frame = partition_column_to_write(context, frame, "SQLTableIOManager")
            self._write_partitions(name, column, frame, context.partition_keys)
            metadata["partition_column"] = column
        else:
            self._replace_table(name, frame)
        table = f"{self.schema}.{name}" if self.schema else name
        context.add_output_metadata({"table": table, **metadata})

    def _new_table(
        self, name: str, frame: pd.DataFrame, index_column: str | None = None
    ) -> sa.Table:
        import sqlalchemy as sa

        columns = [sa.Column(str(c), _sql_type(frame[c]), nullable=True) for c in frame.columns]
        table = sa.Table(name, sa.MetaData(), *columns, schema=self.schema)
        if index_column is not None:
            limit = self.engine.dialect.max_identifier_length
            sa.Index(_short_name(f"ix_{name}", "__partition", limit), table.c[index_column])
        return table

    def _ensure_table(self, name: str, column: str, frame: pd.DataFrame) -> None:
        import sqlalchemy as sa

        with self._write_connection() as conn, conn.begin():
            if self.schema and conn.dialect.name != "sqlite":
                conn.execute(sa.schema.CreateSchema(self.schema, if_not_exists=True))
            if self._reflect(conn, name) is None:
                self._new_table(name, frame, index_column=column).create(conn)

    def _write_partitions(
        self, name: str, column: str, frame: pd.DataFrame, keys: tuple[str, ...]
    ) -> None:
        import sqlalchemy as sa

        try:
            # Created in its own transaction so that concurrent first writers of
            # different partitions do not race to create it.
            self._ensure_table(name, column, frame)
        except sa.exc.SQLAlchemyError:
            with self.engine.connect() as conn:
                if self._reflect(conn, name) is None:
                    raise
        with self._write_connection() as conn, conn.begin():
            table = self._reflect(conn, name)
            assert table is not None
            if column not in table.c:
                raise StorageError(
                    f"{self._where(name)} has no partition column '{column}'; its columns "
                    f"are {list(table.c.keys())}."
                )
            self._add_new_columns(conn, table, frame)
            values = key_values(keys, _column_kind(table.c[column].type))
            for chunk in chunks(values):
                conn.execute(sa.delete(table).where(table.c[column].in_(chunk)))
            self._insert(conn, table, frame)

    def _add_new_columns(self, conn: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
        import sqlalchemy as sa

        add_column = _ddl_helpers()[1]
        for name in frame.columns:
            if str(name) not in table.c:
                column: sa.Column[Any] = sa.Column(str(name), _sql_type(frame[name]))
                table.append_column(column)
                conn.execute(add_column(table, column))

    def _insert(self, conn: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
        import sqlalchemy as sa

        if not frame.empty:
            conn.execute(sa.insert(table), frame_records(frame))

    def _replace_table(self, name: str, frame: pd.DataFrame) -> None:
        import sqlalchemy as sa

        rename_table = _ddl_helpers()[0]
        limit = self.engine.dialect.max_identifier_length
        temp_name = _short_name(name, f"__new_{uuid.uuid4().hex[:8]}", limit)
        with self._write_connection() as conn, conn.begin():
            if self.schema and conn.dialect.name != "sqlite":
                conn.execute(sa.schema.CreateSchema(self.schema, if_not_exists=True))
            temp = self._new_table(temp_name, frame)
            temp.create(conn)
            self._insert(conn, temp, frame)
            old = self._reflect(conn, name)
            if old is not None:
                old.drop(conn)
            conn.execute(rename_table(temp, name))

    # Loading.

    def load_input(self, context: InputContext) -> Any:
        """The table's rows (of the partitions asked for): a pandas frame, or a polars one
        when ``context.annotation`` asks for it."""
        import pandas as pd
        import sqlalchemy as sa

        name = self.table_name(context.asset_key)
        keys = context.partition_keys
        kind = requested_kind(context.annotation)
        with self.engine.connect() as conn:
            table = self._reflect(conn, name)
            if table is None:
                from io_managers.pickle import missing_value_error

                raise missing_value_error(context.asset_key, keys, self._where(name))
            names = list(table.c.keys())
            if not keys:
                rows = list(conn.execute(sa.select(table)))
                if kind != "pandas":
                    return as_kind(records_frame(rows, names), kind)
                return pd.DataFrame.from_records(rows, columns=names, coerce_float=True)
            column = partition_column_to_read(context)
            if column not in table.c:
                raise StorageError(
                    f"Asset '{context.asset_key}' is loaded by partition, but "
                    f"{self._where(name)} has no partition column '{column}' (columns: "
                    f"{names}); set metadata partition_expr to the column that holds them."
                )
            rows = []
            values = key_values(keys, _column_kind(table.c[column].type))
            for chunk in chunks(values):
                rows.extend(conn.execute(sa.select(table).where(table.c[column].in_(chunk))))
        if kind != "pandas":
            return as_kind(in_key_order(records_frame(rows, names), column, keys), kind)
        frame = pd.DataFrame.from_records(rows, columns=names, coerce_float=True)
        return in_key_order(frame, column, keys)


def _make_sqlite_transactional(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not pysqlite, emit BEGIN: makes DDL transactional on SQLite.

    pysqlite starts a transaction only before DML and never around DDL; SQLAlchemy's
    documented recipe turns that off and begins explicitly. Writers ask for
    ``BEGIN IMMEDIATE`` (execution option ``sqlite_begin``) so they wait for the write lock
    up front instead of failing when upgrading a read lock.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())
