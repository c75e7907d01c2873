"""What user code prints while a step runs, kept as LOG events of that step."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from assetgraph.planning.planner import Step
from assetgraph.storage.events import Logged, step_event
from assetgraph.storage.records import EventRecord

MAX_CAPTURED_CHARS = 1_000_000
"""Past this many characters per stream, the rest is cut (and the cut noted)."""


@dataclass(slots=True)
class Captured:
    """The text written to stdout and stderr inside ``capture_output``."""

    stdout: io.StringIO = field(default_factory=io.StringIO)
    stderr: io.StringIO = field(default_factory=io.StringIO)

    def events(self, run_id: str, step: Step) -> list[EventRecord]:
        """One LOG event per stream that received anything (level STDOUT / STDERR)."""
        return self.events_for(run_id, step.key, step.partition_key)

    def events_for(
        self, run_id: str, step_key: str, partition_key: str | None = None
    ) -> list[EventRecord]:
        """``events`` of the step ``step_key`` (and ``partition_key``)."""
        found = []
        for level, stream in (("STDOUT", self.stdout), ("STDERR", self.stderr)):
            text = stream.getvalue()
            if not text:
                continue
            if len(text) > MAX_CAPTURED_CHARS:
                cut = len(text) - MAX_CAPTURED_CHARS
                text = text[:MAX_CAPTURED_CHARS] + f"\n[... {cut} more characters cut]"
            found.append(
                step_event(
                    run_id,
                    Logged(level),
                    time.time(),
                    step_key=step_key,
                    partition_key=partition_key,
                    message=text.rstrip("\n"),
                )
            )
        return found


class _Tee(io.TextIOBase):
    """Writes to a buffer and to the stream it stands in for (while it does: ``done``)."""

    def __init__(self, buffer: io.StringIO, stream: Any) -> None:
        self._buffer = buffer
        self._stream = stream
        self.done = False

    def write(self, text: str) -> int:
        self._buffer.write(text)
        return int(self._stream.write(text) or len(text))

    def flush(self) -> None:
        # Once the block is over, the stream is no longer ours to flush (closing the tee
        # when it is collected would, once per step).
        if not self.done:
            self._stream.flush()


@contextmanager
def capture_output(*, tee: bool = False) -> Iterator[Captured]:
    """Send ``sys.stdout`` / ``sys.stderr`` to buffers for the length of the block.

    With ``tee``, the text also goes where it would have gone (a run in this process).
    """
    captured = Captured()
    saved = sys.stdout, sys.stderr
    tees: tuple[_Tee, ...] = ()
    if tee:
        tees = (_Tee(captured.stdout, saved[0]), _Tee(captured.stderr, saved[1]))
        sys.stdout, sys.stderr = tees
    else:
        sys.stdout, sys.stderr = captured.stdout, captured.stderr
    try:
        yield captured
    finally:
        sys.stdout, sys.stderr = saved
        for stream in tees:
            stream.done = True
