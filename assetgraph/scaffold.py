"""Scaffolding a new code location: what ``assetgraph init NAME`` writes.

A scaffolded folder is a small Python project: a ``pyproject.toml`` whose
``[tool.assetgraph]`` table names the defs module (so ``assetgraph materialize`` needs no
``-f``/``-m`` when run inside it), a package with a defs module of two assets, and a test
that materializes them in memory.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import sys
from pathlib import Path

from assetgraph.errors import UsageError

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

_PYPROJECT = """\
[project]
name = "{name}"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["assetgraph"]

[tool.assetgraph]
# The code location that `assetgraph` commands load when run in this folder.
module = "{package}.defs"

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""

_DEFS = '''\
"""The code location of {name}: each @asset function is one data asset.

A parameter named like an asset is an input: ``total(numbers)`` reads ``numbers``.
Run ``assetgraph materialize`` in this folder to build both, ``assetgraph list`` to see them.
"""

from assetgraph import AssetExecutionContext, Definitions, asset


@asset(group="{package}")
def numbers() -> list[int]:
    """Raw data; replace the body with a read from your source."""
    return [3, 1, 4, 1, 5, 9, 2, 6]


@asset(group="{package}")
def total(context: AssetExecutionContext, numbers: list[int]) -> int:
    """The sum of ``numbers``."""
    result = sum(numbers)
    context.log.info("total of %d numbers: %d", len(numbers), result)
    return result


defs = Definitions(assets=[numbers, total])
'''

_TEST = '''\
"""{name}'s assets, materialized in memory (no files, no database)."""

from assetgraph import Instance, materialize

from {package}.defs import defs


def test_total_is_the_sum_of_numbers() -> None:
    instance = Instance.ephemeral()  # an in-memory database and a temporary folder
    result = materialize(defs, instance=instance)
    assert result.success
    assert result.output_for("total") == sum(result.output_for("numbers"))
'''

_README = """\
# {name}

An assetgraph code location. In this folder:

```bash
assetgraph list           # the assets of {package}/defs.py
assetgraph materialize    # build them; values and run history go to ./.assetgraph
python -m pytest          # the tests of tests/
```
"""

_GITIGNORE = """\
.assetgraph/
__pycache__/
"""


def package_name(name: str) -> str:
    """The Python package a project called ``name`` gets: lower case, ``-`` as ``_``."""
    if not _NAME.match(name):
        raise UsageError(
            f"Invalid project name {name!r}: start with a letter, then use letters, digits, "
            "'_' and '-' (for example 'sales_pipeline')."
        )
    package = name.lower().replace("-", "_")
    if keyword.iskeyword(package) or package in {"assetgraph", "io_managers", "tests"}:
        raise UsageError(
            f"Invalid project name {name!r}: its package '{package}' would shadow "
            "a Python keyword or module; choose another name."
        )
    shadowed = shadowed_module(package)
    if shadowed is not None:
        raise UsageError(
            f"Invalid project name {name!r}: its package '{package}' would shadow the "
            f"{shadowed}, so inside the project 'import {package}' (by your code, a library or "
            f"assetgraph) would load the wrong one; choose another name, e.g. "
            f"'{package}_pipeline'."
        )
    return package


def shadowed_module(package: str) -> str | None:
    """What an importable top-level module called ``package`` is ("the standard-library
    module 'json'", "the installed module 'pandas' (PATH)"), or None when there is none.

    A module found only in the working directory does not count (``python -m`` puts it on
    the path; the empty folder ``init`` may fill is one): inside the new project, the
    working directory is the project's own folder.
    """
    if package in sys.stdlib_module_names:
        return f"standard-library module '{package}'"
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    places = [spec.origin] if spec.origin and spec.has_location else []
    places += list(spec.submodule_search_locations or [])
    here = Path.cwd().resolve()
    found = [Path(place).resolve() for place in places]
    if found and all(here in (place.parent, place.parent.parent) for place in found):
        return None
    where = f" ({found[0]})" if found else ""
    return f"installed module '{package}'{where}"


def scaffold_code_location(name: str, parent: Path) -> list[Path]:
    """Write a new code location into ``parent / name``; return the files written.

    The folder may exist if it is empty; a non-empty folder (or a file of that name) is
    never touched and raises ``UsageError``.
    """
    package = package_name(name)
    root = parent / name
    if root.exists() and not root.is_dir():
        raise UsageError(f"Cannot create project '{name}': {root} exists and is a file.")
    if root.is_dir() and any(root.iterdir()):
        raise UsageError(
            f"Cannot create project '{name}': folder {root} exists and is not empty; "
            "choose another name or remove it first (nothing was written)."
        )
    values = {"name": name, "package": package}
    files = {
        Path("pyproject.toml"): _PYPROJECT,
        Path("README.md"): _README,
        Path(".gitignore"): _GITIGNORE,
        Path(package) / "__init__.py": "",
        Path(package) / "defs.py": _DEFS,
        Path("tests") / f"test_{package}.py": _TEST,
    }
    written: list[Path] = []
    for relative, template in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values))
        written.append(path)
    return written
