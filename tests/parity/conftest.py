"""Code locations written for Dagster (``locations/``), ported the way users port them:
``from dagster import`` becomes ``from assetgraph import``, ``import dagster as dg``
becomes ``import assetgraph as dg`` and, in Pipes external scripts, ``from dagster_pipes
import`` becomes ``from assetgraph.pipes import``; nothing else changes."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app

LOCATIONS = Path(__file__).resolve().parent / "locations"


def port_source(text: str) -> str:
    """Dagster's imports rewritten to assetgraph's; the rest of ``text`` untouched."""
    ported = re.sub(r"^(\s*)from dagster import", r"\1from assetgraph import", text, flags=re.M)
    ported = re.sub(r"^(\s*)import dagster as ", r"\1import assetgraph as ", ported, flags=re.M)
    ported = re.sub(
        r"^(\s*)from dagster_pipes import", r"\1from assetgraph.pipes import", ported, flags=re.M
    )
    left = re.search(r"^\s*(from|import)\s+dagster\b", ported, flags=re.M)
    assert left is None, f"an import left unported: {left and left.group(0)!r}"
    return ported


@pytest.fixture
def ported(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Port ``locations/<name>.py`` into ``tmp_path`` and return the ported file."""
    made: list[str] = []

    def port(name: str) -> Path:
        target = tmp_path / f"{name}.py"
        target.write_text(port_source((LOCATIONS / f"{name}.py").read_text()))
        made.append(name)
        return target

    yield port
    for name in made:  # the CLI imports the file as a module of this name
        sys.modules.pop(name, None)


@pytest.fixture
def cli() -> Callable[..., tuple[int, str]]:
    """Run the CLI in this process: its exit code and output."""

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.output

    return invoke
