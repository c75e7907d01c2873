"""Dagster's dagster_pandas guide (``locations/pandas_*``): the DataFrame types it declares,
ported, checking frames; their ops read a CSV with ``date_parser``, which pandas 3 removed,
so the tests hand the types frames of the guide's shape."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

import assetgraph as dg

from .conftest import import_file

Port = Callable[[str], Path]


def trips(**changes: object) -> pd.DataFrame:
    """Four e-bike trips, as the guide's ebike_trips.csv holds them."""
    frame = pd.DataFrame(
        {
            "bike_id": [1, 2, 3, 4],
            "color": pd.Categorical(["red", "green", "blue", "red"]),
            "start_time": pd.to_datetime(["2020-02-10 12:00"] * 4),
            "end_time": pd.to_datetime(["2020-02-10 13:00"] * 4),
            "station": ["a", "b", "c", "d"],
            "amount_paid": [5, 10, 15, 20],
            "was_member": [True, False, True, True],
        }
    )
    return frame.assign(**changes)


def test_the_trip_type_checks_every_column(ported: Port) -> None:
    module = import_file(ported("pandas_core_trip"))
    trip_type = module.TripDataFrame
    assert trip_type.type_check(None, trips()).success
    bad_id = trip_type.type_check(None, trips(bike_id=[1, -2, 3, 4]))
    assert not bad_id.success and "InRangeColumnConstraint(column_name=bike_id)" in str(
        bad_id.description
    )
    assert "Offending rows (index): [1]" in str(bad_id.description)
    early = pd.to_datetime(["2020-02-01 12:00"] * 4)
    assert not trip_type.type_check(None, trips(start_time=early)).success
    purple = trips(color=pd.Categorical(["red", "purple", "blue", "red"]))
    assert "CategoricalColumnConstraint" in str(trip_type.type_check(None, purple).description)
    missing = trip_type.type_check(None, trips().drop(columns=["amount_paid"]))
    assert "Required column amount_paid not in dataframe" in str(missing.description)
    assert not trip_type.type_check(None, [1, 2]).success
    defs = dg.load_definitions(file=ported("pandas_core_trip"))
    assert defs.get_job_def("core_trip").name == "core_trip"


def test_a_row_count_constraint_and_summary_metadata(ported: Port) -> None:
    shaped = import_file(ported("pandas_shape_constrained_trip")).ShapeConstrainedTripDataFrame
    assert shaped.type_check(None, trips()).success
    too_long = pd.concat([trips(), trips()])
    assert "RowCountConstraint" in str(shaped.type_check(None, too_long).description)
    summary = import_file(ported("pandas_summary_stats")).SummaryStatsTripDataFrame
    check = summary.type_check(None, trips())
    assert check.success
    assert check.metadata["num_unique_bikes"] == "4" and check.metadata["n_rows"] == 4


def test_a_custom_column_constraint_fails_an_op_that_returns_a_bad_frame(ported: Port) -> None:
    module = import_file(ported("pandas_custom_column_constraint"))
    custom = module.CustomTripDataFrame
    assert custom.type_check(None, trips()).success
    check = custom.type_check(None, trips(amount_paid=[5, 7, 15, 21]))
    assert "DivisibleByFiveConstraint(column_name=amount_paid)" in str(check.description)
    assert "Offending rows (index): [1, 3]" in str(check.description)

    @dg.op(out=dg.Out(custom))
    def bad_trips() -> pd.DataFrame:
        return trips(amount_paid=[5, 7, 15, 20])

    @dg.job
    def trips_job() -> None:
        bad_trips()

    with pytest.raises(dg.RunFailure, match="Value must be divisible by 5"):
        trips_job.execute_in_process()


def test_datetime_columns_compare_in_their_time_zone() -> None:
    column = dg.PandasColumn.datetime_column(
        "at", min_datetime=datetime(2020, 1, 1), tz="UTC", non_nullable=True
    )
    aware = pd.DataFrame({"at": pd.to_datetime(["2020-06-01"]).tz_localize("UTC")})
    column.validate(aware)
    with pytest.raises(dg.ColumnConstraintViolationException, match="is_datetime64_UTC"):
        column.validate(pd.DataFrame({"at": pd.to_datetime(["2020-06-01"])}))
