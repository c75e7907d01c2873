"""``pandera_schema_to_dagster_type``: pandera validation as a Dagster type check."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from assetgraph import (
    DagsterTypeCheckDidNotPass,
    Instance,
    RunFailure,
    asset,
    materialize,
    pandera_schema_to_dagster_type,
)


class Prices(pa.DataFrameModel):
    """Prices by day."""

    day: Series[str]
    price: Series[float] = pa.Field(ge=0, description="Closing price")


def test_a_model_becomes_a_named_type_with_its_columns_as_metadata() -> None:
    prices = pandera_schema_to_dagster_type(Prices)
    assert prices.name == "Prices" and prices.typing_type is pd.DataFrame
    columns = prices.metadata["schema"].value["columns"]
    assert [c["name"] for c in columns] == ["day", "price"]
    assert columns[1]["description"] == "Closing price"


def test_a_failed_check_counts_and_samples_every_violation() -> None:
    prices = pandera_schema_to_dagster_type(Prices)
    bad = pd.DataFrame({"day": ["a", "b", "c"], "price": [-1.0, 2.0, -3.0]})
    check = prices.type_check(None, bad)
    assert not check.success and "greater_than_or_equal_to" in (check.description or "")
    assert check.metadata["num_failures"] == 2
    sample = check.metadata["failure_sample"].value
    assert [(row["column"], row["failure_case"], row["index"]) for row in sample["records"]] == [
        ("price", -1.0, 0),
        ("price", -3.0, 2),
    ]
    assert prices.type_check(None, bad.assign(price=1.0)).success
    assert not prices.type_check(None, [1, 2]).success


def test_a_schema_without_a_name_gets_a_generated_one_and_others_are_refused() -> None:
    unnamed = pandera_schema_to_dagster_type(pa.DataFrameSchema({"a": pa.Column(int)}))
    assert unnamed.name.startswith("DagsterPanderaDataframe")
    with pytest.raises(TypeError, match="DataFrameSchema or a DataFrameModel"):
        pandera_schema_to_dagster_type({"a": int})


def test_an_asset_with_the_type_fails_its_step_on_bad_data() -> None:
    @asset(dagster_type=pandera_schema_to_dagster_type(Prices))
    def prices() -> pd.DataFrame:
        return pd.DataFrame({"day": ["a"], "price": [-5.0]})

    with pytest.raises((RunFailure, DagsterTypeCheckDidNotPass), match="Prices"):
        materialize([prices], instance=Instance.ephemeral(), raise_on_error=True)
