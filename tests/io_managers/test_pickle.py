"""The default pickle IO manager: paths, atomic writes, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assetgraph import AssetKey, StorageError
from assetgraph.io import InputContext, OutputContext
from io_managers.pickle import PickleIOManager


def _out(key: str, partition: str | None = None) -> OutputContext:
    return OutputContext(AssetKey.from_user(key), run_id="r", step_key=key, partition_key=partition)


def _in(key: str, partition: str | None = None) -> InputContext:
    return InputContext(AssetKey.from_user(key), run_id="r", partition_key=partition)


def test_round_trip_under_the_key_path(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path)
    context = _out("shop/orders")
    manager.handle_output(context, {"rows": 3})
    assert (tmp_path / "shop" / "orders").is_file()
    assert context.output_metadata["path"] == str(tmp_path / "shop" / "orders")
    assert manager.load_input(_in("shop/orders")) == {"rows": 3}


def test_default_base_dir_is_under_assetgraph_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    assert PickleIOManager().base_dir == tmp_path / "home" / "storage"


def test_a_failed_write_keeps_the_old_value_and_leaves_no_temp_file(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path)
    manager.handle_output(_out("orders"), [1, 2])

    class Unpicklable:
        def __reduce__(self) -> tuple[object, ...]:
            raise RuntimeError("disk full halfway")

    with pytest.raises(RuntimeError, match="disk full halfway"):
        manager.handle_output(_out("orders"), [1, Unpicklable()])
    assert manager.load_input(_in("orders")) == [1, 2]
    assert os.listdir(tmp_path) == ["orders"]


def test_missing_and_corrupt_values_are_clear_errors(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path)
    with pytest.raises(
        StorageError, match="'orders' has no stored value at .*materialize it first"
    ):
        manager.load_input(_in("orders"))
    (tmp_path / "orders").write_bytes(b"not a pickle")
    with pytest.raises(StorageError, match="cannot be loaded.*re-materialize"):
        manager.load_input(_in("orders"))


def test_keys_that_would_escape_the_base_dir_are_refused(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path / "base")
    with pytest.raises(StorageError, match="outside the IO manager's base directory"):
        manager.handle_output(_out("orders", partition="../../etc"), 1)
