"""In-flight runs, two daemons racing, restarts, failing runs and sensors."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

from assetgraph import (
    AutomationPolicy,
    DailyPartitionsDefinition,
    Definitions,
    Instance,
    asset,
)
from assetgraph.automation.daemon import LEASE, AutomationDaemon
from assetgraph.automation.evaluator import EvaluationSettings
from assetgraph.storage.automation_store import AutomationStore
from assetgraph.storage.records import RunRecord, RunStatus
from tests.automation.conftest import RecordingLauncher, at, entry, record, targets, tick

daily = DailyPartitionsDefinition(start_date="2025-01-01")
# Ticks a day apart in these tests: not a pause after which missing windows are forgotten.
DAILY_TICKS = EvaluationSettings(pause_after=timedelta(days=7))


def daily_pair() -> Definitions:
    @asset(partitions_def=daily, automation_policy=AutomationPolicy.eager())
    def raw(context) -> str:  # type: ignore[no-untyped-def]
        return str(context.partition_key)

    @asset(partitions_def=daily, automation_policy=AutomationPolicy.eager())
    def clean(raw: str) -> str:
        return raw.upper()

    return Definitions([raw, clean])


def test_no_duplicate_requests_while_a_run_is_in_flight(instance: Instance) -> None:
    defs = daily_pair()
    launcher = RecordingLauncher(instance)
    first = tick(defs, instance, at(days=1), launcher=launcher, settings=DAILY_TICKS)
    assert targets(first) == [{"raw": ["2025-01-01"], "clean": ["2025-01-01"]}]
    run_id = launcher.run_ids[0]

    # Nothing changed: nothing is evaluated, nothing launched again.
    assert (
        targets(tick(defs, instance, at(1, days=1), launcher=launcher, settings=DAILY_TICKS)) == []
    )

    # The next day ends while the run still goes: only the new partition is requested.
    second = tick(defs, instance, at(days=2), launcher=launcher, settings=DAILY_TICKS)
    assert targets(second) == [{"raw": ["2025-01-02"], "clean": ["2025-01-02"]}]
    assert entry(second, "raw")["skipped"] == [
        f"skipped 2025-01-01: already requested by run {run_id[:8]}"
    ]
    assert entry(second, "clean")["skipped"] == [
        f"skipped 2025-01-01: already requested by run {run_id[:8]}"
    ]


def test_a_run_started_by_hand_counts_as_in_flight(instance: Instance) -> None:
    defs = daily_pair()
    instance.storage.create_run(
        RunRecord(
            run_id="handmade0001",
            status=RunStatus.STARTED,
            created_at=0.0,
            asset_keys=("raw",),
            tags={"assetgraph/partitions": "--partition 2025-01-01"},
        )
    )
    outcome = tick(defs, instance, at(days=1), launcher=RecordingLauncher(instance))
    assert targets(outcome) == []
    assert entry(outcome, "raw")["skipped"] == [
        "skipped 2025-01-01: already requested by run handmade"
    ]
    assert entry(outcome, "clean")["skipped"] == [
        "waiting 2025-01-01: upstream raw[2025-01-01] is being materialized by run handmade"
    ]


def test_a_run_in_flight_covers_exactly_the_partitions_it_recorded(instance: Instance) -> None:
    """A ``--missing`` run names no partition: its recorded targets say what it builds."""
    defs = daily_pair()
    instance.storage.create_run(
        RunRecord(
            run_id="handmade0002",
            status=RunStatus.STARTED,
            created_at=0.0,
            asset_keys=("raw",),
            tags={
                "assetgraph/partitions": "--missing",
                "assetgraph/targets": '{"version": 1, "assets": {"raw": ["2025-01-01"]}}',
            },
        )
    )
    outcome = tick(defs, instance, at(days=2), launcher=RecordingLauncher(instance))
    assert targets(outcome) == [{"raw": ["2025-01-02"], "clean": ["2025-01-02"]}]
    assert entry(outcome, "raw")["skipped"] == [
        "skipped 2025-01-01: already requested by run handmade"
    ]


def test_two_daemons_racing_never_both_evaluate(sqlite_instance: Instance) -> None:
    defs = daily_pair()
    daemons = [
        AutomationDaemon(
            defs, sqlite_instance, launcher=None, holder=f"{socket.gethostname()}:1:{n}"
        )
        for n in range(2)
    ]
    for daemon in daemons:
        daemon.holder = f"other-host:{id(daemon)}"
    barrier = threading.Barrier(2)
    won: list[list[bool]] = [[], []]

    def race(n: int) -> None:
        for _ in range(20):
            barrier.wait()
            won[n].append(daemons[n].acquire())

    threads = [threading.Thread(target=race, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(len(w) == 20 for w in won)
    assert not any(a and b for a, b in zip(won[0], won[1], strict=True)), "both held the lease"
    assert all(w == won[0][0] for w in won[0]), "the holder keeps its lease while it renews it"
    loser = daemons[1] if won[0][0] else daemons[0]
    assert loser.tick(at(days=1)) is None
    assert AutomationStore(sqlite_instance.storage).list_ticks() == []


def test_lease_of_an_expired_or_dead_daemon_is_taken_over(sqlite_instance: Instance) -> None:
    store = AutomationStore(sqlite_instance.storage)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    holder = f"{socket.gethostname()}:{dead.pid}:gone"
    assert store.acquire_lease(LEASE, holder, time.time(), 3600) == holder
    daemon = AutomationDaemon(daily_pair(), sqlite_instance, launcher=None)
    assert daemon.acquire(), "a daemon whose process is gone holds nothing"
    other = AutomationDaemon(daily_pair(), sqlite_instance, launcher=None)
    assert not other.acquire()
    assert other.other_holder == daemon.holder
    assert store.acquire_lease(LEASE, "late", time.time() + 10_000, 60) == "late"


def test_restart_picks_up_cursors_and_in_flight_runs(instance: Instance) -> None:
    defs = daily_pair()
    launcher = RecordingLauncher(instance)
    first = AutomationDaemon(
        defs, instance, launcher=launcher, holder=f"host-a:{os.getpid()}:1", settings=DAILY_TICKS
    )
    assert first.tick(at(days=1)) is not None
    run_id = launcher.run_ids[0]
    # The first daemon dies without releasing its lease; a new one starts once it expires.
    again = AutomationDaemon(
        defs,
        instance,
        launcher=launcher,
        holder="host-b:2:2",
        wall_clock=lambda: time.time() + 3600,
        settings=DAILY_TICKS,
    )
    outcome = again.tick(at(days=2))
    assert outcome is not None
    assert targets(outcome) == [{"raw": ["2025-01-02"], "clean": ["2025-01-02"]}]
    assert entry(outcome, "raw")["skipped"] == [
        f"skipped 2025-01-01: already requested by run {run_id[:8]}"
    ]
    # The first run finishes (its events arrive); the restarted daemon carries on from
    # the cursor and sees them, the second run still in flight.
    record(instance, "raw", at(1, days=2), "2025-01-01", run_id=run_id)
    record(instance, "clean", at(1, days=2), "2025-01-01", run_id=run_id)
    instance.storage.update_run(run_id, status=RunStatus.SUCCESS)
    later = again.tick(at(2, days=2))
    assert later is not None and targets(later) == []
    assert entry(later, "clean")["skipped"] == [
        f"skipped 2025-01-02: already requested by run {launcher.run_ids[1][:8]}"
    ]


def test_a_failing_run_is_recorded_and_not_retried_until_upstream_changes(
    instance: Instance,
) -> None:
    @asset(automation_policy=AutomationPolicy.eager())
    def up() -> int:
        return 1

    @asset(automation_policy=AutomationPolicy.eager())
    def breaks(up: int) -> int:
        raise ValueError("boom")

    defs = Definitions([up, breaks])
    first = tick(defs, instance, at(1))
    assert targets(first) == [{"up": [], "breaks": []}]
    failed_run = first.runs[0]["run_id"]
    second = tick(defs, instance, at(2))
    assert targets(second) == []
    assert entry(second, "breaks")["skipped"] == [
        f"skipped: last attempt failed in run {failed_run[:8]}; waiting for new upstream data "
        "or a code change"
    ]
    record(instance, "up", at(3), data_version="fixed")
    third = tick(defs, instance, at(3))
    assert targets(third) == [{"breaks": []}]


def test_a_failing_tick_is_recorded_and_the_daemon_goes_on(sqlite_instance: Instance) -> None:
    from assetgraph import DefaultSensorStatus, sensor

    calls: list[int] = []

    @sensor(minimum_interval_seconds=0, default_status=DefaultSensorStatus.RUNNING)
    def flaky(context):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise RuntimeError("sensor down")

    defs = Definitions(daily_pair().assets, sensors=[flaky])
    clock = iter([at(days=1), at(1, days=1)])
    daemon = AutomationDaemon(
        defs,
        sqlite_instance,
        launcher=RecordingLauncher(sqlite_instance),
        interval=0,
        clock=lambda: next(clock),
    )
    outcomes: list[object] = []
    daemon.run(max_ticks=2, on_tick=outcomes.append)
    assert len(outcomes) == 2 and len(calls) == 2
    ticks = AutomationStore(sqlite_instance.storage).list_ticks()
    assert [t.status for t in ticks] == ["success", "success"]
    assert ticks[-1].payload["errors"] == ["sensor:flaky failed: RuntimeError: sensor down"]
    assert ticks[-1].payload["runs"][0]["targets"] == {
        "raw": ["2025-01-01"],
        "clean": ["2025-01-01"],
    }
    assert AutomationStore(sqlite_instance.storage).get_cursor("sensor:flaky") is None
    assert AutomationStore(sqlite_instance.storage).lease_holder(LEASE) == (daemon.holder, 0.0)


def test_a_tick_leaves_the_garbage_collector_as_it_found_it(instance: Instance) -> None:
    # A tick holds the collector while it evaluates; afterwards it is on again (or still
    # off, when the caller had turned it off) and nothing stays frozen.
    defs = daily_pair()
    assert gc.isenabled()
    first = tick(defs, instance, at(days=1), settings=DAILY_TICKS)
    assert targets(first) == [{"raw": ["2025-01-01"], "clean": ["2025-01-01"]}]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        tick(defs, instance, at(days=2), settings=DAILY_TICKS)
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
