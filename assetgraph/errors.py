"""Every error assetgraph raises, under one base class.

The classes are grouped by who must act; the CLI maps them to exit codes through
``exit_code`` (2: the user's definitions or command line are wrong, 1: a run failed).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class AssetgraphError(Exception):
    """Base class of every error assetgraph raises on purpose."""

    exit_code: int = 1


class DefinitionError(AssetgraphError):
    """The code location is wrong: a bad asset, a cycle, an unknown upstream, a bad key."""

    exit_code = 2


class CodeLocationLoadError(DefinitionError):
    """A code location could not be found or raised while it was imported.

    ``user_traceback`` holds the user's frames only, for the CLI to print.
    """

    user_traceback: str | None = None


class UsageError(AssetgraphError):
    """A command-line option, a selection or run config is wrong."""

    exit_code = 2


class SelectionError(UsageError):
    """A selection string does not parse, or names assets that do not exist."""


class RunConfigError(UsageError):
    """Run config does not match the ``Config`` model of an asset."""


class ResourceError(DefinitionError):
    """A resource or IO manager an asset needs is missing or not usable."""


class StepFailure(AssetgraphError):
    """A step failed; the original exception (user code or IO manager) is ``__cause__``."""

    exit_code = 1


class RunFailure(AssetgraphError):
    """A run finished with failed steps (raised by ``materialize(raise_on_error=True)``)."""

    exit_code = 1


class ExecutorLost(RunFailure):
    """The processes that run a run's steps are gone (the Dask scheduler died or cannot be
    reached): the run fails, its running steps failed and the rest not run."""


class StorageError(AssetgraphError):
    """The metadata database or stored values are unavailable or inconsistent."""

    exit_code = 1


class RunNotFoundError(UsageError):
    """No run with the given id exists in the metadata database."""


def did_you_mean(name: str, candidates: Iterable[str], n: int = 3) -> str:
    """A ' Did you mean ...?' suffix naming the candidates closest to ``name``, or ''."""
    close = difflib.get_close_matches(name, list(candidates), n=n, cutoff=0.5)
    if not close:
        return ""
    return " Did you mean " + " or ".join(repr(c) for c in close) + "?"


USER_CODE_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit)
"""What user code (an asset, a check, an IO manager) may raise that fails its step rather
than the run: any exception, ``sys.exit()`` included; only Ctrl-C interrupts the run."""


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C or SIGTERM, raised once the run is recorded as canceled.

    Deliberately not an ``AssetgraphError``: like any ``KeyboardInterrupt`` it passes
    through ``except Exception``. ``exit_code`` is the shell's for the signal (130, 143).
    """

    def __init__(
        self, run_id: str, signal_name: str, done: int, canceled: int, not_started: int
    ) -> None:
        self.run_id = run_id
        self.signal_name = signal_name
        self.done = done
        self.canceled = canceled
        self.not_started = not_started
        self.exit_code = 143 if signal_name == "SIGTERM" else 130
        super().__init__(self.summary())

    def summary(self) -> str:
        steps = "step" if self.done == 1 else "steps"
        return (
            f"Interrupted: run {self.run_id} canceled; {self.done} {steps} done, "
            f"{self.canceled} canceled, {self.not_started} not started"
        )
