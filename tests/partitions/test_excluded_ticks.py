"""Time-window partitions with ``exclusions`` (``excluded_ticks``): the kept windows are the
windows of the same schedule without exclusions, less the excluded ones; checked against
that reference over schedules, time zones, exclusions and clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from assetgraph import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    TimeWindowPartitionsDefinition,
    daily_partitioned_config,
)
from assetgraph.errors import DefinitionError, UsageError

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"]
SCHEDULES = [
    ("0 * * * *", "%Y-%m-%d-%H:%M"),
    ("0 0 * * *", "%Y-%m-%d"),
    ("0 0 * * 1-5", "%Y-%m-%d"),
]


def _kept(plain: TimeWindowPartitionsDefinition, dropped: set[str], now: datetime) -> list[str]:
    return [key for key in plain.get_partition_keys(current_time=now) if key not in dropped]


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    schedule=st.sampled_from(SCHEDULES),
    picks=st.sets(st.integers(min_value=0, max_value=60), max_size=12),
    hours=st.integers(min_value=0, max_value=24 * 40),
    cron_exclusion=st.booleans(),
)
def test_kept_windows_are_the_plain_windows_less_the_excluded_ones(
    zone: str, schedule: tuple[str, str], picks: set[int], hours: int, cron_exclusion: bool
) -> None:
    cron, fmt = schedule
    start = datetime(2024, 3, 1)
    plain = TimeWindowPartitionsDefinition(cron, start, fmt, timezone=zone)
    far = datetime(2024, 6, 1, tzinfo=UTC)
    every = plain.get_partition_keys(current_time=far)
    dropped = {every[i] for i in picks if i < len(every)}
    exclusions: list[str | datetime] = [
        plain.time_window_for_partition_key(key).start.replace(tzinfo=None) for key in dropped
    ]
    if cron_exclusion:  # Sundays at midnight, local time
        exclusions.append("0 0 * * 0")
        starts = {key: plain.time_window_for_partition_key(key).start for key in every}
        dropped |= {
            key for key, at in starts.items() if (at.weekday(), at.hour, at.minute) == (6, 0, 0)
        }
    excluding = TimeWindowPartitionsDefinition(
        cron, start, fmt, timezone=zone, exclusions=exclusions
    )
    now = datetime(2024, 3, 1, tzinfo=ZoneInfo(zone)) + timedelta(hours=hours)
    expected = _kept(plain, dropped, now)
    assert excluding.get_partition_keys(current_time=now) == expected
    for key in expected[:3] + expected[-3:]:
        assert excluding.time_window_for_partition_key(key) == (
            plain.time_window_for_partition_key(key)
        ), "a kept window is the plain window, ending at the next tick even if excluded"
        assert excluding.has_partition_key(key, current_time=now)
    for key in sorted(dropped)[:3]:
        assert not excluding.has_partition_key(key, current_time=far)


def test_an_excluded_key_is_named_in_the_error() -> None:
    holidays = DailyPartitionsDefinition("2024-12-20", exclusions=[datetime(2024, 12, 25)])
    with pytest.raises(UsageError, match="'2024-12-25' is excluded"):
        holidays.index_of("2024-12-25", current_time=datetime(2025, 1, 2, tzinfo=UTC))
    window = holidays.time_window_for_partition_key("2024-12-24")
    assert window.end == datetime(2024, 12, 25, tzinfo=UTC)


def test_exclusions_change_the_identity_of_a_definition() -> None:
    plain = DailyPartitionsDefinition("2024-01-01")
    weekdays = DailyPartitionsDefinition("2024-01-01", exclusions=["0 0 * * 6,0"])
    assert plain != weekdays
    assert "exclusions=['0 0 * * 6,0']" in repr(weekdays)
    assert weekdays == DailyPartitionsDefinition("2024-01-01", exclusions=["0 0 * * 6,0"])


def test_excluding_every_tick_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="exclude fewer"):
        HourlyPartitionsDefinition("2024-01-01-00:00", exclusions=["0 * * * *"])
    with pytest.raises(DefinitionError, match="cron"):
        DailyPartitionsDefinition("2024-01-01", exclusions=["not a cron"])


def test_a_partitioned_config_takes_exclusions() -> None:
    @daily_partitioned_config(start_date=datetime(2024, 1, 1), exclusions=["0 0 * * 6,0"])
    def weekdays(start: datetime, _end: datetime) -> dict[str, object]:
        return {"ops": {"load": {"config": {"day": start.strftime("%A")}}}}

    keys = weekdays.get_partition_keys(current_time=datetime(2024, 1, 9, tzinfo=UTC))
    assert keys == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
        "2024-01-08",
    ]
    config = weekdays.get_run_config_for_partition_key("2024-01-05")
    assert config == {"ops": {"load": {"config": {"day": "Friday"}}}}
