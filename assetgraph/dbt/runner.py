"""Running a dbt command in this process, through dbt's programmatic runner (``dbtRunner``).

The one module that imports dbt. Each call makes a fresh runner: dbt resets its global
state per invocation, so invocations in sequence are safe; two at once in one process are
not, so calls are serialized by a lock.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from assetgraph.errors import DefinitionError

_LOCK = threading.Lock()
_INSTALL_HINT = (
    "dbt is not installed: install the dbt extra (pip install 'assetgraph[dbt]') and the "
    "adapter your profile uses (dbt-duckdb, dbt-postgres, dbt-snowflake, ...)."
)


@dataclass(frozen=True, slots=True)
class DbtOutcome:
    """What one dbt command returned: success, its result object, and dbt's exception."""

    args: tuple[str, ...]
    success: bool
    result: Any
    exception: BaseException | None


def invoke_dbt(args: Sequence[str], on_event: Callable[[Any], None] | None = None) -> DbtOutcome:
    """Run ``dbt <args>`` in this process; ``on_event`` receives each of dbt's events."""
    dbtRunner = _runner_class()
    callbacks = [on_event] if on_event is not None else []
    with _LOCK:
        try:
            done = dbtRunner(callbacks=callbacks).invoke(list(args))
        finally:
            _release_duckdb()
    return DbtOutcome(tuple(args), bool(done.success), done.result, done.exception)


def _release_duckdb() -> None:
    """Close the database dbt-duckdb keeps open between invocations (its ``keep_open``
    default): kept, it holds DuckDB's file lock for as long as this process lives, and
    other processes (the CLI, a worker, a Python asset's IO manager) could not open it."""
    connections = sys.modules.get("dbt.adapters.duckdb.connections")
    manager = getattr(connections, "DuckDBConnectionManager", None)
    environment = getattr(manager, "_ENV", None)
    if manager is None or environment is None:
        return
    with manager._LOCK:
        environment.close()
        manager._ENV = None


def _runner_class() -> Any:
    """dbt's ``dbtRunner``; importing dbt adds a handler to the root logger, taken back here
    so that the application's own logging setup (and the CLI's output) stays as it was."""
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        from dbt.cli.main import dbtRunner
    except ImportError as exc:
        raise DefinitionError(_INSTALL_HINT) from exc
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
    return dbtRunner


def dbt_version() -> str:
    """The installed dbt-core's version, read without importing dbt."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dbt-core")
    except PackageNotFoundError as exc:
        raise DefinitionError(_INSTALL_HINT) from exc
