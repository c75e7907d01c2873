"""A worker process dies with the run coordinator that started it.

A worker that outlived its coordinator would go on building and storing values of a run
that no longer holds their leases, over the values of the next run. So a worker asks the
kernel to kill it when its parent dies (Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, which
leaves it no moment to run any more of its own code), and where that is not available it
watches its parent and ends itself within ``POLL_SECONDS``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

POLL_SECONDS = 0.2
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """End this process as soon as ``parent_pid`` (its parent) is gone."""
    if not (sys.platform.startswith("linux") and _kill_on_parent_death()):
        threading.Thread(
            target=_watch_parent, args=(parent_pid,), name="watch-parent", daemon=True
        ).start()
    if os.getppid() != parent_pid:  # the parent died before we asked
        _die()


def _kill_on_parent_death() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    _die()


def _die() -> None:
    os._exit(1)  # no cleanup, no flush: nothing of this run may be stored any more
