"""Every runnable code block of the README runs, in order, as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.code_blocks import PageRunner, runnable_blocks

README = Path(__file__).resolve().parents[2] / "README.md"
MAX_SKIPPED = 2
"""Blocks the page may mark <!-- skip-test -->: installs, `make`, and long-running servers."""

pytestmark = pytest.mark.slow  # the page runs about twenty commands, one after another


def test_every_block_of_the_readme_runs(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    runner = PageRunner(workdir, tmp_path / "ag-home")
    for block in runnable_blocks(README, MAX_SKIPPED):
        runner.run(block, README)
