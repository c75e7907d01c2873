"""A ``UPathIOManager`` subclass that keeps pyarrow tables as parquet files, written in
the shape such IO managers take in Dagster projects: an ``extension``, ``dump_to_path``
and ``load_from_path`` over ``UPath``, and output metadata added from the table. Only the
imports of this file change when it is ported."""

import pyarrow as pa
import pyarrow.parquet as pq
from dagster import InputContext, OutputContext, UPathIOManager
from upath import UPath

_UNITS = (("B", 1), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000))


def readable_size(size: int) -> str:
    """``size`` bytes in the largest unit that keeps the number at 1 or more."""
    unit, divisor = _UNITS[0]
    for name, factor in _UNITS:
        if size >= factor:
            unit, divisor = name, factor
    return f"{round(size / divisor, 2)} {unit}"


class ArrowParquetIOManager(UPathIOManager):
    extension: str = ".parquet"

    def dump_to_path(self, context: OutputContext, obj: pa.Table, path: UPath) -> None:
        with path.open("wb") as sink:
            pq.write_table(obj, sink)
        context.add_output_metadata(
            {
                "row_count": obj.num_rows,
                "col_count": obj.num_columns,
                "table_size": obj.nbytes,
                "table_size_label": readable_size(obj.nbytes),
            }
        )

    def load_from_path(self, context: InputContext, path: UPath) -> pa.Table:
        with path.open("rb") as source:
            return pq.read_table(source)
