"""Code locations written for Dagster (``locations/``), ported the way users port them:
``from dagster import`` becomes ``from assetgraph import`` and ``import dagster as dg``
becomes ``import assetgraph as dg``; nothing else changes."""

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
    ported = re.sub(
        r"^(\s*)import dagster as (\w+)", r"\1import assetgraph as \2", ported, flags=re.M
    )
    code = re.sub(r'""".*?"""|#.*', "", ported, flags=re.S)
    assert "dagster" not in code.replace("dagster/", ""), "only the imports may name dagster"
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
