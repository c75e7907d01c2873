"""Imported by the multiprocess fork server, first of ``WORKER_PRELOAD``, and nowhere else.

It makes the server ignore Ctrl-C, and with it every worker the server forks, from the
moment it exists (a forked worker takes the handlers the server had before it started
serving): Ctrl-C in a terminal reaches the whole process group, and the run's coordinator
stops its workers itself. A worker interrupted while it was still being set up would
print an import error over the run's last line.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
