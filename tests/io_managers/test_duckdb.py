"""DuckDBIOManager on a DuckDB file: tables, partitions, atomicity, errors."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pandas as pd
import pytest

from assetgraph import StorageError

duckdb = pytest.importorskip(
    "duckdb", reason="the duckdb package is not installed (extra 'duckdb')"
)

from io_managers.duckdb import DuckDBIOManager  # noqa: E402
from tests.io_managers.contexts import input_context as _in, output_context as _out  # noqa: E402

DAY = {"partition_expr": "day"}


@pytest.fixture(params=[None, 'we"ird schema'])
def manager(request: pytest.FixtureRequest, tmp_path: Path) -> DuckDBIOManager:
    """A manager on a fresh DuckDB file, in the default schema and in a quoted one."""
    return DuckDBIOManager(tmp_path / "warehouse.duckdb", schema=request.param)


def _count(manager: DuckDBIOManager, table: str) -> int:
    con = duckdb.connect(manager.path)
    try:
        schema = (manager.schema or "main").replace('"', '""')
        row = con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()
        assert row is not None
        return int(row[0])
    finally:
        con.close()


def test_unpartitioned_round_trip_replaces_the_table(manager: DuckDBIOManager) -> None:
    context = _out("shop/orders")
    manager.handle_output(context, pd.DataFrame({"id": [1, 2], "name": ["a", "b"]}))
    assert context.output_metadata["row_count"] == 2
    assert context.output_metadata["table"].endswith(".shop__orders")
    assert manager.load_input(_in("shop/orders")).to_dict("list") == {
        "id": [1, 2],
        "name": ["a", "b"],
    }
    manager.handle_output(_out("shop/orders"), pd.DataFrame({"region": ["eu"]}))
    assert manager.load_input(_in("shop/orders")).to_dict("list") == {"region": ["eu"]}


def test_rewriting_a_partition_never_duplicates_rows(manager: DuckDBIOManager) -> None:
    for _ in range(2):
        manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"id": [1, 2, 3]}))
    manager.handle_output(_out("orders", ("2025-01-02",)), pd.DataFrame({"id": [9]}))
    assert _count(manager, "orders") == 4
    loaded = manager.load_input(_in("orders", ("2025-01-02", "2025-01-01")))
    assert loaded["id"].tolist() == [9, 1, 2, 3], "rows come back in the requested key order"


def test_a_multi_partition_write_replaces_exactly_those_partitions(
    manager: DuckDBIOManager,
) -> None:
    days = ("2025-01-01", "2025-01-02", "2025-01-03")
    dates = [dt.date(2025, 1, 3), dt.date(2025, 1, 1), dt.date(2025, 1, 2)]
    manager.handle_output(_out("sales", days, DAY), pd.DataFrame({"day": dates, "n": [3, 1, 2]}))
    manager.handle_output(
        _out("sales", days[:2], DAY), pd.DataFrame({"day": [dt.date(2025, 1, 2)], "n": [20]})
    )
    loaded = manager.load_input(_in("sales", days, DAY))
    assert loaded["n"].tolist() == [20, 3]
    with pytest.raises(StorageError, match="2 partitions at once.*partition_expr"):
        manager.handle_output(_out("other", ("a", "b")), pd.DataFrame({"x": [1]}))
    with pytest.raises(StorageError, match=r"holds other values \('2025-01-09'\)"):
        manager.handle_output(_out("sales", days[:1], DAY), pd.DataFrame({"day": ["2025-01-09"]}))


def test_new_columns_are_added(manager: DuckDBIOManager) -> None:
    manager.handle_output(_out("t", ("a",)), pd.DataFrame({"x": [1]}))
    manager.handle_output(_out("t", ("b",)), pd.DataFrame({"x": [2], "y": ["new"]}))
    loaded = manager.load_input(_in("t", ("a", "b")))
    assert loaded["y"].tolist()[1] == "new"


def test_a_failed_insert_keeps_the_old_rows(manager: DuckDBIOManager) -> None:
    manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"id": [1, 2]}))
    # The table's id column is BIGINT: inserting text fails after the DELETE ran.
    with pytest.raises(duckdb.Error):
        manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"id": ["x"]}))
    assert manager.load_input(_in("orders", ("2025-01-01",)))["id"].tolist() == [1, 2]


def test_a_missing_table_is_a_clear_error(manager: DuckDBIOManager) -> None:
    with pytest.raises(
        StorageError,
        match=r"Asset 'shop/orders' partition '2025-01-01' has no stored value at table "
        r".*shop__orders in .*warehouse\.duckdb: materialize it first",
    ):
        manager.load_input(_in("shop/orders", ("2025-01-01",)))


def test_partition_keys_with_quotes_are_parameters(manager: DuckDBIOManager) -> None:
    evil = "o'brien\"; DROP TABLE customers; --"
    manager.handle_output(_out("customers", ("plain",)), pd.DataFrame({"v": [0]}))
    manager.handle_output(_out("customers", (evil,)), pd.DataFrame({"v": [1]}))
    manager.handle_output(_out("customers", (evil,)), pd.DataFrame({"v": [2]}))
    loaded = manager.load_input(_in("customers", ("plain", evil)))
    assert loaded.to_dict("list") == {"v": [0, 2], "partition_key": ["plain", evil]}


def test_the_manager_pickles(manager: DuckDBIOManager) -> None:
    manager.handle_output(_out("orders"), pd.DataFrame({"id": [1]}))
    copy = pickle.loads(pickle.dumps(manager))
    assert copy.load_input(_in("orders"))["id"].tolist() == [1]


def test_end_to_end_through_materialize(tmp_path: Path) -> None:
    from assetgraph import Definitions, Instance, asset, materialize

    @asset
    def orders() -> pd.DataFrame:
        return pd.DataFrame({"region": ["eu", "us", "eu"], "amount": [1.0, 2.0, 3.0]})

    @asset
    def revenue(orders: pd.DataFrame) -> pd.DataFrame:
        return orders.groupby("region", as_index=False)["amount"].sum()

    manager = DuckDBIOManager(tmp_path / "warehouse.duckdb")
    defs = Definitions(assets=[orders, revenue], io_managers={"io_manager": manager})
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    assert materialize(defs, instance=instance).success
    stored = manager.load_input(_in("revenue"))
    assert stored.sort_values("region").to_dict("list") == {
        "region": ["eu", "us"],
        "amount": [4.0, 2.0],
    }
