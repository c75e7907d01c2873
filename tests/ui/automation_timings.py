"""API timings of the automation and backfills pages for a large code location:
``python -m tests.ui.automation_timings``.

The 500 daily-partitioned assets over three years of ``tests.ui.timings``, each with
``AutomationCondition.eager()``, a sensor and a running schedule; ``TICKS`` daemon ticks an
hour apart (runs are queued, not executed) and a backfill of every partition of every
asset (548,000 partitions). Prints the median of ``REPEAT`` requests of each page's API
call through the real app, in-process (no network).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph.automation.instigators import set_status
from assetgraph.storage.automation_store import AutomationStore
from assetgraph.ui.api import UiState
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, write_site
from tests.ui.timings import NOW, source, timed

TICKS = 30
SENSOR = "/api/automation/instigators/sensor/quiet_sensor"
EXTRA = """
from assetgraph import AutomationCondition, DefaultSensorStatus, ScheduleDefinition, SkipReason
from assetgraph import sensor


@sensor(asset_selection="asset_0001", minimum_interval_seconds=0,
        default_status=DefaultSensorStatus.RUNNING)
def quiet_sensor(context):
    return SkipReason("nothing new")


nightly = ScheduleDefinition(name="nightly", cron_schedule="0 2 * * *", target="asset_0002")
defs = Definitions(assets=defs.assets, sensors=[quiet_sensor], schedules=[nightly])
"""


def automated_source() -> str:
    """``timings.source()`` with a condition on every asset, a sensor and a schedule."""
    text = source().replace(
        ", partitions_def=daily,", ", partitions_def=daily, automation_condition=EAGER,"
    )
    text = text.replace(
        "\n\n",
        "\nfrom assetgraph import AutomationCondition\nEAGER = AutomationCondition.eager()\n\n",
        1,
    )
    return text + EXTRA


def main() -> int:
    from assetgraph import launch_backfill
    from assetgraph.automation.daemon import AutomationDaemon

    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        site = write_site(Path(scratch) / "site", automated_source(), patch)
        defs = site.state.defs
        set_status(
            defs, AutomationStore(site.instance.storage), "schedule", "nightly", "RUNNING", 0.0
        )
        daemon = AutomationDaemon(defs, site.instance, launcher=None)
        started = time.perf_counter()
        for i in range(TICKS):
            daemon.tick(NOW - timedelta(hours=TICKS - i))
        print(
            f"setup: {TICKS} ticks over {len(defs.graph.all_keys)} assets in "
            f"{time.perf_counter() - started:.1f} s"
        )
        backfill = launch_backfill(defs, "*", all_partitions=True, instance=site.instance, now=NOW)
        state = UiState(
            defs=defs, instance=site.instance, location=site.state.location, clock=lambda: NOW
        )
        ticks = AutomationStore(site.instance.storage).list_ticks(1)
        with TestClient(create_app(state), base_url=ORIGIN) as client:
            for name, path in (
                ("ticks, first page of 25", "/api/automation/ticks?limit=25"),
                ("one tick (decisions, trees)", f"/api/automation/ticks/{ticks[0].tick_id}"),
                ("schedules and sensors", "/api/automation/instigators"),
                ("one sensor's history (25 ticks)", f"{SENSOR}?limit=25"),
                ("asset automation panel", "/api/automation/assets/asset_0400"),
                ("backfills", "/api/backfills"),
                ("one backfill (548k partitions)", f"/api/backfills/{backfill.backfill_id}"),
            ):
                print(f"{name:55s} {timed(client, path) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
