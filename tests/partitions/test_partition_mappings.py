"""Partition mappings, in both directions, and the compatibility rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assetgraph.errors import DefinitionError, UsageError
from assetgraph.partitions import (
    AllPartitionMapping,
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    IdentityPartitionMapping,
    LastPartitionMapping,
    MultiPartitionsDefinition,
    MultiToSingleDimensionPartitionMapping,
    PartitionKeyRange,
    PartitionsDefinition,
    PartitionsSubset,
    StaticPartitionMapping,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
    check_compatible,
    default_partition_mapping,
)

NOW = datetime(2025, 12, 1, tzinfo=UTC)
NY = "America/New_York"
DAILY = DailyPartitionsDefinition("2025-01-01")
COLORS = StaticPartitionsDefinition(["red", "green", "blue"])


def keys_of(definition: PartitionsDefinition, *keys: str) -> PartitionsSubset:
    return definition.subset_for_keys(keys, NOW)


def span(definition: PartitionsDefinition, start: str, end: str) -> PartitionsSubset:
    return definition.subset_for_range(PartitionKeyRange(start, end), NOW)


def test_identity_both_ways() -> None:
    mapping = IdentityPartitionMapping()
    down = keys_of(COLORS, "red", "blue")
    up = mapping.upstream_subset(COLORS, down, COLORS, NOW)
    assert list(up.keys()) == ["red", "blue"]
    assert mapping.downstream_subset(COLORS, up, COLORS, NOW) == down
    # Same daily schedule, later downstream start: keys line up by date.
    later = DailyPartitionsDefinition("2025-02-01")
    feb = span(later, "2025-02-01", "2025-02-03")
    assert list(mapping.upstream_subset(later, feb, DAILY, NOW).keys()) == [
        "2025-02-01",
        "2025-02-02",
        "2025-02-03",
    ]
    jan = span(DAILY, "2025-01-30", "2025-02-02")
    assert list(mapping.downstream_subset(DAILY, jan, later, NOW).keys()) == [
        "2025-02-01",
        "2025-02-02",
    ]


def test_rolling_seven_days_both_ways() -> None:
    rolling = TimeWindowPartitionMapping(start_offset=-6)
    day = keys_of(DAILY, "2025-03-10")
    up = rolling.upstream_subset(DAILY, day, DAILY, NOW)
    assert up.ranges() == [PartitionKeyRange("2025-03-04", "2025-03-10")]
    down = rolling.downstream_subset(DAILY, keys_of(DAILY, "2025-03-04"), DAILY, NOW)
    assert down.ranges() == [PartitionKeyRange("2025-03-04", "2025-03-10")]
    # A run of days reads one run of upstream days.
    week = span(DAILY, "2025-03-10", "2025-03-16")
    assert rolling.upstream_subset(DAILY, week, DAILY, NOW).ranges() == [
        PartitionKeyRange("2025-03-04", "2025-03-16")
    ]


def test_rolling_window_before_upstream_start_errors_or_drops() -> None:
    early = keys_of(DAILY, "2025-01-03")
    with pytest.raises(UsageError) as error:
        TimeWindowPartitionMapping(start_offset=-6).upstream_subset(DAILY, early, DAILY, NOW)
    message = str(error.value)
    assert "2024-12-28...2024-12-31" in message
    assert "2025-01-03" in message and "'2025-01-01'" in message
    assert "allow_nonexistent_upstream_partitions=True" in message
    lenient = TimeWindowPartitionMapping(
        start_offset=-6, allow_nonexistent_upstream_partitions=True
    )
    assert lenient.upstream_subset(DAILY, early, DAILY, NOW).ranges() == [
        PartitionKeyRange("2025-01-01", "2025-01-03")
    ]
    # Downstream partitions past the downstream's last existing one are dropped silently.
    last = keys_of(DAILY, DAILY.key_at(DAILY.count(NOW) - 1, NOW))
    assert len(lenient.downstream_subset(DAILY, last, DAILY, NOW)) == 1


def test_previous_day_mapping() -> None:
    previous = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)
    up = previous.upstream_subset(DAILY, keys_of(DAILY, "2025-05-05"), DAILY, NOW)
    assert list(up.keys()) == ["2025-05-04"]
    down = previous.downstream_subset(DAILY, up, DAILY, NOW)
    assert list(down.keys()) == ["2025-05-05"]
    with pytest.raises(DefinitionError, match="start_offset=1"):
        TimeWindowPartitionMapping(start_offset=1, end_offset=0)


def test_hourly_to_daily_across_dst_days_both_ways() -> None:
    hourly = HourlyPartitionsDefinition("2025-01-01-00:00", timezone=NY)
    daily = DailyPartitionsDefinition("2025-01-01", timezone=NY)
    mapping = default_partition_mapping(hourly, daily)
    assert mapping == TimeWindowPartitionMapping()
    assert mapping is not None
    for day, n_hours in (("2025-03-09", 23), ("2025-11-02", 25), ("2025-06-01", 24)):
        hours = mapping.upstream_subset(daily, keys_of(daily, day), hourly, NOW)
        assert len(hours) == n_hours
        assert all(k.startswith(day) for k in hours)
        assert mapping.downstream_subset(hourly, hours, daily, NOW) == keys_of(daily, day)
    # Daily upstream, hourly downstream: each hour reads its day.
    reverse = default_partition_mapping(daily, hourly)
    assert reverse is not None
    hour = keys_of(hourly, "2025-11-02-01:00-0500")
    assert list(reverse.upstream_subset(hourly, hour, daily, NOW).keys()) == ["2025-11-02"]
    back = reverse.downstream_subset(daily, keys_of(daily, "2025-11-02"), hourly, NOW)
    assert len(back) == 25


def test_all_mapping_both_ways() -> None:
    mapping = AllPartitionMapping()
    up = mapping.upstream_subset(COLORS, keys_of(COLORS, "red"), DAILY, NOW)
    assert len(up) == DAILY.count(NOW)
    assert not mapping.upstream_subset(COLORS, COLORS.empty_subset(), DAILY, NOW)
    down = mapping.downstream_subset(DAILY, keys_of(DAILY, "2025-02-02"), COLORS, NOW)
    assert list(down.keys()) == ["red", "green", "blue"]


def test_last_mapping_both_ways() -> None:
    mapping = LastPartitionMapping()
    up = mapping.upstream_subset(COLORS, keys_of(COLORS, "green"), DAILY, NOW)
    assert list(up.keys()) == ["2025-11-30"]
    assert len(mapping.downstream_subset(DAILY, up, COLORS, NOW)) == 3
    older = keys_of(DAILY, "2025-11-29")
    assert not mapping.downstream_subset(DAILY, older, COLORS, NOW)


def test_static_mapping_both_ways() -> None:
    sizes = StaticPartitionsDefinition(["small", "large"])
    mapping = StaticPartitionMapping({"red": "small", "green": ["small", "large"], "blue": []})
    up = mapping.upstream_subset(sizes, keys_of(sizes, "large"), COLORS, NOW)
    assert list(up.keys()) == ["green"]
    up_small = mapping.upstream_subset(sizes, keys_of(sizes, "small"), COLORS, NOW)
    assert list(up_small.keys()) == ["red", "green"]
    down = mapping.downstream_subset(COLORS, keys_of(COLORS, "red"), sizes, NOW)
    assert list(down.keys()) == ["small"]
    assert not mapping.downstream_subset(COLORS, keys_of(COLORS, "blue"), sizes, NOW)
    bad = StaticPartitionMapping({"purple": "small"})
    with pytest.raises(DefinitionError, match=r"'sizes'.*reads asset 'colors'.*purple"):
        check_compatible("colors", COLORS, "sizes", sizes, bad)


def test_multi_to_single_dimension_both_ways() -> None:
    multi = MultiPartitionsDefinition({"color": COLORS, "date": DAILY})
    mapping = default_partition_mapping(multi, DAILY)
    assert mapping == MultiToSingleDimensionPartitionMapping()
    assert mapping is not None
    day = keys_of(DAILY, "2025-02-02")
    up = mapping.upstream_subset(DAILY, day, multi, NOW)
    assert sorted(up.keys()) == ["blue|2025-02-02", "green|2025-02-02", "red|2025-02-02"]
    assert mapping.downstream_subset(multi, up, DAILY, NOW) == day
    # Single upstream, multi downstream.
    named = MultiToSingleDimensionPartitionMapping("color")
    down = named.downstream_subset(COLORS, keys_of(COLORS, "green"), multi, NOW)
    assert len(down) == DAILY.count(NOW)
    assert all(k.startswith("green|") for k in down)
    assert list(named.upstream_subset(multi, down, COLORS, NOW).keys()) == ["green"]
    with pytest.raises(DefinitionError, match="no dimension 'shape'"):
        MultiToSingleDimensionPartitionMapping("shape").upstream_subset(DAILY, day, multi, NOW)


def test_default_mappings() -> None:
    assert default_partition_mapping(None, None) is None
    assert default_partition_mapping(DAILY, None) == AllPartitionMapping()
    assert default_partition_mapping(None, DAILY) == AllPartitionMapping()
    assert default_partition_mapping(DAILY, DailyPartitionsDefinition("2025-01-01")) == (
        IdentityPartitionMapping()
    )
    weekly_to_daily = default_partition_mapping(DailyPartitionsDefinition("2024-01-01"), DAILY)
    assert weekly_to_daily == TimeWindowPartitionMapping()


def test_incompatible_definitions_name_both_assets() -> None:
    with pytest.raises(DefinitionError) as error:
        check_compatible("colors", COLORS, "daily_report", DAILY, None)
    message = str(error.value)
    assert "'colors'" in message and "'daily_report'" in message
    assert "partition_mapping" in message
    other = StaticPartitionsDefinition(["a", "b"])
    with pytest.raises(DefinitionError, match=r"'right'.*reads asset 'left'"):
        check_compatible("left", COLORS, "right", other)
    with pytest.raises(DefinitionError, match=r"'daily'.*reads asset 'colors'.*time-window"):
        check_compatible("colors", COLORS, "daily", DAILY, TimeWindowPartitionMapping())
    assert check_compatible("colors", COLORS, "daily", DAILY, AllPartitionMapping()) == (
        AllPartitionMapping()
    )
    assert check_compatible("a", None, "b", None) is None
    assert check_compatible("a", DAILY, "b", DAILY) == IdentityPartitionMapping()


# --- properties: offsets and time zones, against a reference that lists windows ----------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(["UTC", NY, "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"]),
    start_offset=st.integers(min_value=-3, max_value=1),
    width=st.integers(min_value=0, max_value=3),
    first=st.integers(min_value=0, max_value=300),
    count=st.integers(min_value=1, max_value=5),
)
def test_an_hourly_upstream_of_days_is_every_hour_of_the_shifted_local_days(
    zone: str, start_offset: int, width: int, first: int, count: int
) -> None:
    days = DailyPartitionsDefinition("2025-01-01", timezone=zone)
    hours = HourlyPartitionsDefinition("2024-12-20-00:00", timezone=zone)
    mapping = TimeWindowPartitionMapping(
        start_offset=start_offset,
        end_offset=start_offset + width,
        allow_nonexistent_upstream_partitions=True,
    )
    chosen = PartitionsSubset.from_indices(days, range(first, first + count), NOW)
    found = mapping.upstream_subset(days, chosen, hours, NOW)
    day_windows = [days.time_window_for_index(i) for i in range(-3, first + count + 4)]
    lo = day_windows[first + 3 + start_offset].start
    hi = day_windows[first + count - 1 + 3 + start_offset + width].end
    near = range(max(0, hours.floor_index(int(lo.timestamp())) - 3), hours.count(NOW))[:200]
    windows = {i: hours.time_window_for_index(i) for i in near}
    expected = {i for i, w in windows.items() if w.start < hi and lo < w.end}
    assert set(found.indices()) == expected, (zone, start_offset, width)
    back = mapping.downstream_subset(hours, found, days, NOW)
    assert set(chosen.indices()) <= set(back.indices()), "a day's hours map back to it"


@settings(max_examples=80, deadline=None)
@given(
    start_offset=st.integers(min_value=-5, max_value=2),
    width=st.integers(min_value=0, max_value=4),
    picks=st.sets(st.integers(min_value=0, max_value=40), min_size=1, max_size=6),
)
def test_day_to_day_offsets_shift_each_partition_and_invert(
    start_offset: int, width: int, picks: set[int]
) -> None:
    mapping = TimeWindowPartitionMapping(
        start_offset=start_offset,
        end_offset=start_offset + width,
        allow_nonexistent_upstream_partitions=True,
    )
    chosen = PartitionsSubset.from_indices(DAILY, picks, NOW)
    found = mapping.upstream_subset(DAILY, chosen, DAILY, NOW)
    n = DAILY.count(NOW)
    expected = {
        i + shift
        for i in picks
        for shift in range(start_offset, start_offset + width + 1)
        if 0 <= i + shift < n
    }
    assert set(found.indices()) == expected
    for up in sorted(expected)[:3]:
        single = PartitionsSubset.from_indices(DAILY, [up], NOW)
        readers = set(mapping.downstream_subset(DAILY, single, DAILY, NOW).indices())
        assert readers == {
            d for d in range(n) if d + start_offset <= up <= d + start_offset + width
        }


def test_end_offset_zero_with_start_offset_minus_one_reads_yesterday_and_today() -> None:
    mapping = TimeWindowPartitionMapping(start_offset=-1, end_offset=0)
    found = mapping.upstream_subset(DAILY, keys_of(DAILY, "2025-03-10"), DAILY, NOW)
    assert list(found.keys()) == ["2025-03-09", "2025-03-10"]
    with pytest.raises(UsageError, match="'2024-12-31'"):
        mapping.upstream_subset(DAILY, keys_of(DAILY, "2025-01-01"), DAILY, NOW)


def test_offsets_count_downstream_windows_between_granularities() -> None:
    hours = HourlyPartitionsDefinition("2025-01-01-00:00")
    yesterday_too = TimeWindowPartitionMapping(start_offset=-1, end_offset=0)
    found = yesterday_too.upstream_subset(DAILY, keys_of(DAILY, "2025-01-03"), hours, NOW)
    assert (found.first_key, found.last_key, len(found)) == (
        "2025-01-02-00:00",
        "2025-01-03-23:00",
        48,
    ), "a day's offset of -1 is the day before, as in Dagster (not the hour before)"
    readers = yesterday_too.downstream_subset(hours, keys_of(hours, "2025-01-02-05:00"), DAILY, NOW)
    assert list(readers.keys()) == ["2025-01-02", "2025-01-03"]
