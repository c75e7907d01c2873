"""Loading code locations: -f file, -m module, pyproject, and clear errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assetgraph import (
    AssetKey,
    CodeLocationLoadError,
    DefinitionError,
    Definitions,
    UsageError,
)
from assetgraph.definitions.code_location import load_definitions

TWO_ASSETS = """
from assetgraph import asset

@asset
def a():
    return 1

@asset
def b(a):
    return a + 1
"""


@pytest.fixture(autouse=True)
def _restore_sys_path() -> Iterator[None]:
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    yield
    sys.path[:] = saved_path
    for name in set(sys.modules) - saved_modules:
        del sys.modules[name]


def test_a_file_with_top_level_assets_loads_without_definitions(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(TWO_ASSETS)
    defs = load_definitions(file=tmp_path / "defs.py")
    assert isinstance(defs, Definitions)
    assert defs.graph.key_strings() == ["a", "b"]


def test_a_file_with_definitions_uses_them(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(
        TWO_ASSETS + "\nfrom assetgraph import Definitions\ndefs = Definitions(assets=[a])\n"
    )
    assert load_definitions(file=tmp_path / "defs.py").graph.key_strings() == ["a"]


def test_sibling_modules_of_a_file_can_be_imported(tmp_path: Path) -> None:
    (tmp_path / "helpers_for_defs.py").write_text("VALUE = 41\n")
    (tmp_path / "defs.py").write_text(
        "from assetgraph import asset\nfrom helpers_for_defs import VALUE\n"
        "@asset\ndef answer():\n    return VALUE + 1\n"
    )
    assert load_definitions(file=tmp_path / "defs.py").graph.key_strings() == ["answer"]


def test_a_module_loads_with_dash_m(tmp_path: Path) -> None:
    package = tmp_path / "my_pipeline"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "defs.py").write_text(TWO_ASSETS)
    defs = load_definitions(module="my_pipeline.defs", cwd=tmp_path)
    assert defs.graph.key_strings() == ["a", "b"]


def test_pyproject_names_the_module(tmp_path: Path) -> None:
    (tmp_path / "location_mod.py").write_text(TWO_ASSETS)
    (tmp_path / "pyproject.toml").write_text('[tool.assetgraph]\nmodule = "location_mod"\n')
    assert load_definitions(cwd=tmp_path).graph.key_strings() == ["a", "b"]


def test_no_code_location_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pass -f FILE.py or -m MODULE"):
        load_definitions(cwd=tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    with pytest.raises(UsageError, match="has no \\[tool.assetgraph\\] module"):
        load_definitions(cwd=tmp_path)


def test_missing_file_and_module_are_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="nope.py' does not exist"):
        load_definitions(file=tmp_path / "nope.py")
    with pytest.raises(UsageError, match="module 'no_such_mod_xyz' was not found"):
        load_definitions(module="no_such_mod_xyz", cwd=tmp_path)


def test_an_import_error_in_user_code_shows_the_users_traceback(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import os\n\nvalue = undefined_name + 1\n")
    with pytest.raises(CodeLocationLoadError) as info:
        load_definitions(file=tmp_path / "broken.py")
    assert "NameError: name 'undefined_name' is not defined" in str(info.value)
    trace = info.value.user_traceback or ""
    assert 'broken.py", line 3' in trace
    assert "code_location.py" not in trace


def test_definition_errors_raised_while_importing_pass_through(tmp_path: Path) -> None:
    (tmp_path / "cyclic.py").write_text(
        "from assetgraph import asset, Definitions\n"
        "@asset\ndef a(b):\n    return b\n@asset\ndef b(a):\n    return a\n"
        "defs = Definitions([a, b])\n"
    )
    with pytest.raises(DefinitionError, match="cycle"):
        load_definitions(file=tmp_path / "cyclic.py")


def test_several_definitions_need_one_named_defs(tmp_path: Path) -> None:
    (tmp_path / "two.py").write_text(
        TWO_ASSETS + "from assetgraph import Definitions\none = Definitions([a])\n"
        "two = Definitions([a, b])\n"
    )
    with pytest.raises(CodeLocationLoadError, match="several Definitions objects \\(one, two\\)"):
        load_definitions(file=tmp_path / "two.py")


def test_a_file_without_assets_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_text("x = 1\n")
    with pytest.raises(CodeLocationLoadError, match="defines no Definitions and no @asset"):
        load_definitions(file=tmp_path / "empty.py")


def test_a_file_of_asset_checks_alone_is_loaded_with_them(tmp_path: Path) -> None:
    (tmp_path / "checks.py").write_text(
        "from assetgraph import AssetCheckSpec, multi_asset_check\n"
        "@multi_asset_check(specs=[AssetCheckSpec('fresh', asset='orders')])\n"
        "def checks():\n    ...\n"
    )
    # The checks are found; the asset they check, not in the file, is external.
    defs = load_definitions(file=tmp_path / "checks.py")
    assert [check.name for check in defs.asset_checks] == ["checks"]
    assert defs.graph.is_external(AssetKey("orders"))


def test_dagster_project_settings_name_the_code_location(tmp_path: Path) -> None:
    """Run in a Dagster project without -f/-m: [tool.dg.project] root_module (src/ layout,
    <root_module>.definitions) or [tool.dagster] module_name."""
    package = tmp_path / "src" / "dgproj_layout"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "definitions.py").write_text(TWO_ASSETS)
    (tmp_path / "pyproject.toml").write_text('[tool.dg.project]\nroot_module = "dgproj_layout"\n')

    defs = load_definitions(cwd=tmp_path)

    assert defs.origin == ("module", "dgproj_layout.definitions")
    assert defs.graph.key_strings() == ["a", "b"]

    (tmp_path / "legacy_defs.py").write_text(TWO_ASSETS)
    (tmp_path / "pyproject.toml").write_text('[tool.dagster]\nmodule_name = "legacy_defs"\n')
    assert load_definitions(cwd=tmp_path).origin == ("module", "legacy_defs")
