"""Typed materialization metadata through the UI: served as stored, rendered by type."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph import materialize
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, write_site

DEFS = """
from assetgraph import (
    AssetCheckResult, AssetCheckSpec, MaterializeResult, MetadataValue, asset, asset_check,
)

@asset(check_specs=[AssetCheckSpec("reported", asset="page")])
def page() -> MaterializeResult:
    return MaterializeResult(
        metadata={
            "note": MetadataValue.md("<script>alert(1)</script>"),
            "link": MetadataValue.url("https://example.com"),
            "n": 3,
        },
        check_results=[AssetCheckResult(passed=True)],
    )

@asset_check(asset=page)
def separate() -> bool:
    return True
"""


def test_the_api_serves_metadata_typed_for_the_browser_to_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site", DEFS, monkeypatch)
    assert materialize(site.state.defs, instance=site.instance).success

    with TestClient(create_app(site.state), base_url=ORIGIN) as client:
        answer = client.get("/api/materializations/page")
        detail = client.get("/api/assets/page").json()

    assert detail["checks"] == ["reported", "separate"], "the page names its declared checks"
    assert answer.status_code == 200, answer.text
    assert answer.json()[0]["metadata"] == {
        "note": {"__metadata__": "md", "value": "<script>alert(1)</script>"},
        "link": {"__metadata__": "url", "value": "https://example.com"},
        "n": 3,
    }
    script = (Path(__file__).parents[2] / "assetgraph/ui/static/asset.js").read_text()
    assert 'type === "md"' in script and "innerHTML" not in script, (
        "markdown must be shown as text, never parsed as HTML"
    )


def test_the_asset_page_renders_each_entry_by_its_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = os.environ.get("ASSETGRAPH_TEST_CHROMIUM") or shutil.which("chromium")
    if chromium is None or not Path(chromium).exists():
        pytest.skip("no Chromium: apt-get install chromium (or set ASSETGRAPH_TEST_CHROMIUM)")
    from tests.ui.conftest import start_live_server, stop_live_server

    site = write_site(tmp_path / "site", DEFS, monkeypatch)
    assert materialize(site.state.defs, instance=site.instance).success
    server = start_live_server(create_app(site.state))
    errors: list[str] = []
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page()
                page.set_default_timeout(30_000)
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(server.url + "/assets/page#plots")
                page.wait_for_selector("#history [data-name=note] [data-type=md]")
                note = page.locator("#history [data-name=note] [data-type=md]").inner_text()
                link = page.locator("#history [data-name=link] a[data-type=url]")
                injected = page.locator("#history script").count()
                href = link.get_attribute("href")
            finally:
                browser.close()
    finally:
        stop_live_server(server)

    assert not errors, f"JavaScript errors on the page: {errors}"
    assert note == "<script>alert(1)</script>", "markdown is shown as text"
    assert injected == 0, "no element was made from the markdown"
    assert href == "https://example.com"
