"""A small dg project written into ``tmp_path`` per test, its modules forgotten after."""

from __future__ import annotations

import hashlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

MakeProject = Callable[[dict[str, str]], Path]


@pytest.fixture(autouse=True)
def _restore_imports() -> Iterator[None]:
    saved_path = list(sys.path)
    yield
    sys.path[:] = saved_path
    for name in [n for n in sys.modules if n.startswith("proj_")]:
        del sys.modules[name]


@pytest.fixture
def make_project(tmp_path: Path, request: pytest.FixtureRequest) -> MakeProject:
    """``make_project({"defs/a.py": "...", ...})``: files under ``src/<package>/`` of a
    project with ``[tool.dg.project] root_module = <package>``; returns the package folder.
    Each test gets its own package name, so imports never mix."""
    package = "proj_" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "project"
        (root / "src" / package / "defs").mkdir(parents=True, exist_ok=True)
        (root / "pyproject.toml").write_text(
            '[tool.dg]\ndirectory_type = "project"\n\n'
            f'[tool.dg.project]\nroot_module = "{package}"\n'
        )
        (root / "src" / package / "__init__.py").write_text("")
        (root / "src" / package / "defs" / "__init__.py").write_text("")
        for name, text in files.items():
            path = root / "src" / package / name.replace("PKG", package)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).replace("PKG", package))
        return root / "src" / package

    return make
