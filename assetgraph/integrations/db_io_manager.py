"""Dagster's database IO manager: one table per asset, written and read through type handlers.

``DbIOManager`` works out the table of an output or input (``TableSlice``): the table is
the asset key's last part; the schema is the ``schema`` metadata of the asset, else the
key's second-to-last part, else the IO manager's ``schema``, else ``public``. A partitioned
asset names the column (or SQL expression) that holds its partitions in the
``partition_expr`` metadata (a mapping of dimension name to expression for
multi-partitions); time-window partitions select ``start <= expr < end``, other partitions
``expr IN (keys)``. The ``columns`` metadata of an input (``AssetIn(metadata=...)``) loads
only those columns. Storing deletes the slice's rows (the whole table when unpartitioned)
and hands the value to the type handler of its type; loading picks the handler of the
input's annotation, else the IO manager's default load type.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Generic, NamedTuple, TypeVar

from assetgraph.errors import DefinitionError, StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.partitions.multi import MultiPartitionsDefinition
from assetgraph.partitions.time_window import TimeWindow, TimeWindowPartitionsDefinition

T = TypeVar("T")


class TablePartitionDimension(NamedTuple):
    """The rows of one partition dimension: an SQL expression and a window or keys."""

    partition_expr: str
    partitions: TimeWindow | Sequence[str]


class TableSlice(NamedTuple):
    """The rows of a table one output writes or one input reads."""

    table: str
    schema: str
    database: str | None = None
    columns: Sequence[str] | None = None
    partition_dimensions: Sequence[TablePartitionDimension] | None = None


class DbTypeHandler(ABC, Generic[T]):
    """Stores values of ``supported_types`` in a table slice and loads them back."""

    @abstractmethod
    def handle_output(
        self, context: OutputContext, table_slice: TableSlice, obj: T, connection: Any
    ) -> Mapping[str, Any] | None:
        """Write ``obj`` into the (emptied) slice; the metadata to record, if any."""

    @abstractmethod
    def load_input(self, context: InputContext, table_slice: TableSlice, connection: Any) -> T:
        """The slice's rows as a ``T``."""

    @property
    @abstractmethod
    def supported_types(self) -> Sequence[type[object]]:
        """The Python types this handler stores and loads."""


class DbClient(ABC):
    """The database-specific statements of a ``DbIOManager``."""

    @abstractmethod
    def delete_table_slice(
        self, context: OutputContext, table_slice: TableSlice, connection: Any
    ) -> None:
        """Delete the slice's rows (nothing when the table does not exist yet)."""

    @abstractmethod
    def get_select_statement(self, table_slice: TableSlice) -> str:
        """The ``SELECT`` that reads the slice."""

    @abstractmethod
    def ensure_schema_exists(
        self, context: OutputContext, table_slice: TableSlice, connection: Any
    ) -> None:
        """Create the slice's schema when it is missing."""

    @abstractmethod
    def connect(
        self, context: OutputContext | InputContext, table_slice: TableSlice
    ) -> AbstractContextManager[Any]:
        """A connection to the database, closed when the ``with`` block ends."""


class DbIOManager(IOManager):
    """Stores each asset in the table its key names, through a handler per value type."""

    def __init__(
        self,
        *,
        type_handlers: Sequence[DbTypeHandler[Any]],
        db_client: DbClient,
        database: str,
        schema: str | None = None,
        io_manager_name: str | None = None,
        default_load_type: type | None = None,
    ) -> None:
        self._name = io_manager_name or type(self).__name__
        self._handlers: dict[Any, DbTypeHandler[Any]] = {}
        for handler in type_handlers:
            for handled in handler.supported_types:
                if handled in self._handlers:
                    raise DefinitionError(
                        f"{self._name} has two type handlers for {handled!r}: "
                        f"{type(self._handlers[handled]).__name__} and {type(handler).__name__}."
                    )
                self._handlers[handled] = handler
        self._client = db_client
        self._database = database
        self._schema = schema
        if default_load_type is None and len(self._handlers) == 1:
            default_load_type = next(iter(self._handlers))
        self._default_load_type = default_load_type

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        table_slice = self._table_slice(context, context, writing=True)
        if obj is None:
            raise StorageError(
                f"Asset '{context.asset_key}' returned None, which {self._name} cannot store; "
                "annotate the function '-> None' when it stores its data itself."
            )
        handler = self._handler(type(obj), context)
        with self._client.connect(context, table_slice) as connection:
            self._client.ensure_schema_exists(context, table_slice, connection)
            self._client.delete_table_slice(context, table_slice, connection)
            metadata = handler.handle_output(context, table_slice, obj, connection) or {}
        context.add_output_metadata(
            {**metadata, "Query": self._client.get_select_statement(table_slice)}
        )

    def load_input(self, context: InputContext) -> Any:
        # Dagster's rule: the input's own type, else the default load type; the upstream's
        # annotation only where no input is declared (loading a value for output_for)
        declared = context.dagster_type
        wanted = declared.typing_type if declared is not None else context.annotation
        if wanted is None or wanted is Any:
            wanted = self._default_load_type
        handler = self._handler(wanted, context)
        upstream = context.upstream_output or context
        table_slice = self._table_slice(context, upstream, writing=False)
        with self._client.connect(context, table_slice) as connection:
            return handler.load_input(context, table_slice, connection)

    def _handler(self, wanted: Any, context: OutputContext | InputContext) -> DbTypeHandler[Any]:
        handler = self._handlers.get(wanted)
        if handler is None:
            known = ", ".join(getattr(t, "__qualname__", repr(t)) for t in self._handlers)
            raise StorageError(
                f"Asset '{context.asset_key}': {self._name} has no type handler for "
                f"{getattr(wanted, '__qualname__', repr(wanted))}; it handles {known}. "
                "Annotate the asset or input with one of those types, or add a type handler."
            )
        return handler

    def _table_slice(
        self,
        context: OutputContext | InputContext,
        output: OutputContext | InputContext,
        *,
        writing: bool,
    ) -> TableSlice:
        metadata = output.metadata or {}
        path = context.asset_key.path
        schema = metadata.get("schema") or (path[-2] if len(path) > 1 else None)
        dimensions: list[TablePartitionDimension] = []
        if context.partitions_def is not None:
            dimensions = _dimensions(context, metadata.get("partition_expr"), writing=writing)
        columns = context.metadata.get("columns") if isinstance(context, InputContext) else None
        return TableSlice(
            table=path[-1],
            schema=str(schema or self._schema or "public"),
            database=self._database,
            columns=columns,
            partition_dimensions=dimensions,
        )


def _dimensions(
    context: OutputContext | InputContext, partition_expr: Any, *, writing: bool
) -> list[TablePartitionDimension]:
    pdef = context.partitions_def
    if partition_expr is None:
        raise StorageError(
            f"Asset '{context.asset_key}' is partitioned but has no 'partition_expr' metadata, "
            "so the column that holds its partitions is unknown; set it, e.g. "
            "@asset(metadata={'partition_expr': 'your_partition_column'})."
        )
    keys = list(context.partition_keys)
    if not isinstance(pdef, MultiPartitionsDefinition):
        assert pdef is not None
        return [TablePartitionDimension(str(partition_expr), _rows(pdef, keys))]
    if not isinstance(partition_expr, Mapping):
        raise StorageError(
            f"Asset '{context.asset_key}' has multi-partitions, so its 'partition_expr' "
            "metadata must map each dimension name to the column that holds it, e.g. "
            f"{ {name: '...' for name in pdef.dimension_names} }."
        )
    names = pdef.dimension_names
    split = [dict(zip(names, key.split("|"), strict=True)) for key in keys]
    values = {name: sorted({parts[name] for parts in split}) for name in names}
    if writing and len(keys) != len(list(itertools.product(*values.values()))):
        raise StorageError(
            f"Asset '{context.asset_key}': {len(keys)} multi-partitions stored at once must be "
            "every combination of their dimension keys, to be deleted and rewritten as one "
            "slice; store them one partition per run."
        )
    dimensions = []
    for name, definition in pdef.partitions_defs.items():
        expr = partition_expr.get(name)
        if expr is None:
            raise StorageError(
                f"Asset '{context.asset_key}' has partition dimension '{name}', but its "
                f"'partition_expr' metadata has no '{name}' entry; name the column that holds it."
            )
        if isinstance(definition, TimeWindowPartitionsDefinition):  # ISO keys sort by time
            values[name].sort(key=lambda k: definition.time_window_for_partition_key(k).start)
        dimensions.append(TablePartitionDimension(str(expr), _rows(definition, values[name])))
    return dimensions


def _rows(definition: Any, keys: Sequence[str]) -> TimeWindow | Sequence[str]:
    if isinstance(definition, TimeWindowPartitionsDefinition) and keys:
        first = definition.time_window_for_partition_key(keys[0])
        last = definition.time_window_for_partition_key(keys[-1])
        return TimeWindow(first.start, last.end)
    return list(keys)
