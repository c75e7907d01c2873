"""Dagster's ``dagster_pandera``: a ``DagsterType`` that validates DataFrames with pandera."""

from __future__ import annotations

import itertools
from typing import Any

from assetgraph.definitions.dagster_types import DagsterType, TypeCheck
from assetgraph.definitions.metadata import (
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
)

_FAILURE_SAMPLE_ROWS = 10
_SAMPLE_COLUMNS = ("schema_context", "column", "check", "failure_case", "index")
_anonymous_names = (f"DagsterPanderaDataframe{i}" for i in itertools.count(start=1))


def pandera_schema_to_dagster_type(schema: Any) -> DagsterType:
    """A ``DagsterType`` whose type check validates a DataFrame against ``schema``.

    ``schema`` is a pandera ``DataFrameSchema`` or ``DataFrameModel`` class, for pandas or
    (``pandera.polars``) for polars. The type is named after the schema's ``title``, else its
    ``name``, else the model class, else ``DagsterPanderaDataframe<n>``; its ``schema``
    metadata describes the columns, their types and checks. The check validates lazily
    (every violation, not only the first); a failure's description is pandera's report and
    its metadata holds ``num_failures`` and ``failure_sample`` (the first ten failing
    values: column, check, value and row index).
    """
    import pandas as pd
    import pandera.pandas as pa

    frame_kinds, schema_kinds, model_kinds = _supported(pa, pd)
    is_model = isinstance(schema, type) and issubclass(schema, model_kinds)
    if not (is_model or isinstance(schema, schema_kinds)):
        raise TypeError(
            "pandera_schema_to_dagster_type takes a pandera DataFrameSchema or a DataFrameModel "
            f"class, got {schema!r}."
        )
    frame_schema = schema.to_schema() if is_model else schema
    config = getattr(schema, "Config", None) if is_model else None
    name = (
        getattr(config, "title", None)
        or getattr(config, "name", None)
        or (schema.__name__ if is_model else frame_schema.title or frame_schema.name)
        or next(_anonymous_names)
    )

    def type_check(_context: Any, value: Any) -> TypeCheck:
        if not isinstance(value, frame_kinds):
            kinds = ", ".join(k.__module__.split(".")[0] + "." + k.__name__ for k in frame_kinds)
            return TypeCheck(
                success=False, description=f"Must be one of {kinds}, not {type(value).__name__}."
            )
        try:
            frame_schema.validate(value, lazy=True)
        except Exception as error:
            if type(error).__name__ != "SchemaErrors":
                return TypeCheck(success=False, description=f"Unexpected error: {error}")
            return _failed(error)
        return TypeCheck(success=True)

    return DagsterType(
        type_check_fn=type_check,
        name=str(name),
        description=frame_schema.description,
        typing_type=pd.DataFrame,
        metadata={"schema": MetadataValue.table_schema(_table_schema(frame_schema))},
    )


def _supported(pa: Any, pd: Any) -> tuple[tuple[type, ...], tuple[type, ...], tuple[type, ...]]:
    """The frame, schema and model classes: pandas', and polars' when it is installed."""
    frames, schemas, models = [pd.DataFrame], [pa.DataFrameSchema], [pa.DataFrameModel]
    try:
        import pandera.polars as pa_polars
        import polars as pl
    except ImportError:
        pass
    else:
        frames.append(pl.DataFrame)
        schemas.append(pa_polars.DataFrameSchema)
        models.append(pa_polars.DataFrameModel)
    return tuple(frames), tuple(schemas), tuple(models)


def _failed(errors: Any) -> TypeCheck:
    cases = errors.failure_cases
    sample = cases.head(_FAILURE_SAMPLE_ROWS)
    if not hasattr(sample, "to_dict"):  # a polars frame
        sample = sample.to_pandas()
    rows = [
        {column: _plain(row.get(column)) for column in _SAMPLE_COLUMNS}
        for row in sample.to_dict(orient="records")
    ]
    return TypeCheck(
        success=False,
        description=str(errors),
        metadata={"num_failures": len(cases), "failure_sample": MetadataValue.table(rows)},
    )


def _plain(value: Any) -> Any:
    """A JSON-friendly cell: numbers and strings as they are, anything else as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _table_schema(frame_schema: Any) -> TableSchema:
    columns = []
    for name, column in frame_schema.columns.items():
        constraints = TableColumnConstraints(
            nullable=bool(column.nullable),
            unique=bool(column.unique),
            other=[check.description or check.error or check.name for check in column.checks],
        )
        columns.append(
            TableColumn(
                name=name if isinstance(name, str) else "/".join(name),
                type=str(column.dtype),
                description=column.description,
                constraints=constraints,
            )
        )
    return TableSchema(columns=columns)
