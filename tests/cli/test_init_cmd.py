"""``assetgraph init NAME``: a scaffold that runs and tests at once, and never overwrites."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "assetgraph.cli.main"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_init_then_materialize_then_the_scaffolded_test_passes(tmp_path: Path) -> None:
    created = run("init", "sales-pipeline", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    root = tmp_path / "sales-pipeline"
    config = tomllib.loads((root / "pyproject.toml").read_text())
    assert config["tool"]["assetgraph"] == {"module": "sales_pipeline.defs"}
    assert (root / "sales_pipeline" / "defs.py").is_file()

    built = run("materialize", cwd=root)  # no -f / -m: [tool.assetgraph] names the module
    assert built.returncode == 0, built.stderr
    assert "succeeded: 2 step(s) materialized" in built.stdout
    listed = run("list", "--json", cwd=root)
    assert listed.returncode == 0, listed.stderr
    assert '"numbers"' in listed.stdout and '"total"' in listed.stdout

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 passed" in tested.stdout


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path) -> None:
    existing = tmp_path / "taken"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine")
    refused = run("init", "taken", cwd=tmp_path)
    assert refused.returncode == 2
    assert "folder" in refused.stderr and "is not empty" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(p.name for p in existing.iterdir()) == ["notes.txt"]


def test_init_accepts_an_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run("init", "empty", cwd=tmp_path).returncode == 0
    assert (tmp_path / "empty" / "pyproject.toml").is_file()


def test_init_rejects_a_name_that_is_not_a_package_name(tmp_path: Path) -> None:
    refused = run("init", "9lives", cwd=tmp_path)
    assert refused.returncode == 2
    assert "Invalid project name '9lives'" in refused.stderr
    assert not (tmp_path / "9lives").exists()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("json", "standard-library module 'json'"),
        ("Sys", "standard-library module 'sys'"),
        ("pandas", "installed module 'pandas'"),
        ("typer", "installed module 'typer'"),
    ],
)
def test_init_refuses_a_package_that_would_shadow_an_importable_module(
    tmp_path: Path, name: str, kind: str
) -> None:
    refused = run("init", name, cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert f"Invalid project name '{name}'" in refused.stderr
    assert kind in refused.stderr and "shadow" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert not (tmp_path / name).exists(), "nothing is written"
