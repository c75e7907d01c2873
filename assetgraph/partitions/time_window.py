"""Time-window partitions: one partition per window between two ticks of a cron schedule.

Partition ``i`` is the window from tick ``i`` to tick ``i + 1`` (end excluded), tick 0 being
the first tick at or after ``start``. Its key is the window's start, formatted with ``fmt`` in
the definition's time zone. A partition exists once its window has ended at ``current_time``;
``end_offset=N`` adds N more windows (negative removes some), and ``end`` caps the windows at
those ending at or before it.

Indices come from arithmetic on ticks (see ``cron_ticks``), never from listing windows, except
for cron expressions that are not plain hourly/daily/weekly/monthly ones.

Time zones: windows follow local wall-clock time through ``zoneinfo``. Daily windows on a DST
change day last 23 or 25 hours. Hourly windows start at local ``HH:MM`` as the cron schedule
``M * * * *`` fires in that zone (as in Dagster): in Asia/Kathmandu (+05:45) they start at
UTC ``:15``; in Australia/Lord_Howe, whose DST moves clocks by 30 minutes, the window around
each change lasts 90 minutes. In a repeated fall-back hour both occurrences are partitions;
the second one's key carries its UTC offset: ``2025-11-02-01:00-0500``.

``exclusions`` (datetimes, or cron expressions) drop the ticks they match, as in Dagster: an
excluded tick starts no partition, and the window before it still ends there. Indices then
count kept ticks only (``excluded_ticks``), found by scanning; mappings and freshness, which
take a window to last until the next partition starts, treat the gap as part of the window
before it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assetgraph.errors import DefinitionError, UsageError, did_you_mean
from assetgraph.partitions.cron_ticks import (
    Ticks,
    cron_shape,
    normalize_cron,
    ticks_for,
    to_ts,
)
from assetgraph.partitions.definitions import DynamicPartitionsStore, PartitionsDefinition
from assetgraph.partitions.excluded_ticks import ExcludingTicks
from assetgraph.partitions.key_range import PartitionKeyRange

DAILY_FORMAT = "%Y-%m-%d"
HOURLY_FORMAT = "%Y-%m-%d-%H:%M"


class TimeWindow(NamedTuple):
    """A span of time from ``start`` (included) to ``end`` (excluded), both tz-aware.

    A named tuple, as Dagster's is: ``start, end = context.partition_time_window`` works.
    """

    start: datetime
    end: datetime


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        from zoneinfo import available_timezones

        raise DefinitionError(
            f"Unknown time zone {name!r}: expected an IANA name such as 'UTC' or "
            f"'America/New_York'.{did_you_mean(name, available_timezones())}"
        ) from None


def _parse_bound(value: str | datetime, fmt: str, tz: ZoneInfo, what: str) -> datetime:
    """``start``/``end`` as an aware datetime; naive values are local to ``tz``."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, str):
        for pattern in (fmt, DAILY_FORMAT):
            try:
                return datetime.strptime(value, pattern).replace(tzinfo=tz)
            except ValueError:
                pass
        try:
            return _parse_bound(datetime.fromisoformat(value), fmt, tz, what)
        except ValueError:
            pass
    raise DefinitionError(
        f"Cannot read {what}={value!r}: expected a datetime or a string in the format "
        f"{fmt!r} or {DAILY_FORMAT!r}."
    )


class TimeWindowPartitionsDefinition(PartitionsDefinition):
    """Partitions that are the windows between ticks of ``cron_schedule`` in ``timezone``.

    Args:
        cron_schedule: when windows start, e.g. ``"0 0 * * *"`` for days at midnight.
        start: the first window starts at the first tick at or after this (a datetime, or a
            string in ``fmt`` or ``%Y-%m-%d``; naive values are in ``timezone``).
        fmt: ``strftime`` format of keys (the window's start, local time).
        timezone: IANA time zone name.
        end: no window ends after this (excluded); None for no end.
        end_offset: windows beyond the last ended one (positive) or fewer (negative).
        exclusions: ticks that start no partition: datetimes (naive ones in ``timezone``)
            and cron expressions, every tick of which is dropped.
    """

    __slots__ = (
        "_end_n",
        "_excluded_instants",
        "_excluded_ticks",
        "_n0",
        "_ticks",
        "_tz",
        "cron_schedule",
        "end",
        "end_offset",
        "exclusions",
        "fmt",
        "start",
        "timezone",
    )

    def __init__(
        self,
        cron_schedule: str,
        start: str | datetime,
        fmt: str,
        timezone: str = "UTC",
        end: str | datetime | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
    ) -> None:
        self.cron_schedule = normalize_cron(cron_schedule)
        self.timezone = timezone
        self.fmt = fmt
        self.end_offset = end_offset
        self._tz = _zone(timezone)
        if cron_shape(self.cron_schedule) is None:
            self._check_cron(self.cron_schedule)
        self.start = _parse_bound(start, fmt, self._tz, "start")
        self.end = None if end is None else _parse_bound(end, fmt, self._tz, "end")
        if self.end is not None and self.end < self.start:
            raise DefinitionError(
                f"end={self.end.isoformat()} comes before start={self.start.isoformat()}."
            )
        if not isinstance(end_offset, int):
            raise DefinitionError(f"end_offset must be an integer, got {end_offset!r}.")
        self.exclusions = self._checked_exclusions(exclusions)
        self._excluded_instants = frozenset(
            to_ts(item) for item in self.exclusions if isinstance(item, datetime)
        )
        self._excluded_ticks = [
            ticks_for(item, self._tz, to_ts(self.start))
            for item in self.exclusions
            if isinstance(item, str)
        ]
        self._ticks: Ticks = ticks_for(self.cron_schedule, self._tz, to_ts(self.start))
        if self.exclusions:
            self._ticks = ExcludingTicks(self._ticks, self._excludes, to_ts(self.start))
        # Ticks fall on whole seconds: round a fractional start up, not down.
        self._n0 = self._ticks.ceil(to_ts(self.start) + (self.start.microsecond > 0))
        self._end_n = None if self.end is None else self._ticks.first_open(to_ts(self.end))

    def _checked_exclusions(
        self, exclusions: Sequence[str | datetime] | None
    ) -> tuple[str | datetime, ...]:
        found: list[str | datetime] = []
        for item in exclusions or ():
            if isinstance(item, datetime):
                found.append(_parse_bound(item, self.fmt, self._tz, "exclusions"))
            elif isinstance(item, str):
                cron = normalize_cron(item)
                if cron_shape(cron) is None:
                    self._check_cron(cron)
                found.append(cron)
            else:
                raise DefinitionError(f"exclusions takes datetimes and cron strings, got {item!r}.")
        return tuple(found)

    def _excludes(self, ts: int) -> bool:
        """Whether the tick at ``ts`` is excluded: an excluded instant, or a tick of an
        excluded cron expression."""
        if ts in self._excluded_instants:
            return True
        return any(ticks.at(ticks.ceil(ts)) == ts for ticks in self._excluded_ticks)

    @staticmethod
    def _check_cron(expr: str) -> None:
        from cronsim import CronSim, CronSimError

        try:
            CronSim(expr, datetime(2000, 1, 1))
        except CronSimError as exc:
            raise DefinitionError(f"Invalid cron schedule {expr!r}: {exc}") from None

    # Identity ----------------------------------------------------------------------------

    def _identity(self) -> tuple[Any, ...]:
        first = self._ticks.at(self._n0)
        last = None if self._end_n is None else self._ticks.at(self._end_n)
        return (
            self.cron_schedule,
            self._tz.key,
            self.fmt,
            first,
            last,
            self.end_offset,
            self.exclusions,
        )

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, TimeWindowPartitionsDefinition):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        parts = [
            f"cron_schedule={self.cron_schedule!r}",
            f"start={self.start.strftime(self.fmt)!r}",
            f"fmt={self.fmt!r}",
            f"timezone={self.timezone!r}",
        ]
        if self.end is not None:
            parts.append(f"end={self.end.strftime(self.fmt)!r}")
        if self.end_offset:
            parts.append(f"end_offset={self.end_offset}")
        if self.exclusions:
            shown = [e if isinstance(e, str) else e.strftime(self.fmt) for e in self.exclusions]
            parts.append(f"exclusions={shown!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    @property
    def tz(self) -> ZoneInfo:
        """The time zone windows are computed in."""
        return self._tz

    def is_same_schedule(self, other: TimeWindowPartitionsDefinition) -> bool:
        """Whether ``other`` has the same windows and keys (possibly other start and end)."""
        return (self.cron_schedule, self._tz.key, self.fmt, self.exclusions) == (
            other.cron_schedule,
            other._tz.key,
            other.fmt,
            other.exclusions,
        )

    # Index arithmetic (indices may be negative or past the last partition) ---------------

    def start_ts(self, index: int) -> int:
        """POSIX seconds at which window ``index`` starts."""
        return self._ticks.at(self._n0 + index)

    def end_ts(self, index: int) -> int:
        """POSIX seconds at which window ``index`` ends (the next tick, excluded or not)."""
        return self._ticks.end_of(self._n0 + index)

    def floor_index(self, ts: int) -> int:
        """The index of the window containing instant ``ts``."""
        return self._ticks.floor(ts) - self._n0

    def ceil_index(self, ts: int) -> int:
        """The index of the first window starting at or after instant ``ts``."""
        return self._ticks.ceil(ts) - self._n0

    def _local(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, self._tz)

    def key_for_index(self, index: int) -> str:
        """The key of window ``index``, whether or not it exists yet."""
        return self._key_for_ts(self.start_ts(index))

    def _key_for_ts(self, ts: int) -> str:
        moment = self._local(ts)
        key = moment.strftime(self.fmt)
        if moment.fold == 1 and moment.replace(fold=0).utcoffset() != moment.utcoffset():
            # The second occurrence of a repeated wall time: keep the key unique.
            key += moment.strftime("%z")
        return key

    def index_for_key(self, key: str) -> int | None:
        """The index of ``key`` (existing or not), or None if it is no key of this schedule."""
        if not isinstance(key, str):
            return None
        try:
            moment = datetime.strptime(key, self.fmt).replace(tzinfo=self._tz)
        except ValueError:
            try:
                moment = datetime.strptime(key, self.fmt + "%z")
            except ValueError:
                return None
        try:
            index = self.ceil_index(to_ts(moment))
            return index if self.key_for_index(index) == key else None
        except (ValueError, OverflowError, OSError):
            return None  # at the edge of datetime's range (year 9999): no window starts there

    def is_excluded_key(self, key: str) -> bool:
        """Whether ``key`` is the start of a window that ``exclusions`` drop."""
        if not self.exclusions or not isinstance(key, str):
            return False
        try:
            moment = datetime.strptime(key, self.fmt).replace(tzinfo=self._tz)
        except ValueError:
            return False
        return self._excludes(to_ts(moment))

    def time_window_for_index(self, index: int) -> TimeWindow:
        """The window of partition ``index``."""
        return TimeWindow(self._local(self.start_ts(index)), self._local(self.end_ts(index)))

    # PartitionsDefinition ----------------------------------------------------------------

    def _now_ts(self, current_time: datetime | None) -> int:
        if current_time is None:
            current_time = datetime.now(self._tz)
        elif current_time.tzinfo is None:
            current_time = current_time.replace(tzinfo=self._tz)
        return to_ts(current_time)

    def count(
        self,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """Windows ended at ``current_time`` (naive: local), plus ``end_offset``, up to ``end``."""
        ended = max(0, self._ticks.first_open(self._now_ts(current_time)) - self._n0)
        n = max(0, ended + self.end_offset)
        if self._end_n is not None:
            n = min(n, max(0, self._end_n - self._n0))
        return n

    def key_at(
        self,
        index: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> str:
        """The key of partition ``index``, which must exist at ``current_time``."""
        self._check_index(index, self.count(current_time))
        return self.key_for_index(index)

    def keys_between(
        self,
        start: int,
        stop: int,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> Iterator[str]:
        """The keys of windows ``start`` to ``stop`` (excluded)."""
        if stop <= start:
            return
        ticks = self._ticks.iter_from(self._n0 + start)
        for _ in range(stop - start):
            yield self._key_for_ts(next(ticks))

    def index_of(
        self,
        key: str,
        current_time: datetime | None = None,
        dynamic_partitions_store: DynamicPartitionsStore | None = None,
    ) -> int:
        """The index of ``key``; ``UsageError`` naming the format, the first and last keys and
        the nearest existing key."""
        n = self.count(current_time)
        index = self.index_for_key(key)
        if index is not None and 0 <= index < n:
            return index
        raise self._missing_key_error(key, index, n)

    def check_span(
        self,
        key_range: PartitionKeyRange,
        start_ts: int,
        end_ts: int,
        current_time: datetime | None = None,
    ) -> None:
        """Refuse a key or range of another definition (a day for hourly partitions) whose
        time, ``start_ts`` to ``end_ts``, is not all inside this definition's partitions.

        The ``UsageError`` names the end that lies outside, and the first and last keys.
        """
        n = self.count(current_time)
        if n and self.start_ts(0) <= start_ts and end_ts <= self.end_ts(n - 1):
            return
        if n == 0 or start_ts < self.start_ts(0):
            raise self._missing_key_error(key_range.start, self.floor_index(start_ts), n)
        raise self._missing_key_error(key_range.end, self.floor_index(end_ts - 1), n)

    def _missing_key_error(self, key: str, index: int | None, n: int) -> UsageError:
        """Why ``key`` (window ``index``, None: not a key of this schedule) is no partition
        when ``n`` partitions exist."""
        extent = (
            f"Partitions run from {self.key_for_index(0)!r} to {self.key_for_index(n - 1)!r}"
            if n
            else f"{self!r} has no partitions yet at that time"
        )
        if index is None and self.is_excluded_key(key):
            return UsageError(f"Partition key {key!r} is excluded by {self!r}. {extent}.")
        if index is None:
            problem = f"is not a partition key of {self!r}: expected the format {self.fmt!r}"
            return UsageError(f"Partition key {key!r} {problem} of a window start. {extent}.")
        if index < 0:
            problem = f"is before the first partition of {self!r}."
        elif self._end_n is not None and self._n0 + index >= self._end_n:
            problem = f"is after the last partition of {self!r}."
        else:
            problem = f"is not a partition of {self!r} yet at that time: its window has not ended."
        if n:
            nearest = self.key_for_index(min(max(index, 0), n - 1))
            extent += f"; the nearest existing key is {nearest!r}"
        return UsageError(f"Partition key {key!r} {problem} {extent}.")

    # Names as in Dagster -----------------------------------------------------------------

    def time_window_for_partition_key(self, partition_key: str) -> TimeWindow:
        """The window of ``partition_key`` (which need not exist yet)."""
        index = self.index_for_key(partition_key)
        if index is None:
            raise UsageError(
                f"Partition key {partition_key!r} is not a partition key of {self!r}: expected "
                f"the format {self.fmt!r} of a window start, e.g. {self.key_for_index(0)!r}."
            )
        return self.time_window_for_index(index)

    def get_partition_key_for_timestamp(
        self, timestamp: float | datetime, end_closed: bool = False
    ) -> str:
        """The key of the window containing ``timestamp`` (POSIX seconds or aware datetime).

        With ``end_closed``, an instant exactly on a window boundary belongs to the window
        that ends there.
        """
        if isinstance(timestamp, datetime):
            ts = self._now_ts(timestamp)
            exact = timestamp.microsecond == 0
        else:
            ts = int(timestamp // 1)
            exact = ts == timestamp
        index = self.floor_index(ts)
        if end_closed and exact and self.start_ts(index) == ts:
            index -= 1
        return self.key_for_index(index)

    def time_windows_for_range(
        self,
        partition_key_range: PartitionKeyRange,
        current_time: datetime | None = None,
    ) -> list[TimeWindow]:
        """The window of each partition in the range, in order."""
        subset = self.subset_for_range(partition_key_range, current_time)
        return [self.time_window_for_index(i) for i in subset.indices()]

    def time_window_for_range(
        self, partition_key_range: PartitionKeyRange, current_time: datetime | None = None
    ) -> TimeWindow:
        """One window spanning the range, from the first window's start to the last's end."""
        subset = self.subset_for_range(partition_key_range, current_time)
        r = subset.key_ranges[0]
        return TimeWindow(self._local(self.start_ts(r.start)), self._local(self.end_ts(r.stop - 1)))


def _check_offset(name: str, value: int, low: int, high: int) -> None:
    if not isinstance(value, int) or not low <= value <= high:
        raise DefinitionError(f"{name} must be an integer from {low} to {high}, got {value!r}.")


class HourlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per hour; keys ``%Y-%m-%d-%H:%M`` (e.g. ``2025-01-31-13:00``)."""

    __slots__ = ()

    def __init__(
        self,
        start_date: str | datetime,
        end_date: str | datetime | None = None,
        minute_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
    ) -> None:
        _check_offset("minute_offset", minute_offset, 0, 59)
        super().__init__(
            f"{minute_offset} * * * *",
            start_date,
            fmt or HOURLY_FORMAT,
            timezone or "UTC",
            end_date,
            end_offset,
            exclusions,
        )


class DailyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per day; keys ``%Y-%m-%d`` (e.g. ``2025-01-31``)."""

    __slots__ = ()

    def __init__(
        self,
        start_date: str | datetime,
        end_date: str | datetime | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
    ) -> None:
        _check_offset("minute_offset", minute_offset, 0, 59)
        _check_offset("hour_offset", hour_offset, 0, 23)
        super().__init__(
            f"{minute_offset} {hour_offset} * * *",
            start_date,
            fmt or DAILY_FORMAT,
            timezone or "UTC",
            end_date,
            end_offset,
            exclusions,
        )


class WeeklyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per week starting on ``day_offset`` (0 = Sunday); key: its first day."""

    __slots__ = ()

    def __init__(
        self,
        start_date: str | datetime,
        end_date: str | datetime | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 0,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
    ) -> None:
        _check_offset("minute_offset", minute_offset, 0, 59)
        _check_offset("hour_offset", hour_offset, 0, 23)
        _check_offset("day_offset", day_offset, 0, 6)
        super().__init__(
            f"{minute_offset} {hour_offset} * * {day_offset}",
            start_date,
            fmt or DAILY_FORMAT,
            timezone or "UTC",
            end_date,
            end_offset,
            exclusions,
        )


class MonthlyPartitionsDefinition(TimeWindowPartitionsDefinition):
    """One partition per month starting on day ``day_offset`` (1-28); key: its first day."""

    __slots__ = ()

    def __init__(
        self,
        start_date: str | datetime,
        end_date: str | datetime | None = None,
        minute_offset: int = 0,
        hour_offset: int = 0,
        day_offset: int = 1,
        timezone: str | None = None,
        fmt: str | None = None,
        end_offset: int = 0,
        exclusions: Sequence[str | datetime] | None = None,
    ) -> None:
        _check_offset("minute_offset", minute_offset, 0, 59)
        _check_offset("hour_offset", hour_offset, 0, 23)
        _check_offset("day_offset", day_offset, 1, 28)
        super().__init__(
            f"{minute_offset} {hour_offset} {day_offset} * *",
            start_date,
            fmt or DAILY_FORMAT,
            timezone or "UTC",
            end_date,
            end_offset,
            exclusions,
        )
