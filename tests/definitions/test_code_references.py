"""with_source_code_references and link_code_references_to_git: metadata the UI links to."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assetgraph import (
    AnchorBasedFilePathMapping,
    link_code_references_to_git,
    load_definitions,
    with_source_code_references,
)
from assetgraph.errors import DefinitionError

KEY = "dagster/code_references"

LOCATION = """
from pathlib import Path

from assetgraph import (
    AnchorBasedFilePathMapping,
    Definitions,
    asset,
    link_code_references_to_git,
    with_source_code_references,
)


@asset
def my_asset():
    return 1


@asset
def other_asset(my_asset):
    return my_asset + 1


my_assets = with_source_code_references([my_asset, other_asset])

my_assets = link_code_references_to_git(
    assets_defs=my_assets,
    git_url="https://github.com/example/project",
    git_branch="main",
    file_path_mapping=AnchorBasedFilePathMapping(
        local_file_anchor=Path(__file__).parent,
        file_anchor_path_in_repository="src/project/",
    ),
)

defs = Definitions(assets=my_assets)
"""


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "proj" / "defs.py"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(LOCATION))
    return path


def test_source_references_record_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path)
    defs = load_definitions(file=str(path))
    my_asset = next(a for a in defs.assets if a.name == "my_asset")
    plain = with_source_code_references([my_asset])[0]
    refs = plain.specs[0].metadata[KEY]["code_references"]
    assert refs[0]["kind"] == "url"  # the reference linked in the code location stays
    assert refs[-1]["kind"] == "local"
    assert refs[-1]["file_path"] == str(path.resolve())
    assert refs[-1]["line_number"] == 13


def test_git_links_use_the_anchor_mapping(tmp_path: Path) -> None:
    defs = load_definitions(file=str(_write(tmp_path)))
    urls = {
        spec.key.to_string(): spec.metadata[KEY]["code_references"]
        for assets_def in defs.assets
        for spec in assets_def.specs
    }
    assert urls["my_asset"] == [
        {
            "kind": "url",
            "url": "https://github.com/example/project/tree/main/src/project/defs.py#L13",
            "label": None,
        }
    ]
    assert urls["other_asset"][0]["url"].endswith("/src/project/defs.py#L18")


def test_the_ui_api_hands_the_links_to_the_asset_page(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from assetgraph import Instance
    from assetgraph.ui.api import UiState
    from assetgraph.ui.app import create_app
    from assetgraph.ui.launcher import CodeLocation

    path = _write(tmp_path)
    state = UiState(
        defs=load_definitions(file=str(path)),
        instance=Instance.from_env(),
        location=CodeLocation(file=path, cwd=path.parent),
        clock=lambda: datetime(2025, 1, 1, tzinfo=UTC),
    )
    client = TestClient(create_app(state), base_url="http://127.0.0.1:3000")
    body = client.get("/api/assets/my_asset").json()
    assert body["metadata"][KEY]["code_references"][0]["url"] == (
        "https://github.com/example/project/tree/main/src/project/defs.py#L13"
    )


def test_gitlab_urls_use_its_tree_layout() -> None:
    mapping = AnchorBasedFilePathMapping(Path("/repo/src/pkg/defs.py"), "pkg/defs.py")
    assert mapping.convert_to_source_control_path(Path("/repo/src/pkg/sub/a.py")) == "pkg/sub/a.py"
    from assetgraph import asset

    @asset
    def thing() -> int:
        return 1

    refs = with_source_code_references([thing])
    linked = link_code_references_to_git(refs, "https://gitlab.com/g/p", "dev", mapping)
    url = linked[0].specs[0].metadata[KEY]["code_references"][0]["url"]
    assert url.startswith("https://gitlab.com/g/p/-/tree/dev/")


def test_a_non_http_git_url_is_refused() -> None:
    with pytest.raises(DefinitionError, match="http"):
        link_code_references_to_git(
            [], "javascript:alert(1)", "main", AnchorBasedFilePathMapping(Path("."), ".")
        )
