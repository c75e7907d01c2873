"""SQLTableIOManager on SQLite files and PostgreSQL: tables, partitions, atomicity, errors."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from assetgraph import AssetKey, StorageError
from assetgraph.io import InputContext, OutputContext
from io_managers.sql import SQLTableIOManager
from tests.io_managers.contexts import input_context as _in, output_context as _out

DAY = {"partition_expr": "day"}


def _count(manager: SQLTableIOManager, table: str) -> int:
    with manager.engine.connect() as conn:
        t = sa.Table(table, sa.MetaData(), schema=manager.schema, autoload_with=conn)
        return int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())


def test_unpartitioned_round_trip_replaces_the_whole_table(sql_manager: SQLTableIOManager) -> None:
    context = _out("shop/orders")
    sql_manager.handle_output(context, pd.DataFrame({"id": [1, 2], "amount": [1.5, 2.5]}))
    assert context.output_metadata["row_count"] == 2
    assert context.output_metadata["table"].endswith("shop__orders")
    loaded = sql_manager.load_input(_in("shop/orders"))
    assert loaded.to_dict("list") == {"id": [1, 2], "amount": [1.5, 2.5]}

    # A later value with other columns replaces the table, columns included.
    sql_manager.handle_output(_out("shop/orders"), pd.DataFrame({"region": ["eu", "us", "ap"]}))
    assert sql_manager.load_input(_in("shop/orders")).to_dict("list") == {
        "region": ["eu", "us", "ap"]
    }
    with sql_manager.engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names(schema=sql_manager.schema)
    assert tables == ["shop__orders"], "the temporary table of the swap must not remain"


def test_rewriting_a_partition_never_duplicates_rows(sql_manager: SQLTableIOManager) -> None:
    frame = pd.DataFrame({"order_id": [1, 2, 3]})
    for _ in range(2):
        sql_manager.handle_output(_out("orders", ("2025-01-01",)), frame)
    sql_manager.handle_output(_out("orders", ("2025-01-02",)), pd.DataFrame({"order_id": [9]}))
    assert _count(sql_manager, "orders") == 4

    day1 = sql_manager.load_input(_in("orders", ("2025-01-01",)))
    assert day1["order_id"].tolist() == [1, 2, 3]
    assert set(day1["partition_key"]) == {"2025-01-01"}

    sql_manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"order_id": [7]}))
    both = sql_manager.load_input(_in("orders", ("2025-01-01", "2025-01-02")))
    assert both["order_id"].tolist() == [7, 9]


def test_a_multi_partition_write_replaces_exactly_those_partitions(
    sql_manager: SQLTableIOManager,
) -> None:
    days = ("2025-01-01", "2025-01-02", "2025-01-03")
    first = pd.DataFrame({"day": ["2025-01-03", "2025-01-01", "2025-01-02"], "n": [3, 1, 2]})
    sql_manager.handle_output(_out("sales", days, DAY), first)
    second = pd.DataFrame({"day": ["2025-01-02", "2025-01-02"], "n": [20, 21]})
    context = _out("sales", days[:2], DAY)
    sql_manager.handle_output(context, second)  # 2025-01-01 now has no rows
    assert context.output_metadata["partition_column"] == "day"

    loaded = sql_manager.load_input(_in("sales", days, DAY))
    assert loaded[["day", "n"]].values.tolist() == [
        ["2025-01-02", 20],
        ["2025-01-02", 21],
        ["2025-01-03", 3],
    ]
    assert sql_manager.load_input(_in("sales", ("2025-01-01",), DAY)).empty


def test_rows_come_back_in_partition_key_order_not_text_order(
    sql_manager: SQLTableIOManager,
) -> None:
    keys = ("zeta", "alpha")  # definition order of a static partitions definition
    frame = pd.DataFrame({"partition_key": ["alpha", "zeta"], "v": [1, 2]})
    sql_manager.handle_output(_out("s", keys), frame)
    assert sql_manager.load_input(_in("s", keys))["v"].tolist() == [2, 1]


def test_many_partitions_are_chunked_below_the_parameter_limit(
    sql_manager: SQLTableIOManager,
) -> None:
    keys = tuple(f"k{i:04d}" for i in range(2100))
    frame = pd.DataFrame({"partition_key": list(keys), "v": range(2100)})
    sql_manager.handle_output(_out("wide", keys), frame)
    sql_manager.handle_output(_out("wide", keys), frame)
    assert _count(sql_manager, "wide") == 2100
    loaded = sql_manager.load_input(_in("wide", keys))
    assert loaded["v"].tolist() == list(range(2100))


def test_date_typed_partition_columns_match_daily_keys(sql_manager: SQLTableIOManager) -> None:
    days = ("2025-01-01", "2025-01-02")
    dates = pd.DataFrame({"day": [dt.date(2025, 1, 1), dt.date(2025, 1, 2)], "n": [1, 2]})
    sql_manager.handle_output(_out("by_date", days, DAY), dates)
    sql_manager.handle_output(_out("by_date", days[:1], DAY), dates.iloc[:1])
    assert sql_manager.load_input(_in("by_date", days, DAY))["n"].tolist() == [1, 2]

    stamps = pd.DataFrame({"day": pd.to_datetime(["2025-01-01", "2025-01-02"]), "n": [1, 2]})
    sql_manager.handle_output(_out("by_stamp", days, DAY), stamps)
    sql_manager.handle_output(_out("by_stamp", days[1:], DAY), stamps.iloc[1:])
    assert sql_manager.load_input(_in("by_stamp", days, DAY))["n"].tolist() == [1, 2]


def test_new_columns_are_added_to_the_table(sql_manager: SQLTableIOManager) -> None:
    sql_manager.handle_output(_out("t", ("a",)), pd.DataFrame({"x": [1]}))
    sql_manager.handle_output(_out("t", ("b",)), pd.DataFrame({"x": [2], "y": ["new"]}))
    loaded = sql_manager.load_input(_in("t", ("a", "b")))
    assert loaded["y"].tolist()[1] == "new"
    assert pd.isna(loaded["y"].tolist()[0])


def test_a_failure_mid_write_keeps_the_old_rows(
    sql_manager: SQLTableIOManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql_manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"id": [1, 2]}))
    sql_manager.handle_output(_out("totals"), pd.DataFrame({"total": [3]}))
    real_insert = SQLTableIOManager._insert

    def insert_then_fail(self: SQLTableIOManager, *args: Any) -> None:
        real_insert(self, *args)  # the old rows are deleted and the new ones in by now
        raise RuntimeError("connection lost mid-write")

    monkeypatch.setattr(SQLTableIOManager, "_insert", insert_then_fail)
    with pytest.raises(RuntimeError, match="connection lost"):
        sql_manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"id": [5]}))
    with pytest.raises(RuntimeError, match="connection lost"):
        sql_manager.handle_output(_out("totals"), pd.DataFrame({"other": ["x"]}))
    monkeypatch.undo()

    assert sql_manager.load_input(_in("orders", ("2025-01-01",)))["id"].tolist() == [1, 2]
    assert sql_manager.load_input(_in("totals")).to_dict("list") == {"total": [3]}


def test_partition_values_outside_the_written_set_are_refused(
    sql_manager: SQLTableIOManager,
) -> None:
    sql_manager.handle_output(
        _out("sales", ("2025-01-01",), DAY), pd.DataFrame({"day": ["2025-01-01"]})
    )
    bad = pd.DataFrame({"day": ["2025-01-01", "2025-02-30"]})
    with pytest.raises(StorageError, match=r"column 'day' holds other values \('2025-02-30'\)"):
        sql_manager.handle_output(_out("sales", ("2025-01-01",), DAY), bad)
    with pytest.raises(StorageError, match="declares partition column 'day'.*no such column"):
        sql_manager.handle_output(_out("sales", ("2025-01-01",), DAY), pd.DataFrame({"x": [1]}))
    with pytest.raises(StorageError, match="2 partitions at once.*partition_expr"):
        sql_manager.handle_output(_out("other", ("a", "b")), pd.DataFrame({"x": [1]}))
    assert _count(sql_manager, "sales") == 1


def test_a_missing_table_is_a_clear_error(sql_manager: SQLTableIOManager) -> None:
    with pytest.raises(
        StorageError,
        match=r"Asset 'shop/orders' partition '2025-01-01' has no stored value at "
        r"table .*\"shop__orders\" in .*: materialize it first",
    ):
        sql_manager.load_input(_in("shop/orders", ("2025-01-01",)))
    with pytest.raises(StorageError, match="Asset 'totals' has no stored value"):
        sql_manager.load_input(_in("totals"))


def test_partition_keys_with_quotes_are_only_ever_parameters(
    sql_manager: SQLTableIOManager,
) -> None:
    evil = "o'brien\"; DROP TABLE customers; --"
    sql_manager.handle_output(_out("customers", ("plain",)), pd.DataFrame({"v": [0]}))
    sql_manager.handle_output(_out("customers", (evil,)), pd.DataFrame({"v": [1]}))
    sql_manager.handle_output(_out("customers", (evil,)), pd.DataFrame({"v": [2]}))
    loaded = sql_manager.load_input(_in("customers", ("plain", evil)))
    assert loaded.to_dict("list") == {"v": [0, 2], "partition_key": ["plain", evil]}


def test_table_names_with_quotes_are_quoted(sql_manager: SQLTableIOManager) -> None:
    # AssetKey refuses quotes; bypass its validation to check the SQL layer on its own.
    key = object.__new__(AssetKey)
    object.__setattr__(key, "path", ('we"ird', "x'y"))
    sql_manager.handle_output(OutputContext(key, "r", "s"), pd.DataFrame({"a": [1]}))
    sql_manager.handle_output(
        OutputContext(key, "r", "s", partition_key=None), pd.DataFrame({"a": [2]})
    )
    assert sql_manager.load_input(InputContext(key, "r"))["a"].tolist() == [2]


def test_the_manager_pickles_without_its_engine(sql_manager: SQLTableIOManager) -> None:
    sql_manager.handle_output(_out("orders"), pd.DataFrame({"id": [1]}))
    copy = pickle.loads(pickle.dumps(sql_manager))
    assert copy._engine is None
    assert copy.load_input(_in("orders"))["id"].tolist() == [1]
    copy.dispose()


def test_non_frames_are_refused_with_the_asset_named(tmp_path: Path) -> None:
    manager = SQLTableIOManager(f"sqlite:///{tmp_path}/w.db")
    with pytest.raises(
        StorageError, match="stores pandas or polars DataFrames, but asset 'orders' returned dict"
    ):
        manager.handle_output(_out("orders"), {"a": 1})


def test_end_to_end_through_materialize(tmp_path: Path) -> None:
    from assetgraph import Definitions, Instance, asset, materialize

    @asset
    def orders() -> pd.DataFrame:
        return pd.DataFrame({"region": ["eu", "us", "eu"], "amount": [1.0, 2.0, 3.0]})

    @asset
    def revenue(orders: pd.DataFrame) -> pd.DataFrame:
        return orders.groupby("region", as_index=False)["amount"].sum()

    manager = SQLTableIOManager(f"sqlite:///{tmp_path}/warehouse.db")
    defs = Definitions(assets=[orders, revenue], io_managers={"io_manager": manager})
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    result = materialize(defs, instance=instance)
    assert result.success
    stored = manager.load_input(_in("revenue"))
    assert stored.to_dict("list") == {"region": ["eu", "us"], "amount": [4.0, 2.0]}
    manager.dispose()


def test_a_failed_table_swap_rolls_back_the_drop_of_the_old_table(
    sql_manager: SQLTableIOManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql_manager.handle_output(_out("totals"), pd.DataFrame({"total": [3]}))
    real_drop = sa.Table.drop

    def drop_then_fail(self: sa.Table, *args: Any, **kwargs: Any) -> None:
        real_drop(self, *args, **kwargs)  # DDL: transactional only if BEGIN really ran
        raise RuntimeError("killed between drop and rename")

    monkeypatch.setattr(sa.Table, "drop", drop_then_fail)
    with pytest.raises(RuntimeError, match="killed between"):
        sql_manager.handle_output(_out("totals"), pd.DataFrame({"other": ["x"]}))
    monkeypatch.undo()
    assert sql_manager.load_input(_in("totals")).to_dict("list") == {"total": [3]}
    with sql_manager.engine.connect() as conn:
        assert sa.inspect(conn).get_table_names(schema=sql_manager.schema) == ["totals"]
