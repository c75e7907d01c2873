"""Default code versions ignore docstrings, comments and whitespace, and see real edits."""

from __future__ import annotations

from pathlib import Path

from assetgraph import asset
from assetgraph.definitions.code_location import load_definitions


def _version_of(tmp_path: Path, name: str, body: str) -> str:
    file = tmp_path / f"{name}.py"
    file.write_text(
        "from assetgraph import asset\n\n@asset\ndef orders():\n    return [1]\n\n" + body
    )
    defs = load_definitions(file=file)
    revenue = next(a for a in defs.assets if a.name == "revenue")
    return revenue.code_version(revenue.key)


BASE = """
@asset
def revenue(orders):
    total = sum(orders)
    return total * 2
"""

COSMETIC = '''
@asset(group="finance")   # decorator options are not code
def revenue(orders):
    """Now with a docstring."""
    # and a comment
    total   =   sum( orders )

    return total * 2
'''

EDITED = """
@asset
def revenue(orders):
    total = sum(orders)
    return total * 3
"""


def test_docstrings_comments_and_whitespace_do_not_change_the_version(tmp_path: Path) -> None:
    assert _version_of(tmp_path, "a", BASE) == _version_of(tmp_path, "b", COSMETIC)


def test_an_edit_changes_the_version(tmp_path: Path) -> None:
    assert _version_of(tmp_path, "a", BASE) != _version_of(tmp_path, "c", EDITED)


def test_an_explicit_code_version_wins() -> None:
    @asset(code_version="2025-01")
    def pinned() -> int:
        return 1

    assert pinned.code_version(pinned.key) == "2025-01"


def test_functions_without_source_still_get_a_stable_version() -> None:
    namespace: dict[str, object] = {}
    exec("def made() -> int:\n    return 41 + 1\n", namespace)
    first = asset(namespace["made"])  # type: ignore[call-overload]
    exec("def made() -> int:\n    return 41 + 1\n", namespace)
    second = asset(namespace["made"])  # type: ignore[call-overload]
    assert first.code_version(first.key) == second.code_version(second.key)
    assert len(first.code_version(first.key)) == 16
