"""Every error assetgraph raises, under one base class.

The classes are grouped by who must act; the CLI maps them to exit codes through
``exit_code`` (2: the user's definitions or command line are wrong, 1: a run failed).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


class DagsterError(Exception):
    """Dagster's base error class; every assetgraph error is one, so ported code that
    catches ``DagsterError`` (or one of the Dagster classes below) catches ours."""


class AssetgraphError(DagsterError):
    """Base class of every error assetgraph raises on purpose."""

    exit_code: int = 1


# Dagster's error classes, by meaning; assetgraph's own classes below subclass the one
# whose meaning they share, so ``pytest.raises(DagsterInvalidDefinitionError)`` works.


class DagsterInvalidDefinitionError(AssetgraphError):
    """Dagster's: a definition (asset, resource, Definitions) is wrong."""

    exit_code = 2


class DagsterInvariantViolationError(AssetgraphError):
    """Dagster's: an API was used in a way it does not allow (e.g. a generator resource's
    value read outside ``with build_*_context(...) as context``)."""


class DagsterInvalidInvocationError(AssetgraphError):
    """Dagster's: a definition was called directly with the wrong arguments."""


class DagsterInvalidConfigError(AssetgraphError):
    """Dagster's: config does not match its schema (run config, ``config_schema``)."""

    exit_code = 2


class DagsterExecutionStepExecutionError(AssetgraphError):
    """Dagster's: user code raised while a step ran."""


class DagsterTypeCheckDidNotPass(AssetgraphError):
    """Dagster's: a value failed the type check of its ``DagsterType``."""

    def __init__(self, description: str | None = None, metadata: Mapping[str, Any] | None = None):
        super().__init__(description or "Type check failed")
        self.description = description
        self.metadata: dict[str, Any] = dict(metadata or {})


class DagsterUnknownResourceError(AssetgraphError):
    """Dagster's: code read a resource that was not provided (``context.resources.NAME``)."""


class DefinitionError(DagsterInvalidDefinitionError):
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


class RunConfigError(UsageError, DagsterInvalidConfigError):
    """Run config does not match the ``Config`` model of an asset."""


class ResourceError(DefinitionError):
    """A resource or IO manager an asset needs is missing or not usable."""


class StepFailure(DagsterExecutionStepExecutionError):
    """A step failed; the original exception (user code or IO manager) is ``__cause__``."""

    exit_code = 1


class Failure(StepFailure):
    """Raised by user code to fail its step on purpose, as Dagster's ``Failure``.

    ``description`` is the step's error message and ``metadata`` is recorded with the
    failure; ``allow_retries=False`` fails the step for good even when its retry policy
    has attempts left.
    """

    def __init__(
        self,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        allow_retries: bool | None = None,
    ) -> None:
        super().__init__(description or "Failure")
        self.description = description
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.allow_retries = True if allow_retries is None else bool(allow_retries)


class RetryRequested(StepFailure):
    """Raised by an op to ask for another attempt, as Dagster's ``RetryRequested``:
    up to ``max_retries`` attempts after the first, ``seconds_to_wait`` apart."""

    def __init__(self, max_retries: int = 1, seconds_to_wait: float = 0) -> None:
        super().__init__(f"retry requested (max_retries={max_retries})")
        self.max_retries = int(max_retries)
        self.seconds_to_wait = float(seconds_to_wait)


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


def install_hint(extra: str, cwd: Path | None = None) -> str:
    """The command that installs the optional dependencies ``extra`` into this Python, as
    it works where the user stands.

    From a source checkout (an editable install) that is ``pip install -e '.[extra]'`` in
    the checkout (or ``make install EXTRAS=extra``), ``pip install -e '/path[extra]'``
    elsewhere; from a package index, ``pip install 'assetgraph[extra]'``. ``pip`` is this
    interpreter's (``python -m pip``) unless ``python`` on PATH is this interpreter.
    """
    pip = f"{python_command()} -m pip install"
    checkout = source_checkout()
    if checkout is None:
        return f"{pip} 'assetgraph[{extra}]'"
    here = (cwd or Path.cwd()).resolve()
    if here == checkout:
        make = f" (or: make install EXTRAS={extra})" if (checkout / "Makefile").is_file() else ""
        return f"{pip} -e '.[{extra}]'{make}"
    return f"{pip} -e '{checkout}[{extra}]'"


def python_command() -> str:
    """How to run this Python from a shell: ``python`` when that is it on PATH (an active
    virtual environment), else its full path."""
    import shutil
    import sys

    return "python" if _same_file(shutil.which("python"), sys.executable) else sys.executable


def source_checkout() -> Path | None:
    """The folder of the source checkout assetgraph runs from (an editable install, or the
    checkout on ``sys.path``), or None when it was installed from a package.

    A checkout holds the package folder beside its ``pyproject.toml``; an installed
    package sits in ``site-packages``, which holds none.
    """
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        import tomllib

        name = tomllib.loads(pyproject.read_text()).get("project", {}).get("name")
    except (OSError, ValueError):
        return None
    return root if name == "assetgraph" else None


def _same_file(a: str | None, b: str) -> bool:
    try:
        return a is not None and Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


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
