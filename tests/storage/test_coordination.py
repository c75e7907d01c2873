"""Step claims: a lease is one run's at a time, and a step's recorded start lies inside it."""

from __future__ import annotations

import time
from pathlib import Path

from assetgraph import Instance
from assetgraph.storage.coordination import StepClaim, StepRecorder
from assetgraph.storage.records import EventRecord, EventType


def _start(run_id: str, at: float) -> EventRecord:
    return EventRecord(run_id, EventType.STEP_START, at, step_key="raw", partition_key="p1")


def test_a_recorded_start_is_when_the_claim_was_granted_not_when_it_was_asked(
    tmp_path: Path,
) -> None:
    """Run B asks for the lease while run A still holds it (B's start event is made then,
    as when B waits for the database's write lock); A ends and gives it back; B's claim
    is granted. B's recorded start must not come before A's recorded end."""
    storage = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path).storage
    recorder = StepRecorder(storage)
    lease = (("raw", "p1"),)
    assert recorder.record([_start("a", time.time())], claim=StepClaim("a", "raw", lease)) is None

    asked_at = time.time()
    waiting = [_start("b", asked_at)]
    assert recorder.record(waiting, claim=StepClaim("b", "raw", lease)) is not None  # A holds it
    time.sleep(0.05)
    ended_at = time.time()
    end = EventRecord("a", EventType.STEP_SUCCESS, ended_at, step_key="raw", partition_key="p1")
    assert recorder.record([end], release=[("a", "raw")]) is None
    assert recorder.record(waiting, claim=StepClaim("b", "raw", lease)) is None

    (recorded,) = storage.events_for_run("b", [EventType.STEP_START])
    assert recorded.timestamp >= ended_at, (
        f"run b's start is recorded {ended_at - recorded.timestamp:.3f} s before run a ended"
    )
    assert waiting[0].timestamp == recorded.timestamp  # the caller sees what was stored
