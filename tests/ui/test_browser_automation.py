"""The backfills pages, the schedules and sensors area, the automation ticks and the asset
page's automation panel, in a real headless Chromium driven as a user would, on state
made by a backfill launched from Python and daemon ticks (``automate --now``).

Every test fails on any console error or uncaught page error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.automation_site import automate, build_automation_site, cli
from tests.ui.conftest import LiveServer, Site, serving
from tests.ui.test_browser import browser, open_page, shot, sync_api
from tests.ui.test_browser_panels import page

expect = sync_api.expect

__all__ = ["browser", "page"]  # fixtures shared with test_browser and test_browser_panels


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Site, Any]:
    return build_automation_site(tmp_path / "site", monkeypatch)


@pytest.fixture
def live(built: tuple[Site, Any]) -> Iterator[LiveServer]:
    with serving(built[0].state) as server:
        yield server


def test_a_backfill_with_a_failure_is_resumed_from_its_page(
    page: Any, live: LiveServer, built: tuple[Site, Any], tmp_path: Path
) -> None:
    site, backfill = built
    open_page(page, live.url + "/backfills")
    row = page.locator(f"tr[data-backfill='{backfill.backfill_id}']")
    expect(row.locator("[data-status]")).to_have_text("completed failed")
    expect(row.locator(".progress-text")).to_have_text("6/8 done, 2 failed")
    shot(page, tmp_path, "backfills")
    page.select_option("#backfill-status", "requested")
    expect(page.locator("#no-backfills")).to_be_visible()
    page.select_option("#backfill-status", "")
    row.locator("a").first.click()
    page.wait_for_url(f"**/backfills/{backfill.backfill_id}")
    page.wait_for_selector("body[data-ready=true]")
    readings = page.locator("#backfill-assets tr[data-asset=readings]")
    expect(readings.locator("td.done")).to_have_text("3")
    expect(readings.locator("td.failed")).to_have_text("1")
    expect(readings.locator("td.error")).to_have_text("2025-01-03")
    expect(page.locator("#backfill-runs tbody tr")).to_have_count(4)
    expect(page.locator("#backfill-runs .badge.run-failure")).to_have_count(1)
    expect(page.locator("#cancel-backfill")).to_have_count(0)
    shot(page, tmp_path, "backfill")

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#resume-backfill")
    expect(page.locator("#backfill-status [data-status]")).to_have_attribute(
        "data-status", "completed_failed"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#resume-backfill")
    expect(page.locator("#backfill-status [data-status]")).to_have_attribute(
        "data-status", "requested"
    )
    expect(page.locator("#cancel-backfill")).to_be_visible()
    for now in ("2025-01-06T01:00:00+00:00", "2025-01-06T01:10:00+00:00"):
        automate(site, now)
    # The page refreshes itself while the backfill is requested.
    expect(page.locator("#backfill-status [data-status]")).to_have_attribute(
        "data-status", "completed_failed"
    )
    expect(page.locator("#backfill-runs tbody tr")).to_have_count(5)


def test_a_requested_backfill_is_canceled_after_a_confirmation(
    page: Any, live: LiveServer, built: tuple[Site, Any]
) -> None:
    from assetgraph import launch_backfill

    site = built[0]
    fresh = launch_backfill(
        site.defs(), "cleaned", partition_range="2025-01-01...2025-01-02", instance=site.instance
    )
    open_page(page, f"{live.url}/backfills/{fresh.backfill_id}")
    expect(page.locator("#no-backfill-runs")).to_be_visible()
    asked: list[str] = []

    def accept(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.click("#cancel-backfill")
    expect(page.locator("#backfill-status [data-status]")).to_have_attribute(
        "data-status", "canceled"
    )
    assert "Cancel backfill" in asked[0]
    shown = json.loads(cli("backfill", "show", fresh.backfill_id, "--json"))
    assert shown["status"] == "canceled"
    expect(page.locator("#resume-backfill")).to_be_visible()


def test_sensors_and_schedules_toggle_and_show_their_ticks(
    page: Any, live: LiveServer, built: tuple[Site, Any], tmp_path: Path
) -> None:
    site = built[0]
    open_page(page, live.url + "/automation")
    sensor = page.locator("tr[data-instigator='sensor:inbox_sensor']")
    schedule = page.locator("tr[data-instigator='schedule:nightly']")
    expect(sensor.locator("button.toggle")).to_have_text("running")
    expect(schedule.locator("button.toggle")).to_have_text("stopped")
    expect(sensor).to_contain_text("no new file in the inbox")
    expect(page.locator("#ticks tbody tr")).to_have_count(3)
    shot(page, tmp_path, "automation")
    sensor.locator("button.toggle").click()
    expect(sensor.locator("button.toggle")).to_have_text("stopped")
    schedule.locator("button.toggle").click()
    expect(schedule.locator("button.toggle")).to_have_attribute("aria-checked", "true")
    # Started, the schedule runs at its next cron tick after the UI's clock.
    expect(schedule).to_contain_text("2025-01-06 02:00:00")
    sensors = json.loads(cli("sensors", "list", "-f", str(site.file), "--json"))
    schedules = json.loads(cli("schedules", "list", "-f", str(site.file), "--json"))
    assert sensors[0]["status"] == "STOPPED" and schedules[0]["status"] == "RUNNING"
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(sensor.locator("button.toggle")).to_have_text("stopped")

    sensor.locator("a.mono").first.click()
    page.wait_for_url("**/automation/sensor/inbox_sensor")
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#instigator-head b").count() == 0, "the description is text"
    rows = page.locator("#tick-history tbody tr")
    expect(rows).to_have_count(3)
    first = rows.nth(2)
    expect(first.locator("[data-status]")).to_have_text("requested")
    expect(first.locator("td.tick-result")).to_contain_text("run key a.txt: summary")
    expect(first.locator("td.cursor")).to_have_text("a.txt")
    expect(rows.nth(0).locator("td.tick-result")).to_contain_text("no new file in the inbox")
    shot(page, tmp_path, "sensor")
    first.locator("td a.chip").click()
    page.wait_for_url("**/runs/*")
    page.wait_for_selector("body[data-ready=true]")  # its requests end before the server does


def test_a_tick_shows_each_assets_decision_and_its_condition_tree(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/automation")
    page.locator("#ticks tr[data-tick='3'] a").first.click()
    page.wait_for_url("**/automation/ticks/3")
    page.wait_for_selector("body[data-ready=true]")
    boxes = page.locator("#decision-list details.decision-box")
    expect(boxes).to_have_count(1)  # requested or waiting, by default
    cleaned = page.locator("details[data-asset=cleaned]")
    expect(cleaned.locator(".decision")).to_have_text("waiting")
    expect(cleaned).to_contain_text("waiting 2025-01-03: upstream readings[2025-01-03] is missing")
    page.click("button[data-filter=all]")
    expect(boxes).to_have_count(2)
    page.fill("#decision-search", "anom")
    expect(boxes).to_have_count(1)
    anomalies = page.locator("details[data-asset=anomalies]")
    expect(anomalies.locator(".decision")).to_have_text("skipped")
    anomalies.locator("summary").click()
    window = anomalies.locator("li[data-name=in_latest_time_window] > .cond-line")
    expect(window).to_contain_text("1 of 4 partitions [2025-01-04]")
    expect(window.locator(".cond-mark")).to_have_text("true")
    root = anomalies.locator(".cond-root > li > .cond-line")
    expect(root).to_contain_text("eager (AND)")
    expect(root.locator(".cond-mark")).to_have_text("false")
    shot(page, tmp_path, "tick")


def test_the_asset_page_has_an_automation_panel(
    page: Any, live: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live.url + "/assets/summary#automation")  # its tab
    panel = page.locator("section[data-tab=automation]")
    expect(panel.locator("#automation-panel-policy")).to_have_text("eager")
    expect(panel.locator("#automation-freshness")).to_contain_text("120 min")
    expect(panel.locator("a.chip", has_text="sensor:inbox_sensor")).to_be_visible()
    expect(panel.locator("#automation-latest .decision")).to_have_text("skipped")
    expect(panel.locator("#automation-latest")).to_contain_text("eager: up to date")
    panel.locator("#automation-evaluations summary").click()
    expect(panel.locator("#automation-evaluations tbody tr")).to_have_count(3)
    shot(page, tmp_path, "asset-automation")
    open_page(page, live.url + "/assets/anomalies#automation")
    panel = page.locator("section[data-tab=automation]")
    condition = panel.locator("#automation-panel-condition")
    expect(condition.locator("summary")).to_have_text("eager (AND)")
    condition.locator("summary").click()
    expect(condition).to_contain_text("any_deps_missing")
    evaluated = panel.locator("#automation-tree li[data-name=in_latest_time_window]")
    expect(evaluated.first).to_contain_text("1 of 4 partitions")
