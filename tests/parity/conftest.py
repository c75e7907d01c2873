"""Code locations written for Dagster (``locations/``) and whole example projects
(``projects/``), ported the way users port them: ``from dagster import`` (or from one of
its private modules, ``from dagster._core.test_utils import``) and from Dagster's
integration packages (``dagster_dbt``, ``dagster_duckdb``, ``dagster_duckdb_pandas``,
``dagster_duckdb_polars``, ``dagster_pandera``, ``dagster_pandas``) become ``from assetgraph
import``, ``import dagster as dg`` becomes ``import assetgraph as dg`` and, in Pipes
external scripts, ``from dagster_pipes import`` becomes ``from assetgraph.pipes import``;
nothing else changes."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app

LOCATIONS = Path(__file__).resolve().parent / "locations"
PROJECTS = Path(__file__).resolve().parent / "projects"
# The projects' own tests (and the locations' *_test.py files) import dagster: the
# test modules here port and run them.
collect_ignore_glob = ["projects/*", "locations/*"]


def port_source(text: str) -> str:
    """Dagster's imports rewritten to assetgraph's; the rest of ``text`` untouched."""
    ported = re.sub(
        r"^(\s*)from (dagster|dagster_dbt|dagster_duckdb(_pandas|_polars)?|dagster_pandera"
        r"|dagster_pandas)(\.[\w.]+)? import",
        r"\1from assetgraph import",
        text,
        flags=re.M,
    )
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
def ported_module(ported: Callable[[str], Path]) -> Callable[[str], ModuleType]:
    """Port ``locations/<name>.py`` and import it as Python would: the module (registered
    under its name, which ``ported`` unregisters afterwards)."""
    return lambda name: import_file(ported(name), register=True)


@pytest.fixture
def cli() -> Callable[..., tuple[int, str]]:
    """Run the CLI in this process: its exit code and output."""

    def invoke(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.output

    return invoke


def port_project(name: str, target: Path) -> Path:
    """Copy ``projects/<name>`` under ``target``, every ``.py`` file ported; its root."""
    root = target / name
    shutil.copytree(PROJECTS / name, root, ignore=shutil.ignore_patterns("__pycache__"))
    for source in root.rglob("*.py"):
        source.write_text(port_source(source.read_text()))
    return root


def run_project_tests(tests_dir: Path) -> dict[str, str]:
    """Run the project's own ``test_*`` functions in this process: id -> "passed" or the error.

    They are plain functions (no fixtures), as in Dagster's examples, so each is imported
    and called; a failure is recorded, not raised, to report every test of the project.
    """
    outcomes: dict[str, str] = {}
    for path in sorted(tests_dir.rglob("test_*.py")):
        module_name = f"_ported_{tests_dir.name}_{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:  # an import failure fails every test of the file
            outcomes[path.name] = f"{type(error).__name__}: {error}"
            continue
        for name, test in vars(module).items():
            if not (name.startswith("test_") and callable(test)):
                continue
            for case, arguments in _parametrized(test):
                try:
                    test(**arguments)
                    outcome = "passed"
                except Exception as error:
                    outcome = f"{type(error).__name__}: {error}"
                outcomes[f"{path.name}::{name}{case}"] = outcome
    return outcomes


def _parametrized(test: Callable[..., object]) -> list[tuple[str, dict[str, object]]]:
    """The cases of ``@pytest.mark.parametrize`` (one, without arguments, when none)."""
    cases: list[tuple[str, dict[str, object]]] = [("", {})]
    for mark in getattr(test, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = mark.args[0]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        values = [v if len(names) > 1 else (v,) for v in mark.args[1]]
        cases = [
            (f"{case}[{index}]", {**arguments, **dict(zip(names, value, strict=True))})
            for case, arguments in cases
            for index, value in enumerate(values)
        ]
    return cases


@pytest.fixture
def ported_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Path]]:
    """Port ``projects/<name>``, put it (and its ``src/``) on ``sys.path``, work in it."""
    before = set(sys.modules)

    def port(name: str) -> Path:
        root = port_project(name, tmp_path)
        monkeypatch.syspath_prepend(str(root))
        if (root / "src").is_dir():
            monkeypatch.syspath_prepend(str(root / "src"))
        monkeypatch.chdir(root)
        monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
        return root

    yield port
    imported = [name for name in set(sys.modules) - before if _imported_from(name, tmp_path)]
    for name in imported:  # the project's modules and (namespace) packages
        sys.modules.pop(name, None)


def _imported_from(module_name: str, folder: Path) -> bool:
    spec = getattr(sys.modules.get(module_name), "__spec__", None)
    places = [spec.origin or "", *(spec.submodule_search_locations or [])] if spec else []
    return any(str(place).startswith(str(folder)) for place in places)


def import_file(path: Path, *, register: bool = False) -> ModuleType:
    """Import the Python file at ``path`` as the module named by its stem (also in
    ``sys.modules`` with ``register``, for files whose code looks itself up there; the
    ``ported`` fixture pops it again)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    if register:
        sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def automate(cli: Callable[..., tuple[int, str]], location: str, now: str) -> dict[str, Any]:
    """One ``assetgraph automate --json`` tick of ``location`` at ``now``; its report."""
    code, out = cli("automate", "-f", location, "--now", now, "--json")
    assert code == 0, out
    found: dict[str, Any] = json.loads(out)
    assert found["errors"] == [], found["errors"]
    return found
