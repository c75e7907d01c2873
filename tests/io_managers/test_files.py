"""Temporary files beside their destination: unique, exclusive, in the same folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import io_managers.files as files


def test_each_call_creates_a_new_file_beside_the_destination(tmp_path: Path) -> None:
    target = tmp_path / "orders"
    opened = [files.open_temp_beside(target) for _ in range(3)]
    names = [name for _, name in opened]
    for fd, _ in opened:
        os.close(fd)
    assert len(set(names)) == 3
    assert all(
        Path(name).parent == tmp_path and Path(name).name.startswith(".orders.") for name in names
    )


def test_a_leftover_file_with_the_same_name_is_skipped_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "orders"
    counter = iter([7, 7, 8])
    monkeypatch.setattr(files, "_counter", counter)
    fd, first = files.open_temp_beside(target)
    os.write(fd, b"crashed writer")
    os.close(fd)
    fd, second = files.open_temp_beside(target)
    os.close(fd)
    assert second != first and Path(first).read_bytes() == b"crashed writer"
