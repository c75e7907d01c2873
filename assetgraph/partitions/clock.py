"""The one place the partitions package reads the clock: when a caller passes no time."""

from __future__ import annotations

from datetime import UTC, datetime


def now_utc() -> datetime:
    """The current time, used only when a caller passes no ``current_time``."""
    return datetime.now(UTC)
