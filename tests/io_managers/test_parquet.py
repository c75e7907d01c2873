"""ParquetIOManager on local folders and on fsspec's memory file system."""

from __future__ import annotations

import os
import pickle
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from assetgraph import StorageError
from io_managers.parquet import ParquetIOManager
from tests.io_managers.contexts import input_context as _in, output_context as _out

DAY = {"partition_expr": "day"}


@pytest.fixture(params=["local", "memory"])
def manager(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ParquetIOManager]:
    """A manager on a fresh local folder, then on a fresh folder of fsspec's memory FS."""
    if request.param == "local":
        yield ParquetIOManager(tmp_path / "store")
        return
    pytest.importorskip("fsspec", reason="fsspec is needed for non-local base directories")
    base = f"memory://ag-test-{uuid.uuid4().hex[:10]}"
    yield ParquetIOManager(base)
    import fsspec

    fs = fsspec.filesystem("memory")
    if fs.exists(base):
        fs.rm(base, recursive=True)


def _files(manager: ParquetIOManager, key: str) -> list[str]:
    if manager.is_local:
        folder = Path(manager.base_dir, *key.split("/"))
        return sorted(os.listdir(folder))
    import fsspec

    fs = fsspec.filesystem("memory")
    root = manager.base_dir.removeprefix("memory://")
    return sorted(p.rsplit("/", 1)[-1] for p in fs.ls(f"/{root}/{key}", detail=False))


def test_unpartitioned_round_trip_at_the_key_path(manager: ParquetIOManager) -> None:
    frame = pd.DataFrame({"id": [1, 2], "name": ["a", "b"]})
    context = _out("shop/orders")
    manager.handle_output(context, frame)
    assert context.output_metadata["row_count"] == 2
    assert context.output_metadata["path"].endswith("shop/orders.parquet")
    assert _files(manager, "shop") == ["orders.parquet"]
    pd.testing.assert_frame_equal(manager.load_input(_in("shop/orders")), frame)


def test_partition_files_have_safe_encoded_names(manager: ParquetIOManager) -> None:
    keys = ("2025-01-01|eu", "2025-01-31-13:00", "../../etc", ".hidden")
    for key in keys:
        manager.handle_output(_out("events", (key,)), pd.DataFrame({"k": [key]}))
    assert _files(manager, "events") == [
        "%2E.%2F..%2Fetc.parquet",
        "%2Ehidden.parquet",
        "2025-01-01%7Ceu.parquet",
        "2025-01-31-13%3A00.parquet",
    ]
    for key in keys:
        assert manager.load_input(_in("events", (key,)))["k"].tolist() == [key]


def test_rewriting_a_partition_replaces_it(manager: ParquetIOManager) -> None:
    manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"id": [1, 2]}))
    manager.handle_output(_out("orders", ("2025-01-01",)), pd.DataFrame({"id": [1, 2]}))
    manager.handle_output(_out("orders", ("2025-01-02",)), pd.DataFrame({"id": [3]}))
    loaded = manager.load_input(_in("orders", ("2025-01-01", "2025-01-02")))
    assert loaded["id"].tolist() == [1, 2, 3]
    assert list(loaded.index) == [0, 1, 2]


def test_a_multi_partition_write_is_split_by_the_partition_column(
    manager: ParquetIOManager,
) -> None:
    days = ("2025-01-01", "2025-01-02", "2025-01-03")
    frame = pd.DataFrame({"day": ["2025-01-03", "2025-01-01", "2025-01-03"], "n": [3, 1, 4]})
    context = _out("sales", days, DAY)
    manager.handle_output(context, frame)
    assert context.output_metadata["partitions"] == 3
    assert _files(manager, "sales") == [f"{d}.parquet" for d in days]

    empty = manager.load_input(_in("sales", ("2025-01-02",), DAY))
    assert empty.empty and list(empty.columns) == ["day", "n"]
    assert empty.dtypes.to_dict() == frame.dtypes.to_dict()
    loaded = manager.load_input(_in("sales", days, DAY))
    assert loaded[["day", "n"]].values.tolist() == [
        ["2025-01-01", 1],
        ["2025-01-03", 3],
        ["2025-01-03", 4],
    ]


def test_a_partition_key_column_and_datetimes_also_split(manager: ParquetIOManager) -> None:
    keys = ("a", "b")
    manager.handle_output(_out("s", keys), pd.DataFrame({"partition_key": ["b", "a"], "v": [2, 1]}))
    assert manager.load_input(_in("s", keys))["v"].tolist() == [1, 2]

    hours = ("2025-01-01-00:00", "2025-01-01-01:00")
    stamps = pd.to_datetime(["2025-01-01 01:00", "2025-01-01 00:00"])
    manager.handle_output(_out("h", hours, DAY), pd.DataFrame({"day": stamps, "v": [2, 1]}))
    assert manager.load_input(_in("h", hours[1:], DAY))["v"].tolist() == [2]


def test_a_multi_partition_write_without_a_partition_column_is_refused(
    manager: ParquetIOManager,
) -> None:
    with pytest.raises(StorageError, match="2 partitions at once.*'partition_expr'.*partition_key"):
        manager.handle_output(_out("sales", ("a", "b")), pd.DataFrame({"x": [1]}))
    with pytest.raises(StorageError, match=r"column 'day' holds other values \('c'\)"):
        manager.handle_output(_out("sales", ("a", "b"), DAY), pd.DataFrame({"day": ["a", "c"]}))


def test_missing_partitions_are_clear_errors(manager: ParquetIOManager) -> None:
    with pytest.raises(
        StorageError,
        match=r"Asset 'sales' partition '2025-01-01' has no stored value at "
        r".*sales/2025-01-01\.parquet: materialize it first",
    ):
        manager.load_input(_in("sales", ("2025-01-01",)))
    manager.handle_output(_out("sales", ("2025-01-01",)), pd.DataFrame({"x": [1]}))
    with pytest.raises(
        StorageError, match=r"partitions '2025-01-02', '2025-01-03' have no stored value at .*sales"
    ):
        manager.load_input(_in("sales", ("2025-01-01", "2025-01-02", "2025-01-03")))
    with pytest.raises(
        StorageError, match=r"Asset 'totals' has no stored value at .*totals\.parquet"
    ):
        manager.load_input(_in("totals"))


def test_a_failure_mid_write_keeps_every_old_partition(
    manager: ParquetIOManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = ("2025-01-01", "2025-01-02")
    manager.handle_output(_out("sales", days, DAY), pd.DataFrame({"day": list(days), "n": [1, 2]}))
    real = pd.DataFrame.to_parquet
    calls: list[int] = []

    def fail_on_second(self: pd.DataFrame, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full halfway")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        manager.handle_output(
            _out("sales", days, DAY), pd.DataFrame({"day": list(days), "n": [10, 20]})
        )
    monkeypatch.undo()
    assert manager.load_input(_in("sales", days, DAY))["n"].tolist() == [1, 2]
    assert _files(manager, "sales") == ["2025-01-01.parquet", "2025-01-02.parquet"]


def test_non_frames_are_refused(manager: ParquetIOManager) -> None:
    with pytest.raises(
        StorageError, match="stores pandas or polars DataFrames, but asset 'x' returned list"
    ):
        manager.handle_output(_out("x"), [1, 2])


def test_a_symlink_out_of_the_base_dir_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    base = tmp_path / "store"
    base.mkdir()
    (base / "shop").symlink_to(outside)
    manager = ParquetIOManager(base)
    with pytest.raises(StorageError, match="outside the IO manager's base directory"):
        manager.handle_output(_out("shop/orders"), pd.DataFrame({"a": [1]}))
    assert list(outside.iterdir()) == []


def test_the_manager_pickles_and_works_in_the_copy(manager: ParquetIOManager) -> None:
    manager.handle_output(_out("orders"), pd.DataFrame({"id": [1]}))
    copy = pickle.loads(pickle.dumps(manager))
    assert copy.load_input(_in("orders"))["id"].tolist() == [1]


def test_file_urls_are_local_paths(tmp_path: Path) -> None:
    manager = ParquetIOManager(f"file://{tmp_path}/store")
    assert manager.is_local
    manager.handle_output(_out("orders"), pd.DataFrame({"id": [1]}))
    assert (tmp_path / "store" / "orders.parquet").is_file()


def test_end_to_end_through_materialize(tmp_path: Path) -> None:
    from assetgraph import Definitions, Instance, asset, materialize

    @asset
    def orders() -> pd.DataFrame:
        return pd.DataFrame({"region": ["eu", "us", "eu"], "amount": [1.0, 2.0, 3.0]})

    @asset
    def revenue(orders: pd.DataFrame) -> pd.DataFrame:
        return orders.groupby("region", as_index=False)["amount"].sum()

    defs = Definitions(
        assets=[orders, revenue], io_managers={"io_manager": ParquetIOManager(tmp_path)}
    )
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    result = materialize(defs, instance=instance)
    assert result.success
    stored = pd.read_parquet(tmp_path / "revenue.parquet")
    assert stored.to_dict("list") == {"region": ["eu", "us"], "amount": [4.0, 2.0]}
    assert result.output_for("revenue").to_dict("list") == stored.to_dict("list")
