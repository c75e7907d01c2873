"""The default pickle IO manager: paths, atomic writes, clear errors."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from assetgraph import AssetKey, StorageError
from assetgraph.io import InputContext, OutputContext
from io_managers.pickle import PickleIOManager, partition_file_name


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


def test_partition_keys_cannot_escape_the_base_dir(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path / "base")
    manager.handle_output(_out("orders", partition="../../etc"), 1)
    assert os.listdir(tmp_path) == ["base"]
    assert os.listdir(tmp_path / "base" / "orders") == ["%2E.%2F..%2Fetc"]
    assert manager.load_input(_in("orders", partition="../../etc")) == 1


def test_a_symlink_out_of_the_base_dir_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "orders").symlink_to(tmp_path / "outside")
    manager = PickleIOManager(tmp_path / "base")
    with pytest.raises(StorageError, match="outside the IO manager's base directory"):
        manager.handle_output(_out("orders", partition="2025-01-01"), 1)
    assert list((tmp_path / "outside").iterdir()) == []


def test_a_value_file_that_is_a_symlink_is_read_only_when_it_stays_inside(
    tmp_path: Path,
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret").write_bytes(pickle.dumps("secret"))
    manager = PickleIOManager(tmp_path / "base")
    manager.handle_output(_out("orders"), "orders")
    (tmp_path / "base" / "linked").symlink_to(tmp_path / "base" / "orders")
    (tmp_path / "base" / "leaked").symlink_to(tmp_path / "outside" / "secret")
    assert manager.load_input(_in("linked")) == "orders"
    with pytest.raises(StorageError, match="outside the IO manager's base directory"):
        manager.load_input(_in("leaked"))


def test_storing_over_a_symlink_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "target").write_bytes(b"untouched")
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "orders").symlink_to(tmp_path / "outside" / "target")
    manager = PickleIOManager(tmp_path / "base")
    manager.handle_output(_out("orders"), 5)
    assert (tmp_path / "outside" / "target").read_bytes() == b"untouched"
    assert not (tmp_path / "base" / "orders").is_symlink()
    assert manager.load_input(_in("orders")) == 5


def test_partition_file_names_are_percent_encoded() -> None:
    assert partition_file_name("2025-01-31") == "2025-01-31"
    assert partition_file_name("2025-01-31-13:00") == "2025-01-31-13%3A00"
    assert partition_file_name("2025-01-01|eu") == "2025-01-01%7Ceu"
    assert partition_file_name("a/b") == "a%2Fb"
    assert partition_file_name("..") == "%2E."
    assert partition_file_name("") == "%00empty"


def _outs(key: str, partitions: tuple[str, ...]) -> OutputContext:
    return OutputContext(
        AssetKey.from_user(key), run_id="r", step_key=key, partition_keys=partitions
    )


def _ins(key: str, partitions: tuple[str, ...]) -> InputContext:
    return InputContext(AssetKey.from_user(key), run_id="r", partition_keys=partitions)


def test_partition_sets_store_one_file_per_partition(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path)
    days = ("2025-01-01", "2025-01-02", "2025-01-03")
    context = _outs("orders", days)
    manager.handle_output(context, {"2025-01-03": 3, "2025-01-01": 1, "2025-01-02": 2})
    assert sorted(os.listdir(tmp_path / "orders")) == list(days)
    assert context.output_metadata == {"path": str(tmp_path / "orders"), "partitions": 3}

    assert manager.load_input(_ins("orders", days[1:2])) == 2
    loaded = manager.load_input(_ins("orders", days))
    assert loaded == {"2025-01-01": 1, "2025-01-02": 2, "2025-01-03": 3}
    assert list(loaded) == list(days), "several partitions load as a dict in key order"


def test_a_partition_set_needs_a_mapping_of_exactly_its_keys(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path)
    with pytest.raises(StorageError, match=r"2 partitions at once \(a\.\.\.b\).*got list"):
        manager.handle_output(_outs("orders", ("a", "b")), [1, 2])
    with pytest.raises(StorageError, match=r"exactly those keys, got a mapping with keys \['a'\]"):
        manager.handle_output(_outs("orders", ("a", "b")), {"a": 1})
    assert not (tmp_path / "orders").exists()


def test_a_failed_partition_set_write_keeps_every_old_value(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path)
    manager.handle_output(_outs("orders", ("a", "b")), {"a": 1, "b": 2})

    class Unpicklable:
        def __reduce__(self) -> tuple[object, ...]:
            raise RuntimeError("disk full halfway")

    with pytest.raises(RuntimeError, match="disk full halfway"):
        manager.handle_output(_outs("orders", ("a", "b")), {"a": 10, "b": Unpicklable()})
    assert manager.load_input(_ins("orders", ("a", "b"))) == {"a": 1, "b": 2}
    assert sorted(os.listdir(tmp_path / "orders")) == ["a", "b"]


def test_missing_partitions_are_named(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path)
    manager.handle_output(_outs("orders", ("a",)), 1)
    with pytest.raises(
        StorageError,
        match=r"Asset 'orders' partitions 'b', 'c' have no stored value at .*orders: "
        "materialize it first",
    ):
        manager.load_input(_ins("orders", ("a", "b", "c")))
    with pytest.raises(StorageError, match=r"Asset 'orders' partition 'z' has no stored value"):
        manager.load_input(_ins("orders", ("z",)))


def test_the_manager_pickles(tmp_path: Path) -> None:
    manager = PickleIOManager(tmp_path, fsync=True)
    manager.handle_output(_out("orders"), [1])
    copy = pickle.loads(pickle.dumps(manager))
    assert copy.load_input(_in("orders")) == [1]
