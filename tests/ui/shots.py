"""Screenshots of every UI page at 1440x900 and 390x844, on state made by real runs.

``make ui-shots`` (or ``python -m tests.ui.shots [FOLDER]``) writes
``FOLDER/<page>-<width>.png`` (default ``ui-shots/``) for a reviewer to look at, and
prints, for each shot, whether the page overflows sideways and any console or page error.
It exits 1 if any page overflowed or logged an error.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from assetgraph.ui.app import create_app
from tests.ui.automation_site import build_automation_site
from tests.ui.conftest import start_live_server, stop_live_server
from tests.ui.test_asset_panels import build_checks_site
from tests.ui.test_lineage_api import build_lineage_site

SIZES = ((1440, 900), (390, 844))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]


def pages(runs: list[dict[str, Any]]) -> dict[str, str]:
    """Page name -> path, for every page of the UI."""
    failed = next(r["run_id"] for r in runs if r["status"] == "failure")
    succeeded = next(r["run_id"] for r in runs if r["status"] == "success")
    return {
        "catalog": "/",
        "lineage": "/lineage",
        "asset-partitioned": "/assets/orders",
        "asset-stale": "/assets/summary",
        "runs": "/runs",
        "run-success": f"/runs/{succeeded}",
        "run-failure": f"/runs/{failed}",
        "asset-checks-tab": "/assets/orders#checks",
        "asset-why-tab": "/assets/summary#why",
        "automation": "/automation",
        "launchpad": "/launchpad?select=orders+summary&first=2025-01-01&last=2025-01-05",
        "api-swagger": "/api/docs",
        "api-redoc": "/api/redoc",
        "not-found": "/assets/no_such_asset",
    }


def automation_pages(backfill_id: str) -> dict[str, str]:
    """Page name -> path, for the pages of the automation site (backfills, sensors, ticks)."""
    return {
        "backfills": "/backfills",
        "backfill": f"/backfills/{backfill_id}",
        "automation-ticks": "/automation",
        "automation-tick": "/automation/ticks/3",
        "automation-sensor": "/automation/sensor/inbox_sensor",
        "automation-schedule": "/automation/schedule/nightly",
        "asset-automation": "/assets/summary#automation",
        "asset-condition": "/assets/anomalies#automation",
    }


LINEAGE_PAGES = {
    "lineage-groups": "/lineage",
    "lineage-selection": "/lineage?select=%2Bweekly_report",
    "asset-definition": "/assets/raw_events",
    "asset-grid": "/assets/regional_sales#partitions",
    "asset-plots": "/assets/raw_events#plots",
}
"""Pages shown on the four-group code location of ``test_lineage_api``."""


def take(folder: Path, chromium: str = "/usr/bin/chromium") -> list[str]:
    """Write the screenshots into ``folder``; return one line per problem found."""
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        site = build_checks_site(Path(scratch) / "site", patch)
        from assetgraph.ui.runs import list_runs

        runs = [r.model_dump() for r in list_runs(site.instance.storage, 50, None)]
        problems += shoot_site(site, pages(runs), folder, chromium)
        lineage_site = build_lineage_site(Path(scratch) / "lineage", patch)
        problems += shoot_site(lineage_site, LINEAGE_PAGES, folder, chromium)
        built, backfill = build_automation_site(Path(scratch) / "automation", patch)
        problems += shoot_site(built, automation_pages(backfill.backfill_id), folder, chromium)
    return problems


def shoot_site(site: Any, paths: dict[str, str], folder: Path, chromium: str) -> list[str]:
    """Serve ``site`` and shoot each of ``paths`` at each size; the problems found."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    server = start_live_server(create_app(site.state))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            try:
                for name, path in paths.items():
                    for width, height in SIZES:
                        problems += shoot(browser, server.url + path, name, width, height, folder)
            finally:
                browser.close()
    finally:
        stop_live_server(server)
    return problems


def shoot(browser: Any, url: str, name: str, width: int, height: int, folder: Path) -> list[str]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    expect_404 = name == "not-found"
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not (expect_404 and "404" in m.text)
            else None
        ),
    )
    try:
        page.goto(url)
        if not expect_404:
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        page.wait_for_timeout(300)  # let layout and animations settle, for the picture only
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        target = folder / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
    finally:
        context.close()
    found = [f"{name} at {width}px: {error}" for error in errors]
    if overflow > 0:
        found.append(f"{name} at {width}px overflows sideways by {overflow}px")
    print(f"{target}  overflow={overflow}px  errors={len(errors)}")
    return found


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "ui-shots")
    problems = take(folder)
    for line in problems:
        print("PROBLEM:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
