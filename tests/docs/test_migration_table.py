"""The Dagster names table of docs/migration.md matches what ``assetgraph`` exports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADING = "## Dagster names at a glance"
STATUSES = ("same", "different", "not supported")


def table_rows(text: str) -> list[tuple[str, str]]:
    """(name, status) of each row of the table under ``HEADING``."""
    assert HEADING in text, f"docs/migration.md has no '{HEADING}' section"
    section = text.split(HEADING, 1)[1]
    rows: list[tuple[str, str]] = []
    started = False
    for line in section.splitlines():
        if not line.startswith("|"):
            if started:
                break
            continue
        started = True
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) < 2 or cells[0] in ("Dagster name", "---"):
            continue
        match = re.fullmatch(r"`([A-Za-z_][A-Za-z0-9_]*)`", cells[0])
        assert match, f"first cell must be one backticked name, got {cells[0]!r}"
        rows.append((match.group(1), cells[1]))
    return rows


ROWS = table_rows((ROOT / "docs" / "migration.md").read_text(encoding="utf-8"))


def test_the_table_lists_the_most_used_dagster_names() -> None:
    names = [name for name, _ in ROWS]
    assert len(names) >= 80, f"only {len(names)} Dagster names in the table"
    assert len(set(names)) == len(names), "a name is listed twice"
    assert {status for _, status in ROWS} <= set(STATUSES)


def test_every_name_marked_same_or_different_is_exported() -> None:
    import assetgraph

    missing = [
        name
        for name, status in ROWS
        if status in ("same", "different") and name not in assetgraph.__all__
    ]
    assert not missing, (
        f"docs/migration.md marks {missing} as same/different, but assetgraph does not "
        "export them: export them or mark them 'not supported'."
    )


def test_names_marked_not_supported_are_not_exported() -> None:
    import assetgraph

    exported = [
        name for name, status in ROWS if status == "not supported" and name in assetgraph.__all__
    ]
    assert not exported, (
        f"assetgraph now exports {exported}, which docs/migration.md marks 'not supported': "
        "update their rows."
    )


@pytest.mark.parametrize("status", ["same", "different"])
def test_from_assetgraph_import_works_for_each_exported_name(status: str) -> None:
    names = [name for name, row_status in ROWS if row_status == status]
    code = f"from assetgraph import {', '.join(names)}\nprint('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
