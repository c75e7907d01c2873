"""The instants a cron schedule fires at in a time zone, numbered, without listing them.

A time-window partitions definition needs two answers, fast, for any instant or number:
``floor(ts)``, the number of the last tick at or before ``ts``, and ``at(n)``, the instant
of tick ``n``. Instants are integer POSIX seconds. Each engine numbers ticks its own way
(a tick's number only matters relative to another tick's):

- ``CalendarTicks``: daily, weekly and monthly schedules, by calendar arithmetic on local
  dates (tick ``n`` of a daily schedule is local day ``n``, proleptic ordinal), so a window
  spanning a DST change is simply 23 or 25 hours long.
- ``HourlyTicks``: ``M * * * *``, the instants whose local wall clock reads ``HH:M``. While
  the UTC offset keeps its minutes-and-seconds part, these are one UTC hour apart; only
  offset changes that move that part (Australia/Lord_Howe's 30-minute DST, Asia/Kathmandu's
  1986 move to +05:45) shift the grid, so counting ticks is arithmetic on UTC seconds plus
  one correction per such change, found once per zone and year.
- ``CronTicks``: any other cron expression, iterated with ``cronsim`` and cached.

Local wall times that do not exist (inside a spring-forward gap) resolve as ``zoneinfo``
resolves them with ``fold=0``: shifted forward by the gap. Ambiguous ones (fall-back) are the
first occurrence. Hourly ticks are exactly the wall-clock times that occur, both
occurrences of a repeated hour included.
"""

from __future__ import annotations

import bisect
import functools
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

HOUR = 3600
DAY = 86400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_SECOND = datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC) - _EPOCH


def to_ts(moment: datetime) -> int:
    """Whole POSIX seconds of an aware datetime (sub-second parts are floored)."""
    return (moment - _EPOCH) // _SECOND


def offset_at(tz: ZoneInfo, ts: int) -> int:
    """The UTC offset of ``tz`` at instant ``ts``, in seconds."""
    offset = datetime.fromtimestamp(ts, tz).utcoffset()
    assert offset is not None
    return offset // _SECOND


def local_to_ts(tz: ZoneInfo, day: date, hour: int, minute: int) -> int:
    """The instant of local wall time ``day hour:minute`` (fold=0 for gaps and repeats)."""
    return to_ts(datetime.combine(day, time(hour, minute), tzinfo=tz))


class Ticks(ABC):
    """Numbered cron ticks: ``at(n)`` increases strictly with ``n``."""

    @abstractmethod
    def floor(self, ts: int) -> int:
        """The number of the last tick at or before ``ts``."""

    @abstractmethod
    def at(self, n: int) -> int:
        """The instant of tick ``n``."""

    def ceil(self, ts: int) -> int:
        """The number of the first tick at or after ``ts``."""
        n = self.floor(ts)
        return n if self.at(n) == ts else n + 1

    def end_of(self, n: int) -> int:
        """The instant the window of tick ``n`` ends: the next tick."""
        return self.at(n + 1)

    def first_open(self, ts: int) -> int:
        """The number of the first tick whose window has not ended at ``ts``."""
        return self.floor(ts)

    def iter_from(self, n: int) -> Iterator[int]:
        """The instants of ticks ``n``, ``n + 1``, ... (override when stepping is cheaper)."""
        while True:
            yield self.at(n)
            n += 1


@dataclass(frozen=True, slots=True)
class CronShape:
    """A cron expression recognised as hourly, daily, weekly or monthly."""

    unit: str  # "hour", "day", "week" or "month"
    minute: int
    hour: int = 0
    day: int = 0  # weekday (0 = Sunday) for "week", day of month for "month"


_ALIASES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
}


def normalize_cron(expr: str) -> str:
    """The expression with aliases expanded and whitespace collapsed."""
    expr = " ".join(expr.split())
    return _ALIASES.get(expr.lower(), expr)


def cron_shape(expr: str) -> CronShape | None:
    """The shape of a plain hourly/daily/weekly/monthly expression, else None."""
    fields = normalize_cron(expr).split(" ")
    if len(fields) != 5:
        return None
    minute, hour, dom, month, dow = fields

    def number(text: str, low: int, high: int) -> int | None:
        return int(text) if text.isdigit() and low <= int(text) <= high else None

    m = number(minute, 0, 59)
    if m is None or month != "*":
        return None
    if hour == "*" and dom == "*" and dow == "*":
        return CronShape("hour", m)
    h = number(hour, 0, 23)
    if h is None:
        return None
    if dom == "*" and dow == "*":
        return CronShape("day", m, h)
    if dom == "*":
        d = number(dow, 0, 7)
        return None if d is None else CronShape("week", m, h, d % 7)
    if dow == "*":
        d = number(dom, 1, 28)
        return None if d is None else CronShape("month", m, h, d)
    return None


def ticks_for(expr: str, tz: ZoneInfo, anchor_ts: int) -> Ticks:
    """The fastest engine for ``expr`` in ``tz``; ``anchor_ts`` is near the ticks used."""
    shape = cron_shape(expr)
    if shape is None:
        return CronTicks(normalize_cron(expr), tz, anchor_ts)
    if shape.unit == "hour":
        return HourlyTicks(tz, shape.minute, anchor_ts)
    return CalendarTicks(tz, shape)


class CalendarTicks(Ticks):
    """Daily, weekly and monthly ticks numbered by local calendar position."""

    def __init__(self, tz: ZoneInfo, shape: CronShape) -> None:
        self.tz = tz
        self.shape = shape
        # Ordinal 1 (0001-01-01) is a Monday; cron weekday 0 is Sunday.
        self._week_base = (shape.day - 1) % 7 + 1

    def _day_of(self, n: int) -> date:
        unit = self.shape.unit
        if unit == "day":
            return date.fromordinal(n)
        if unit == "week":
            return date.fromordinal(7 * n + self._week_base)
        year, month0 = divmod(n, 12)
        return date(year, month0 + 1, self.shape.day)

    def _number_of(self, day: date) -> int:
        unit = self.shape.unit
        if unit == "day":
            return day.toordinal()
        if unit == "week":
            return (day.toordinal() - self._week_base) // 7
        n = day.year * 12 + day.month - 1
        return n if day.day >= self.shape.day else n - 1

    def at(self, n: int) -> int:
        """The instant of the tick on calendar position ``n``."""
        return local_to_ts(self.tz, self._day_of(n), self.shape.hour, self.shape.minute)

    def floor(self, ts: int) -> int:
        """The last tick at or before ``ts``, from its local date."""
        n = self._number_of(datetime.fromtimestamp(ts, self.tz).date())
        # The tick of that date may lie after ts (earlier in the day); gaps can shift by one.
        while self.at(n) > ts:
            n -= 1
        while self.at(n + 1) <= ts:
            n += 1
        return n


@functools.lru_cache(maxsize=4096)
def _grid_shifts_in_year(tz: ZoneInfo, year: int) -> tuple[tuple[int, int, int], ...]:
    """``(instant, offset before, offset after)`` of offset changes in ``year`` (UTC) that
    move the offset's part below an hour; found by sampling daily, then bisecting."""
    start = to_ts(datetime(year, 1, 1, tzinfo=UTC))
    stop = to_ts(datetime(year + 1, 1, 1, tzinfo=UTC))
    shifts = []
    previous = offset_at(tz, start)
    sample = start
    while sample < stop:
        following = min(sample + DAY, stop)
        offset = offset_at(tz, following)
        if offset % HOUR != previous % HOUR:
            low, high = sample, following  # offset(low) == previous, offset(high) == offset
            while high - low > 1:
                mid = (low + high) // 2
                if offset_at(tz, mid) % HOUR == previous % HOUR:
                    low = mid
                else:
                    high = mid
            shifts.append((high, previous, offset))
        previous = offset
        sample = following
    return tuple(shifts)


class HourlyTicks(Ticks):
    """Ticks at local ``HH:minute`` every hour; tick 0 is the first at or after the anchor."""

    def __init__(self, tz: ZoneInfo, minute: int, anchor_ts: int) -> None:
        self.tz = tz
        self.minute = minute
        self.t0 = self._next_tick(anchor_ts - 1)

    def _phase(self, offset: int) -> int:
        # Ticks are the instants u with (u + offset) % HOUR == minute * 60.
        return (self.minute * 60 - offset) % HOUR

    def _shifts(self, a: int, b: int) -> Iterator[tuple[int, int, int]]:
        """Grid shifts strictly inside ``(a, b)``."""
        for year in range(
            datetime.fromtimestamp(a, UTC).year, datetime.fromtimestamp(b, UTC).year + 1
        ):
            for shift in _grid_shifts_in_year(self.tz, year):
                if a < shift[0] < b:
                    yield shift

    def _count(self, a: int, b: int) -> int:
        """How many ticks lie in ``[a, b)``: a sum over stretches of one grid phase."""
        if b <= a:
            return 0

        def ceil_div(z: int, r: int) -> int:
            return -((r - z) // HOUR)

        total = 0
        x = a
        r = self._phase(offset_at(self.tz, a))
        for instant, _, after in self._shifts(a, b):
            total += ceil_div(instant, r) - ceil_div(x, r)
            x, r = instant, self._phase(after)
        return total + ceil_div(b, r) - ceil_div(x, r)

    def _shift_between(self, low: int, high: int) -> int | None:
        """The instant in ``(low, high]`` where the grid phase changes, if any (at most one
        change per hour is assumed)."""
        if self._phase(offset_at(self.tz, low)) == self._phase(offset_at(self.tz, high)):
            return None
        before = self._phase(offset_at(self.tz, low))
        while high - low > 1:
            mid = (low + high) // 2
            if self._phase(offset_at(self.tz, mid)) == before:
                low = mid
            else:
                high = mid
        return high

    def _prev_tick(self, ts: int) -> int:
        """The last tick at or before ``ts``."""
        while True:
            candidate = ts - (ts - self._phase(offset_at(self.tz, ts))) % HOUR
            shift = self._shift_between(candidate, ts)
            if shift is None:
                return candidate
            # ts's stretch of one phase starts after candidate and holds no tick up to ts.
            ts = shift - 1

    def _next_tick(self, ts: int) -> int:
        """The first tick strictly after ``ts``."""
        while True:
            start = ts + 1
            candidate = start + (self._phase(offset_at(self.tz, start)) - start) % HOUR
            shift = self._shift_between(start, candidate)
            if shift is None:
                return candidate
            ts = shift - 1

    def floor(self, ts: int) -> int:
        """Ticks between tick 0 and ``ts``, counted arithmetically."""
        if ts >= self.t0:
            return self._count(self.t0, ts + 1) - 1
        return -self._count(ts + 1, self.t0) - 1

    def iter_from(self, n: int) -> Iterator[int]:
        """Ticks from ``n`` on, stepping from one to the next."""
        tick = self.at(n)
        while True:
            yield tick
            tick = self._next_tick(tick)

    def at(self, n: int) -> int:
        """Guess from a uniform grid, correct by the counted error, then step to tick n."""
        guess = self.t0 + n * HOUR
        for _ in range(4):
            error = n - self.floor(guess)
            if error == 0:
                break
            guess += error * HOUR
        tick = self._prev_tick(guess)
        number = self.floor(tick)
        while number < n:
            tick, number = self._next_tick(tick), number + 1
        while number > n:
            tick, number = self._prev_tick(tick - 1), number - 1
        return tick


class CronTicks(Ticks):
    """Any cron expression, iterated by ``cronsim`` from the anchor both ways and cached.

    Cost grows with the number of ticks between the anchor and the instants asked about.
    """

    def __init__(self, expr: str, tz: ZoneInfo, anchor_ts: int) -> None:
        from cronsim import CronSim

        self.expr = expr
        self.tz = tz
        self._forward_iter = CronSim(expr, datetime.fromtimestamp(anchor_ts - 1, tz))
        self._forward: list[int] = [to_ts(next(self._forward_iter))]
        self._backward_iter = CronSim(
            expr, datetime.fromtimestamp(self._forward[0], tz), reverse=True
        )
        self._backward: list[int] = []  # tick -1, -2, ... (decreasing instants)

    def _extend_forward(self, upto_n: int | None = None, past_ts: int | None = None) -> None:
        while (upto_n is not None and len(self._forward) <= upto_n) or (
            past_ts is not None and self._forward[-1] <= past_ts
        ):
            self._forward.append(to_ts(next(self._forward_iter)))

    def _extend_backward(self, upto_n: int | None = None, before_ts: int | None = None) -> None:
        while (upto_n is not None and len(self._backward) < upto_n) or (
            before_ts is not None and (not self._backward or self._backward[-1] > before_ts)
        ):
            self._backward.append(to_ts(next(self._backward_iter)))

    def at(self, n: int) -> int:
        """The instant of tick ``n``, iterating as far as needed."""
        if n >= 0:
            self._extend_forward(upto_n=n)
            return self._forward[n]
        self._extend_backward(upto_n=-n)
        return self._backward[-n - 1]

    def floor(self, ts: int) -> int:
        """The last tick at or before ``ts``, iterating as far as needed."""
        if ts >= self._forward[0]:
            self._extend_forward(past_ts=ts)
            return bisect.bisect_right(self._forward, ts) - 1
        self._extend_backward(before_ts=ts)
        # _backward decreases: find the first entry <= ts.
        index = bisect.bisect_left(self._backward, -ts, key=lambda v: -v)
        return -index - 1
