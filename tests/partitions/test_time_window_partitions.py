"""Time-window partitions: keys, windows, DST, end offsets, errors, and properties."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings, strategies as st

from assetgraph.errors import DefinitionError, UsageError
from assetgraph.partitions import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    PartitionKeyRange,
    TimeWindowPartitionsDefinition,
    WeeklyPartitionsDefinition,
)
from assetgraph.partitions.cron_ticks import HOUR, CronTicks, ticks_for, to_ts

NY = "America/New_York"
ZONES = ["UTC", NY, "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(window_start: datetime, window_end: datetime) -> float:
    return (window_end.timestamp() - window_start.timestamp()) / 3600


# Key formats and basic semantics ---------------------------------------------------------


def test_daily_keys_exist_once_their_day_has_ended() -> None:
    daily = DailyPartitionsDefinition(start_date="2025-01-01")
    assert daily.get_partition_keys(current_time=utc(2025, 1, 3, 23, 59)) == [
        "2025-01-01",
        "2025-01-02",
    ]
    assert daily.get_partition_keys(current_time=utc(2025, 1, 4)) == [
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
    ]
    assert daily.get_partition_keys(current_time=utc(2024, 12, 1)) == []


def test_end_offset_adds_or_removes_windows() -> None:
    now = utc(2025, 1, 4, 12)
    assert DailyPartitionsDefinition("2025-01-01", end_offset=1).get_partition_keys(now)[-1] == (
        "2025-01-04"
    )
    assert DailyPartitionsDefinition("2025-01-01", end_offset=2).count(now) == 5
    assert DailyPartitionsDefinition("2025-01-01", end_offset=-2).get_partition_keys(now) == [
        "2025-01-01"
    ]
    assert DailyPartitionsDefinition("2025-01-01", end_offset=-5).count(now) == 0


def test_end_date_caps_partitions_and_is_excluded() -> None:
    daily = DailyPartitionsDefinition("2025-01-01", end_date="2025-01-05", end_offset=3)
    assert daily.get_partition_keys(utc(2030, 1, 1))[-1] == "2025-01-04"
    assert daily.count(utc(2030, 1, 1)) == 4


def test_hourly_monthly_weekly_key_formats() -> None:
    now = utc(2025, 2, 28, 23, 59)
    hourly = HourlyPartitionsDefinition("2025-01-31-13:00")
    assert hourly.get_partition_keys(utc(2025, 1, 31, 15))[:2] == [
        "2025-01-31-13:00",
        "2025-01-31-14:00",
    ]
    monthly = MonthlyPartitionsDefinition("2024-11-01")
    assert monthly.get_partition_keys(now) == ["2024-11-01", "2024-12-01", "2025-01-01"]
    weekly = WeeklyPartitionsDefinition("2025-01-01")  # a Wednesday: first week starts Sunday
    assert weekly.get_partition_keys(utc(2025, 1, 20))[:2] == ["2025-01-05", "2025-01-12"]
    monday = WeeklyPartitionsDefinition("2025-01-01", day_offset=1)
    assert monday.get_partition_keys(utc(2025, 1, 20))[0] == "2025-01-06"


def test_daily_with_hour_offset_keys_name_the_day_the_window_starts() -> None:
    daily = DailyPartitionsDefinition("2025-01-01", hour_offset=6, timezone=NY)
    window = daily.time_window_for_partition_key("2025-01-02")
    assert window.start == datetime(2025, 1, 2, 6, tzinfo=ZoneInfo(NY))
    assert window.end == datetime(2025, 1, 3, 6, tzinfo=ZoneInfo(NY))
    assert daily.get_partition_key_for_timestamp(datetime(2025, 1, 3, 5, tzinfo=ZoneInfo(NY))) == (
        "2025-01-02"
    )


def test_daily_and_general_definition_with_same_schedule_are_equal() -> None:
    daily = DailyPartitionsDefinition("2025-01-01", timezone=NY)
    general = TimeWindowPartitionsDefinition("0 0 * * *", "2025-01-01", "%Y-%m-%d", NY)
    assert daily == general
    assert hash(daily) == hash(general)
    assert daily != DailyPartitionsDefinition("2025-01-02", timezone=NY)


def test_general_cron_schedule_iterates_with_cronsim() -> None:
    # Every 6 hours on weekdays only: no arithmetic shape, so the cron library iterates.
    six = TimeWindowPartitionsDefinition("0 */6 * * 1-5", "2025-01-03", "%Y-%m-%d-%H:%M")
    keys = six.get_partition_keys(utc(2025, 1, 7))
    assert keys == [
        "2025-01-03-00:00",
        "2025-01-03-06:00",
        "2025-01-03-12:00",
        "2025-01-03-18:00",
        "2025-01-06-00:00",
        "2025-01-06-06:00",
        "2025-01-06-12:00",
        "2025-01-06-18:00",
    ]
    assert six.time_window_for_partition_key("2025-01-03-18:00").end == utc(2025, 1, 6)
    assert six.index_of("2025-01-06-00:00", utc(2025, 1, 7)) == 4


def test_time_window_for_range_spans_the_keys() -> None:
    daily = DailyPartitionsDefinition("2025-01-01")
    rng = PartitionKeyRange("2025-01-02", "2025-01-04")
    windows = daily.time_windows_for_range(rng, utc(2025, 2, 1))
    assert [w.start.day for w in windows] == [2, 3, 4]
    span = daily.time_window_for_range(rng, utc(2025, 2, 1))
    assert (span.start, span.end) == (utc(2025, 1, 2), utc(2025, 1, 5))


def test_timestamp_on_a_boundary_with_end_closed_belongs_to_the_window_ending_there() -> None:
    daily = DailyPartitionsDefinition("2025-01-01")
    assert daily.get_partition_key_for_timestamp(utc(2025, 1, 3).timestamp()) == "2025-01-03"
    assert (
        daily.get_partition_key_for_timestamp(utc(2025, 1, 3).timestamp(), end_closed=True)
        == "2025-01-02"
    )


# DST -------------------------------------------------------------------------------------


def test_new_york_hourly_has_23_keys_on_spring_forward_day() -> None:
    hourly = HourlyPartitionsDefinition("2025-03-08-00:00", timezone=NY)
    keys = [k for k in hourly.get_partition_keys(utc(2025, 3, 12)) if k.startswith("2025-03-09")]
    assert len(keys) == 23
    assert "2025-03-09-02:00" not in keys
    assert keys[1:3] == ["2025-03-09-01:00", "2025-03-09-03:00"]


def test_new_york_hourly_has_25_keys_on_fall_back_day_second_one_with_offset() -> None:
    hourly = HourlyPartitionsDefinition("2025-11-01-00:00", timezone=NY)
    now = utc(2025, 11, 5)
    keys = [k for k in hourly.get_partition_keys(now) if k.startswith("2025-11-02")]
    assert len(keys) == 25
    assert keys[1:4] == ["2025-11-02-01:00", "2025-11-02-01:00-0500", "2025-11-02-02:00"]
    first = hourly.time_window_for_partition_key("2025-11-02-01:00")
    second = hourly.time_window_for_partition_key("2025-11-02-01:00-0500")
    assert first.start.timestamp() == utc(2025, 11, 2, 5).timestamp()
    assert second.start.timestamp() == utc(2025, 11, 2, 6).timestamp()
    assert first.end.timestamp() == second.start.timestamp()
    assert (
        hourly.index_of("2025-11-02-01:00-0500", now)
        == hourly.index_of("2025-11-02-01:00", now) + 1
    )
    assert hourly.get_partition_key_for_timestamp(utc(2025, 11, 2, 6, 30)) == (
        "2025-11-02-01:00-0500"
    )


def test_nonexistent_spring_forward_hour_is_not_a_key() -> None:
    hourly = HourlyPartitionsDefinition("2025-03-08-00:00", timezone=NY)
    with pytest.raises(UsageError, match="2025-03-09-02:00"):
        hourly.index_of("2025-03-09-02:00", utc(2025, 3, 12))


def test_daily_windows_last_23_and_25_hours_on_transition_days() -> None:
    daily = DailyPartitionsDefinition("2025-01-01", timezone=NY)
    spring = daily.time_window_for_partition_key("2025-03-09")
    fall = daily.time_window_for_partition_key("2025-11-02")
    normal = daily.time_window_for_partition_key("2025-06-01")
    assert hours(spring.start, spring.end) == 23
    assert hours(fall.start, fall.end) == 25
    assert hours(normal.start, normal.end) == 24


def test_kathmandu_hourly_windows_start_at_local_whole_hours() -> None:
    hourly = HourlyPartitionsDefinition("2025-01-01-00:00", timezone="Asia/Kathmandu")
    window = hourly.time_window_for_partition_key("2025-01-01-05:00")
    assert window.start.astimezone(UTC) == utc(2024, 12, 31, 23, 15)
    assert hours(window.start, window.end) == 1


def test_lord_howe_half_hour_dst_makes_90_minute_hourly_windows() -> None:
    hourly = HourlyPartitionsDefinition("2025-01-01-00:00", timezone="Australia/Lord_Howe")
    # DST ends 2025-04-06 02:00 (+11) -> 01:30 (+10:30); starts 2025-10-05 02:00 -> 02:30.
    end_of_dst = hourly.time_window_for_partition_key("2025-04-06-01:00")
    assert hours(end_of_dst.start, end_of_dst.end) == 1.5
    assert end_of_dst.end.strftime("%H:%M") == "02:00"
    start_of_dst = hourly.time_window_for_partition_key("2025-10-05-01:00")
    assert hours(start_of_dst.start, start_of_dst.end) == 1.5
    assert start_of_dst.end.strftime("%H:%M") == "03:00"
    keys = hourly.get_partition_keys(utc(2025, 12, 31))
    assert "2025-10-05-02:00" not in keys
    assert len([k for k in keys if k.startswith("2025-10-05")]) == 23
    assert len([k for k in keys if k.startswith("2025-04-06")]) == 24


# Errors ----------------------------------------------------------------------------------


def test_unknown_key_names_format_and_nearest_key() -> None:
    daily = DailyPartitionsDefinition("2025-01-01")
    now = utc(2025, 1, 10)
    with pytest.raises(UsageError, match=r"'%Y-%m-%d'") as bad_format:
        daily.index_of("2025/01/03", now)
    assert "'2025-01-01'" in str(bad_format.value) and "'2025-01-09'" in str(bad_format.value)
    with pytest.raises(UsageError, match=r"nearest existing key is '2025-01-09'"):
        daily.index_of("2025-02-03", now)
    with pytest.raises(UsageError, match=r"nearest existing key is '2025-01-01'"):
        daily.index_of("2024-12-25", now)


def test_reversed_range_is_refused_with_the_fix() -> None:
    daily = DailyPartitionsDefinition("2025-01-01")
    with pytest.raises(UsageError, match=r"reversed.*2025-01-02\.\.\.2025-01-05"):
        daily.subset_for_range(PartitionKeyRange("2025-01-05", "2025-01-02"), utc(2025, 2, 1))


def test_bad_definitions_are_refused() -> None:
    with pytest.raises(DefinitionError, match="Mars/Olympus"):
        DailyPartitionsDefinition("2025-01-01", timezone="Mars/Olympus")
    with pytest.raises(DefinitionError, match="Did you mean 'America/New_York'"):
        DailyPartitionsDefinition("2025-01-01", timezone="America/New_Yrok")
    with pytest.raises(DefinitionError, match="start_date|start="):
        DailyPartitionsDefinition("January first")
    with pytest.raises(DefinitionError, match="hour_offset"):
        DailyPartitionsDefinition("2025-01-01", hour_offset=24)
    with pytest.raises(DefinitionError, match="day_offset"):
        MonthlyPartitionsDefinition("2025-01-01", day_offset=31)
    with pytest.raises(DefinitionError, match="cron"):
        TimeWindowPartitionsDefinition("61 * * * *", "2025-01-01", "%Y-%m-%d")
    with pytest.raises(DefinitionError, match="before start"):
        DailyPartitionsDefinition("2025-01-05", end_date="2025-01-01")


# Scale -----------------------------------------------------------------------------------


def test_thirty_year_daily_definition_answers_without_listing() -> None:
    daily = DailyPartitionsDefinition("1995-01-01", timezone=NY)
    now = utc(2025, 1, 1, 12)
    assert daily.count(now) == (datetime(2025, 1, 1) - datetime(1995, 1, 1)).days
    assert daily.key_at(10_000, now) == "2022-05-19"
    assert daily.index_of("2022-05-19", now) == 10_000
    everything = daily.all_subset(now)
    some = daily.subset_for_range(PartitionKeyRange("2000-01-01", "2000-12-31"), now)
    assert len(everything | some) == len(everything)
    assert len(everything & some) == 366
    assert len(everything - some) == len(everything) - 366
    hourly = HourlyPartitionsDefinition("1995-01-01-00:00", timezone="Australia/Lord_Howe")
    n = hourly.count(now)
    assert hourly.index_of(hourly.key_at(n - 1, now), now) == n - 1


# Properties ------------------------------------------------------------------------------

GRANULARITIES = {
    "hourly": (HourlyPartitionsDefinition, timedelta(hours=1), 800),
    "daily": (DailyPartitionsDefinition, timedelta(days=1), 800),
    "weekly": (WeeklyPartitionsDefinition, timedelta(weeks=1), 200),
    "monthly": (MonthlyPartitionsDefinition, timedelta(days=31), 60),
}


@st.composite
def time_definitions(draw: st.DrawFn) -> tuple[TimeWindowPartitionsDefinition, datetime]:
    granularity = draw(st.sampled_from(sorted(GRANULARITIES)))
    cls, step, max_windows = GRANULARITIES[granularity]
    tz = draw(st.sampled_from(ZONES))
    start = draw(st.datetimes(datetime(2000, 1, 1), datetime(2035, 1, 1)))
    end_offset = draw(st.integers(-2, 3))
    kwargs: dict[str, object] = {"timezone": tz, "end_offset": end_offset}
    if granularity != "hourly":
        kwargs["hour_offset"] = draw(st.sampled_from([0, 5, 12, 23]))
    kwargs["minute_offset"] = draw(st.sampled_from([0, 15, 30, 59]))
    if granularity == "weekly":
        kwargs["day_offset"] = draw(st.integers(0, 6))
    if granularity == "monthly":
        kwargs["day_offset"] = draw(st.integers(1, 28))
    definition = cls(start, **kwargs)
    now = start.replace(tzinfo=UTC) + step * draw(st.integers(-3, max_windows))
    now += timedelta(seconds=draw(st.integers(0, 86400)))
    return definition, now


@settings(max_examples=100, deadline=None)
@given(time_definitions())
def test_keys_sorted_unique_round_trip_and_windows_tile(
    case: tuple[TimeWindowPartitionsDefinition, datetime],
) -> None:
    definition, now = case
    keys = definition.get_partition_keys(now)
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert len(keys) == definition.count(now)
    windows = [definition.time_window_for_partition_key(k) for k in keys]
    for index, (key, window) in enumerate(zip(keys, windows, strict=True)):
        assert definition.index_of(key, now) == index
        assert definition.key_at(index, now) == key
        assert definition.get_partition_key_for_timestamp(window.start) == key
        assert window.end.timestamp() > window.start.timestamp()
    for before, after in itertools.pairwise(windows):
        assert before.end.timestamp() == after.start.timestamp()
    if keys:
        assert windows[0].start.timestamp() >= definition.start.timestamp()
    # Without end_offset, exactly the windows that ended by now exist.
    ended = definition.count(now) - definition.end_offset
    if ended > 0 and definition.count(now) > 0:
        assert definition.time_window_for_index(ended - 1).end.timestamp() <= now.timestamp()
    if ended >= 0:
        assert definition.time_window_for_index(ended).end.timestamp() > now.timestamp()


@settings(max_examples=100, deadline=None)
@given(time_definitions(), st.data())
def test_subset_for_range_selects_exactly_the_keys_between_its_ends(
    case: tuple[TimeWindowPartitionsDefinition, datetime], data: st.DataObject
) -> None:
    definition, now = case
    keys = definition.get_partition_keys(now)
    if not keys:
        return
    i = data.draw(st.integers(0, len(keys) - 1))
    j = data.draw(st.integers(i, len(keys) - 1))
    subset = definition.subset_for_range(PartitionKeyRange(keys[i], keys[j]), now)
    assert list(subset.keys()) == keys[i : j + 1]
    assert len(subset) == j - i + 1
    assert subset.ranges() == [PartitionKeyRange(keys[i], keys[j])]


def wall_clock_ticks(tz: ZoneInfo, minute: int, anchor: int) -> list[int]:
    """Every instant around ``anchor`` whose local wall clock reads ``HH:minute:00``: what an
    hourly schedule means, both occurrences of a repeated time included (cronsim keeps only
    the first when a DST change moves the clock by 30 minutes, as at Lord Howe)."""
    start = anchor - 6 * HOUR - anchor % 60
    return [
        t
        for t in range(start, anchor + 70 * HOUR, 60)
        if (local := datetime.fromtimestamp(t, tz)).minute == minute and local.second == 0
    ]


@settings(max_examples=60, deadline=None)
@example(
    zone="Australia/Lord_Howe",
    pattern="{m} * * * *",
    m=30,
    h=0,
    d=0,
    dom=1,
    start=datetime(2000, 3, 24),
)
@given(
    st.sampled_from(ZONES),
    st.sampled_from(["{m} * * * *", "{m} {h} * * *", "{m} {h} * * {d}", "{m} {h} {dom} * *"]),
    st.sampled_from([0, 15, 30, 59]),
    st.sampled_from([0, 5, 12, 23]),
    st.integers(0, 6),
    st.integers(1, 28),
    st.datetimes(datetime(2000, 1, 1), datetime(2035, 1, 1)),
)
def test_arithmetic_ticks_match_cron_iteration(
    zone: str, pattern: str, m: int, h: int, d: int, dom: int, start: datetime
) -> None:
    expr = pattern.format(m=m, h=h, d=d, dom=dom)
    tz = ZoneInfo(zone)
    anchor = to_ts(start.replace(tzinfo=tz))
    fast = ticks_for(expr, tz, anchor)
    assert not isinstance(fast, CronTicks)
    if pattern.startswith("{m} * "):
        wall = wall_clock_ticks(tz, m, anchor)
        zero = next(i for i, t in enumerate(wall) if t >= anchor)

        def reference(n: int) -> int:
            return wall[zero + n]
    else:
        reference = CronTicks(expr, tz, anchor).at
    first = fast.ceil(anchor)
    for n in range(-3, 60):
        assert fast.at(first + n) == reference(n)
        assert fast.floor(reference(n)) == first + n
        assert fast.floor(reference(n) - 1) == first + n - 1
