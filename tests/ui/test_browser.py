"""End to end in a real headless Chromium (Debian's ``chromium``) driven by Playwright.

A live uvicorn server on a random local port serves the small code location; the tests
click through the pages as a user would and save a screenshot of each page under the
test's tmp folder. Skipped, with the reason, when chromium or playwright is missing.
"""

from __future__ import annotations

import os
import random
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from assetgraph.ui.app import create_app
from tests.ui.conftest import LiveServer, Site, start_live_server, stop_live_server, write_site

CHROMIUM = (
    os.environ.get("ASSETGRAPH_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: apt-get install chromium (or set ASSETGRAPH_TEST_CHROMIUM)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def live(app: FastAPI) -> Iterator[LiveServer]:
    server = start_live_server(app)
    try:
        yield server
    finally:
        stop_live_server(server)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on(
        "console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None
    )
    try:
        yield opened
    finally:
        context.close()
    assert not errors, f"JavaScript or console errors on the page: {errors}"


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "screenshots"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_catalog_search_and_open_an_asset(page: Any, live: LiveServer, tmp_path: Path) -> None:
    open_page(page, live.url + "/")
    rows = page.locator("#catalog tbody tr")
    assert rows.count() == 4
    # The description is shown as text, never parsed as HTML.
    assert page.locator("#catalog img").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator("tr[data-key=revenue]").inner_text()
    shot(page, tmp_path, "catalog")
    page.fill("#search", "clean")
    assert rows.count() == 1
    assert page.locator("#count").inner_text() == "1 of 4 assets"
    page.fill("#search", "")
    page.select_option("#status", "failed")
    assert [r.get_attribute("data-key") for r in rows.all()] == ["broken"]
    page.select_option("#status", "")
    page.fill("#search", "raw")
    page.click("tr[data-key=raw_orders] a")
    page.wait_for_url("**/assets/raw_orders")
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#asset-status").inner_text() == "partial"
    assert page.locator("#plot svg polyline").count() == 1
    shot(page, tmp_path, "asset")


def test_lineage_graph_shows_nodes_and_opens_an_asset_on_click(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/lineage")
    nodes = page.evaluate("agLineage.cy.nodes('[!isGroup]').map(n => [n.id(), n.data('status')])")
    assert dict(nodes) == {
        "raw_orders": "partial",
        "cleaned_orders": "partial",
        "revenue": "missing",
        "broken": "failed",
    }
    groups = page.evaluate("agLineage.cy.nodes('[?isGroup]').map(n => n.data('label'))")
    assert sorted(groups) == ["reports", "sales"]
    shot(page, tmp_path, "lineage")
    box = page.locator("#graph").bounding_box()
    where = page.evaluate("agLineage.cy.getElementById('cleaned_orders').renderedPosition()")
    page.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
    page.wait_for_url("**/assets/cleaned_orders")
    page.wait_for_selector("body[data-ready=true]")  # its requests end before the server does


def test_materialize_a_partition_and_watch_it_turn_materialized(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/assets/raw_orders#partitions")
    assert page.locator('#strip .seg[data-first="2025-01-04"]').get_attribute("data-status") == (
        "missing"
    )
    page.fill("#partition-key", "2025-01-08")
    page.click("#materialize-partition")
    page.wait_for_selector("#launched-status[data-status=success]", timeout=60_000)
    segment = page.locator('#strip .seg[data-first="2025-01-08"][data-last="2025-01-08"]')
    segment.wait_for()
    assert segment.get_attribute("data-status") == "materialized"
    shot(page, tmp_path, "asset-after-materialize")

    page.click("#launched-run")
    page.wait_for_selector("body[data-run-status=success]")
    step = page.locator('.step[data-step="raw_orders[2025-01-08]"]')
    assert step.get_attribute("data-status") == "success"
    page.locator("#events td", has_text="fetching orders of 2025-01-08").wait_for()
    assert page.locator("#run-partitions").inner_text() == "2025-01-08"
    shot(page, tmp_path, "run")

    open_page(page, live.url + "/runs")
    assert page.locator("#runs tbody tr").first.get_attribute("data-status") == "success"
    assert page.locator("#runs tbody tr").count() == 5
    assert page.locator("#runs tbody tr").first.locator("td").nth(3).inner_text() == "2025-01-08"
    shot(page, tmp_path, "runs")

    open_page(page, live.url + "/automation")
    assert page.locator("#no-ticks").inner_text() == "No ticks recorded."
    shot(page, tmp_path, "automation")


def test_failed_run_page_shows_the_traceback(page: Any, live: LiveServer, tmp_path: Path) -> None:
    open_page(page, live.url + "/runs")
    page.click("#runs tbody tr[data-status=failure] a")
    page.wait_for_selector("body[data-run-status=failure]")
    page.locator("#events pre.error", has_text="the source is down").wait_for()
    shot(page, tmp_path, "run-failed")


def many_assets_source(count: int, groups: int, layers: int = 12, seed: int = 7) -> str:
    """A code location shaped like a real platform: ``count`` assets in ``groups`` groups
    and ``layers`` layers; each reads 1-3 assets of the two layers before it, mostly of
    its own group (a fixed seed, so every run builds the same graph)."""
    rng = random.Random(seed)
    lines = ["from assetgraph import Definitions, asset", ""]
    by_layer: list[list[str]] = [[] for _ in range(layers)]
    group_of: dict[str, int] = {}
    for i in range(count):
        name, group = f"asset_{i:04d}", i * groups // count
        layer = min(layers - 1, int(rng.random() ** 0.8 * layers)) if i >= groups else 0
        candidates = [n for lay in by_layer[max(0, layer - 2) : layer] for n in lay]
        own = [n for n in candidates if group_of[n] == group]
        parents = {
            rng.choice(own if own and rng.random() < 0.8 else candidates)
            for _ in range(rng.choice([1, 1, 2, 2, 3]))
            if candidates
        }
        by_layer[layer].append(name)
        group_of[name] = group
        lines += [
            f"@asset(group='group_{group:02d}', deps={sorted(parents)!r})",
            f"def {name}() -> int:",
            f"    return {i}",
            "",
        ]
    lines.append(f"defs = Definitions(assets=[{', '.join(sorted(group_of))}])")
    return "\n".join(lines) + "\n"


def test_lineage_of_1000_assets_lays_out_and_stays_usable(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site: Site = write_site(tmp_path / "big", many_assets_source(1000, 12), monkeypatch)
    server = start_live_server(create_app(site.state))
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        open_page(page, server.url + "/lineage")
        counts = page.evaluate(
            "[agLineage.cy.nodes('[!isGroup]').length, agLineage.cy.edges().length,"
            " agLineage.layoutMs]"
        )
        assert counts[0] == 1000
        assert counts[1] > 1000
        assert counts[2] < 20_000, f"layout took {counts[2]:.0f} ms"
        shot(page, tmp_path, "lineage-1000")
        page.fill("#find", "asset_0500")
        page.press("#find", "Enter")
        page.wait_for_function("agLineage.cy.getElementById('asset_0500').selected()")
        page.wait_for_timeout(400)  # the centring animation, for the screenshot only
        shot(page, tmp_path, "lineage-1000-focused")
        open_page(page, server.url + "/")
        page.fill("#search", "asset_09")
        assert page.locator("#catalog tbody tr").count() == 100
    finally:
        context.close()
        stop_live_server(server)


def test_many_assets_source_is_valid_python() -> None:
    compile(textwrap.dedent(many_assets_source(20, 3)), "defs.py", "exec")


def test_stale_assets_in_the_catalog_the_health_strip_and_a_source_page(
    page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ui.test_stale import build_stale_site

    site = build_stale_site(tmp_path / "stale", monkeypatch)
    live = start_live_server(create_app(site.state))
    try:
        open_page(page, live.url + "/")
        page.select_option("#status", "stale")
        rows = page.locator("#catalog tbody tr")
        assert [r.get_attribute("data-key") for r in rows.all()] == ["cleaned_orders", "revenue"]
        assert "2 stale" in page.locator("tr[data-key=cleaned_orders]").inner_text()
        page.click("tr[data-key=cleaned_orders] a")
        page.wait_for_url("**/assets/cleaned_orders")
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator("#asset-status").inner_text() == "stale"
        page.click("#tabs button[data-tab=partitions]")
        segment = page.locator('#strip .seg[data-first="2025-01-02"][data-last="2025-01-03"]')
        segment.wait_for()
        assert segment.get_attribute("data-status") == "stale"
        shot(page, tmp_path, "asset-stale")
        open_page(page, live.url + "/assets/price_list")
        assert "never materializes it" in page.locator("#source-note").inner_text()
        assert page.locator("#materialize button").count() == 0
    finally:
        stop_live_server(live)
