"""The daemon process on the wall clock: minute partitions, a roll-up and a minute cron.

``assetgraph automate`` runs as its own process (no ``--now``), launching its runs in
background processes, for two minute boundaries (60 to 120 s). The minute-partitioned
asset starts two minutes before the daemon, so the daemon first catches up, then follows
each new minute. Afterwards: every minute partition that ended was built exactly once and
within the deadline after its window ended; every two-minute roll-up partition that ended
was built once, after the partitions it reads; the asset on a minute cron was built after
each cron tick, from the latest minute partitions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from assetgraph import Instance
from assetgraph.storage.records import EventType, RunStatus

T = TypeVar("T")

pytestmark = pytest.mark.slow  # one to two minutes of the wall clock

DEADLINE_S = 90.0
"""How long after its window ends (or after the daemon's first tick, for windows that ended
before) a partition must be built. The daemon ticks every 1 s and a run takes a few
seconds; the margin is for run processes starting on a machine shared with other work."""

LOCATION = """
from assetgraph import AutomationPolicy, Definitions, TimeWindowPartitionsDefinition, asset

minutes = TimeWindowPartitionsDefinition(
    cron_schedule="* * * * *", start="{start}", fmt="%Y-%m-%d-%H:%M"
)
pairs = TimeWindowPartitionsDefinition(
    cron_schedule="*/2 * * * *", start="{start}", fmt="%Y-%m-%d-%H:%M"
)


@asset(partitions_def=minutes, automation_policy=AutomationPolicy.eager())
def per_minute(context):
    return context.partition_key


@asset(partitions_def=pairs, automation_policy=AutomationPolicy.eager())
def per_two_minutes(per_minute):
    return sorted(per_minute.values())


@asset(automation_policy=AutomationPolicy.on_cron("* * * * *"))
def minute_report(per_minute):
    return max(per_minute)


defs = Definitions(assets=[per_minute, per_two_minutes, minute_report])
"""


def test_the_daemon_on_the_wall_clock_builds_each_window_once_and_on_time(
    tmp_path: Path, isolated_home: Path
) -> None:
    now = datetime.now(UTC)
    start = (now - timedelta(minutes=2)).replace(second=0, microsecond=0)
    if start.minute % 2:
        start -= timedelta(minutes=1)  # the two-minute windows start on even minutes
    defs = tmp_path / "defs.py"
    defs.write_text(LOCATION.format(start=start.strftime("%Y-%m-%d-%H:%M")))
    log = (tmp_path / "daemon.log").open("w")
    daemon = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assetgraph.cli.main",
            "automate",
            "-f",
            str(defs),
            "--interval",
            "1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ),
    )
    instance = Instance.from_env()
    try:
        began = _wait(lambda: _first_tick(instance), timeout=120, what="the first tick")
        # Two minute boundaries after the start, and time for their windows to be built.
        stop_at = _minute(began) + 120.0
        last_window_end = stop_at
        _wait(lambda: time.time() >= stop_at, timeout=200, what="two minute boundaries")
        _wait(
            lambda: _built(instance, "per_minute").get(_key(last_window_end - 60)) == 1,
            timeout=DEADLINE_S,
            what=f"per_minute[{_key(last_window_end - 60)}]",
        )
        _wait(
            lambda: max(_times(instance, "minute_report").get("", [0.0])) >= stop_at,
            timeout=DEADLINE_S,
            what="the minute report after the second cron tick",
        )
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n{_story(instance, tmp_path)}") from None
    finally:
        daemon.send_signal(signal.SIGINT)
        exit_code = daemon.wait(60)
        log.close()
    output = (tmp_path / "daemon.log").read_text()
    assert exit_code == 0, output
    assert output.rstrip().endswith("stopped"), output
    _wait(lambda: not _in_flight(instance), timeout=60, what="the runs in flight to end")

    times = _times(instance, "per_minute")
    count = int((last_window_end - start.timestamp()) // 60)
    ended = [start.timestamp() + 60 * i for i in range(count)]
    expected = {_key(t) for t in ended}
    built = _built(instance, "per_minute")
    assert expected <= set(built), (sorted(expected - set(built)), output)
    assert all(built[k] == 1 for k in built), built
    for t in ended:
        key = _key(t)
        window_end = t + 60
        done = times[key][0]
        assert done >= window_end, f"per_minute[{key}] built before its window ended"
        # Windows that ended before the daemon started are caught up in its first ticks.
        assert done <= max(window_end, began) + DEADLINE_S, (key, done - window_end, output)

    pairs = _built(instance, "per_two_minutes")
    pair_times = _times(instance, "per_two_minutes")
    pair_starts = [t for t in ended[::2] if t + 120 <= last_window_end]
    assert pair_starts, "no two-minute window ended during the test"
    for t in pair_starts:
        key = _key(t)
        assert pairs[key] == 1, (key, pairs)
        reads = [times[_key(t)][0], times[_key(t + 60)][0]]
        assert pair_times[key][0] >= max(reads), f"per_two_minutes[{key}] did not follow"
        assert pair_times[key][0] <= max(t + 120, began) + DEADLINE_S

    reports = sorted(_times(instance, "minute_report")[""])
    for boundary in (_minute(began) + 60, _minute(began) + 120):
        after = [r for r in reports if r >= boundary]
        assert after and after[0] <= boundary + DEADLINE_S, (boundary, reports)
        newest_before = max(v[0] for v in times.values() if v[0] <= after[0])
        assert after[0] >= newest_before


def _story(instance: Instance, tmp_path: Path) -> str:
    """The daemon's output and the runs it launched, for a failure message."""
    runs = [
        f"{run.run_id[:8]} {run.status} {run.error or ''}".strip()
        for run in instance.storage.list_runs()
    ]
    log = (tmp_path / "daemon.log").read_text()
    return f"daemon output:\n{log[-4000:]}\nruns:\n" + "\n".join(runs[:40])


def _first_tick(instance: Instance) -> float | None:
    from assetgraph.storage.automation_store import AutomationStore

    try:
        ticks = AutomationStore(instance.storage).list_ticks(None)
    except Exception:  # the daemon has not created the tables yet
        return None
    return min((t.evaluated_at for t in ticks), default=None)


def _minute(ts: float) -> float:
    return ts - ts % 60


def _key(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d-%H:%M")


def _built(instance: Instance, asset: str) -> Counter[str]:
    return Counter({key: len(stamps) for key, stamps in _times(instance, asset).items()})


def _times(instance: Instance, asset: str) -> dict[str, list[float]]:
    """Partition key ("" when unpartitioned) -> materialization timestamps."""
    from sqlalchemy import select

    from assetgraph.storage import schema

    events = schema.events
    query = select(events.c.partition_key, events.c.timestamp).where(
        events.c.asset_key == asset,
        events.c.event_type == EventType.ASSET_MATERIALIZATION.value,
    )
    found: dict[str, list[float]] = {}
    for partition, stamp in instance.storage.read(lambda conn: conn.execute(query).all()):
        found.setdefault(partition or "", []).append(float(stamp))
    return found


def _in_flight(instance: Instance) -> bool:
    return bool(instance.storage.list_runs(statuses=[RunStatus.QUEUED, RunStatus.STARTED]))


def _wait(condition: Callable[[], T], *, timeout: float, what: str) -> T:
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)
    return value
