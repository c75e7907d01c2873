"""``FreshnessPolicy`` and ``AutomationPolicy``: what an asset promises, and how it is built.

A freshness policy bounds the age of an asset's *data time* (the oldest root-source time
its latest materialization incorporates); with a cron schedule the bound must hold at each
tick of the schedule. An automation policy says when automation builds the asset: eagerly
(when missing or when an upstream has new data), lazily (only when a downstream freshness
policy needs it), or on a cron schedule.

Pure time arithmetic, on POSIX seconds: nothing here reads a clock.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assetgraph.errors import DefinitionError
from assetgraph.partitions.cron_ticks import cron_shape, normalize_cron, ticks_for

if TYPE_CHECKING:
    from assetgraph.partitions.cron_ticks import Ticks

PolicyKind = Literal["eager", "lazy", "on_cron"]
FillOrder = Literal["oldest", "newest"]


@functools.lru_cache(maxsize=256)
def cron_ticks(cron_schedule: str, timezone: str) -> Ticks:
    """The numbered ticks of ``cron_schedule`` in ``timezone`` (validated, cached)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DefinitionError(
            f"Unknown time zone {timezone!r}: use an IANA name such as 'UTC' or 'Europe/Paris'."
        ) from None
    expr = normalize_cron(cron_schedule)
    if cron_shape(expr) is None:
        from cronsim import CronSim, CronSimError

        try:
            CronSim(expr, datetime(2000, 1, 1))
        except CronSimError as exc:
            raise DefinitionError(f"Invalid cron schedule {cron_schedule!r}: {exc}") from None
    return ticks_for(expr, zone, 1_700_000_000)


def previous_tick(cron_schedule: str, timezone: str, ts: float) -> int:
    """The last tick of the schedule at or before ``ts`` (POSIX seconds)."""
    ticks = cron_ticks(cron_schedule, timezone)
    return ticks.at(ticks.floor(math.floor(ts)))


def next_tick(cron_schedule: str, timezone: str, ts: float) -> int:
    """The first tick of the schedule strictly after ``ts``."""
    ticks = cron_ticks(cron_schedule, timezone)
    return ticks.at(ticks.floor(math.floor(ts)) + 1)


@dataclass(frozen=True, slots=True)
class FreshnessPolicy:
    """The data of an asset may be at most ``maximum_lag_minutes`` old.

    Without a cron schedule the bound holds at every moment: ``now - data time <= lag``.
    With ``cron_schedule`` it must hold at each tick of the schedule (in
    ``cron_timezone``): by tick ``t`` the asset must hold data from ``t - lag`` or later.
    Automation builds the asset (and the lazy upstreams it needs) when the bound is about to
    break; ``assetgraph status`` shows the current lag of each policy.
    """

    maximum_lag_minutes: float
    cron_schedule: str | None = None
    cron_timezone: str = "UTC"

    def __post_init__(self) -> None:
        lag = self.maximum_lag_minutes
        if isinstance(lag, bool) or not isinstance(lag, int | float) or not lag > 0:
            raise DefinitionError(
                f"FreshnessPolicy: maximum_lag_minutes must be a positive number, got {lag!r}."
            )
        if self.cron_schedule is not None:
            cron_ticks(self.cron_schedule, self.cron_timezone)

    @property
    def lag_seconds(self) -> float:
        return float(self.maximum_lag_minutes) * 60.0

    def required_data_time(self, now: float) -> float | None:
        """The oldest data time that satisfies the policy at ``now`` (None: no tick yet)."""
        if self.cron_schedule is None:
            return now - self.lag_seconds
        return previous_tick(self.cron_schedule, self.cron_timezone, now) - self.lag_seconds

    def target_data_time(self, now: float) -> tuple[float, float | None]:
        """The data time automation must reach at ``now``, and the cron tick it is for.

        With a cron schedule, the data for the next tick ``t`` is wanted as soon as it can
        exist (``now >= t - lag``), so the policy holds when ``t`` comes; before that, the
        last tick's requirement stands.
        """
        if self.cron_schedule is None:
            return now - self.lag_seconds, None
        upcoming = next_tick(self.cron_schedule, self.cron_timezone, now)
        if now >= upcoming - self.lag_seconds:
            return upcoming - self.lag_seconds, upcoming
        last = previous_tick(self.cron_schedule, self.cron_timezone, now)
        return last - self.lag_seconds, last

    def next_check(self, data_time: float | None, now: float) -> float:
        """The earliest moment after ``now`` at which data of ``data_time`` stops sufficing."""
        if data_time is None:
            return now
        if self.cron_schedule is None:
            return data_time + self.lag_seconds
        # The first tick whose requirement (tick - lag) is newer than data_time.
        tick = next_tick(self.cron_schedule, self.cron_timezone, data_time + self.lag_seconds)
        return max(tick - self.lag_seconds, now)

    def describe(self) -> str:
        lag = _minutes(self.maximum_lag_minutes)
        if self.cron_schedule is None:
            return f"at most {lag} min old"
        return f"at most {lag} min old at each '{self.cron_schedule}' ({self.cron_timezone})"


@dataclass(frozen=True, slots=True)
class AutomationPolicy:
    """When automation builds an asset: ``eager()``, ``lazy()`` or ``on_cron(cron)``.

    ``max_materializations_per_tick`` caps how many missing partitions one tick requests
    (``fill_order`` "oldest" or "newest" first); the rest follow on later ticks.
    """

    kind: PolicyKind
    cron_schedule: str | None = None
    cron_timezone: str = "UTC"
    max_materializations_per_tick: int | None = None
    fill_order: FillOrder = "oldest"

    def __post_init__(self) -> None:
        if self.kind not in ("eager", "lazy", "on_cron"):
            raise DefinitionError(
                f"AutomationPolicy kind must be 'eager', 'lazy' or 'on_cron', got {self.kind!r}."
            )
        cap = self.max_materializations_per_tick
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
            raise DefinitionError(
                "AutomationPolicy: max_materializations_per_tick must be a positive integer or "
                f"None, got {cap!r}."
            )
        if self.fill_order not in ("oldest", "newest"):
            raise DefinitionError(
                f"AutomationPolicy: fill_order must be 'oldest' or 'newest', got "
                f"{self.fill_order!r}."
            )
        if self.kind == "on_cron":
            if not self.cron_schedule:
                raise DefinitionError("AutomationPolicy.on_cron needs a cron schedule.")
            cron_ticks(self.cron_schedule, self.cron_timezone)

    @classmethod
    def eager(
        cls, *, max_materializations_per_tick: int | None = None, fill_order: FillOrder = "oldest"
    ) -> AutomationPolicy:
        """Build when missing, or when an upstream has newer data (or is being built)."""
        return cls("eager", None, "UTC", max_materializations_per_tick, fill_order)

    @classmethod
    def lazy(
        cls, *, max_materializations_per_tick: int | None = None, fill_order: FillOrder = "oldest"
    ) -> AutomationPolicy:
        """Build only when a downstream freshness policy (or its own) needs newer data."""
        return cls("lazy", None, "UTC", max_materializations_per_tick, fill_order)

    @classmethod
    def on_cron(
        cls,
        cron_schedule: str,
        timezone: str = "UTC",
        *,
        max_materializations_per_tick: int | None = None,
        fill_order: FillOrder = "oldest",
    ) -> AutomationPolicy:
        """At each tick of ``cron_schedule``, build the latest partition (or the asset) if it
        is missing or behind its upstreams."""
        return cls("on_cron", cron_schedule, timezone, max_materializations_per_tick, fill_order)

    def describe(self) -> str:
        if self.kind == "on_cron":
            return f"on_cron('{self.cron_schedule}', {self.cron_timezone})"
        return self.kind


def check_policies(name: str, freshness: object, automation: object) -> None:
    """Refuse policy arguments of the wrong type, naming the asset."""
    if freshness is not None and not isinstance(freshness, FreshnessPolicy):
        raise DefinitionError(
            f"Asset '{name}': freshness_policy must be a FreshnessPolicy, got "
            f"{type(freshness).__name__}."
        )
    if automation is not None and not isinstance(automation, AutomationPolicy):
        raise DefinitionError(
            f"Asset '{name}': automation_policy must be an AutomationPolicy (e.g. "
            f"AutomationPolicy.eager()), got {type(automation).__name__}."
        )


def _minutes(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
