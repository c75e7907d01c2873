"""dagster_pandas's constraints: each names itself, the column and the offending rows."""

from __future__ import annotations

import pandas as pd
import pytest

from assetgraph import (
    CategoricalColumnConstraint,
    ColumnConstraintViolationException,
    ColumnDTypeInSetConstraint,
    DataFrameConstraintViolationException,
    InRangeColumnConstraint,
    MaxValueColumnConstraint,
    MinValueColumnConstraint,
    NonNullableColumnConstraint,
    RowCountConstraint,
    StrictColumnsConstraint,
    UniqueColumnConstraint,
)

FRAME = pd.DataFrame({"n": [1.0, 5.0, None, 5.0], "c": ["a", "b", "z", None]})


@pytest.mark.parametrize(
    ("constraint", "column", "offending"),
    [
        (NonNullableColumnConstraint(), "n", [2]),
        (UniqueColumnConstraint(ignore_missing_vals=True), "n", [1, 3]),
        (InRangeColumnConstraint(0, 4, ignore_missing_vals=True), "n", [1, 3]),
        (MinValueColumnConstraint(2, ignore_missing_vals=True), "n", [0]),
        (MaxValueColumnConstraint(2, ignore_missing_vals=True), "n", [1, 3]),
        (CategoricalColumnConstraint({"a", "b"}), "c", [2, 3]),
        (CategoricalColumnConstraint({"a", "b"}, ignore_missing_vals=True), "c", [2]),
    ],
)
def test_a_column_constraint_reports_the_rows_that_break_it(
    constraint: object, column: str, offending: list[int]
) -> None:
    with pytest.raises(ColumnConstraintViolationException) as failed:
        constraint.validate(FRAME, column)  # type: ignore[attr-defined]
    assert list(failed.value.offending_rows.index) == offending
    assert f"{type(constraint).__name__}(column_name={column})" in str(failed.value)


def test_missing_values_break_a_range_unless_ignored() -> None:
    with pytest.raises(ColumnConstraintViolationException):
        InRangeColumnConstraint(0, 10).validate(FRAME, "n")
    InRangeColumnConstraint(0, 10, ignore_missing_vals=True).validate(FRAME, "n")


def test_dtype_and_frame_constraints() -> None:
    ColumnDTypeInSetConstraint({"float64"}).validate(FRAME, "n")
    with pytest.raises(ColumnConstraintViolationException, match="not in the expected set"):
        ColumnDTypeInSetConstraint({"int64"}).validate(FRAME, "n")
    RowCountConstraint(5, error_tolerance=1).validate(FRAME)
    with pytest.raises(DataFrameConstraintViolationException, match="Got 4 rows"):
        RowCountConstraint(6, error_tolerance=1).validate(FRAME)
    StrictColumnsConstraint(["c", "n"]).validate(FRAME)
    with pytest.raises(DataFrameConstraintViolationException, match="in this order"):
        StrictColumnsConstraint(["c", "n"], enforce_ordering=True).validate(FRAME)
    with pytest.raises(ValueError, match="error_tolerance"):
        RowCountConstraint(2, error_tolerance=3)
