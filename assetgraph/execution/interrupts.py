"""SIGTERM stops a run as Ctrl-C does, so a supervisor's stop is recorded, not lost."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived while a run was running in this process's main thread."""


def signal_name(interrupt: KeyboardInterrupt) -> str:
    """``SIGTERM`` or ``SIGINT``: which signal an interrupt came from."""
    return "SIGTERM" if isinstance(interrupt, Terminated) else "SIGINT"


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While open, SIGTERM raises ``Terminated`` in the main thread.

    Only where nobody else handles SIGTERM (the default action, in the main thread): a
    handler the caller installed stays as it is.
    """
    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated()

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
