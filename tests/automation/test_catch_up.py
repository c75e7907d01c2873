"""Catch-up of missing partitions, and a roll-up that waits for its day, then follows.

The issue's scenario: an hourly asset whose start date is three days before the daemon first
runs, and a daily roll-up of it, both eager; ticks at chosen times.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assetgraph import (
    AutomationPolicy,
    DailyPartitionsDefinition,
    DefinitionError,
    Definitions,
    HourlyPartitionsDefinition,
    Instance,
    asset,
    materialize,
)
from assetgraph.storage import schema
from assetgraph.storage.records import EventType
from tests.automation.conftest import (
    RecordingLauncher,
    at,
    entry,
    targets,
    tick,
)

START = "2025-01-01-00:00"


def readings_and_daily(cap: int | None, catch_up: object = "all") -> Definitions:
    hourly = HourlyPartitionsDefinition(start_date=START)
    daily = DailyPartitionsDefinition(start_date="2025-01-01")

    @asset(
        partitions_def=hourly,
        automation_policy=AutomationPolicy.eager(
            max_materializations_per_tick=cap,
            catch_up=catch_up,  # type: ignore[arg-type]
        ),
    )
    def readings(context) -> str:  # type: ignore[no-untyped-def]
        return str(context.partition_key)

    @asset(
        partitions_def=daily,
        automation_policy=AutomationPolicy.eager(max_materializations_per_tick=cap),
    )
    def daily_readings(context, readings) -> int:  # type: ignore[no-untyped-def]
        return len(readings)

    return Definitions([readings, daily_readings])


def built(instance: Instance, key: str) -> Counter[str]:
    """How many times each partition of ``key`` was materialized."""
    events = schema.events
    query = (
        select(events.c.partition_key, func.count())
        .where(
            events.c.asset_key == key, events.c.event_type == EventType.ASSET_MATERIALIZATION.value
        )
        .group_by(events.c.partition_key)
    )
    rows = instance.storage.read(lambda conn: conn.execute(query).all())
    return Counter({str(partition): int(count) for partition, count in rows})


def test_the_daemon_fills_every_ended_window_and_the_daily_follows(instance: Instance) -> None:
    defs = readings_and_daily(cap=100)
    first_start = at(5.5, days=3)  # the daemon first runs three days and 5.5 hours in
    for _ in range(4):
        tick(defs, instance, first_start)
    hours = built(instance, "readings")
    assert len(hours) == 3 * 24 + 5 and set(hours.values()) == {1}
    assert min(hours) == "2025-01-01-00:00" and max(hours) == "2025-01-04-04:00"
    assert built(instance, "daily_readings") == Counter(
        {"2025-01-01": 1, "2025-01-02": 1, "2025-01-03": 1}
    )
    # Just after midnight the fourth day's roll-up follows its last hour in the same run.
    night = tick(defs, instance, at(0.5, days=4))
    assert targets(night) == [
        {"readings": ["2025-01-04-05:00...2025-01-04-23:00"], "daily_readings": ["2025-01-04"]}
    ]
    for _ in range(3):
        assert targets(tick(defs, instance, at(0.5, days=4))) == []
    assert len(built(instance, "readings")) == 4 * 24
    assert set(built(instance, "readings").values()) == {1}
    assert set(built(instance, "daily_readings").values()) == {1}
    assert len(built(instance, "daily_readings")) == 4


def test_a_cap_fills_newest_first_and_the_daily_waits_saying_for_what(
    instance: Instance,
) -> None:
    defs = readings_and_daily(cap=20)
    materialize(
        defs,
        selection="readings",
        instance=instance,
        partition_range="2025-01-01-00:00...2025-01-01-01:00",
        current_time=at(2),
        raise_on_error=True,
    )
    first = tick(defs, instance, at(0.5, days=1))
    assert targets(first) == [{"readings": ["2025-01-01-04:00...2025-01-01-23:00"]}]
    assert entry(first, "readings")["reasons"] == [
        "missing partitions 2025-01-01-04:00...2025-01-01-23:00 whose windows ended "
        "(20 of 22 this tick: max_materializations_per_tick=20, newest first)"
    ]
    assert entry(first, "readings")["skipped"] == [
        "left for later ticks: 2 missing partitions 2025-01-01-02:00...2025-01-01-03:00 "
        "(max_materializations_per_tick=20)"
    ]
    daily = entry(first, "daily_readings")
    assert daily["requested"] is None
    assert daily["skipped"] == [
        "waiting 2025-01-01: for 22 of 24 upstream readings partitions; 20 requested this tick"
    ]
    second = tick(defs, instance, at(0.6, days=1))
    assert targets(second) == [
        {"readings": ["2025-01-01-02:00...2025-01-01-03:00"], "daily_readings": ["2025-01-01"]}
    ]
    assert built(instance, "daily_readings") == Counter({"2025-01-01": 1})
    assert set(built(instance, "readings").values()) == {1}


def test_partitions_in_flight_are_not_requested_again_and_free_the_cap(
    instance: Instance,
) -> None:
    defs = readings_and_daily(cap=5)
    launcher = RecordingLauncher(instance)
    first = tick(defs, instance, at(0, days=1), launcher=launcher)
    assert targets(first) == [{"readings": ["2025-01-01-19:00...2025-01-01-23:00"]}]
    second = tick(defs, instance, at(0.1, days=1), launcher=launcher)
    assert targets(second) == [{"readings": ["2025-01-01-14:00...2025-01-01-18:00"]}]
    skipped = entry(second, "readings")["skipped"]
    assert any("19:00...2025-01-01-23:00: already requested by run" in s for s in skipped)


@pytest.mark.parametrize(
    ("catch_up", "expected"),
    [
        ("latest", ["2025-01-03-04:00"]),
        (3, ["2025-01-03-02:00...2025-01-03-04:00"]),
        (timedelta(hours=2), ["2025-01-03-03:00...2025-01-03-04:00"]),
    ],
)
def test_catch_up_latest_or_a_horizon_keeps_to_recent_windows(
    instance: Instance, catch_up: object, expected: list[str]
) -> None:
    defs = readings_and_daily(cap=None, catch_up=catch_up)
    first = tick(defs, instance, at(5, days=2))
    assert [t["readings"] for t in targets(first)] == [expected]


def test_dry_run_previews_a_catch_up_without_launching(instance: Instance) -> None:
    defs = readings_and_daily(cap=30)
    preview = tick(defs, instance, at(0, days=3), dry_run=True)
    assert preview.status == "dry_run"
    assert targets(preview) == [
        {"readings": ["2025-01-02-18:00...2025-01-03-23:00"], "daily_readings": ["2025-01-03"]}
    ]
    readings = entry(preview, "readings")
    assert readings["requested_count"] == 30 and readings["missing_count"] == 72
    assert built(instance, "readings") == Counter()


def test_a_failed_partition_waits_for_new_upstream_data_or_a_code_change(
    instance: Instance,
) -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")
    version = {"code": "1"}

    def make() -> Definitions:
        @asset(partitions_def=daily, automation_policy=AutomationPolicy.eager())
        def source_days(context) -> str:  # type: ignore[no-untyped-def]
            return str(context.partition_key)

        @asset(
            partitions_def=daily,
            automation_policy=AutomationPolicy.eager(),
            code_version=version["code"],
        )
        def fragile(context, source_days) -> str:  # type: ignore[no-untyped-def]
            if context.partition_key == "2025-01-02" and version["code"] == "1":
                raise ValueError("bad day")
            return source_days

        return Definitions([source_days, fragile])

    first = tick(defs := make(), instance, at(days=3))
    assert "2025-01-02" not in built(instance, "fragile")
    again = tick(defs, instance, at(1, days=3))
    assert targets(again) == []
    (note,) = entry(again, "fragile")["skipped"]
    assert note.startswith("skipped 2025-01-02: last attempt failed in run ")
    assert note.endswith("waiting for new upstream data or a code change")
    assert first.runs
    version["code"] = "2"
    fixed = tick(make(), instance, at(2, days=3))
    assert targets(fixed) == [{"fragile": ["2025-01-02"]}]
    assert (
        "retrying 2025-01-02 after a failure: its code changed"
        in (entry(fixed, "fragile")["reasons"])
    )
    assert built(instance, "fragile")["2025-01-02"] == 1


def test_catch_up_is_checked() -> None:
    with pytest.raises(DefinitionError, match="catch_up must be 'all', 'latest'"):
        AutomationPolicy.eager(catch_up="everything")  # type: ignore[arg-type]
    with pytest.raises(DefinitionError, match="catch_up must be"):
        AutomationPolicy.eager(catch_up=0)
