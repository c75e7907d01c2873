"""The launchpad in a real headless Chromium, driven as a user would: type a selection, pick
a range, read the preview and its warning, include upstream, confirm a large launch, launch
and watch the run finish; store a backfill; reach the launchpad from the catalog, an asset
page and the lineage. Every test fails on any console error or uncaught page error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import LiveServer, Site, serving
from tests.ui.test_browser import browser, open_page, shot, sync_api
from tests.ui.test_browser_panels import page
from tests.ui.test_launchpad_api import build_launch_site

expect = sync_api.expect
RUN_TIMEOUT_MS = 90_000

__all__ = ["browser", "page"]  # fixtures shared with test_browser and test_browser_panels


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return build_launch_site(tmp_path / "site", monkeypatch)


@pytest.fixture
def live(site: Site) -> Iterator[LiveServer]:
    with serving(site.state) as server:
        yield server


def test_preview_warns_of_missing_upstream_then_a_launch_runs_to_the_end(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, f"{live.url}/launchpad")
    page.fill("#lp-select", "features")
    page.check("#lp-mode-range")
    expect(page.locator("#lp-hint")).to_contain_text("first and last partition")
    page.fill("#lp-first", "2025-01-01")
    page.fill("#lp-last", "2025-01-10")
    expect(page.locator("#lp-total-steps")).to_have_text("10 steps")
    warning = page.locator("#lp-warnings li")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("7 steps of 'features' read partitions of 'raw'")
    expect(warning).to_contain_text("2025-01-04...2025-01-10")
    shot(page, tmp_path, "launchpad-warning")

    page.click("#lp-include-upstream")
    expect(page.locator("#lp-select")).to_have_value("features raw")
    expect(page.locator("#lp-total-steps")).to_have_text("20 steps")
    expect(page.locator("#lp-warnings")).to_have_count(0)
    rows = page.locator("#lp-plan tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-asset", "raw")

    page.fill("#lp-tags", "team")
    expect(page.locator("#lp-error")).to_contain_text("Tag 'team': write it as KEY=VALUE.")
    expect(page.locator("#lp-launch")).to_be_disabled()
    page.fill("#lp-tags", "team=data")
    expect(page.locator("#lp-total-steps")).to_have_text("20 steps")
    page.click("#lp-launch")
    expect(page.locator("#lp-run-link")).to_be_visible()
    expect(page.locator("#lp-run-status")).to_have_attribute(
        "data-status", "success", timeout=RUN_TIMEOUT_MS
    )
    expect(page.locator("#lp-run-progress")).to_have_text("20 of 20 steps finished")
    run_href = page.get_attribute("#lp-run-link", "href")
    assert run_href is not None and run_href.startswith("/runs/")
    shot(page, tmp_path, "launchpad-launched")
    page.click("#lp-run-link")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("h1")).to_contain_text("Run")


def test_a_large_launch_asks_a_second_click_showing_its_size(page: Any, live: LiveServer) -> None:
    open_page(page, f"{live.url}/launchpad")
    page.fill("#lp-select", "group:web")
    page.check("#lp-mode-range")
    page.fill("#lp-first", "2025-01-01-00:00")
    page.fill("#lp-last", "2025-01-03-23:00")
    expect(page.locator("#lp-total-steps")).to_have_text("72 steps")
    expect(page.locator("#lp-confirm-note")).to_contain_text("72 steps over 72 partitions")
    page.click("#lp-launch")
    expect(page.locator("#lp-launch")).to_have_text("Confirm: launch 72 steps (72 partitions)")
    expect(page.locator("#lp-result")).to_be_hidden()
    page.click("#lp-confirm-cancel")
    expect(page.locator("#lp-launch")).to_have_text("Launch")
    page.click("#lp-launch")
    page.click("#lp-launch")
    expect(page.locator("#lp-run-status")).to_have_attribute(
        "data-status", "success", timeout=RUN_TIMEOUT_MS
    )


def test_run_config_is_checked_as_it_is_typed(page: Any, live: LiveServer) -> None:
    open_page(page, f"{live.url}/launchpad?select=summary")
    expect(page.locator("#lp-total-steps")).to_have_text("1 step")
    expect(page.locator("#lp-config-fields")).to_contain_text("summary.top: int = 3")
    page.fill("#lp-config", "summary:\n  top: many\n")
    expect(page.locator("#lp-error")).to_contain_text("asset 'summary'")
    expect(page.locator("#lp-error")).to_contain_text("field 'top'")
    expect(page.locator("#lp-launch")).to_be_disabled()
    page.click("#lp-config-template")
    expect(page.locator("#lp-config")).to_have_value("summary:\n  title: daily\n  top: 3\n")
    expect(page.locator("#lp-total-steps")).to_have_text("1 step")
    expect(page.locator("#lp-launch")).to_be_enabled()


def test_a_range_launches_as_a_backfill_and_links_to_it(page: Any, live: LiveServer) -> None:
    open_page(page, f"{live.url}/launchpad?select=raw&first=2025-01-04&last=2025-01-10")
    expect(page.locator("#lp-total-steps")).to_have_text("7 steps")
    page.check("#lp-as-backfill")
    expect(page.locator("#lp-launch")).to_have_text("Launch backfill")
    page.click("#lp-launch")
    link = page.locator("#lp-backfill-link")
    expect(link).to_be_visible()
    backfill_id = link.inner_text()
    assert link.get_attribute("href") == f"/backfills/{backfill_id}"
    expect(page.locator("#lp-result")).to_contain_text("7 partitions of 1 assets")


def test_the_catalog_an_asset_page_and_the_lineage_open_the_launchpad(
    page: Any, live: LiveServer
) -> None:
    open_page(page, f"{live.url}/")
    page.check("#catalog tr[data-key=raw] input.pick")
    page.check("#catalog tr[data-key=summary] input.pick")
    expect(page.locator("#launch-selected")).to_have_text("Launch selected (2)")
    page.click("#launch-selected")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#lp-select")).to_have_value("raw summary")

    open_page(page, f"{live.url}/?group=ingest")
    page.click("#launch-shown")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#lp-select")).to_have_value("group:ingest")
    expect(page.locator("#lp-error")).to_contain_text("say which partitions")

    open_page(page, f"{live.url}/?search=feat")
    page.click("#launch-shown")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#lp-select")).to_have_value("features")

    open_page(page, f"{live.url}/assets/features")
    page.click("#launchpad-upstream")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#lp-select")).to_have_value("+features")

    open_page(page, f"{live.url}/lineage")
    page.fill("#select", "summary+")  # the lineage's selection box, typed, not yet applied
    page.click("#materialize-selection")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#lp-select")).to_have_value("summary+")


def test_a_selection_is_shown_as_text_never_as_html(page: Any, live: LiveServer) -> None:
    open_page(page, f"{live.url}/launchpad")
    page.fill("#lp-select", "<img src=x onerror=alert(1)>")
    expect(page.locator("#lp-error")).to_contain_text("<img src=x")
    assert page.locator("#lp-error img").count() == 0


def test_a_run_in_flight_over_the_same_partitions_is_pointed_out(
    page: Any, live: LiveServer, site: Site
) -> None:
    import time

    from assetgraph.partitions.key_range import PartitionKeyRange
    from assetgraph.planning.targets import TARGETS_TAG, RunTargets
    from assetgraph.storage.records import RunRecord, RunStatus

    targets = RunTargets({"raw": (PartitionKeyRange("2025-01-04", "2025-01-06"),)})
    site.instance.storage.create_run(
        RunRecord(
            run_id="b" * 32,
            status=RunStatus.QUEUED,
            created_at=time.time(),
            selection="raw",
            asset_keys=("raw",),
            tags={TARGETS_TAG: targets.to_json()},
        )
    )
    open_page(page, f"{live.url}/launchpad?select=raw&first=2025-01-01&last=2025-01-10")
    note = page.locator("#lp-in-flight li")
    expect(note).to_contain_text("(queued) already builds 3 of these partitions (raw 3)")
    assert note.locator("a").get_attribute("href") == f"/runs/{'b' * 32}"
