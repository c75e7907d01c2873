"""``PartitionedConfig``: run config (and tags) computed from a partition key, as Dagster's.

``define_asset_job(config=partitioned_config)`` makes the job partitioned by the config's
partitions definition; each run of a partition gets the config (and tags) of that key. The
job's assets may be unpartitioned (a partition then only picks their config, as in
Dagster's static partitioned asset job) or share the config's partitions definition.

The decorators build one from a function: ``@static_partitioned_config(keys)`` (and
``@dynamic_partitioned_config(partition_fn)``, keys computed at load) with
``fn(partition_key)``; ``@daily_partitioned_config(start_date)`` (and hourly, weekly,
monthly, ``time_window_partitioned_config``) with ``fn(start, end)``, the partition's
window. The decorated object is still callable as the plain function, for tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from assetgraph.errors import DefinitionError, UsageError
from assetgraph.partitions.definitions import PartitionsDefinition, StaticPartitionsDefinition
from assetgraph.partitions.time_window import (
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    TimeWindowPartitionsDefinition,
    WeeklyPartitionsDefinition,
)

ConfigFn = Callable[..., Mapping[str, Any]]


class PartitionedConfig:
    """A partitions definition and how a partition's key gives run config and tags.

    Give ``run_config_for_partition_key_fn(key)`` (or, for time windows, a function of the
    partition's ``(start, end)`` as ``decorated_fn``), and optionally
    ``tags_for_partition_key_fn(key)``.
    """

    def __init__(
        self,
        partitions_def: PartitionsDefinition,
        run_config_for_partition_fn: Callable[..., Mapping[str, Any]] | None = None,
        decorated_fn: Callable[..., Mapping[str, Any]] | None = None,
        tags_for_partition_fn: Callable[..., Mapping[str, str]] | None = None,
        run_config_for_partition_key_fn: Callable[[str], Mapping[str, Any]] | None = None,
        tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
    ) -> None:
        if not isinstance(partitions_def, PartitionsDefinition):
            raise DefinitionError(
                f"PartitionedConfig needs a partitions definition, got {partitions_def!r}."
            )
        if run_config_for_partition_fn is not None:
            raise DefinitionError(
                "PartitionedConfig(run_config_for_partition_fn=...) takes a Partition object, "
                "which assetgraph does not have: use run_config_for_partition_key_fn=(key -> "
                "config)."
            )
        if tags_for_partition_fn is not None and tags_for_partition_key_fn is None:
            raise DefinitionError(
                "PartitionedConfig(tags_for_partition_fn=...) is not supported: use "
                "tags_for_partition_key_fn=(key -> tags)."
            )
        if run_config_for_partition_key_fn is None and decorated_fn is None:
            raise DefinitionError(
                "PartitionedConfig needs run_config_for_partition_key_fn=(key -> config)."
            )
        self.partitions_def = partitions_def
        self._config_fn = run_config_for_partition_key_fn
        self._decorated_fn = decorated_fn
        self._tags_fn = tags_for_partition_key_fn

    @property
    def run_config_for_partition_key_fn(self) -> Callable[[str], Mapping[str, Any]] | None:
        return self._config_fn

    @property
    def tags_for_partition_key_fn(self) -> Callable[[str], Mapping[str, str]] | None:
        return self._tags_fn

    def get_partition_keys(self, current_time: datetime | None = None) -> list[str]:
        """The keys of the partitions definition."""
        return self.partitions_def.get_partition_keys(current_time=current_time)

    def _check_key(self, partition_key: str) -> None:
        if not isinstance(partition_key, str):
            raise UsageError(f"A partition key is a string, got {partition_key!r}.")
        if isinstance(
            self.partitions_def, StaticPartitionsDefinition | TimeWindowPartitionsDefinition
        ) and not self.partitions_def.has_partition_key(partition_key):
            raise UsageError(f"'{partition_key}' is not a partition of {self.partitions_def!r}.")

    def get_run_config_for_partition_key(self, partition_key: str) -> dict[str, Any]:
        """The run config of the partition ``partition_key``."""
        self._check_key(partition_key)
        if self._config_fn is not None:
            found = self._config_fn(partition_key)
        else:
            assert self._decorated_fn is not None
            if not isinstance(self.partitions_def, TimeWindowPartitionsDefinition):
                raise DefinitionError(
                    "A PartitionedConfig with only decorated_fn needs a time-window partitions "
                    "definition."
                )
            window = self.partitions_def.time_window_for_partition_key(partition_key)
            found = self._decorated_fn(window.start, window.end)
        return _config(found, partition_key)

    def get_tags_for_partition_key(self, partition_key: str) -> dict[str, str]:
        """The run tags of the partition ``partition_key`` (none unless a tags function
        was given)."""
        if self._tags_fn is None:
            return {}
        self._check_key(partition_key)
        return {str(k): str(v) for k, v in (self._tags_fn(partition_key) or {}).items()}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the decorated function itself (Dagster allows it, for tests)."""
        fn = self._decorated_fn or self._config_fn
        assert fn is not None
        return fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"PartitionedConfig({self.partitions_def!r})"


def _config(found: Any, partition_key: str) -> dict[str, Any]:
    to_dict = getattr(found, "to_config_dict", None)  # a RunConfig
    if callable(to_dict):
        found = to_dict()
    if not isinstance(found, Mapping):
        raise DefinitionError(
            f"The partitioned config function returned {type(found).__name__} for partition "
            f"'{partition_key}'; return a run config dict."
        )
    return dict(found)


def static_partitioned_config(
    partition_keys: Sequence[str],
    tags_for_partition_fn: Callable[[str], Mapping[str, str]] | None = None,
    tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
) -> Callable[[Callable[[str], Mapping[str, Any]]], PartitionedConfig]:
    """``fn(partition_key) -> run config`` over a ``StaticPartitionsDefinition``."""
    partitions_def = StaticPartitionsDefinition(list(partition_keys))
    tags = tags_for_partition_key_fn or tags_for_partition_fn

    def decorate(fn: Callable[[str], Mapping[str, Any]]) -> PartitionedConfig:
        return PartitionedConfig(
            partitions_def,
            decorated_fn=fn,
            run_config_for_partition_key_fn=fn,
            tags_for_partition_key_fn=tags,
        )

    return decorate


def dynamic_partitioned_config(
    partition_fn: Callable[[datetime | None], Sequence[str]],
    tags_for_partition_key_fn: Callable[[str], Mapping[str, str]] | None = None,
) -> Callable[[Callable[[str], Mapping[str, Any]]], PartitionedConfig]:
    """``fn(partition_key) -> run config`` over the keys ``partition_fn(None)`` returns.

    Dagster calls ``partition_fn`` whenever it needs the keys; here it is called once, when
    the code location loads (each CLI command loads it; a running daemon keeps what it
    loaded at start), and its keys become a static partitions definition.
    """
    if not callable(partition_fn):
        raise DefinitionError(
            "dynamic_partitioned_config needs partition_fn, a function of an optional "
            f"datetime returning the partition keys; got {partition_fn!r}."
        )
    keys = partition_fn(None)
    if isinstance(keys, str) or not all(isinstance(key, str) for key in keys or ()):
        raise DefinitionError(
            "dynamic_partitioned_config: partition_fn must return a list of partition keys "
            f"(strings), got {keys!r}."
        )
    return static_partitioned_config(
        list(keys), tags_for_partition_key_fn=tags_for_partition_key_fn
    )


def _time_window_decorator(
    partitions_def: TimeWindowPartitionsDefinition,
    tags_for_partition_fn: Callable[[datetime, datetime], Mapping[str, str]] | None,
) -> Callable[[ConfigFn], PartitionedConfig]:
    def decorate(fn: ConfigFn) -> PartitionedConfig:
        def tags_for_key(key: str) -> Mapping[str, str]:
            assert tags_for_partition_fn is not None
            window = partitions_def.time_window_for_partition_key(key)
            return tags_for_partition_fn(window.start, window.end)

        return PartitionedConfig(
            partitions_def,
            decorated_fn=fn,
            tags_for_partition_key_fn=None if tags_for_partition_fn is None else tags_for_key,
        )

    return decorate


def time_window_partitioned_config(
    cron_schedule: str,
    start: str | datetime,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: Callable[[datetime, datetime], Mapping[str, str]] | None = None,
    end: str | datetime | None = None,
    exclusions: Sequence[str | datetime] | None = None,
) -> Callable[[ConfigFn], PartitionedConfig]:
    """``fn(start, end) -> run config`` over windows that start at each tick of
    ``cron_schedule``."""
    partitions_def = TimeWindowPartitionsDefinition(
        cron_schedule=cron_schedule,
        start=start,
        fmt=fmt or "%Y-%m-%d",
        timezone=timezone or "UTC",
        end=end,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return _time_window_decorator(partitions_def, tags_for_partition_fn)


def hourly_partitioned_config(
    start_date: str | datetime,
    minute_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: Callable[[datetime, datetime], Mapping[str, str]] | None = None,
    exclusions: Sequence[str | datetime] | None = None,
) -> Callable[[ConfigFn], PartitionedConfig]:
    """``fn(start, end) -> run config`` over an ``HourlyPartitionsDefinition``."""
    partitions_def = HourlyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return _time_window_decorator(partitions_def, tags_for_partition_fn)


def daily_partitioned_config(
    start_date: str | datetime,
    minute_offset: int = 0,
    hour_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: Callable[[datetime, datetime], Mapping[str, str]] | None = None,
    exclusions: Sequence[str | datetime] | None = None,
) -> Callable[[ConfigFn], PartitionedConfig]:
    """``fn(start, end) -> run config`` over a ``DailyPartitionsDefinition``."""
    partitions_def = DailyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        hour_offset=hour_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return _time_window_decorator(partitions_def, tags_for_partition_fn)


def weekly_partitioned_config(
    start_date: str | datetime,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int = 0,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: Callable[[datetime, datetime], Mapping[str, str]] | None = None,
    exclusions: Sequence[str | datetime] | None = None,
) -> Callable[[ConfigFn], PartitionedConfig]:
    """``fn(start, end) -> run config`` over a ``WeeklyPartitionsDefinition``."""
    partitions_def = WeeklyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        hour_offset=hour_offset,
        day_offset=day_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return _time_window_decorator(partitions_def, tags_for_partition_fn)


def monthly_partitioned_config(
    start_date: str | datetime,
    minute_offset: int = 0,
    hour_offset: int = 0,
    day_offset: int = 1,
    timezone: str | None = None,
    fmt: str | None = None,
    end_offset: int = 0,
    tags_for_partition_fn: Callable[[datetime, datetime], Mapping[str, str]] | None = None,
    exclusions: Sequence[str | datetime] | None = None,
) -> Callable[[ConfigFn], PartitionedConfig]:
    """``fn(start, end) -> run config`` over a ``MonthlyPartitionsDefinition``."""
    partitions_def = MonthlyPartitionsDefinition(
        start_date,
        minute_offset=minute_offset,
        hour_offset=hour_offset,
        day_offset=day_offset,
        timezone=timezone,
        fmt=fmt,
        end_offset=end_offset,
        exclusions=exclusions,
    )
    return _time_window_decorator(partitions_def, tags_for_partition_fn)


__all__ = [
    "PartitionedConfig",
    "daily_partitioned_config",
    "dynamic_partitioned_config",
    "hourly_partitioned_config",
    "monthly_partitioned_config",
    "static_partitioned_config",
    "time_window_partitioned_config",
    "weekly_partitioned_config",
]
