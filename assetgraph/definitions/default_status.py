"""Whether a schedule or sensor starts running or stopped: Dagster's ``default_status``.

A leaf of declarations: schedules and sensors name it; the stored state that a user's
``start`` / ``stop`` sets is kept by ``assetgraph.automation.instigators``.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from assetgraph.errors import DefinitionError


class DefaultScheduleStatus(Enum):
    """The state of a schedule no one has started or stopped yet."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class DefaultSensorStatus(Enum):
    """The state of a sensor no one has started or stopped yet."""

    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


RUNNING = "RUNNING"
STOPPED = "STOPPED"


def default_status_value(value: Any, what: str) -> str:
    """``RUNNING`` or ``STOPPED`` from a ``Default*Status`` (or its string value)."""
    if isinstance(value, DefaultScheduleStatus | DefaultSensorStatus):
        return str(value.value)
    if isinstance(value, str) and value.upper() in (RUNNING, STOPPED):
        return value.upper()

    raise DefinitionError(
        f"{what}: default_status must be DefaultScheduleStatus.RUNNING or .STOPPED "
        f"(DefaultSensorStatus for sensors), got {value!r}."
    )
