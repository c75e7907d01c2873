"""The backfills guide runs as written: launch from the CLI and Python, two daemon ticks,
and the backfill shows as completed."""

from __future__ import annotations

from pathlib import Path

from tests.docs.code_blocks import PageRunner, blocks_of

PAGE = Path(__file__).resolve().parents[2] / "docs" / "backfills.md"


def test_every_block_of_the_backfills_page_runs(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    runner = PageRunner(workdir, tmp_path / "ag-home")
    outputs = [runner.run(block, PAGE) for block in blocks_of(PAGE) if block.runs]
    assert len(outputs) == 4
    assert "Backfill" in outputs[1] and "requested: 10 partition(s)" in outputs[1]
    shown = outputs[-1]
    assert "completed_success" in shown and "readings" in shown
