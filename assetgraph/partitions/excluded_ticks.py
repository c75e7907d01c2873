"""Cron ticks with some dropped: a time-window definition's ``exclusions``, as Dagster's.

An excluded tick starts no partition; the window of the tick before it still ends at the
excluded tick (a Friday partition of a weekday schedule ends on Monday, even when Monday is
a holiday). Exclusions are instants (datetimes) or cron expressions whose ticks are dropped.

The allowed ticks are numbered 0, 1, ... from the anchor and found by scanning the base
ticks in chunks, cached both ways: cost grows with the ticks between the anchor and the
instants asked about, as for ``CronTicks``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from assetgraph.errors import DefinitionError
from assetgraph.partitions.cron_ticks import Ticks

_CHUNK = 256
_MAX_EMPTY_CHUNKS = 64  # ~16k ticks in a row excluded: the exclusions drop everything


class ExcludingTicks(Ticks):
    """The ticks of ``base`` that ``excluded(instant)`` keeps, renumbered: tick 0 is the first
    kept tick at or after ``anchor_ts``."""

    def __init__(self, base: Ticks, excluded: Callable[[int], bool], anchor_ts: int) -> None:
        self.base = base
        self.excluded = excluded
        start = base.ceil(anchor_ts)
        self._kept: list[int] = []  # base numbers of kept ticks, increasing
        self._first = 0  # the number of the kept tick self._kept[0]
        self._lo = self._hi = start  # base numbers scanned: [_lo, _hi)
        self._scan_forward(lambda: bool(self._kept))

    def _scan(self, lo: int, hi: int) -> list[int]:
        return [n for n in range(lo, hi) if not self.excluded(self.base.at(n))]

    def _scan_forward(self, done: Callable[[], bool]) -> None:
        empty = 0
        while not done():
            found = self._scan(self._hi, self._hi + _CHUNK)
            self._hi += _CHUNK
            self._kept.extend(found)
            empty = 0 if found else empty + 1
            if empty > _MAX_EMPTY_CHUNKS:
                raise DefinitionError(
                    f"The exclusions drop {empty * _CHUNK} ticks in a row: they leave no "
                    "partitions; exclude fewer ticks."
                )

    def _scan_backward(self, done: Callable[[], bool]) -> None:
        empty = 0
        while not done():
            found = self._scan(self._lo - _CHUNK, self._lo)
            self._lo -= _CHUNK
            self._kept[:0] = found
            self._first -= len(found)
            empty = 0 if found else empty + 1
            if empty > _MAX_EMPTY_CHUNKS:
                raise DefinitionError(
                    "The exclusions drop every tick before the partitions' start; exclude "
                    "fewer ticks."
                )

    def _base_number(self, n: int) -> int:
        self._scan_forward(lambda: n - self._first < len(self._kept))
        self._scan_backward(lambda: n >= self._first)
        return self._kept[n - self._first]

    def at(self, n: int) -> int:
        """The instant of kept tick ``n``."""
        return self.base.at(self._base_number(n))

    def end_of(self, n: int) -> int:
        """The next base tick after kept tick ``n``, excluded or not: where its window ends."""
        return self.base.at(self._base_number(n) + 1)

    def floor(self, ts: int) -> int:
        """The number of the last kept tick at or before ``ts``."""
        b = self.base.floor(ts)
        self._scan_forward(lambda: self._hi > b)
        self._scan_backward(lambda: self._kept[0] <= b)
        return self._first + bisect.bisect_right(self._kept, b) - 1

    def first_open(self, ts: int) -> int:
        """The number of the first kept tick whose window has not ended at ``ts``."""
        b = self.base.floor(ts)
        self._scan_forward(lambda: self._kept[-1] >= b)
        self._scan_backward(lambda: self._lo <= b)
        return self._first + bisect.bisect_left(self._kept, b)
