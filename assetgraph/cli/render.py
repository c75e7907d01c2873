"""Formatting for the terminal: times, durations, tables and JSON. No work is done here."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import Any


def ago(timestamp: float | None, now: float | None = None) -> str:
    """``3 min ago`` style, or ``-`` for never."""
    if timestamp is None:
        return "-"
    seconds = max(0.0, (now if now is not None else time.time()) - timestamp)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return f"{int(seconds)} s ago"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    return f"{seconds / 60:.1f} min"


def timestamp_text(timestamp: float | None) -> str:
    if timestamp is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, default=str) + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(soft_wrap=False, width=_table_width(), emoji=False).print(table)


_UNWRAPPED_WIDTH = 1000
"""Without a terminal, a table is as wide as its widest row (up to this): a pipe or a CI
log must not get cells folded, or sentences cut, at 80 columns."""


def _table_width() -> int:
    import shutil

    if not sys.stdout.isatty():
        return _UNWRAPPED_WIDTH
    return max(100, shutil.get_terminal_size((120, 24)).columns)


def nothing_to_do(missing: bool, stale: bool) -> str:
    """Why a plan has no steps, the same words for ``--dry-run`` and for a run."""
    if missing and stale:
        return "Nothing to do: every selected asset and partition is materialized and fresh."
    if missing:
        return "Nothing to do: every selected asset and partition is already materialized."
    if stale:
        return "Nothing to do: no selected asset or partition is stale."
    return (
        "Nothing to do: the selected partitions do not exist (yet); a dynamic partitions "
        "definition gets keys with 'assetgraph partitions add'."
    )


def print_plan(plan: Any, empty_reason: str) -> None:
    """The plan of ``--dry-run``: counts per asset with first and last partition, then steps;
    ``empty_reason`` when it has none."""
    if not plan:
        print(f"Plan: 0 steps. {empty_reason}")
        return
    summary = plan.summary()
    partitions = sum(row.partitions for row in summary)
    in_partitions = f" over {partitions} partition(s)" if partitions else ""
    checks = len(getattr(plan, "check_steps", ()))  # run alone, one row each
    what = [f"{len(summary) - checks} asset(s)"] if len(summary) > checks else []
    what += [f"{checks} asset check(s) alone"] if checks else []
    print(f"Plan: {len(plan)} step(s) for {' and '.join(what)}{in_partitions}")
    if any(row.partitions for row in summary):
        print_table(
            None,
            ["asset", "steps", "partitions", "first", "last"],
            [
                [
                    row.name,
                    str(row.steps),
                    str(row.partitions) if row.partitions else "-",
                    row.first or "-",
                    row.last or "-",
                ]
                for row in summary
            ],
        )
    shown = plan.head(_MAX_PLAN_LINES)
    for number, step in enumerate(shown, start=1):
        after = f"  (after {', '.join(step.upstream_steps[:3])}" if step.upstream_steps else ""
        if len(step.upstream_steps) > 3:
            after += f" and {len(step.upstream_steps) - 3} more"
        print(f"  {number:>4}. {step.key}{after}{')' if after else ''}")
    if len(plan) > len(shown):
        print(f"  ... and {len(plan) - len(shown)} more step(s)")


def plan_json(plan: Any) -> dict[str, Any]:
    """The plan of ``--dry-run --json``: its size, each asset's counts, the first steps."""
    shown = plan.head(_MAX_PLAN_LINES)
    return {
        "steps": len(plan),
        "assets": [
            {
                "asset": row.name,
                "steps": row.steps,
                "partitions": row.partitions if row.partitions else None,
                "first": row.first,
                "last": row.last,
            }
            for row in plan.summary()
        ],
        "first_steps": [
            {"step_key": step.key, "after": list(step.upstream_steps)} for step in shown
        ],
    }


_MAX_PLAN_LINES = 50
