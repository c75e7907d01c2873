"""The generated CLI and API reference cover every command and every public name, and the
site builds with strict warnings."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer.main

import assetgraph
from assetgraph.cli.app import app
from assetgraph.cli.main import run  # noqa: F401  (registers every command)

ROOT = Path(__file__).resolve().parents[2]


def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "docs_reference", ROOT / "docs/_hooks/reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def every_command(command: object, path: tuple[str, ...] = ()) -> list[str]:
    names = [" ".join(("assetgraph", *path))] if path else []
    for name, sub in (getattr(command, "commands", None) or {}).items():
        if not getattr(sub, "hidden", False):  # internal commands stay out of the reference
            names += every_command(sub, (*path, name))
    return names


def test_the_cli_reference_has_a_section_for_every_command_and_option() -> None:
    rendered = hook().render_cli_reference()
    root = typer.main.get_command(app)
    commands = every_command(root)
    assert {"assetgraph materialize", "assetgraph init", "assetgraph runs show"} <= set(commands)
    for name in commands:
        assert f"`{name}`" in rendered, f"the CLI reference misses {name}"
    for flag in ("--partition-range", "--stale", "--dry-run", "--token", "--from-file"):
        assert flag in rendered, f"the CLI reference misses the option {flag}"
    assert "ASSETGRAPH_UI_TOKEN" in rendered


def test_the_api_reference_documents_every_public_name() -> None:
    module = hook()
    documented = [name for names in module.api_names().values() for name in names]
    assert sorted(documented) == sorted(assetgraph.__all__)
    rendered = module.render_api_reference()
    for name in assetgraph.__all__:
        assert f".{name}\n" in rendered, f"the API reference misses {name}"


def test_reference_pages_carry_the_markers_the_hook_replaces() -> None:
    module = hook()
    assert module.CLI_MARKER in (ROOT / "docs/reference/cli.md").read_text()
    assert module.API_MARKER in (ROOT / "docs/reference/api.md").read_text()


def test_links_out_of_the_docs_folder_become_paths() -> None:
    text = "See [`shared/BENCH.md`](../../shared/BENCH.md) and [ops](../operations.md)."
    assert hook()._unlink_outside(text, 1) == "See `shared/BENCH.md` and [ops](../operations.md)."


def test_the_site_builds_with_strict_warnings(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed")
    pytest.importorskip("mkdocstrings", reason="the docs extra is not installed")
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or "mkdocs"
    done = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    cli_page = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text()
    assert "assetgraph materialize" in cli_page and "--partition-range" in cli_page
    api_page = (tmp_path / "site" / "reference" / "api" / "index.html").read_text()
    assert "MaterializeResult" in api_page and "TimeWindowPartitionMapping" in api_page
