"""Dagster's ``dagster_pandas``: DataFrame types checked column by column.

``create_dagster_pandas_dataframe_type(name, columns=[PandasColumn...], ...)`` makes a
``DagsterType`` whose check requires a pandas DataFrame that keeps every column's and
every frame constraint (``pandas_constraints``); ``metadata_fn(frame)`` adds metadata to a
passing check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from pandas.api import types as dtypes

from assetgraph.definitions.dagster_types import DagsterType, TypeCheck
from assetgraph.definitions.metadata import (
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
)
from assetgraph.integrations.pandas_constraints import (
    CategoricalColumnConstraint,
    ColumnConstraint,
    ColumnDTypeFnConstraint,
    ColumnDTypeInSetConstraint,
    ConstraintViolationException,
    DataFrameConstraint,
    InRangeColumnConstraint,
    NonNullableColumnConstraint,
    UniqueColumnConstraint,
)


def _typed_column(type_fn: Callable[[Any], bool], what: str) -> Any:
    """A ``PandasColumn`` constructor for a column of ``what`` (its dtype passes ``type_fn``)."""

    def make(
        name: str,
        non_nullable: bool = False,
        unique: bool = False,
        ignore_missing_vals: bool = False,
        is_required: bool | None = None,
    ) -> PandasColumn:
        return _typed(name, type_fn, non_nullable, unique, ignore_missing_vals, is_required)

    make.__doc__ = f"A column of {what}."
    return staticmethod(make)


def _ranged_column(type_fn: Callable[[Any], bool], what: str) -> Any:
    """A ``PandasColumn`` constructor for a column of ``what`` in ``[min_value, max_value]``."""

    def make(
        name: str,
        min_value: Any = -float("inf"),
        max_value: Any = float("inf"),
        non_nullable: bool = False,
        unique: bool = False,
        ignore_missing_vals: bool = False,
        is_required: bool | None = None,
    ) -> PandasColumn:
        in_range = InRangeColumnConstraint(min_value, max_value, ignore_missing_vals)
        return _typed(
            name, type_fn, non_nullable, unique, ignore_missing_vals, is_required, in_range
        )

    make.__doc__ = f"A column of {what} in ``[min_value, max_value]``."
    return staticmethod(make)


class PandasColumn:
    """A column a DataFrame type expects: its name, its constraints, whether it must exist
    (``is_required``; by default a column with constraints must)."""

    def __init__(
        self,
        name: str,
        constraints: Sequence[ColumnConstraint] | None = None,
        is_required: bool | None = None,
    ) -> None:
        self.name = name
        self.constraints = list(constraints or [])
        self.is_required = bool(self.constraints) if is_required is None else is_required

    def validate(self, dataframe: pd.DataFrame) -> None:
        """Raise ``ConstraintViolationException`` when the frame breaks this column's rules."""
        if self.name not in dataframe.columns:
            if self.is_required:
                raise ConstraintViolationException(
                    f"Required column {self.name} not in dataframe with columns "
                    f"{list(dataframe.columns)}"
                )
            return
        for constraint in self.constraints:
            constraint.validate(dataframe, self.name)

    @staticmethod
    def exists(
        name: str,
        non_nullable: bool = False,
        unique: bool = False,
        ignore_missing_vals: bool = False,
        is_required: bool | None = None,
    ) -> PandasColumn:
        """A column that must exist, of any dtype."""
        constraints = _keyword_constraints(non_nullable, unique, ignore_missing_vals)
        return PandasColumn(name, constraints, True if is_required is None else is_required)

    boolean_column = _typed_column(dtypes.is_bool_dtype, "booleans")
    string_column = _typed_column(dtypes.is_string_dtype, "strings")
    numeric_column = _ranged_column(dtypes.is_numeric_dtype, "numbers")
    integer_column = _ranged_column(dtypes.is_integer_dtype, "integers")
    float_column = _ranged_column(dtypes.is_float_dtype, "floats")

    @staticmethod
    def datetime_column(
        name: str,
        min_datetime: Any = pd.Timestamp.min,
        max_datetime: Any = pd.Timestamp.max,
        non_nullable: bool = False,
        unique: bool = False,
        ignore_missing_vals: bool = False,
        is_required: bool | None = None,
        tz: str | None = None,
    ) -> PandasColumn:
        """A column of datetimes in ``[min_datetime, max_datetime]``, naive or in ``tz``."""

        def is_datetime(dtype: Any) -> bool:
            if tz is None:
                return bool(dtypes.is_datetime64_dtype(dtype))
            return isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == tz

        is_datetime.__name__ = "is_datetime64_dtype" if tz is None else f"is_datetime64_{tz}"
        in_range = InRangeColumnConstraint(min_datetime, max_datetime, ignore_missing_vals)
        return _typed(
            name, is_datetime, non_nullable, unique, ignore_missing_vals, is_required, in_range
        )

    @staticmethod
    def categorical_column(
        name: str,
        categories: Iterable[Any],
        of_types: str | Iterable[str] = frozenset({"category", "object"}),
        non_nullable: bool = False,
        unique: bool = False,
        ignore_missing_vals: bool = False,
        is_required: bool | None = None,
    ) -> PandasColumn:
        """A column whose values are all among ``categories``, of a dtype in ``of_types``."""
        kinds = {of_types} if isinstance(of_types, str) else set(of_types)
        constraints: list[ColumnConstraint] = [
            ColumnDTypeInSetConstraint(kinds),
            CategoricalColumnConstraint(categories, ignore_missing_vals),
            *_keyword_constraints(non_nullable, unique, ignore_missing_vals),
        ]
        return PandasColumn(name, constraints, True if is_required is None else is_required)


def _keyword_constraints(
    non_nullable: bool, unique: bool, ignore_missing_vals: bool
) -> list[ColumnConstraint]:
    constraints: list[ColumnConstraint] = []
    if non_nullable:
        constraints.append(NonNullableColumnConstraint())
    if unique:
        constraints.append(UniqueColumnConstraint(ignore_missing_vals))
    return constraints


def _typed(
    name: str,
    type_fn: Callable[[Any], bool],
    non_nullable: bool,
    unique: bool,
    ignore_missing_vals: bool,
    is_required: bool | None,
    *more: ColumnConstraint,
) -> PandasColumn:
    constraints = [
        ColumnDTypeFnConstraint(type_fn),
        *more,
        *_keyword_constraints(non_nullable, unique, ignore_missing_vals),
    ]
    return PandasColumn(name, constraints, True if is_required is None else is_required)


def validate_constraints(
    dataframe: pd.DataFrame,
    pandas_columns: Sequence[PandasColumn] | None = None,
    dataframe_constraints: Sequence[DataFrameConstraint] | None = None,
) -> None:
    """Raise ``ConstraintViolationException`` at the first rule the frame breaks."""
    for column in pandas_columns or ():
        column.validate(dataframe)
    for constraint in dataframe_constraints or ():
        constraint.validate(dataframe)


def create_dagster_pandas_dataframe_type(
    name: str,
    description: str | None = None,
    columns: Sequence[PandasColumn] | None = None,
    metadata_fn: Callable[[pd.DataFrame], Mapping[str, Any]] | None = None,
    dataframe_constraints: Sequence[DataFrameConstraint] | None = None,
    loader: Any = None,
) -> DagsterType:
    """A ``DagsterType`` of pandas DataFrames that keep ``columns``' and
    ``dataframe_constraints``' rules; a passing check carries ``metadata_fn(frame)``.
    ``loader`` (Dagster's config loader) is accepted and not used."""

    def type_check(_context: Any, value: Any) -> TypeCheck:
        if not isinstance(value, pd.DataFrame):
            got = type(value).__name__
            return TypeCheck(
                success=False, description=f"Must be a pandas.DataFrame. Got value of type. {got}"
            )
        try:
            validate_constraints(value, columns, dataframe_constraints)
        except ConstraintViolationException as violation:
            return TypeCheck(success=False, description=str(violation))
        return TypeCheck(success=True, metadata=dict(metadata_fn(value)) if metadata_fn else {})

    schema = TableSchema(columns=[_table_column(column) for column in columns or ()])
    return DagsterType(
        type_check_fn=type_check,
        name=name,
        description=description,
        typing_type=pd.DataFrame,
        metadata={"schema": MetadataValue.table_schema(schema)},
    )


def _table_column(column: PandasColumn) -> TableColumn:
    other = [c.markdown_description for c in column.constraints]
    nullable = not any(isinstance(c, NonNullableColumnConstraint) for c in column.constraints)
    unique = any(isinstance(c, UniqueColumnConstraint) for c in column.constraints)
    return TableColumn(
        name=column.name,
        type="any",
        constraints=TableColumnConstraints(nullable=nullable, unique=unique, other=other),
    )
