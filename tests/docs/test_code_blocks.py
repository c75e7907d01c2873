"""Every runnable code block of the tutorial and the README runs, in order, as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.code_blocks import PageRunner, blocks_of

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"
README = ROOT / "README.md"

MAX_SKIPPED = {"tutorial.md": 2, "README.md": 2}
"""Blocks a page may mark <!-- skip-test -->: installs, `make`, and long-running servers."""


@pytest.mark.parametrize("page", [TUTORIAL, README], ids=lambda p: p.name)
def test_every_block_of_the_page_runs(page: Path, tmp_path: Path) -> None:
    pytest.importorskip("pandera", reason="the tutorial validates with pandera")
    blocks = blocks_of(page)
    runnable = [b for b in blocks if b.runs]
    skipped = [b for b in blocks if b.skip]
    assert len(skipped) <= MAX_SKIPPED[page.name], (
        f"{page.name} skips {len(skipped)} blocks (lines {[b.line for b in skipped]}); "
        f"at most {MAX_SKIPPED[page.name]}: make the others runnable"
    )
    assert len(runnable) >= 5, f"{page.name}: only {len(runnable)} runnable blocks found"
    workdir = tmp_path / "work"
    workdir.mkdir()
    runner = PageRunner(workdir, tmp_path / "ag-home")
    for block in runnable:
        runner.run(block, page)


def test_the_tutorial_ends_with_everything_fresh(tmp_path: Path) -> None:
    pytest.importorskip("pandera", reason="the tutorial validates with pandera")
    workdir = tmp_path / "work"
    workdir.mkdir()
    runner = PageRunner(workdir, tmp_path / "ag-home")
    outputs = [runner.run(block, TUTORIAL) for block in blocks_of(TUTORIAL) if block.runs]
    stale_report = next(o for o in outputs if "code changed" in o)
    assert "cleaned_orders: 14 stale" in stale_report, stale_report
    assert "raw_orders" not in stale_report.split("cleaned_orders")[0], stale_report
    assert "succeeded: 15 step(s) materialized" in "\n".join(outputs)
    assert "fresh" in outputs[-1] and "stale" not in outputs[-1].replace("fresh", "")


def test_blocks_marked_skip_are_counted_and_files_are_named() -> None:
    blocks = blocks_of(TUTORIAL)
    assert [b.line for b in blocks if b.skip], "the tutorial's install block is marked skip-test"
    written = [b for b in blocks if b.language == "python" and b.code.startswith("# ")]
    assert {b.code.splitlines()[0] for b in written} >= {"# shop/defs.py", "# tests/test_shop.py"}
