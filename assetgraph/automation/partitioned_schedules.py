"""``build_schedule_from_partitioned_job``: the schedule that runs a partitioned job's
latest partition at each tick, as Dagster builds it.

Time-window partitions: the schedule ticks on the partitions' own cron schedule (in their
timezone), optionally moved to ``minute_of_hour`` / ``hour_of_day`` / ``day_of_week`` /
``day_of_month``; each tick requests the last partition that exists at the tick (the
window that just ended, or a later one with ``end_offset``), with that key as run key.
Multi-partitions with one time dimension: one run per key having that time key. Static
partitions: ``cron_schedule`` is required and each tick requests every key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assetgraph.automation.job_targets import job_name_of
from assetgraph.automation.requests import RunRequest, SkipReason
from assetgraph.automation.schedules import ScheduleDefinition, ScheduleEvaluationContext
from assetgraph.definitions.default_status import DefaultScheduleStatus
from assetgraph.errors import DefinitionError
from assetgraph.partitions.definitions import PartitionsDefinition, StaticPartitionsDefinition
from assetgraph.partitions.multi import MultiPartitionKey, MultiPartitionsDefinition
from assetgraph.partitions.time_window import TimeWindowPartitionsDefinition


def build_schedule_from_partitioned_job(
    job: Any,
    description: str | None = None,
    name: str | None = None,
    minute_of_hour: int | None = None,
    hour_of_day: int | None = None,
    day_of_week: int | None = None,
    day_of_month: int | None = None,
    default_status: DefaultScheduleStatus = DefaultScheduleStatus.STOPPED,
    tags: Mapping[str, str] | None = None,
    cron_schedule: str | None = None,
    execution_timezone: str | None = None,
) -> ScheduleDefinition:
    """A schedule requesting ``job``'s latest partition at each tick (see the module).

    ``job`` needs a partitions definition (``define_asset_job(partitions_def=...)`` or
    assets sharing one).
    """
    job_name = job_name_of(job)
    if day_of_week is not None and day_of_month is not None:
        raise DefinitionError(
            "build_schedule_from_partitioned_job takes day_of_week or day_of_month, not both."
        )
    moved = [minute_of_hour, hour_of_day, day_of_week, day_of_month]
    if (cron_schedule or execution_timezone) and any(v is not None for v in moved):
        raise DefinitionError(
            "build_schedule_from_partitioned_job takes cron_schedule / execution_timezone or "
            "minute_of_hour / hour_of_day / day_of_week / day_of_month, not both."
        )
    pdef = getattr(job, "partitions_def", None)
    if pdef is None and callable(getattr(job, "resolve_for", None)):
        # define_asset_job without partitions_def: its assets say, once Definitions has them
        return UnresolvedPartitionedSchedule(
            job,
            name=name or f"{job_name}_schedule",
            description=description,
            default_status=default_status,
            tags=dict(tags or {}),
            moved=(minute_of_hour, hour_of_day, day_of_week, day_of_month),
        )
    if pdef is None:
        raise DefinitionError(
            f"Job '{job_name}' given to build_schedule_from_partitioned_job has no partitions "
            "definition: give define_asset_job(partitions_def=...) or select partitioned assets."
        )
    time_def = _time_def(pdef)
    if isinstance(pdef, StaticPartitionsDefinition):
        if cron_schedule is None:
            raise DefinitionError(
                f"A schedule from the statically partitioned job '{job_name}' needs "
                "cron_schedule=..."
            )
    elif time_def is None:
        raise DefinitionError(
            f"Job '{job_name}': a partitioned schedule needs time-window partitions, "
            "multi-partitions with one time-window dimension, or static partitions; got "
            f"{pdef!r}."
        )
    else:
        if cron_schedule or execution_timezone:
            raise DefinitionError(
                f"Job '{job_name}' is time-partitioned: its schedule follows the partitions; "
                "drop cron_schedule / execution_timezone (move it with hour_of_day=... etc.)."
            )
        cron_schedule = cron_for(time_def, minute_of_hour, hour_of_day, day_of_week, day_of_month)
        execution_timezone = time_def.timezone
    assert cron_schedule is not None
    return ScheduleDefinition(
        name=name or f"{job_name}_schedule",
        cron_schedule=cron_schedule,
        job=job,
        execution_timezone=execution_timezone,
        default_status=default_status,
        description=description,
        execution_fn=_latest_partition_fn(pdef, dict(tags or {})),
    )


class UnresolvedPartitionedSchedule(ScheduleDefinition):
    """The schedule of a job whose partitions its assets decide: its cron schedule is known
    once the job is resolved against the ``Definitions`` (``resolved_for``)."""

    def __init__(
        self,
        job: Any,
        *,
        name: str,
        description: str | None,
        default_status: DefaultScheduleStatus,
        tags: dict[str, str],
        moved: tuple[int | None, int | None, int | None, int | None],
    ) -> None:
        super().__init__(
            name=name,
            cron_schedule="0 0 * * *",  # replaced by the partitions' schedule when resolved
            job=job,
            default_status=default_status,
            description=description,
            tags=tags,
        )
        self.moved = moved

    def resolved_for(self, defs: Any) -> ScheduleDefinition:
        from assetgraph.automation.job_targets import find_job

        job = find_job(defs, self.job_name or "", self.job)
        if getattr(job, "partitions_def", None) is None:
            raise DefinitionError(
                f"Job '{self.job_name}' given to build_schedule_from_partitioned_job must "
                "contain partitioned assets or a partitions definition."
            )
        minute, hour, weekday, monthday = self.moved
        return build_schedule_from_partitioned_job(
            job,
            description=self.description,
            name=self.name,
            minute_of_hour=minute,
            hour_of_day=hour,
            day_of_week=weekday,
            day_of_month=monthday,
            default_status=self.default_status,
            tags=self.tags,
        )


def cron_for(
    time_def: TimeWindowPartitionsDefinition,
    minute_of_hour: int | None = None,
    hour_of_day: int | None = None,
    day_of_week: int | None = None,
    day_of_month: int | None = None,
) -> str:
    """The partitions' cron schedule with the given fields replaced."""
    fields = time_def.cron_schedule.split()
    if len(fields) != 5:
        if any(v is not None for v in (minute_of_hour, hour_of_day, day_of_week, day_of_month)):
            raise DefinitionError(
                f"Cannot move the schedule {time_def.cron_schedule!r} by minute/hour/day."
            )
        return time_def.cron_schedule
    for position, value in ((0, minute_of_hour), (1, hour_of_day), (2, day_of_month)):
        if value is not None:
            fields[position] = str(value)
    if day_of_week is not None:
        fields[4] = str(day_of_week)
    return " ".join(fields)


def _time_def(pdef: PartitionsDefinition) -> TimeWindowPartitionsDefinition | None:
    if isinstance(pdef, TimeWindowPartitionsDefinition):
        return pdef
    if isinstance(pdef, MultiPartitionsDefinition):
        found = [
            d
            for d in pdef.partitions_defs.values()
            if isinstance(d, TimeWindowPartitionsDefinition)
        ]
        return found[0] if len(found) == 1 else None
    return None


def _latest_partition_fn(pdef: PartitionsDefinition, tags: dict[str, str]) -> Any:
    def latest_partition(context: ScheduleEvaluationContext) -> object:
        at = context.scheduled_execution_time
        store = getattr(context.instance, "storage", None)
        if isinstance(pdef, StaticPartitionsDefinition):
            keys = pdef.get_partition_keys(at)
            return [RunRequest(run_key=k, partition_key=k, tags=tags) for k in keys]
        time_def = _time_def(pdef)
        assert time_def is not None
        count = time_def.count(at)
        if count <= 0:
            return SkipReason("The job's PartitionsDefinition has no partitions")
        key = time_def.key_for_index(count - 1)
        if isinstance(pdef, MultiPartitionsDefinition):
            name = next(n for n, d in pdef.partitions_defs.items() if d is time_def)
            others = {n: d for n, d in pdef.partitions_defs.items() if n != name}
            combos: list[dict[str, str]] = [{name: key}]
            for other, odef in others.items():
                values = odef.get_partition_keys(at, store)
                combos = [{**c, other: v} for c in combos for v in values]
            multi = [str(MultiPartitionKey(c)) for c in combos]
            return [RunRequest(run_key=k, partition_key=k, tags=tags) for k in multi]
        return RunRequest(run_key=key, partition_key=key, tags=tags)

    return latest_partition


schedule_from_partitions = build_schedule_from_partitioned_job
"""Dagster's older name."""

__all__ = ["build_schedule_from_partitioned_job", "cron_for", "schedule_from_partitions"]
