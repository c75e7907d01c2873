"""The stored event of what user code reports about an asset: an ``AssetMaterialization``
(the asset was written outside an IO manager), an ``AssetObservation``, or an
``ExpectationResult`` (a log line).

Ops, assets (``context.log_event``), sensors (``SensorResult(asset_events=...)``) and
``Instance.report_runless_asset_event`` all record them the same way.
"""

from __future__ import annotations

from typing import Any

from assetgraph.definitions.metadata import normalize_metadata
from assetgraph.storage.events import Logged, Materialized, RuntimeObservation, step_event
from assetgraph.storage.records import EventRecord

RUNLESS_RUN_ID = ""
"""The run id of events reported outside any run (Dagster's)."""


def _kind(event: Any) -> str | None:
    """``materialization``, ``observation`` or ``expectation``: the event classes say which
    (storage does not import the definitions they live in)."""
    kind = getattr(type(event), "user_event_kind", None)
    return kind if isinstance(kind, str) else None


def is_asset_event(event: Any) -> bool:
    """True for an ``AssetMaterialization`` or an ``AssetObservation``."""
    return _kind(event) in ("materialization", "observation")


def user_event_record(
    event: Any,
    run_id: str,
    now: float,
    step_key: str | None = None,
) -> EventRecord:
    """The event record of ``event``: a materialization of its key (no data version: the
    data was written elsewhere), a runtime observation, or a log line."""
    if _kind(event) == "expectation":
        state = "passed" if event.success else "failed"
        message = f"expectation '{event.label or 'expectation'}' {state}" + (
            f": {event.description}" if event.description else ""
        )
        level = "INFO" if event.success else "WARNING"
        return step_event(run_id, Logged(level), now, step_key=step_key, message=message)
    metadata = normalize_metadata(event.metadata)
    body: Materialized | RuntimeObservation
    if _kind(event) == "materialization":
        if event.description:
            metadata.setdefault("description", event.description)
        body = Materialized(
            code_version=None, data_version=None, metadata=metadata, tags=dict(event.tags)
        )
    else:
        body = RuntimeObservation(
            metadata=metadata, description=event.description, tags=dict(event.tags)
        )
    return step_event(
        run_id,
        body,
        now,
        step_key=step_key,
        asset_key=event.asset_key.to_string(),
        partition_key=event.partition,
    )
