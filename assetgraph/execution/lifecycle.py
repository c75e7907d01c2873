"""A run's heartbeat: proof of life in the metadata database, and the ear for cancel requests."""

from __future__ import annotations

import _thread
import threading
from types import TracebackType

from assetgraph.storage.coordination import heartbeat, mark_run_process
from assetgraph.storage.interface import CoordinationStore


def heartbeat_seconds() -> float:
    """Seconds between heartbeats (``ASSETGRAPH_HEARTBEAT_SECONDS``, default 5), validated by
    ``assetgraph.settings``; runs check it before they are recorded, so the heartbeat
    thread never meets a bad value."""
    from assetgraph import settings

    return settings.heartbeat_seconds()


class RunHeartbeat:
    """While open, beats every few seconds and sets ``cancel`` when a cancel is requested.

    With ``interrupt_main`` (a run executing steps in the main thread), a cancel request
    also interrupts the main thread, so that a long step stops instead of running on.
    """

    def __init__(
        self,
        storage: CoordinationStore,
        run_id: str,
        cancel: threading.Event,
        *,
        interrupt_main: bool,
    ) -> None:
        self._storage = storage
        self._run_id = run_id
        self._cancel = cancel
        self._interrupt = interrupt_main and threading.current_thread() is threading.main_thread()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"heartbeat-{run_id[:8]}", daemon=True
        )

    def __enter__(self) -> RunHeartbeat:
        mark_run_process(self._storage, self._run_id)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _beat(self) -> None:
        interval = heartbeat_seconds()
        while not self._stop.wait(interval):
            try:
                requested = heartbeat(self._storage, self._run_id)
            except Exception:  # a missed beat is not fatal; the next one may get through
                continue
            if requested and not self._cancel.is_set():
                self._cancel.set()
                if self._interrupt:
                    _thread.interrupt_main()
