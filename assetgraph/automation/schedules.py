"""``ScheduleDefinition``: run a selection of assets at each tick of a cron schedule."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assetgraph.automation.policies import cron_ticks
from assetgraph.errors import DefinitionError

_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")

PartitionsForTick = Sequence[str] | Callable[[datetime], Sequence[str]] | None


@dataclass(frozen=True, slots=True)
class ScheduleDefinition:
    """At each tick of ``cron_schedule`` (in ``timezone``), one run of ``selection``.

    ``partitions`` says which partitions of the selected partitioned assets the run
    builds: None (the default) means, for each time-partitioned asset, the partition of
    the window that just ended at the tick (and every partition of other partitioned
    assets); a list of keys, or a function of the tick's time returning keys, names them.
    A tick missed while automation was off is not run after the fact: only the latest
    one is.
    """

    name: str
    cron_schedule: str
    selection: str | Sequence[str] = "*"
    partitions: PartitionsForTick = None
    timezone: str = "UTC"
    tags: Mapping[str, str] = field(default_factory=dict)
    run_config: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None

    def __post_init__(self) -> None:
        check_name("ScheduleDefinition", self.name)
        if not isinstance(self.cron_schedule, str) or not self.cron_schedule.strip():
            raise DefinitionError(f"Schedule '{self.name}': cron_schedule must be a cron string.")
        cron_ticks(self.cron_schedule, self.timezone)

    def partition_keys_for(self, tick: datetime) -> list[str] | None:
        """The partition keys named for the run of ``tick`` (None: the default choice)."""
        if self.partitions is None:
            return None
        keys = self.partitions(tick) if callable(self.partitions) else self.partitions
        return [str(key) for key in keys]


def check_name(what: str, name: object) -> None:
    """Schedule and sensor names: letters, digits, ``_``, ``-``, ``.``."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise DefinitionError(
            f"{what} name {name!r} is not valid: use letters, digits, '_', '-' and '.'."
        )
