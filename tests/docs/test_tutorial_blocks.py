"""Every runnable code block of the tutorial runs, in order, as written, and prints what
the page says it prints. (The README's blocks: test_readme_blocks.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.code_blocks import Block, PageRunner, blocks_of, runnable_blocks

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"
MAX_SKIPPED = 2
"""Blocks the page may mark <!-- skip-test -->: installs, `make`, and long-running servers."""

pytestmark = pytest.mark.slow  # the page runs about twenty commands, one after another


@pytest.fixture(scope="module")
def tutorial_run(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Block, str | None]]:
    """Every block of the tutorial with what it printed (``None`` for blocks not run), the
    page run once, in order, in a fresh folder, for the tests below to share."""
    pytest.importorskip("pandera", reason="the tutorial validates with pandera")
    tmp = tmp_path_factory.mktemp("tutorial")
    workdir = tmp / "work"
    workdir.mkdir()
    runner = PageRunner(workdir, tmp / "ag-home")
    return [(b, runner.run(b, TUTORIAL) if b.runs else None) for b in blocks_of(TUTORIAL)]


def outputs_of(run: list[tuple[Block, str | None]]) -> list[str]:
    return [output for _, output in run if output is not None]


def test_every_block_of_the_tutorial_runs(
    tutorial_run: list[tuple[Block, str | None]],
) -> None:
    runnable = runnable_blocks(TUTORIAL, MAX_SKIPPED)
    assert len(outputs_of(tutorial_run)) == len(runnable)


def test_the_tutorial_ends_with_everything_fresh(
    tutorial_run: list[tuple[Block, str | None]],
) -> None:
    outputs = outputs_of(tutorial_run)
    stale_report = next(o for o in outputs if "code changed" in o)
    assert "cleaned_orders: 14 stale" in stale_report, stale_report
    assert "raw_orders" not in stale_report.split("cleaned_orders")[0], stale_report
    assert "succeeded: 15 step(s) materialized" in "\n".join(outputs)
    assert "fresh" in outputs[-1] and "stale" not in outputs[-1].replace("fresh", "")
    assert "3 asset(s) fresh" in outputs[-1], outputs[-1]


def test_the_tutorial_automation_ticks_request_what_the_text_says(
    tutorial_run: list[tuple[Block, str | None]],
) -> None:
    """The freshness section replays three ticks with --now: what each requests is fixed."""
    outputs = outputs_of(tutorial_run)
    text = "\n".join(outputs)
    before = next(o for o in outputs if "freshness: 1 of 1 policy violated" in o)
    assert "raw_orders: 0 stale, 3 missing, 14 fresh of 17 partitions" in before, before
    tick1 = next(o for o in outputs if "tick 1 at 2025-01-16T00:30:00" in o)
    assert "raw_orders[2025-01-15], cleaned_orders[2025-01-15]" in tick1, tick1
    assert "revenue_by_region: requested" not in tick1, tick1
    assert "freshness revenue_by_region: unknown -> pass" in tick1, tick1
    assert "not requested\n  because  freshness: lag 1470 min <= 1500 min" in text
    tick2 = next(o for o in outputs if "tick 2 at 2025-01-16T01:30:00" in o)
    assert "run " in tick2 and "raw_orders" not in tick2, tick2
    assert "revenue_by_region: requested" in tick2, tick2
    tick3 = next(o for o in outputs if "tick 3 at 2025-01-18T01:30:00" in o)
    assert "raw_orders[2025-01-16...2025-01-17]" in tick3, tick3
    assert "needed by the freshness policy of revenue_by_region" in tick3, tick3
    assert "success, 1 run(s) launched" in tick3, tick3


def normalized(line: str) -> str:
    """A line of output without what changes from run to run: run ids, wall-clock lags."""
    line = re.sub(r"\b[0-9a-f]{8}\b", "RUNID", line)
    return re.sub(r"lag [0-9.]+ min > (\d+) min", r"lag N min > \1 min", line)


def test_sample_outputs_in_the_tutorial_are_what_the_commands_print(
    tutorial_run: list[tuple[Block, str | None]],
) -> None:
    """Every ``text`` block after a command is output of that command: its lines (but
    ``...``) appear in what the command printed, in order."""
    last_output = ""
    checked = 0
    for block, output in tutorial_run:
        if output is not None:
            last_output = output
        elif block.language == "text" and last_output:
            printed = [normalized(line.rstrip()) for line in last_output.splitlines()]
            position = 0
            for line in block.code.splitlines():
                if line.strip() in ("", "..."):
                    continue
                wanted = normalized(line.rstrip())
                assert wanted in printed[position:], (
                    f"tutorial.md:{block.line}: {line!r} is not in the output\n" + last_output
                )
                position = printed.index(wanted, position) + 1
            checked += 1
    assert checked >= 4, "the freshness section shows sample outputs"


def test_blocks_marked_skip_are_counted_and_files_are_named() -> None:
    blocks = blocks_of(TUTORIAL)
    assert [b.line for b in blocks if b.skip], "the tutorial's install block is marked skip-test"
    written = [b for b in blocks if b.language == "python" and b.code.startswith("# ")]
    assert {b.code.splitlines()[0] for b in written} >= {"# shop/defs.py", "# tests/test_shop.py"}
