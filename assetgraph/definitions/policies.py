"""``FreshnessPolicy`` and ``AutomationPolicy``: what an asset promises, and how it is built.

A freshness policy is one of four kinds: a bound on the age of an asset's *data time* (the
oldest root-source time its latest materialization incorporates; with a cron schedule the
bound must hold at each tick of it), a deadline per partition of a time-partitioned asset,
or Dagster's time window and cron policies on the time of its latest materialization; each
has a state, ``FreshnessState`` (pass, warn, fail, unknown). An automation policy says
when automation builds the asset: eagerly (when missing or when an upstream has new data),
lazily (only when a downstream freshness policy needs it), or on a cron schedule.

Pure time arithmetic, on POSIX seconds: nothing here reads a clock.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assetgraph.errors import DefinitionError
from assetgraph.partitions.cron_ticks import cron_shape, normalize_cron, ticks_for

if TYPE_CHECKING:
    from assetgraph.partitions.cron_ticks import Ticks

PolicyKind = Literal["eager", "lazy", "on_cron"]
FreshnessKind = Literal["lag", "partition_deadline", "time_window", "cron"]
FillOrder = Literal["oldest", "newest"]
CatchUp = Literal["all", "latest"] | timedelta | int
"""How far back an eager policy fills missing partitions: ``"all"`` (every partition since
the start date), ``"latest"`` (the latest window when automation starts, then each new
one), a ``timedelta`` (windows that ended within it) or a number of latest partitions."""

DEFAULT_MAX_MATERIALIZATIONS_PER_TICK = 25
"""The cap on missing partitions one tick requests per asset, unless a policy sets one."""


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


class FreshnessState(StrEnum):
    """Where a freshness policy stands (Dagster's names): ``PASS``, ``WARN``, ``FAIL``, or
    ``UNKNOWN`` (nothing to judge yet: the asset was never materialized)."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class FreshnessPolicy:
    """What an asset promises about how recent it is; one of four kinds.

    - ``FreshnessPolicy(maximum_lag_minutes, cron_schedule=None, cron_timezone="UTC")``
      (kind ``"lag"``): the asset's *data time* may be at most that many minutes old; with
      a cron schedule the bound must hold at each tick of the schedule.
    - ``FreshnessPolicy.partition_deadline(minutes, warn_minutes=None)`` (kind
      ``"partition_deadline"``, time-partitioned assets): each partition is materialized
      within ``minutes`` after its window ends; one still missing then is *overdue*.
    - ``FreshnessPolicy.time_window(fail_window=, warn_window=None)`` (Dagster's): the
      asset was materialized within the last ``fail_window`` (``warn_window``: warn
      earlier).
    - ``FreshnessPolicy.cron(deadline_cron=, lower_bound_delta=, timezone="UTC")``
      (Dagster's): by each tick of ``deadline_cron`` the asset was materialized at or after
      ``tick - lower_bound_delta``.

    Automation builds what a policy needs (with the lazy upstreams it reads) before it
    fails; ``assetgraph status`` shows each policy's state (pass, warn, fail, unknown) and
    the overdue partitions; the daemon records each change of state as an event.
    """

    maximum_lag_minutes: float | None = None
    cron_schedule: str | None = None
    cron_timezone: str = "UTC"
    partition_deadline_minutes: float | None = None
    partition_warn_minutes: float | None = None
    fail_window: timedelta | None = None
    warn_window: timedelta | None = None
    deadline_cron: str | None = None
    lower_bound_delta: timedelta | None = None

    def __post_init__(self) -> None:
        chosen = [
            name
            for name, value in (
                ("maximum_lag_minutes", self.maximum_lag_minutes),
                ("partition_deadline_minutes", self.partition_deadline_minutes),
                ("fail_window", self.fail_window),
                ("deadline_cron", self.deadline_cron),
            )
            if value is not None
        ]
        if len(chosen) != 1:
            raise DefinitionError(
                "FreshnessPolicy: give exactly one of maximum_lag_minutes, "
                "partition_deadline_minutes (or FreshnessPolicy.partition_deadline), "
                "fail_window (FreshnessPolicy.time_window) or deadline_cron "
                f"(FreshnessPolicy.cron); got {', '.join(chosen) or 'none'}."
            )
        kind = self.kind
        if kind == "lag":
            _positive("maximum_lag_minutes", self.maximum_lag_minutes)
        elif self.cron_schedule is not None:
            raise DefinitionError(
                "FreshnessPolicy: cron_schedule goes with maximum_lag_minutes; for a deadline "
                "on a cron schedule use FreshnessPolicy.cron(deadline_cron=..., "
                "lower_bound_delta=...)."
            )
        if self.cron_schedule is not None:
            cron_ticks(self.cron_schedule, self.cron_timezone)
        if kind != "partition_deadline" and self.partition_warn_minutes is not None:
            raise DefinitionError(
                "FreshnessPolicy: partition_warn_minutes goes with partition_deadline_minutes."
            )
        if kind != "time_window" and self.warn_window is not None:
            raise DefinitionError("FreshnessPolicy: warn_window goes with fail_window.")
        if kind != "cron" and self.lower_bound_delta is not None:
            raise DefinitionError("FreshnessPolicy: lower_bound_delta goes with deadline_cron.")
        if kind == "partition_deadline":
            _positive("partition_deadline_minutes", self.partition_deadline_minutes)
            warn = self.partition_warn_minutes
            if warn is not None:
                _positive("partition_warn_minutes", warn)
                if not warn < (self.partition_deadline_minutes or 0):
                    raise DefinitionError(
                        "FreshnessPolicy: partition_warn_minutes must be less than "
                        f"partition_deadline_minutes, got {warn!r} >= "
                        f"{self.partition_deadline_minutes!r}."
                    )
        elif kind == "time_window":
            fail = _window("fail_window", self.fail_window)
            if self.warn_window is not None:
                warn_td = _window("warn_window", self.warn_window)
                if not warn_td < fail:
                    raise DefinitionError(
                        f"FreshnessPolicy.time_window: warn_window ({warn_td}) must be less "
                        f"than fail_window ({fail})."
                    )
        elif kind == "cron":
            self._check_cron()

    def _check_cron(self) -> None:
        cron = self.deadline_cron
        if not isinstance(cron, str) or not cron.strip():
            raise DefinitionError(
                f"FreshnessPolicy.cron: deadline_cron must be a cron string, got {cron!r}."
            )
        ticks = cron_ticks(cron, self.cron_timezone)
        delta = self.lower_bound_delta
        if not isinstance(delta, timedelta):
            raise DefinitionError(
                "FreshnessPolicy.cron: lower_bound_delta must be a datetime.timedelta, got "
                f"{type(delta).__name__}."
            )
        if delta < timedelta(minutes=1):
            raise DefinitionError(
                f"FreshnessPolicy.cron: lower_bound_delta must be at least 1 minute, got {delta}."
            )
        # The smallest interval between ticks over a year of the schedule.
        first = ticks.floor(1_700_000_000)
        smallest = min(ticks.at(i + 1) - ticks.at(i) for i in range(first, first + 400))
        if delta.total_seconds() > smallest:
            raise DefinitionError(
                f"FreshnessPolicy.cron: lower_bound_delta ({delta}) must be at most the "
                f"smallest interval of {cron!r} ({timedelta(seconds=smallest)})."
            )

    # -- constructors ---------------------------------------------------------------------

    @classmethod
    def partition_deadline(
        cls, minutes: float, *, warn_minutes: float | None = None
    ) -> FreshnessPolicy:
        """Each partition of a time-partitioned asset is materialized within ``minutes``
        after its window ends (``warn_minutes``: warn from then on)."""
        return cls(partition_deadline_minutes=minutes, partition_warn_minutes=warn_minutes)

    @classmethod
    def time_window(
        cls, fail_window: timedelta, warn_window: timedelta | None = None
    ) -> FreshnessPolicy:
        """Dagster's: fail when the last materialization is ``fail_window`` old or older,
        warn from ``warn_window`` (less than ``fail_window``); both at least a minute."""
        return cls(fail_window=fail_window, warn_window=warn_window)

    @classmethod
    def cron(
        cls, deadline_cron: str, lower_bound_delta: timedelta, timezone: str = "UTC"
    ) -> FreshnessPolicy:
        """Dagster's: by each tick of ``deadline_cron`` (in ``timezone``), the asset was
        materialized at or after ``tick - lower_bound_delta`` (at least a minute, at most
        the schedule's smallest interval); it fails from the tick until it is."""
        return cls(
            deadline_cron=deadline_cron, lower_bound_delta=lower_bound_delta, cron_timezone=timezone
        )

    # -- what kind --------------------------------------------------------------------------

    @property
    def kind(self) -> FreshnessKind:
        if self.partition_deadline_minutes is not None:
            return "partition_deadline"
        if self.fail_window is not None:
            return "time_window"
        if self.deadline_cron is not None:
            return "cron"
        return "lag"

    @property
    def timezone(self) -> str:
        """Dagster's name for the cron time zone."""
        return self.cron_timezone

    # -- the lag kind -----------------------------------------------------------------------

    @property
    def lag_seconds(self) -> float:
        return float(self.maximum_lag_minutes or 0.0) * 60.0

    def required_data_time(self, now: float) -> float | None:
        """The oldest data time that satisfies a lag policy at ``now`` (None: no tick yet)."""
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

    # -- the deadline kinds -----------------------------------------------------------------

    def cron_window(self, now: float) -> tuple[float, float]:
        """Dagster's cron policy at ``now``: (start, deadline) of the window around the last
        completed tick of ``deadline_cron``."""
        assert self.deadline_cron is not None and self.lower_bound_delta is not None
        tick = previous_tick(self.deadline_cron, self.cron_timezone, now)
        return tick - self.lower_bound_delta.total_seconds(), float(tick)

    def cron_target(self, now: float) -> float:
        """The moment after which automation wants a materialization at ``now``: the start
        of the next deadline's window once it opened, else the last deadline's."""
        assert self.deadline_cron is not None and self.lower_bound_delta is not None
        lower = self.lower_bound_delta.total_seconds()
        upcoming = next_tick(self.deadline_cron, self.cron_timezone, now) - lower
        return upcoming if now >= upcoming else self.cron_window(now)[0]

    def time_window_state(self, updated: float | None, now: float) -> FreshnessState:
        """Dagster's time window policy, given the last materialization time."""
        assert self.fail_window is not None
        if updated is None:
            return FreshnessState.UNKNOWN
        age = now - updated
        if age >= self.fail_window.total_seconds():
            return FreshnessState.FAIL
        if self.warn_window is not None and age >= self.warn_window.total_seconds():
            return FreshnessState.WARN
        return FreshnessState.PASS

    def describe(self) -> str:
        kind = self.kind
        if kind == "partition_deadline":
            text = f"each partition within {_minutes(self.partition_deadline_minutes or 0)} min"
            if self.partition_warn_minutes is not None:
                text += f" (warn after {_minutes(self.partition_warn_minutes)} min)"
            return text + " after its window ends"
        if kind == "time_window":
            text = f"materialized within the last {_span(self.fail_window)}"
            if self.warn_window is not None:
                text += f" (warn after {_span(self.warn_window)})"
            return text
        if kind == "cron":
            return (
                f"materialized in the {_span(self.lower_bound_delta)} before each "
                f"'{self.deadline_cron}' ({self.cron_timezone})"
            )
        lag = _minutes(self.maximum_lag_minutes or 0)
        if self.cron_schedule is None:
            return f"at most {lag} min old"
        return f"at most {lag} min old at each '{self.cron_schedule}' ({self.cron_timezone})"


def _positive(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise DefinitionError(f"FreshnessPolicy: {name} must be a positive number, got {value!r}.")


def _window(name: str, value: object) -> timedelta:
    if not isinstance(value, timedelta):
        raise DefinitionError(
            f"FreshnessPolicy.time_window: {name} must be a datetime.timedelta, got "
            f"{type(value).__name__}."
        )
    if value < timedelta(minutes=1):
        raise DefinitionError(
            f"FreshnessPolicy.time_window: {name} must be at least 1 minute, got {value}."
        )
    return value


def _span(value: timedelta | None) -> str:
    seconds = 0.0 if value is None else value.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)} {unit}"
    return f"{_minutes(seconds / 60.0)} min"


@dataclass(frozen=True, slots=True)
class AutomationPolicy:
    """When automation builds an asset: ``eager()``, ``lazy()`` or ``on_cron(cron)``.

    ``eager()`` fills every missing partition whose window has ended (``catch_up`` says how
    far back: ``"all"`` since the start date, the default), at most
    ``max_materializations_per_tick`` per tick (default 25; ``None``: no cap), newest first
    (``fill_order="oldest"`` reverses it); the rest follow on later ticks. ``lazy()`` and
    ``on_cron()`` build what is needed, uncapped unless a cap is given, oldest first.
    """

    kind: PolicyKind
    cron_schedule: str | None = None
    cron_timezone: str = "UTC"
    max_materializations_per_tick: int | None = None
    fill_order: FillOrder = "oldest"
    catch_up: CatchUp = "all"

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
        _check_catch_up(self.catch_up)
        if self.kind == "on_cron":
            if not self.cron_schedule:
                raise DefinitionError("AutomationPolicy.on_cron needs a cron schedule.")
            cron_ticks(self.cron_schedule, self.cron_timezone)

    @classmethod
    def eager(
        cls,
        *,
        max_materializations_per_tick: int | None = DEFAULT_MAX_MATERIALIZATIONS_PER_TICK,
        fill_order: FillOrder = "newest",
        catch_up: CatchUp = "all",
    ) -> AutomationPolicy:
        """Build every missing partition whose window ended (within ``catch_up``), and what
        an upstream has newer data for (or is being built for)."""
        return cls("eager", None, "UTC", max_materializations_per_tick, fill_order, catch_up)

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
        if self.kind == "eager" and self.catch_up != "all":
            return f"eager (catch_up={describe_catch_up(self.catch_up)})"
        return self.kind


def describe_catch_up(catch_up: CatchUp) -> str:
    """``all``, ``latest``, ``the last 3 days`` or ``the last 24 partitions``."""
    if isinstance(catch_up, str):
        return catch_up
    if isinstance(catch_up, timedelta):
        return f"windows ended in the last {catch_up}"
    return f"the last {catch_up} partition{'s' if catch_up != 1 else ''}"


def _check_catch_up(catch_up: object) -> None:
    if catch_up in ("all", "latest"):
        return
    if isinstance(catch_up, timedelta) and catch_up > timedelta(0):
        return
    if isinstance(catch_up, int) and not isinstance(catch_up, bool) and catch_up >= 1:
        return
    raise DefinitionError(
        "AutomationPolicy: catch_up must be 'all', 'latest', a positive timedelta or a "
        f"positive number of partitions, got {catch_up!r}."
    )


def check_policies(
    name: str, freshness: object, automation: object, partitions_def: object = None
) -> None:
    """Refuse policy arguments of the wrong type, naming the asset."""
    if freshness is not None and not isinstance(freshness, FreshnessPolicy):
        raise DefinitionError(
            f"Asset '{name}': freshness_policy must be a FreshnessPolicy, got "
            f"{type(freshness).__name__}."
        )
    if isinstance(freshness, FreshnessPolicy) and freshness.kind == "partition_deadline":
        from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition

        if not isinstance(partitions_def, TimeWindowPartitionsDefinition):
            raise DefinitionError(
                f"Asset '{name}': FreshnessPolicy.partition_deadline needs a time-partitioned "
                "asset (partitions_def=DailyPartitionsDefinition(...) and the like); for an "
                "unpartitioned asset use FreshnessPolicy.time_window(...) or "
                "FreshnessPolicy(maximum_lag_minutes=...)."
            )
    if automation is not None and not isinstance(automation, AutomationPolicy):
        raise DefinitionError(
            f"Asset '{name}': automation_policy must be an AutomationPolicy (e.g. "
            f"AutomationPolicy.eager()), got {type(automation).__name__}."
        )


def _minutes(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
