"""What running steps say, as they say it: ``context.log`` records and printed lines.

Every step's logs are recorded as LOG events when it ends (``runs show``, ``logs``). This
module makes them visible while it runs, through Python logging:

- ``context.log`` writes to the logger :data:`USER_LOGGER` (see ``assetgraph.context``);
- a line a step in a worker process prints goes to :data:`OUTPUT_LOGGER`, as one record
  (INFO for stdout, WARNING for stderr; a step in the run's own process prints to its
  stdout directly).

Records carry ``step_key`` and ``step_text`` (the message without the step) for displays.

In a ``multiprocess`` pool worker both loggers send their records through a queue to the
process that runs the coordinator (:class:`LiveLogRelay`), where they are handled by that
process's loggers: whatever handler the caller attached (``assetgraph materialize`` prints
them above its progress display) sees them as if the step ran there.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
from typing import Any

USER_LOGGER = "assetgraph.user"
OUTPUT_LOGGER = "assetgraph.output"

_current_step: list[str] = [""]  # the step a pool worker is running (one at a time)


def set_current_step(step_key: str) -> None:
    """Name the step whose printed lines :class:`_LineForwarder` is about to forward."""
    _current_step[0] = step_key


class LiveLogRelay:
    """In the coordinator's process: a queue that pool workers put log records on, and a
    thread that hands each record to this process's logger of the same name."""

    def __init__(self, context: Any) -> None:
        self.queue: Any = context.Queue()
        self.levels = {
            name: logging.getLogger(name).getEffectiveLevel()
            for name in (USER_LOGGER, OUTPUT_LOGGER)
        }
        self._listener = logging.handlers.QueueListener(self.queue, _Reemit())
        self._listener.start()

    def worker_args(self) -> tuple[Any, dict[str, int]]:
        """What :func:`forward_worker_logs` needs in the worker."""
        return self.queue, self.levels

    def close(self) -> None:
        """Hand over what is still queued, then stop."""
        self._listener.stop()
        self.queue.close()


class _Reemit(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def forward_worker_logs(queue: Any, levels: dict[str, int]) -> None:
    """In a pool worker: send :data:`USER_LOGGER` records, and the lines steps print, to the
    coordinator's :class:`LiveLogRelay` (at the levels the coordinator's loggers have)."""
    import sys

    handler = logging.handlers.QueueHandler(queue)
    for name, level in levels.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    sys.stdout = _LineForwarder(logging.getLogger(OUTPUT_LOGGER), logging.INFO)
    sys.stderr = _LineForwarder(logging.getLogger(OUTPUT_LOGGER), logging.WARNING)


class _LineForwarder(io.TextIOBase):
    """A text stream that logs each complete line, naming the running step."""

    def __init__(self, logger: logging.Logger, level: int) -> None:
        self._logger = logger
        self._level = level
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self._log(line)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            line, self._pending = self._pending, ""
            self._log(line)

    def _log(self, line: str) -> None:
        step = _current_step[0]
        extra = {"step_key": step, "step_text": line}
        if step:
            self._logger.log(self._level, "[%s] %s", step, line, extra=extra)
        else:
            self._logger.log(self._level, "%s", line, extra=extra)
