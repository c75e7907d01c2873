"""The live progress display of ``assetgraph materialize``."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assetgraph.cli import render
from assetgraph.storage.events import StepSucceeded
from assetgraph.storage.records import EventRecord, EventType

_DONE = {
    EventType.STEP_SUCCESS: ("[green]✓[/]", "success"),
    EventType.STEP_FAILURE: ("[red]✗[/]", "failure"),
    EventType.STEP_SKIPPED: ("[yellow]↷[/]", "skipped"),
}


class RunProgress:
    """A progress bar over the steps, with one line per finished step."""

    def __init__(self, total: int) -> None:
        # Bound to today's stdout: output captured from steps must not swallow the display.
        self.console = Console(file=sys.stdout, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task("materializing", total=total)

    def __enter__(self) -> RunProgress:
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def on_event(self, event: EventRecord) -> None:
        if event.event_type is EventType.STEP_START:
            self.progress.update(self.task, description=escape(f"running {event.step_key}"))
            return
        done = _DONE.get(event.event_type)
        if done is None:
            return
        mark, word = done
        detail = ""
        if event.event_type is EventType.STEP_SUCCESS:
            detail = render.duration(StepSucceeded.from_payload(event.payload).duration)
        elif event.message:
            detail = event.message
        self.progress.console.print(
            f"{mark} {escape(event.step_key or '')}  {word}  {escape(detail)}", markup=True
        )
        self.progress.advance(self.task)
