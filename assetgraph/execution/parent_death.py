"""A worker process dies with the run coordinator that started it.

A worker that outlived its coordinator would go on building and storing values of a run
that no longer holds their leases, over the values of the next run. So a worker asks the
kernel to kill it when its parent dies (Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, which
leaves it no moment to run any more of its own code), and where that is not available it
watches its parent and ends itself within ``POLL_SECONDS``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from typing import Any

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


def die_with_coordinator(coordinator_pid: int) -> None:
    """End this process as soon as the run coordinator ``coordinator_pid`` is gone.

    A worker the coordinator started itself dies with it as its parent. A worker forked by
    the coordinator's fork server dies with that server, which ends as soon as no process
    holds the write end of its "alive" pipe: the coordinator, and each worker until it
    lets go of its copy here.
    """
    parent = os.getppid()
    die_with_parent(parent)
    if parent != coordinator_pid:
        _release_fork_server()
        if not _alive(coordinator_pid):
            _die()  # the coordinator died before this worker was set up


def _release_fork_server() -> None:
    """Close this worker's copy of the fork server's "alive" pipe (every forked process
    inherits one), so that the server, and with it this worker, ends with the coordinator.
    The worker then starts its own fork server if a step asks for one."""
    from multiprocessing import forkserver

    server: Any = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is None:
        return
    with contextlib.suppress(OSError):
        os.close(fd)
    server._forkserver_alive_fd = None
    server._forkserver_address = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


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
