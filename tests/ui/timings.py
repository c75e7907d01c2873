"""API and page timings of the UI for a large code location: ``python -m tests.ui.timings``.

500 daily-partitioned assets over three years (1,096 partitions each) in 10 groups and
12 layers, plus one asset partitioned by day x 10 regions (10,960 partitions), with
``BUILT`` assets materialized over ``DAYS`` partitions (real runs, so the event log and
partition index hold real rows). Prints the median of ``REPEAT`` requests of each page's
API call (catalog, lineage, asset page, partitions tab and grid, why, checks, one
partition, runs) through the real app, in-process (no network); then, with Chromium, the
median time from navigation until each page says it is ready (data loaded and drawn,
the lineage laid out).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph.ui.api import UiState
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, write_site

ASSETS = 500
GROUPS = 10
LAYERS = 12
BUILT = 50
DAYS = 30
REPEAT = 5
START = "2023-01-01"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def source(count: int = ASSETS, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = [
        "from assetgraph import DailyPartitionsDefinition, Definitions, asset",
        f"daily = DailyPartitionsDefinition(start_date={START!r}, end_date='2026-01-01')",
        "",
    ]
    by_layer: list[list[str]] = [[] for _ in range(LAYERS)]
    for i in range(count):
        name = f"asset_{i:04d}"
        layer = min(LAYERS - 1, int(rng.random() ** 0.8 * LAYERS)) if i >= GROUPS else 0
        candidates = [n for lay in by_layer[max(0, layer - 2) : layer] for n in lay]
        parents = sorted({rng.choice(candidates) for _ in range(2) if candidates})
        by_layer[layer].append(name)
        lines += [
            f"@asset(group='group_{i * GROUPS // count:02d}', partitions_def=daily,"
            f" deps={parents!r})",
            f"def {name}() -> int:",
            f"    return {i}",
            "",
        ]
    lines += [
        "from assetgraph import MultiPartitionsDefinition, StaticPartitionsDefinition",
        "regions = StaticPartitionsDefinition([f'region_{r}' for r in range(10)])",
        "@asset(group='group_00', deps=['asset_0000'],",
        "       partitions_def=MultiPartitionsDefinition({'date': daily, 'region': regions}))",
        "def regional() -> int:",
        "    return 1",
        "",
    ]
    names = ", ".join([*(f"asset_{i:04d}" for i in range(count)), "regional"])
    lines.append(f"defs = Definitions(assets=[{names}])")
    return "\n".join(lines) + "\n"


def timed(client: TestClient, path: str) -> float:
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.text[:300])
    return statistics.median(samples)


def main() -> int:
    from assetgraph.execution.materialize import materialize

    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        site = write_site(Path(scratch) / "site", source(), patch)
        defs = site.state.defs
        built = [f"asset_{i:04d}" for i in range(BUILT)]
        started = time.perf_counter()
        result = materialize(
            defs,
            selection=" ".join(built),
            partition_range=("2025-12-01", "2025-12-30"),
            instance=site.instance,
        )
        assert result.success
        for region in range(3):
            assert materialize(
                defs,
                selection="regional",
                partition_key=f"2025-12-10|region_{region}",
                instance=site.instance,
            ).success
        print(f"setup: {BUILT} assets x {DAYS} partitions in {time.perf_counter() - started:.1f} s")
        state = UiState(
            defs=defs,
            instance=site.instance,
            location=site.state.location,
            clock=lambda: NOW,
        )
        run_id = site.instance.storage.list_runs(1)[0].run_id
        with TestClient(create_app(state), base_url=ORIGIN) as client:
            for name, path in (
                ("catalog (/api/assets)", "/api/assets"),
                ("lineage (/api/lineage)", "/api/lineage"),
                ("asset page (/api/assets/asset_0005)", "/api/assets/asset_0005"),
                ("asset page, downstream (/api/assets/asset_0400)", "/api/assets/asset_0400"),
                ("lineage, selected (+asset_0400)", "/api/lineage?select=%2Basset_0400"),
                ("state version (/api/version, polled)", "/api/version"),
                ("partitions tab (/api/partitions/asset_0005)", "/api/partitions/asset_0005"),
                ("partition grid (/api/partition_grid/regional)", "/api/partition_grid/regional"),
                ("why (/api/why/asset_0400)", "/api/why/asset_0400"),
                ("checks (/api/checks/asset_0005)", "/api/checks/asset_0005"),
                ("one partition", "/api/partition/asset_0005?partition=2025-12-10"),
                ("history (/api/materializations/asset_0005)", "/api/materializations/asset_0005"),
                ("runs (/api/runs)", "/api/runs"),
                ("run log (first 100 events)", f"/api/runs/{run_id}/log"),
                ("asset page HTML", "/assets/asset_0005"),
            ):
                print(f"{name:55s} {timed(client, path) * 1000:8.1f} ms")
            launchpad_timings(client)
        page_timings(state)
    return 0


def page_timings(state: UiState) -> None:
    """Median time from navigation to ``body[data-ready=true]`` of each page in Chromium."""
    from tests.ui.conftest import start_live_server, stop_live_server

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("pages: skipped (playwright is not installed)")
        return
    server = start_live_server(create_app(state))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            for name, path in (
                ("catalog page", "/"),
                ("lineage page (laid out)", "/lineage"),
                ("asset page", "/assets/asset_0005"),
                ("partitions tab", "/assets/asset_0005#partitions"),
                ("partitions grid tab", "/assets/regional#partitions"),
            ):
                samples = []
                for _ in range(REPEAT):
                    page.goto("about:blank")  # a full load each time, even for a #tab
                    started = time.perf_counter()
                    page.goto(server.url + path)
                    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
                    samples.append(time.perf_counter() - started)
                extra = ""
                if path == "/lineage":
                    layout = page.evaluate("() => window.agLineage.layoutMs")
                    extra = f"  (layout {layout:.0f} ms)"
                print(f"{name:55s} {statistics.median(samples) * 1000:8.1f} ms{extra}")
            browser.close()
    finally:
        stop_live_server(server)


LAUNCHPAD_REQUESTS = (
    (
        "launchpad preview, +asset_0400 over December",
        "preview",
        {
            "selection": "+asset_0400",
            "partition_range": {"first": "2025-12-01", "last": "2025-12-31"},
        },
    ),
    ("launchpad preview, * missing (500 x 1,096)", "preview", {"selection": "*", "missing": True}),
    (
        "launchpad preview, group:group_03 all partitions",
        "preview",
        {"selection": "group:group_03", "all_partitions": True},
    ),
    (
        "launchpad launch -> run id (one partition)",
        "launch",
        {"selection": "asset_0005", "partition": "2025-12-31"},
    ),
)


def launchpad_timings(client: TestClient) -> None:
    """The launchpad's preview and the time a launch takes to answer with its run id (the
    run goes on in a child process; each is waited for before the folder goes away)."""
    for name, route, body in LAUNCHPAD_REQUESTS:
        samples, run_ids = [], []
        for _ in range(REPEAT):
            started = time.perf_counter()
            response = client.post(f"/api/launchpad/{route}", json=body, headers={"Origin": ORIGIN})
            samples.append(time.perf_counter() - started)
            assert response.status_code in (200, 201), (name, response.text[:300])
            assert response.json().get("error") is None, response.text[:300]
            run_ids += [response.json()["run_id"]] if route == "launch" else []
        print(f"{name:55s} {statistics.median(samples) * 1000:8.1f} ms")
        for run_id in run_ids:
            deadline = time.monotonic() + 120
            while client.get(f"/api/runs/{run_id}").json()["run"]["ended_at"] is None:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"run {run_id} did not end within 120 s")
                time.sleep(0.2)  # polling the run's end, with a deadline


if __name__ == "__main__":
    sys.exit(main())
