"""The pickle IO manager on an fsspec URL (``io_managers.object_store``), on ``memory://``.

The same code serves ``s3://`` (tests/cluster runs it against a real S3 server); here the
fsspec memory file system stands in, so these tests need no server.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fsspec")

from assetgraph import Definitions, Instance, asset, materialize
from assetgraph.errors import StorageError
from io_managers.object_store import ObjectStorePickleIOManager
from io_managers.pickle import PickleIOManager
from tests.io_managers.contexts import input_context, output_context


@pytest.fixture
def manager() -> Iterator[PickleIOManager]:
    import fsspec  # type: ignore[import-untyped]

    base = f"memory://ag-store-{uuid.uuid4().hex[:10]}/values"
    yield PickleIOManager(base)
    fs = fsspec.filesystem("memory")
    root = base.removeprefix("memory://").split("/")[0]
    if fs.exists(f"/{root}"):
        fs.rm(f"/{root}", recursive=True)


def objects(manager: PickleIOManager) -> dict[str, bytes]:
    assert isinstance(manager, ObjectStorePickleIOManager)
    fs = manager.store.fs
    return {path: fs.cat_file(path) for path in fs.find(manager.store.root)}


def test_a_url_base_dir_makes_the_object_store_pickle_io_manager(
    manager: PickleIOManager,
) -> None:
    assert isinstance(manager, ObjectStorePickleIOManager)
    assert manager.host_local_storage() is None, "values on a URL are reachable from any host"
    assert PickleIOManager("/tmp/x").host_local_storage() == "/tmp/x"
    assert type(PickleIOManager("file:///tmp/x")) is PickleIOManager


def test_values_round_trip_one_object_per_partition(manager: PickleIOManager) -> None:
    manager.handle_output(output_context("shop/orders"), {"rows": 3})
    days = ("2025-01-01", "2025-01-02-13:00")
    manager.handle_output(output_context("daily", days), {days[0]: "a", days[1]: "b"})

    assert manager.load_input(input_context("shop/orders")) == {"rows": 3}
    assert manager.load_input(input_context("daily", days)) == {days[0]: "a", days[1]: "b"}
    assert manager.load_input(input_context("daily", days[:1])) == "a"
    stored = objects(manager)
    names = sorted(path.rsplit("/values/", 1)[1] for path in stored)
    assert names == ["daily/2025-01-01", "daily/2025-01-02-13%3A00", "shop/orders"], (
        "one object per value, at the documented layout, and no temporary object left"
    )
    assert pickle.loads(next(v for k, v in stored.items() if k.endswith("shop/orders"))) == {
        "rows": 3
    }


def test_a_failure_while_staging_keeps_every_old_partition(
    manager: PickleIOManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(manager, ObjectStorePickleIOManager)
    days = ("2025-01-01", "2025-01-02")
    manager.handle_output(output_context("sales", days), {days[0]: 1, days[1]: 2})
    fs = manager.store.fs
    real = fs.pipe_file
    calls: list[str] = []

    def fail_on_second(path: str, data: bytes, **kwargs: Any) -> Any:
        calls.append(path)
        if len(calls) == 2:
            raise ConnectionError("connection reset by peer")
        return real(path, data, **kwargs)

    monkeypatch.setattr(fs, "pipe_file", fail_on_second)
    with pytest.raises(StorageError) as raised:
        manager.handle_output(output_context("sales", days), {days[0]: 10, days[1]: 20})
    monkeypatch.undo()

    assert "/.tmp/" in calls[0], "values are staged under temporary keys first"
    message = str(raised.value)
    assert "Cannot write the value of asset 'sales' at memory://" in message
    assert "sales/2025-01-02" in message and "ConnectionError" in message
    assert manager.load_input(input_context("sales", days)) == {days[0]: 1, days[1]: 2}
    assert not any("/.tmp/" in path for path in objects(manager)), "staged objects removed"


def test_missing_values_name_the_url(manager: PickleIOManager) -> None:
    with pytest.raises(StorageError, match=r"Asset 'nothing' has no stored value at memory://"):
        manager.load_input(input_context("nothing"))
    with pytest.raises(StorageError, match=r"partitions '2025-01-01', '2025-01-02' have"):
        manager.load_input(input_context("daily", ("2025-01-01", "2025-01-02")))


def test_a_key_cannot_reach_the_temporary_folder(manager: PickleIOManager) -> None:
    with pytest.raises(StorageError, match=r"Asset '\.tmp/x' would be stored at .*: refusing"):
        manager.handle_output(output_context(".tmp/x"), 1)


def test_the_manager_pickles_without_its_file_system(manager: PickleIOManager) -> None:
    manager.handle_output(output_context("kept"), [1, 2])
    copy = pickle.loads(pickle.dumps(manager))
    assert isinstance(copy, ObjectStorePickleIOManager)
    assert copy.store._fs is None, "each process makes its own file system"
    assert copy.load_input(input_context("kept")) == [1, 2]


def test_end_to_end_through_materialize(manager: PickleIOManager) -> None:
    @asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    @asset
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    defs = Definitions([numbers, total], io_managers={"io_manager": manager})
    result = materialize(defs, instance=Instance.ephemeral())
    assert result.success
    assert result.output_for("total") == 6
    assert manager.load_input(input_context("total")) == 6
