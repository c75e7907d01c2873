"""Whether each schedule and sensor is running or stopped, as Dagster keeps it.

A schedule or sensor is stopped unless its definition says ``default_status=RUNNING`` or
someone started it (``assetgraph schedules start NAME``); the daemon evaluates only the
running ones. The state a user set is stored in the metadata database (one cursor row per
schedule or sensor, ``status:schedule:NAME``) and wins over the default until reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assetgraph.definitions.default_status import RUNNING, STOPPED
from assetgraph.errors import UsageError, did_you_mean
from assetgraph.storage.automation_store import AutomationStore


def _cursor_name(kind: str, name: str) -> str:
    return f"status:{kind}:{name}"


@dataclass(frozen=True, slots=True)
class InstigatorState:
    """One schedule's or sensor's state: running or not, and whether a user set it."""

    kind: str
    name: str
    status: str
    default_status: str
    stored: bool

    @property
    def running(self) -> bool:
        return self.status == RUNNING


def state_of(store: AutomationStore, kind: str, name: str, default_status: str) -> InstigatorState:
    """The state of schedule or sensor ``name`` (``kind``: ``schedule`` or ``sensor``)."""
    stored = store.get_cursor(_cursor_name(kind, name))
    status = stored if stored in (RUNNING, STOPPED) else default_status
    return InstigatorState(kind, name, status, default_status, stored in (RUNNING, STOPPED))


def is_running(store: AutomationStore, instigator: Any, kind: str) -> bool:
    """True when the daemon should evaluate ``instigator`` (a schedule or sensor)."""
    return state_of(store, kind, instigator.name, instigator.default_status.value).running


def states(defs: Any, store: AutomationStore, kind: str) -> list[InstigatorState]:
    """The state of every schedule (or sensor) of ``defs``, in definition order."""
    found = defs.schedules if kind == "schedule" else defs.sensors
    return [state_of(store, kind, item.name, item.default_status.value) for item in found]


def set_status(
    defs: Any, store: AutomationStore, kind: str, name: str, status: str, now: float
) -> InstigatorState:
    """Start or stop schedule or sensor ``name`` of ``defs``; returns its new state.

    Starting a schedule makes it begin at its next cron tick (ticks that passed while it
    was stopped are not run), as in Dagster.
    """
    found = defs.schedules if kind == "schedule" else defs.sensors
    by_name = {item.name: item for item in found}
    item = by_name.get(name)
    if item is None:
        known = ", ".join(sorted(by_name)) or "none"
        raise UsageError(
            f"No {kind} named '{name}' in the code location (it has: {known})."
            f"{did_you_mean(name, list(by_name))}"
        )
    was = state_of(store, kind, name, item.default_status.value)
    values = {_cursor_name(kind, name): status}
    if kind == "schedule" and status == RUNNING and not was.running:
        values[f"schedule:{name}"] = ""  # forget the last tick: begin from now
    store.set_cursors(values, now)
    return state_of(store, kind, name, item.default_status.value)


__all__ = [
    "InstigatorState",
    "is_running",
    "set_status",
    "state_of",
    "states",
]
