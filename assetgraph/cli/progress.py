"""The live display of ``assetgraph materialize``: finished steps, what steps log, and a
progress line of the steps running, the counts and an estimate of the time left."""

from __future__ import annotations

import logging
import sys
import time
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from assetgraph.cli import render
from assetgraph.storage.events import StepSucceeded
from assetgraph.storage.records import EventRecord, EventType

LIVE_LOGGERS = ("assetgraph.user", "assetgraph.output", "assetgraph.run")
"""context.log, what steps in worker processes print, and what the run waits for (see
execution.live_logs and execution.coordinator)."""

PLAIN_REPORT_SECONDS = 30.0
"""Without a terminal (no live line), how often a line of counts is printed."""

_SHOWN_RUNNING = 3


class RunProgress:
    """A progress line over the steps, with one line per finished step and per message a
    running step logs. On a terminal the progress line updates in place; without one
    (CI, a pipe) a line of counts is printed every :data:`PLAIN_REPORT_SECONDS`, and no
    line is wrapped."""

    def __init__(
        self,
        total: int,
        *,
        log_level: int = logging.INFO,
        show_logs_of_events: bool = False,
        file: Any = None,
    ) -> None:
        # Bound to today's stdout: output captured from steps must not swallow the display.
        target = file if file is not None else sys.stdout
        terminal = target.isatty() if hasattr(target, "isatty") else False
        self.console = Console(file=target, highlight=False, soft_wrap=not terminal)
        self.terminal = self.console.is_terminal
        self.total = total
        self.log_level = log_level
        self.show_logs_of_events = show_logs_of_events
        self.running: dict[str, None] = {}  # in start order
        self.done = self.failed = self.skipped = 0
        self.started = time.monotonic()
        self.last_report = self.started
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task("starting", total=total, counts="")
        self._handler = _ConsoleHandler(self)
        self._saved_levels: dict[str, int] = {}

    def __enter__(self) -> RunProgress:
        for name in LIVE_LOGGERS:
            logger = logging.getLogger(name)
            self._saved_levels[name] = logger.level
            # context.log at --log-level; printed lines and waits always
            logger.setLevel(self.log_level if name == "assetgraph.user" else logging.INFO)
            logger.addHandler(self._handler)
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()
        for name, level in self._saved_levels.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self._handler)
            logger.setLevel(level)

    # -- events of the run ------------------------------------------------------------------

    def on_event(self, event: EventRecord) -> None:
        kind = event.event_type
        key = event.step_key or ""
        if kind is EventType.STEP_START:
            self.running[key] = None
        elif kind is EventType.LOG and self.show_logs_of_events:
            self._print_log_event(event)
        elif kind in (EventType.STEP_SUCCESS, EventType.STEP_FAILURE, EventType.STEP_SKIPPED):
            self._finished(event)
        else:
            return
        self._update()

    def _finished(self, event: EventRecord) -> None:
        key = event.step_key or ""
        self.running.pop(key, None)
        if event.event_type is EventType.STEP_SUCCESS:
            self.done += 1
            line = f"[green]✓[/] {escape(key)}  success  "
            line += escape(render.duration(StepSucceeded.from_payload(event.payload).duration))
        elif event.event_type is EventType.STEP_FAILURE and event.payload.get("retry_in"):
            self.print(
                f"[yellow]↻[/] {escape(key)}  failed, retrying  {escape(event.message or '')}"
            )
            return
        elif event.event_type is EventType.STEP_FAILURE:
            self.failed += 1
            line = f"[red]✗[/] {escape(key)}  failure  {escape(event.message or '')}"
        else:
            self.skipped += 1
            line = f"[yellow]↷[/] {escape(key)}  skipped  {escape(event.message or '')}"
        self.print(line.rstrip())
        self.progress.advance(self.task)

    def _print_log_event(self, event: EventRecord) -> None:
        """A LOG event of a step that ran where no live log reaches (a Dask worker)."""
        level = event.payload.get("level", "INFO")
        number = logging.getLevelName(level)
        if isinstance(number, int) and number < self.log_level:
            return
        for line in (event.message or "").splitlines():
            self.print_plain(f"[{event.step_key}] {level}: {line}")

    # -- the display ------------------------------------------------------------------------

    def counts_text(self) -> str:
        finished = self.done + self.failed + self.skipped
        parts = [f"{self.done} done"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        parts.append(f"{self.total - finished} remaining")
        return ", ".join(parts)

    def running_text(self) -> str:
        if not self.running:
            return "waiting" if self.done + self.failed + self.skipped < self.total else "done"
        names = list(self.running)
        text = "running " + ", ".join(names[:_SHOWN_RUNNING])
        if len(names) > _SHOWN_RUNNING:
            text += f" (+{len(names) - _SHOWN_RUNNING})"
        return text

    def _update(self) -> None:
        self.progress.update(
            self.task, description=escape(self.running_text()), counts=self.counts_text()
        )
        now = time.monotonic()
        if not self.terminal and now - self.last_report >= PLAIN_REPORT_SECONDS:
            self.last_report = now
            self.print_plain(self.report_line(now))

    def report_line(self, now: float) -> str:
        """``12/40 steps: 11 done, 1 failed, 28 remaining; 2.0 min elapsed, about 4.7 min
        left; running a, b``."""
        elapsed = now - self.started
        finished = self.done + self.failed + self.skipped
        text = f"{finished}/{self.total} steps: {self.counts_text()}; "
        text += f"{render.duration(elapsed)} elapsed"
        if finished and finished < self.total:
            left = elapsed / finished * (self.total - finished)
            text += f", about {render.duration(left)} left"
        if self.running:
            text += f"; {self.running_text()}"
        return text

    def print(self, markup: str) -> None:
        self.progress.console.print(markup, markup=True)

    def print_plain(self, text: str) -> None:
        self.progress.console.print(text, markup=False)


class _ConsoleHandler(logging.Handler):
    """Prints live log records above the progress line."""

    def __init__(self, progress: RunProgress) -> None:
        super().__init__(logging.DEBUG)
        self._progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        try:
            step = getattr(record, "step_key", None)
            text = getattr(record, "step_text", None)
            if record.name == "assetgraph.run":
                line = f"… {record.getMessage()}"
            elif record.name == "assetgraph.output":
                line = f"[{step}] {text}" if step else str(text)
            elif step is not None and text is not None:
                line = f"[{step}] {record.levelname}: {text}"
            else:
                line = f"{record.levelname}: {record.getMessage()}"
            self._progress.print_plain(line)
        except Exception:  # a display must never fail the run
            self.handleError(record)
