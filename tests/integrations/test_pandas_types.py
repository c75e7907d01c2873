"""dagster_pandas's ``PandasColumn`` and ``create_dagster_pandas_dataframe_type``."""

from __future__ import annotations

import pandas as pd

from assetgraph import (
    Instance,
    PandasColumn,
    StrictColumnsConstraint,
    asset,
    create_dagster_pandas_dataframe_type,
    materialize,
)

Orders = create_dagster_pandas_dataframe_type(
    name="Orders",
    description="One row per order.",
    columns=[
        PandasColumn.integer_column("id", min_value=1, unique=True, non_nullable=True),
        PandasColumn.float_column("amount", min_value=0.0),
        PandasColumn.string_column("customer"),
        PandasColumn.boolean_column("paid", is_required=False),
        PandasColumn.numeric_column("discount", max_value=1, ignore_missing_vals=True),
    ],
    dataframe_constraints=[StrictColumnsConstraint(["id", "amount", "customer", "discount"])],
    metadata_fn=lambda frame: {"rows": len(frame)},
)


def orders(**changes: object) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"id": [1, 2], "amount": [1.5, 2.0], "customer": ["a", "b"], "discount": [0.1, None]}
    )
    return frame.assign(**changes)


def test_a_frame_that_keeps_every_rule_passes_with_its_metadata() -> None:
    check = Orders.type_check(None, orders())
    assert check.success and check.metadata == {"rows": 2}
    schema = Orders.metadata["schema"].value["columns"]
    assert [(c["name"], c["constraints"]["unique"]) for c in schema][:2] == [
        ("id", True),
        ("amount", False),
    ]


def test_each_broken_rule_is_named() -> None:
    cases = {
        "InRangeColumnConstraint(column_name=id)": orders(id=[0, 2]),
        "UniqueColumnConstraint(column_name=id)": orders(id=[2, 2]),
        "ColumnDTypeFnConstraint(column_name=amount)": orders(amount=["x", "y"]),
        "StrictColumnsConstraint": orders(extra=[1, 2]),
        "Required column customer": orders().drop(columns=["customer"]),
    }
    for expected, frame in cases.items():
        check = Orders.type_check(None, frame)
        assert not check.success and expected in str(check.description), expected


def test_an_asset_of_the_type_fails_its_step_on_a_bad_frame() -> None:
    @asset(dagster_type=Orders)
    def bad_orders() -> pd.DataFrame:
        return orders(amount=[-1.0, 2.0])

    result = materialize([bad_orders], instance=Instance.ephemeral())
    assert not result.success
