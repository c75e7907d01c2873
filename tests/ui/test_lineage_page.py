"""The lineage page (node facts, selection, edges around group boxes, live refresh), the
catalog's live refresh, and the asset page's tabs, definition, multi-partition grid and
plots, in a real headless Chromium driven as a user would, on state made by real runs.

Every test fails on any console error or uncaught page error.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assetgraph import materialize
from assetgraph.ui.app import create_app
from tests.ui.conftest import LiveServer, Site, serving, start_live_server, stop_live_server
from tests.ui.test_browser import browser, open_page, shot, sync_api
from tests.ui.test_browser_panels import new_page, page
from tests.ui.test_lineage_api import build_lineage_site

expect = sync_api.expect

__all__ = ["browser", "page"]  # fixtures shared with test_browser and test_browser_panels


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return build_lineage_site(tmp_path / "site", monkeypatch)


@pytest.fixture
def live(site: Site) -> Iterator[LiveServer]:
    with serving(site.state) as server:
        yield server


GRAPH = """() => {
  const cy = window.agLineage.cy;
  const box = (bb) => [bb.x1, bb.y1, bb.x2, bb.y2];
  return {
    boxes: cy.nodes('[?isGroup]').map((g) => [g.data('label'), box(g.boundingBox())]),
    edges: cy.edges('.cross').map((e) => ({
      source: e.source().data('group'), target: e.target().data('group'),
      points: [e.sourceEndpoint(), ...(e.segmentPoints() || []), e.targetEndpoint()]
        .map((p) => [p.x, p.y]),
    })),
    view: [cy.zoom(), cy.pan().x, cy.pan().y],
  };
}"""


def crosses(a: list[float], b: list[float], box: list[float], inset: float = 2.0) -> bool:
    """Whether the segment a-b passes through the inside of ``box`` (sampled every pixel)."""
    x1, y1, x2, y2 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
    steps = int(max(abs(b[0] - a[0]), abs(b[1] - a[1]))) + 1
    for i in range(steps + 1):
        x = a[0] + (b[0] - a[0]) * i / steps
        y = a[1] + (b[1] - a[1]) * i / steps
        if x1 < x < x2 and y1 < y < y2:
            return True
    return False


def test_lineage_nodes_say_status_partitions_and_checks_and_edges_go_around_groups(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/lineage")
    labels = page.evaluate(
        "() => Object.fromEntries(window.agLineage.cy.nodes('[!isGroup]')"
        ".map((n) => [n.id(), n.data('label')]))"
    )
    assert labels["daily_sales"].splitlines()[1].startswith("partial · ")
    assert "3/7 partitions · 4 missing" in labels["daily_sales"]
    assert "checks: 0/1 passed, 1 failed" in labels["daily_sales"]
    assert "5/21 partitions · 1 failed · 16 missing" in labels["regional_sales"]
    assert labels["forecast"].splitlines()[1] == "missing · never"
    assert page.evaluate("() => window.agLineage.layoutFrom") == "dagre"
    graph = page.evaluate(GRAPH)
    assert_no_edge_crosses_a_group(graph)
    shot(page, tmp_path, "lineage-groups")
    # A second visit reuses the layout kept in the browser: the same places, still routed.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.evaluate("() => window.agLineage.layoutFrom") == "cache"
    again = page.evaluate(GRAPH)
    assert again["boxes"] == graph["boxes"]
    assert_no_edge_crosses_a_group(again)


def assert_no_edge_crosses_a_group(graph: dict[str, Any]) -> None:
    boxes = dict(graph["boxes"])
    assert len(boxes) == 4
    spans = {(e["source"], e["target"]) for e in graph["edges"]}
    assert ("ingest", "reports") in spans  # raw_events -> weekly_report skips the sales column
    for edge in graph["edges"]:
        others = [g for g in boxes if g not in (edge["source"], edge["target"])]
        points = edge["points"]
        assert len(points) >= 3, edge  # routed, not a straight line
        for a, b in itertools.pairwise(points):
            for group in others:
                assert not crosses(a, b, boxes[group]), (edge, group)


def test_a_typed_selection_limits_the_graph_and_links_to_the_launchpad(
    page: Any, live: LiveServer
) -> None:
    open_page(page, live.url + "/lineage")
    page.fill("#select", "+weekly_report")
    page.press("#select", "Enter")
    page.wait_for_url("**/lineage?select=%2Bweekly_report")
    page.wait_for_selector("body[data-ready=true]")
    ids = page.evaluate("() => window.agLineage.cy.nodes('[!isGroup]').map((n) => n.id()).sort()")
    assert ids == ["daily_sales", "raw_events", "weekly_report"]
    launch = page.locator("#materialize-selection")
    assert launch.get_attribute("href") == "/launchpad?select=%2Bweekly_report"
    page.fill("#select", "forecast+")  # typed, not applied yet: the link follows the box
    assert launch.get_attribute("href") == "/launchpad?select=forecast%2B"
    page.fill("#select", "+weekly_report")
    # A mistake says what is wrong and keeps the graph.
    page.fill("#select", "weekly_reprot")
    page.click("#select-apply")
    expect(page.locator("#select-error")).to_contain_text("weekly_report")
    assert page.evaluate("() => window.agLineage.cy.nodes('[!isGroup]').length") == 3
    # The selection is in the URL: a reload shows the same graph.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value("#select") == "+weekly_report"
    assert page.evaluate("() => window.agLineage.cy.nodes('[!isGroup]').length") == 3
    # Shift+click adds an asset to the box (and takes it out again).
    at = page.evaluate(
        "() => { const p = window.agLineage.cy.getElementById('daily_sales').renderedPosition();"
        " const r = document.getElementById('graph').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }"
    )
    page.keyboard.down("Shift")
    page.mouse.click(at[0], at[1])
    page.keyboard.up("Shift")
    expect(page.locator("#select")).to_have_value("+weekly_report daily_sales")
    assert launch.get_attribute("href") == "/launchpad?select=%2Bweekly_report%20daily_sales"
    page.keyboard.down("Shift")
    page.mouse.click(at[0], at[1])
    page.keyboard.up("Shift")
    expect(page.locator("#select")).to_have_value("+weekly_report")
    assert "/lineage" in page.url  # no navigation
    page.click("#select-clear")
    page.wait_for_function("() => window.agLineage.cy.nodes('[!isGroup]').length === 5")
    assert "select=" not in page.url


def test_lineage_and_catalog_refresh_live_without_moving_the_view(
    browser: Any, live: LiveServer, site: Site
) -> None:
    context, page, errors = new_page(browser)
    catalog_context, catalog, catalog_errors = new_page(browser)
    try:
        open_page(page, live.url + "/lineage?focus=weekly_report")
        page.click("button[aria-label='Zoom in']")
        page.wait_for_timeout(400)  # the focus animation ends; the view is the user's now
        view = page.evaluate(GRAPH)["view"]
        open_page(catalog, live.url + "/")
        catalog.fill("#search", "forecast")
        row = catalog.locator("tr[data-key=forecast]")
        assert row.get_attribute("data-status") == "missing"
        catalog.check("tr[data-key=forecast] input.pick")
        assert materialize(site.state.defs, selection="forecast", instance=site.instance).success
        page.wait_for_function(
            "() => window.agLineage.cy.getElementById('forecast').data('status') !== 'missing'",
            timeout=15_000,
        )
        assert "missing · never" not in page.evaluate(
            "() => window.agLineage.cy.getElementById('forecast').data('label')"
        )
        assert page.evaluate(GRAPH)["view"] == view
        assert page.evaluate("() => window.agLineage.cy.$(':selected').map((n) => n.id())") == [
            "weekly_report"
        ]
        expect(row).not_to_have_attribute("data-status", "missing", timeout=15_000)
        assert catalog.input_value("#search") == "forecast"  # the filter stays
        assert catalog.locator("#catalog tbody tr").count() == 1
        assert catalog.is_checked("tr[data-key=forecast] input.pick")  # the pick stays too
        expect(catalog.locator("#launch-selected")).to_have_text("Launch selected (1)")
    finally:
        context.close()
        catalog_context.close()
    assert not errors and not catalog_errors, errors + catalog_errors


def test_asset_tabs_follow_the_url_and_the_definition_renders_each_type(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/assets/raw_events")
    assert page.locator("#tabs").get_attribute("data-open") == "overview"
    overview = page.locator("#overview")
    entry = lambda name: overview.locator(f"tr[data-name={name}] td").nth(1)  # noqa: E731
    assert entry("notes").locator("h3").inner_text() == "Events"
    assert entry("notes").locator("strong").inner_text() == "Raw"
    assert entry("notes").locator("a").get_attribute("href") == "https://shop.example"
    assert "<script>" in entry("notes").inner_text()  # shown as text, never run
    assert page.locator("#main script").count() == 0
    assert entry("dashboard").locator("a").get_attribute("href") == "https://dash.example/events"
    assert entry("bad_link").locator("a").count() == 0
    assert '"retries": 3' in entry("config").locator("pre[data-type=json]").inner_text()
    assert entry("landing").locator("code[data-type=path]").inner_text() == "/data/landing/events"
    assert entry("analysis").locator("code[data-type=notebook]").count() == 1
    assert entry("expected_rows").inner_text() == "1,200"
    assert entry("sample_rate").inner_text() == "0.25"
    assert entry("columns").locator("td", has_text="event_id").count() == 1
    assert entry("owners_table").locator("td", has_text="data").count() == 1
    assert entry("plain").inner_text() == "a plain string"
    assert page.locator(".code-reference").count() == 1
    expect(page.locator("#freshness-policy")).to_have_text(
        "each partition within 120 min after its window ends"
    )
    expect(page.locator("#automation-policy")).to_have_text("policy: eager")
    shot(page, tmp_path, "asset-definition")
    # A tab is a click away, in the URL, and survives a reload; Back returns.
    page.click("#tabs button[data-tab=checks]")
    assert page.url.endswith("#checks")
    expect(page.locator("#checks")).to_be_visible()
    expect(page.locator("#overview")).to_be_hidden()
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#checks")).to_be_visible()
    expect(page.locator("#why")).to_be_hidden()
    page.go_back()
    expect(page.locator("#overview")).to_be_visible()
    page.focus("#tabs button[data-tab=overview]")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#why")).to_be_visible()
    assert page.url.endswith("#why")
    # The section another script adds (asset_automation.js) gets its own tab.
    page.click("#tabs button[data-tab=automation]")
    expect(page.locator("section#automation h2")).to_have_text("Automation")
    assert page.url.endswith("#automation")
    # The condition tree of an asset automated by a condition.
    open_page(page, live.url + "/assets/daily_sales")
    tree = page.locator("#automation-condition")
    expect(tree.locator("strong").first).to_have_text("keep up with events")
    assert tree.locator("li").count() > 2


def test_multi_partition_grid_drills_down_and_plots_go_over_partition(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/assets/regional_sales#partitions")
    grid = page.locator("#partition-grid")
    expect(grid).to_be_visible()
    assert (grid.get_attribute("data-rows"), grid.get_attribute("data-cols")) == ("7", "3")
    names = ("data-cell", "data-label-width", "data-head-height")
    cell, label_w, head_h = (int(grid.get_attribute(name) or 0) for name in names)
    canvas = grid.locator("canvas")
    # Row 2025-01-03 (third), column apac (third): the failed partition.
    canvas.click(position={"x": label_w + 2 * cell + cell / 2, "y": head_h + 2 * cell + cell / 2})
    detail = page.locator("#partition-detail [data-partition='2025-01-03|apac']")
    expect(detail).to_have_attribute("data-status", "failed")
    expect(page.locator("#partition-error")).to_contain_text("the apac feed is down")
    canvas.click(position={"x": label_w + 0 * cell + 4, "y": head_h + 1 * cell + 4})
    expect(page.locator("#partition-detail [data-partition='2025-01-02|eu']")).to_have_attribute(
        "data-status", "materialized"
    )
    shot(page, tmp_path, "asset-grid")
    page.click("#grid-swap")
    swapped = page.locator("#partition-grid")
    expect(swapped).to_have_attribute("data-rows", "3")
    canvas = swapped.locator("canvas")
    # Swapped: row apac (third), column 2025-01-03 (third) is the same partition.
    canvas.click(position={"x": label_w + 2 * cell + 4, "y": head_h + 2 * cell + 4})
    expect(page.locator("#partition-detail [data-partition='2025-01-03|apac']")).to_be_visible()
    # A link to an anchor inside the tab (a key in the list of ranges) keeps the tab open.
    page.locator("#strip-area td a", has_text="2025-01-03|apac").first.click()
    expect(page.locator("#partitions")).to_be_visible()
    expect(page.locator("#partition-detail [data-partition='2025-01-03|apac']")).to_be_visible()
    # raw_events' three partitions came from one backfill run: plotted over partition.
    open_page(page, live.url + "/assets/raw_events#plots")
    expect(page.locator("#plot-over")).to_have_value("partition")
    page.select_option("#plot-metric", "rows")
    assert page.locator("#plot svg").get_attribute("data-points") == "3"


def test_a_selection_in_the_url_is_shown_as_text_never_as_html(page: Any, live: LiveServer) -> None:
    open_page(page, live.url + "/lineage?select=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    expect(page.locator("#select-error")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("#main img").count() == 0
    assert page.evaluate("() => window.agLineage.cy.nodes('[!isGroup]').length") == 5


BIG_GRID = """
from assetgraph import (
    DailyPartitionsDefinition, Definitions, MultiPartitionsDefinition,
    StaticPartitionsDefinition, asset,
)

days = DailyPartitionsDefinition(start_date="2023-01-01")
regions = StaticPartitionsDefinition([f"region_{r:02d}" for r in range(40)])


@asset(partitions_def=MultiPartitionsDefinition({"date": days, "region": regions}))
def regional() -> int:
    return 1


defs = Definitions(assets=[regional])
"""


def test_a_large_grid_paints_only_what_is_in_view_and_clicks_after_scrolling(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ui.conftest import write_site

    site = write_site(tmp_path / "big", BIG_GRID, monkeypatch)
    server = start_live_server(create_app(site.state))
    context, page, errors = new_page(browser)
    try:
        open_page(page, server.url + "/assets/regional#partitions")
        grid = page.locator("#partition-grid")
        rows = int(grid.get_attribute("data-rows") or 0)
        assert rows == 762 and grid.get_attribute("data-cols") == "40"  # 2023-01-01..2025-01-31
        size = page.evaluate(
            "() => { const b = document.getElementById('partition-grid');"
            " const c = b.querySelector('canvas');"
            " return [b.scrollHeight, b.clientHeight, c.clientHeight]; }"
        )
        assert size[0] > 12_000 and size[2] <= size[1]  # a canvas the size of the view
        page.evaluate(
            "() => { const b = document.getElementById('partition-grid');"
            " b.scrollTop = b.scrollHeight; b.scrollLeft = b.scrollWidth; }"
        )
        page.wait_for_timeout(100)  # one animation frame repaints the view
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        box = grid.bounding_box()
        cell = int(grid.get_attribute("data-cell") or 0)
        canvas = grid.locator("canvas").bounding_box()
        # The last row's cell at the view's bottom edge, in the last column at the right.
        x, y = canvas["x"] + canvas["width"] - 60 - cell / 2, box["y"] + box["height"] - cell
        page.mouse.click(x, y)
        last = page.locator("#partition-detail [data-partition='2025-01-31|region_39']")
        expect(last).to_have_attribute("data-status", "missing")
    finally:
        context.close()
        stop_live_server(server)
    assert not errors, errors
