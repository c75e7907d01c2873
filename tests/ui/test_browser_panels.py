"""The asset page's why and checks panels, run controls and filters, the API docs, 404s, the
UTC switch and the 390 px layout, in a real headless Chromium driven as a user would.

Every test fails on any console error or uncaught page error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import LiveServer, serving
from tests.ui.test_asset_panels import build_checks_site
from tests.ui.test_browser import TIMEOUT_MS, browser, open_page, shot, sync_api

expect = sync_api.expect

__all__ = ["browser"]  # the module-scoped Chromium fixture, shared with test_browser


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    site = build_checks_site(tmp_path / "site", monkeypatch)
    with serving(site.state) as server:
        yield server


def new_page(browser: Any, width: int = 1360, height: int = 900) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    return context, page, errors


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context, opened, errors = new_page(browser)
    try:
        yield opened
    finally:
        context.close()
    assert not errors, errors


def test_the_asset_page_says_why_and_shows_each_check(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/assets/summary#why")
    why = page.locator("#why")
    why.locator("li[data-cause=upstream_changed]").wait_for()
    assert "upstream orders[2025-01-01] changed" in why.inner_text()
    why.locator("a", has_text="open orders").first.click()
    page.wait_for_url("**/assets/orders")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#tabs button[data-tab=why]")
    failure = page.locator("#last-failure")
    assert "Failing:" in failure.inner_text() and "2025-01-03" in failure.inner_text()
    failure.locator("summary").click()
    assert "blocking check 'positive' failed" in failure.locator("pre.error").inner_text()
    # The description's RST renders: ``summary`` as code, the link as a link, no markup left.
    assert page.locator("#description code").inner_text() == "summary"
    assert page.locator("#description a").get_attribute("href") == "https://shop.example"
    assert "``" not in page.locator("#description").inner_text()
    page.click("#tabs button[data-tab=checks]")
    positive = page.locator(".check[data-check=positive]")
    assert positive.get_attribute("data-status") == "failed"
    assert "blocking" in positive.locator("h3").inner_text()
    assert positive.locator("tr[data-partition='2025-01-03']").get_attribute("data-passed") == (
        "false"
    )
    few_rows = page.locator(".check[data-check=few_rows]")
    assert few_rows.get_attribute("data-status") == "warning"
    assert "non-blocking" in few_rows.locator("h3").inner_text()
    few_rows.locator("details.check-history summary").click()
    assert few_rows.locator("details.check-history [data-name=rows]").first.is_visible()
    # Drill down: the failed partition's segment shows its run and error; a built one its
    # data version; zooming widens the strip and adds keys to its axis.
    page.click("#tabs button[data-tab=partitions]")
    page.click('#strip .seg[data-first="2025-01-03"]')
    detail = page.locator("#partition-detail [data-partition='2025-01-03']")
    assert detail.get_attribute("data-status") == "failed"
    assert "blocking check 'positive'" in detail.locator("#partition-error").inner_text()
    page.fill("#inspect-partition", "2025-01-02")
    page.click("#inspect")
    built = page.locator("#partition-detail [data-partition='2025-01-02']")
    assert len(built.locator("#partition-data-version").inner_text()) >= 8
    ticks = page.locator("#strip-axis .strip-tick").count()
    page.click("#strip-zoom-in")
    expect(page.locator("#strip-zoom")).to_have_text("4\u00d7")
    assert page.locator("#strip-axis .strip-tick").count() >= ticks
    # The plot over partition has one point per partition.
    page.click("#tabs button[data-tab=plots]")
    page.select_option("#plot-over", "partition")
    assert page.locator("#plot svg").get_attribute("data-points") == "3"
    shot(page, tmp_path, "asset-why-checks")


def test_the_failed_run_page_filters_its_log_and_reexecutes_from_failure(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/runs")
    page.select_option("#run-status", "failure")
    expect(page.locator("#runs tbody tr")).to_have_count(1)
    page.fill("#run-partition", "2025-01-03")
    page.click("#run-filter")
    page.wait_for_url("**/runs?status=failure&partition=2025-01-03")
    page.click("#runs tbody tr[data-status=failure] a")
    page.wait_for_selector("body[data-run-status=failure]")
    assert page.locator("#cancel-run").count() == 0, "a finished run cannot be canceled"
    assert page.locator("#time-axis .axis-tick").count() >= 2
    page.click("#zoom-in")
    assert page.locator("#zoom-level").inner_text() == "2\u00d7"
    rows = page.locator("#events tbody tr")
    assert rows.count() >= 6
    page.select_option("#log-kind", "asset_check_evaluation")
    expect(rows).to_have_count(2)
    page.select_option("#log-kind", "")
    page.fill("#log-search", "nothing was stored")
    expect(page.locator("#log-page")).to_have_text("1\u20131 of 1 events")
    assert rows.count() == 1 and page.locator("#events tr.ev-step_failure").count() == 1
    shot(page, tmp_path, "run-filtered")
    page.click("#reexecute-failed")
    link = page.locator("#reexecuted-run")
    link.wait_for(timeout=60_000)
    link.click()
    page.wait_for_selector("body[data-run-status]")
    assert "re-execution" in page.locator("#run-launched-by").inner_text()
    assert page.locator("#run-partitions").inner_text() == "2025-01-03"
    # 2025-01-03 fails its blocking check again; the page sees the run end.
    page.wait_for_selector("body[data-run-status=failure]", timeout=60_000)
    assert page.locator("#reexecute-failed").is_visible()


def test_swagger_and_redoc_render_offline(page: Any, live: LiveServer, tmp_path: Path) -> None:
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live.url) else None)
    open_page(page, live.url + "/api/docs")
    page.locator(".swagger-ui .info .title", has_text="assetgraph UI").wait_for()
    page.locator(".opblock-summary-path", has_text="/api/checks/{key}").first.wait_for()
    shot(page, tmp_path, "swagger")
    open_page(page, live.url + "/api/redoc")
    page.locator("#redoc h1", has_text="assetgraph UI").wait_for()
    assert not [u for u in external if not u.startswith("data:")], external


def test_a_missing_asset_is_a_404_page_with_a_way_back(browser: Any, live: LiveServer) -> None:
    context, page, errors = new_page(browser)
    try:
        response = page.goto(live.url + "/assets/order")
        assert response.status == 404
        assert "Asset not found" in page.locator("#not-found h1").inner_text()
        assert "orders" in page.locator("#not-found").inner_text(), "names the nearest key"
        page.click("#not-found a[href='/']")
        page.wait_for_selector("body[data-ready=true]")
    finally:
        context.close()
    assert [e for e in errors if "404" not in e] == [], errors


def test_times_carry_their_zone_and_the_utc_switch_is_remembered(
    browser: Any, live: LiveServer
) -> None:
    context = browser.new_context(timezone_id="Asia/Kolkata")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        open_page(page, live.url + "/runs")
        page.click("#runs tbody tr a")
        page.wait_for_selector("body[data-run-status]")
        assert "UTC+05:30" in page.locator("#run-header").inner_text()
        page.check("#utc")
        page.wait_for_selector("body[data-run-status]")
        expect(page.locator("#run-header")).not_to_contain_text("UTC+05:30")
        assert " UTC" in page.locator("#run-header").inner_text()
        open_page(page, live.url + "/assets/orders")
        assert page.locator("#utc").is_checked()
        assert "UTC" in page.locator("#history td.nowrap").first.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/assets/orders", "/runs", "/lineage", "/api/docs"])
def test_pages_fit_a_390_px_phone_without_sideways_scrolling(
    browser: Any, live: LiveServer, path: str
) -> None:
    context, page, errors = new_page(browser, 390, 844)
    try:
        open_page(page, live.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} overflows by {overflow}px at 390 px"
    finally:
        context.close()
    assert not errors, errors


def test_the_run_timeline_stays_usable_at_390_px(browser: Any, live: LiveServer) -> None:
    context, page, errors = new_page(browser, 390, 844)
    try:
        open_page(page, live.url + "/runs?status=success")
        page.click("#runs tbody tr a")
        page.wait_for_selector("body[data-run-status=success]")
        bar = page.locator(".timeline .step[data-status=success] .bar").first.bounding_box()
        track = page.locator(".timeline .step[data-status=success] .track").first.bounding_box()
        assert track["width"] > 250, "the track takes the width of the phone"
        assert bar["width"] >= 1
    finally:
        context.close()
    assert not errors, errors
