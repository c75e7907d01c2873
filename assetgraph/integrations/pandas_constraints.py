"""Dagster's ``dagster_pandas`` constraints: rules a DataFrame's columns and shape must keep.

A column constraint's ``validate(dataframe, column_name)`` and a frame constraint's
``validate(dataframe)`` raise a ``ConstraintViolationException`` (naming the constraint,
the column and the offending rows) when the frame breaks the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import pandas as pd


class ConstraintViolationException(Exception):
    """A DataFrame broke a constraint."""


class DataFrameConstraintViolationException(ConstraintViolationException):
    """A DataFrame broke a frame-wide constraint."""

    def __init__(self, constraint_name: str, constraint_description: str) -> None:
        super().__init__(f"Violated {constraint_name} - {constraint_description}")


class ColumnConstraintViolationException(ConstraintViolationException):
    """A column broke a constraint; ``offending_rows`` are the rows at fault, if known."""

    def __init__(
        self,
        constraint_name: str,
        constraint_description: str,
        column_name: str,
        offending_rows: Any = None,
    ) -> None:
        self.constraint_name = constraint_name
        self.column_name = column_name
        self.offending_rows = offending_rows
        message = f"{constraint_name}(column_name={column_name}): {constraint_description}"
        if offending_rows is not None:
            message += f" - Offending rows (index): {list(pd.DataFrame(offending_rows).index)}"
        super().__init__(message)


class Constraint:
    """A rule with an error description (and a markdown one, for display)."""

    def __init__(
        self, error_description: str | None = None, markdown_description: str | None = None
    ):
        self.name = type(self).__name__
        self.error_description = error_description or self.name
        self.markdown_description = markdown_description or self.error_description


class ColumnConstraint(Constraint):
    """A rule on one column: subclass it and implement ``validate(dataframe, column_name)``."""

    def validate(self, dataframe: pd.DataFrame, column_name: str) -> None:
        raise NotImplementedError(f"{self.name} must implement validate(dataframe, column_name)")

    def _fail(self, column_name: str, offending: Any = None) -> ColumnConstraintViolationException:
        return ColumnConstraintViolationException(
            self.name, self.error_description, column_name, offending
        )


class ColumnDTypeFnConstraint(ColumnConstraint):
    """The column's dtype passes ``type_fn`` (e.g. ``pandas.api.types.is_integer_dtype``)."""

    def __init__(self, type_fn: Callable[[Any], bool]) -> None:
        self.type_fn = type_fn
        super().__init__(f"Dtype must pass {getattr(type_fn, '__name__', type_fn)}")

    def validate(self, dataframe: pd.DataFrame, column_name: str) -> None:
        dtype = dataframe[column_name].dtype
        if not self.type_fn(dtype):
            raise ColumnConstraintViolationException(
                self.name,
                f"Dtype {dtype} for column {column_name} does not pass type checker "
                f"{getattr(self.type_fn, '__name__', self.type_fn)}",
                column_name,
            )


class ColumnDTypeInSetConstraint(ColumnConstraint):
    """The column's dtype (as a string, e.g. ``"int64"``) is one of ``expected_dtype_set``."""

    def __init__(self, expected_dtype_set: Iterable[str]) -> None:
        self.expected_dtype_set = frozenset(expected_dtype_set)
        super().__init__(f"Column dtype must be in {sorted(self.expected_dtype_set)}")

    def validate(self, dataframe: pd.DataFrame, column_name: str) -> None:
        received = str(dataframe[column_name].dtype)
        if received not in self.expected_dtype_set:
            raise ColumnConstraintViolationException(
                self.name,
                f"{received} is not in the expected set {sorted(self.expected_dtype_set)}",
                column_name,
            )


class _RowConstraint(ColumnConstraint):
    """A rule each value must keep; missing values pass when ``ignore_missing_vals``."""

    def __init__(self, description: str, ignore_missing_vals: bool = False) -> None:
        self.ignore_missing_vals = ignore_missing_vals
        super().__init__(description)

    def breaks(self, column: pd.Series) -> pd.Series:
        """Which values break the rule."""
        raise NotImplementedError

    def validate(self, dataframe: pd.DataFrame, column_name: str) -> None:
        column = dataframe[column_name]
        broken = self.breaks(column)
        if self.ignore_missing_vals:
            broken = broken & column.notna()
        if broken.any():
            raise self._fail(column_name, dataframe[broken])


class NonNullableColumnConstraint(ColumnConstraint):
    """The column has no missing values."""

    def __init__(self) -> None:
        super().__init__("No null values allowed.")

    def validate(self, dataframe: pd.DataFrame, column_name: str) -> None:
        missing = dataframe[column_name].isna()
        if missing.any():
            raise self._fail(column_name, dataframe[missing])


class UniqueColumnConstraint(_RowConstraint):
    """No value of the column appears twice."""

    def __init__(self, ignore_missing_vals: bool = False) -> None:
        super().__init__("Column must be unique.", ignore_missing_vals)

    def breaks(self, column: pd.Series) -> pd.Series:
        return column.duplicated(keep=False)


class CategoricalColumnConstraint(_RowConstraint):
    """Every value of the column is one of ``categories``."""

    def __init__(self, categories: Iterable[Any], ignore_missing_vals: bool = False) -> None:
        self.categories = list(categories)
        super().__init__(f"Expected categories are {self.categories}", ignore_missing_vals)

    def breaks(self, column: pd.Series) -> pd.Series:
        return ~column.isin(self.categories)


class InRangeColumnConstraint(_RowConstraint):
    """Every value of the column lies in ``[min_value, max_value]``."""

    def __init__(self, min_value: Any, max_value: Any, ignore_missing_vals: bool = False) -> None:
        self.min_value, self.max_value = min_value, max_value
        super().__init__(
            f"Column must have values between {min_value} and {max_value}, inclusive.",
            ignore_missing_vals,
        )

    def breaks(self, column: pd.Series) -> pd.Series:
        low, high = _comparable(column, self.min_value), _comparable(column, self.max_value)
        return ~column.between(low, high)


class MinValueColumnConstraint(InRangeColumnConstraint):
    """Every value of the column is at least ``min_value``."""

    def __init__(self, min_value: Any, ignore_missing_vals: bool = False) -> None:
        super().__init__(min_value, float("inf"), ignore_missing_vals)

    def breaks(self, column: pd.Series) -> pd.Series:
        at_least_min: pd.Series = column >= _comparable(column, self.min_value)
        return ~at_least_min


class MaxValueColumnConstraint(InRangeColumnConstraint):
    """Every value of the column is at most ``max_value``."""

    def __init__(self, max_value: Any, ignore_missing_vals: bool = False) -> None:
        super().__init__(float("-inf"), max_value, ignore_missing_vals)

    def breaks(self, column: pd.Series) -> pd.Series:
        at_most_max: pd.Series = column <= _comparable(column, self.max_value)
        return ~at_most_max


def _comparable(column: pd.Series, bound: Any) -> Any:
    """``bound`` in the column's time zone when the column holds aware datetimes."""
    tz = getattr(column.dtype, "tz", None)
    if tz is not None and isinstance(bound, datetime):
        stamp = pd.Timestamp(bound)
        return stamp.tz_localize(tz) if stamp.tzinfo is None else stamp.tz_convert(tz)
    return bound


class DataFrameConstraint(Constraint):
    """A rule on the whole frame: subclass it and implement ``validate(dataframe)``."""

    def validate(self, dataframe: pd.DataFrame) -> None:
        raise NotImplementedError(f"{self.name} must implement validate(dataframe)")


class StrictColumnsConstraint(DataFrameConstraint):
    """The frame has exactly ``strict_column_list`` (in that order with ``enforce_ordering``)."""

    def __init__(self, strict_column_list: Iterable[str], enforce_ordering: bool = False):
        self.strict_column_list = list(strict_column_list)
        self.enforce_ordering = enforce_ordering
        order = " in this order" if enforce_ordering else ""
        super().__init__(f"No columns outside of {self.strict_column_list} allowed{order}.")

    def validate(self, dataframe: pd.DataFrame) -> None:
        columns = [str(c) for c in dataframe.columns]
        if self.enforce_ordering:
            broken = columns != self.strict_column_list
        else:
            broken = sorted(columns) != sorted(self.strict_column_list)
        if broken:
            raise DataFrameConstraintViolationException(
                self.name, f"{self.error_description} Got {columns}."
            )


class RowCountConstraint(DataFrameConstraint):
    """The frame has ``num_allowed_rows`` rows, give or take ``error_tolerance``."""

    def __init__(self, num_allowed_rows: int, error_tolerance: int = 0) -> None:
        if error_tolerance < 0 or error_tolerance > num_allowed_rows:
            raise ValueError(
                f"RowCountConstraint: error_tolerance {error_tolerance} must be between 0 and "
                f"num_allowed_rows ({num_allowed_rows})."
            )
        self.num_allowed_rows, self.error_tolerance = num_allowed_rows, error_tolerance
        super().__init__(f"Dataframe must have {num_allowed_rows} +- {error_tolerance} rows.")

    def validate(self, dataframe: pd.DataFrame) -> None:
        if abs(len(dataframe) - self.num_allowed_rows) > self.error_tolerance:
            raise DataFrameConstraintViolationException(
                self.name, f"{self.error_description} Got {len(dataframe)} rows."
            )
