"""Every install hint we print works as printed where the user stands: from a source
checkout (an editable install) it installs the checkout with the extra; and the project
files ask for no deprecated packaging."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import errors
from assetgraph.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def installed_as(monkeypatch: pytest.MonkeyPatch, checkout: Path | None) -> None:
    monkeypatch.setattr(errors, "source_checkout", lambda: checkout)


def test_in_the_checkout_the_hint_installs_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    installed_as(monkeypatch, ROOT)
    hint = errors.install_hint("ui", cwd=ROOT)
    assert hint.endswith("-m pip install -e '.[ui]' (or: make install EXTRAS=ui)")


def test_elsewhere_the_hint_names_the_checkout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    installed_as(monkeypatch, ROOT)
    assert errors.install_hint("dask", cwd=tmp_path).endswith(f"-m pip install -e '{ROOT}[dask]'")


def test_from_a_package_index_the_hint_is_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    installed_as(monkeypatch, None)
    assert errors.install_hint("postgres").endswith("-m pip install 'assetgraph[postgres]'")


def test_the_hint_uses_this_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert errors.install_hint("ui").startswith(f"{sys.executable} -m pip install")


def test_this_checkout_is_found(tmp_path: Path) -> None:
    assert errors.source_checkout() == ROOT  # the tests run from the checkout
    site = tmp_path / "site-packages" / "assetgraph"
    site.mkdir(parents=True)
    (site / "errors.py").write_text(Path(errors.__file__).read_text())
    namespace: dict[str, object] = {"__file__": str(site / "errors.py"), "__name__": "copy"}
    exec(compile((site / "errors.py").read_text(), str(site / "errors.py"), "exec"), namespace)
    assert namespace["source_checkout"]() is None  # type: ignore[operator]


def test_the_ui_hint_when_its_extra_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_uvicorn(name: str, *args: object, **kwargs: object) -> object:
        if name == "uvicorn":
            raise ModuleNotFoundError("No module named 'uvicorn'", name="uvicorn")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    (Path.cwd() / "defs.py").write_text(
        "from assetgraph import asset\n\n@asset\ndef a():\n    return 1\n"
    )
    result = CliRunner().invoke(app, ["ui", "-f", "defs.py"])
    assert result.exit_code == 2
    assert f"uvicorn is missing): {errors.install_hint('ui')}." in result.stderr
    assert "pip install 'assetgraph[ui]'" not in result.stderr


def test_pyproject_license_is_an_spdx_string_and_the_makefile_takes_extras() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "Apache-2.0"
    assert "test" in project["project"]["optional-dependencies"]
    makefile = (ROOT / "Makefile").read_text()
    assert "$(PIP) install -e '.[$(EXTRAS)]'" in makefile
    assert "DEMO_EXTRAS ?= pandera,ml,test" in makefile


def test_init_says_how_to_get_pytest_when_it_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "pytest" else real_find_spec(name, *a),
    )
    result = CliRunner().invoke(app, ["init", "shop"])
    assert result.exit_code == 0, result.output
    assert "-m pytest" in result.stdout
    assert "needs pytest, not installed: " in result.stdout
    assert "[test]'" in result.stdout
