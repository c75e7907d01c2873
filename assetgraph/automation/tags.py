"""The run tags automation puts on the runs it launches."""

from __future__ import annotations

TICK_TAG = "assetgraph/automation_tick"
"""The id of the tick that launched the run."""

REQUEST_TAG = "assetgraph/automation_request"
"""``<tick id>-<n>``: which of the tick's requests the run is (its coverage is in the tick)."""

TIME_TAG = "assetgraph/automation_time"
"""The tick's time (POSIX seconds): the data time of root assets the run builds."""

ORIGIN_TAG = "assetgraph/automation_origin"
"""``automation``, ``schedule:<name>`` or ``sensor:<name>``."""
