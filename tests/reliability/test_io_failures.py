"""An IO manager that fails mid-write: the old value stays, the step fails or is retried.

Two faults, both through the real ``PickleIOManager`` code: the disk fills up halfway
through a write (its file handle raises ``ENOSPC``), and a write is interrupted, leaving a
half-written temporary file behind as a killed process would.
"""

from __future__ import annotations

import errno
import pickle
from pathlib import Path
from typing import Any

import pytest

from assetgraph import Definitions, Instance, RetryPolicy, asset, materialize
from assetgraph.storage.records import EventType
from io_managers import pickle as pickle_module
from io_managers.files import open_temp_beside
from io_managers.pickle import PickleIOManager
from tests.reliability.harness import load_stored

OLD = {"version": "old", "rows": list(range(50_000))}
NEW = {"version": "new", "rows": list(range(50_000, 100_000))}


class DiskFullWriter:
    """Stands in for ``HashingWriter``: writes half of what it is given, then the disk is
    full."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def write(self, data: bytes) -> int:
        self._target.write(bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def digest(self) -> str:  # never reached
        raise AssertionError


class InterruptedPickle(PickleIOManager):
    """Its first ``interruptions`` writes stop halfway, leaving the partial temp file."""

    def __init__(self, base_dir: Path, interruptions: int) -> None:
        super().__init__(base_dir)
        self.interruptions = interruptions

    def _write_temp(self, path: Path, value: Any) -> tuple[str, str]:
        if self.interruptions <= 0:
            return super()._write_temp(path, value)
        self.interruptions -= 1
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, _ = open_temp_beside(path)
        with open(fd, "wb") as handle:
            handle.write(data[: len(data) // 2])
        raise OSError(errno.EIO, "write interrupted")


def _defs(io_manager: PickleIOManager, source: Path, retries: int) -> Definitions:
    @asset(retry_policy=RetryPolicy(max_retries=retries) if retries else None)
    def table() -> dict[str, Any]:
        return NEW if source.read_text() == "new" else OLD

    return Definitions([table], io_managers={"io_manager": io_manager})


def _materialize_old_then_new(
    storage_url: str, tmp_path: Path, io_manager: PickleIOManager, retries: int
) -> tuple[Instance, str, str, Any]:
    """Store OLD with a working write, then run again for NEW through ``io_manager``."""
    instance = Instance(storage_url=storage_url, home=tmp_path / "home")
    source = tmp_path / "source"
    source.write_text("old")
    first = materialize(_defs(PickleIOManager(io_manager.base_dir), source, 0), instance=instance)
    assert first.success
    source.write_text("new")
    second = materialize(_defs(io_manager, source, retries), instance=instance)
    return instance, first.run_id, second.run_id, second


def _assert_old_value_kept(instance: Instance, base: Path, old_run: str, new_run: str) -> None:
    assert load_stored(base / "table") == OLD, "the old value is no longer readable"
    assert instance.storage.latest_materializations(["table"])[("table", None)].run_id == old_run
    recorded = instance.storage.events_for_run(new_run, [EventType.ASSET_MATERIALIZATION])
    assert recorded == [], "a failed write was recorded as a materialization"


def test_a_disk_full_mid_write_keeps_the_old_value_and_fails_the_step(
    storage_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "values"
    instance = Instance(storage_url=storage_url, home=tmp_path / "home")
    source = tmp_path / "source"
    source.write_text("old")
    first = materialize(_defs(PickleIOManager(base), source, 0), instance=instance)
    assert first.success
    source.write_text("new")
    monkeypatch.setattr(pickle_module, "HashingWriter", DiskFullWriter)
    second = materialize(_defs(PickleIOManager(base), source, 0), instance=instance)
    assert not second.success and second.status_for("table") == "failure"
    failures = instance.storage.events_for_run(second.run_id, [EventType.STEP_FAILURE])
    assert "No space left on device" in (failures[0].message or "")
    _assert_old_value_kept(instance, base, first.run_id, second.run_id)
    assert [p.name for p in base.iterdir()] == ["table"], "a temp file was left behind"


@pytest.mark.parametrize("retries", [0, 1], ids=["no-retry", "retried"])
def test_an_interrupted_write_keeps_the_old_value_and_retries_per_policy(
    storage_url: str, tmp_path: Path, retries: int
) -> None:
    base = tmp_path / "values"
    manager = InterruptedPickle(base, interruptions=1)
    instance, old_run, new_run, result = _materialize_old_then_new(
        storage_url, tmp_path, manager, retries
    )
    leftovers = [p for p in base.iterdir() if p.name != "table"]
    assert leftovers and all(p.name.startswith(".table.") for p in leftovers)
    failures = instance.storage.events_for_run(new_run, [EventType.STEP_FAILURE])
    assert "write interrupted" in (failures[0].message or "")
    if not retries:
        assert not result.success and result.status_for("table") == "failure"
        _assert_old_value_kept(instance, base, old_run, new_run)
        return
    assert result.success, "the retry after an interrupted write failed"
    assert failures[0].payload.get("retry_in") is not None
    assert load_stored(base / "table") == NEW
    recorded = instance.storage.events_for_run(new_run, [EventType.ASSET_MATERIALIZATION])
    assert len(recorded) == 1, "the failed attempt was recorded too"
    starts = instance.storage.events_for_run(new_run, [EventType.STEP_START])
    assert [e.payload.get("attempt", 1) for e in starts] == [1, 2]
