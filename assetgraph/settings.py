"""The ``ASSETGRAPH_*`` environment settings: each read and checked in one place.

Every variable assetgraph reads goes through a function here that returns its value (the
default when it is unset or empty) or raises ``UsageError`` naming the variable and the
form expected. ``check_environment`` reads them all: the CLI calls it before any command
runs, so a bad value stops every command at once; ``check_run_environment`` reads the ones
a run uses while it runs (in its heartbeat thread, when it ends) and is called before a run
is recorded, so a Python caller of ``materialize`` gets the same error up front.

Plain functions rather than a pydantic model: the CLI calls them on every command, and a
handful of scalars do not need pydantic's import time.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assetgraph.errors import UsageError

HOME_ENV = "ASSETGRAPH_HOME"
STORAGE_URL_ENV = "ASSETGRAPH_STORAGE_URL"
HEARTBEAT_ENV = "ASSETGRAPH_HEARTBEAT_SECONDS"
RETENTION_ENV = "ASSETGRAPH_RETENTION_DAYS"
BUSY_TIMEOUT_ENV = "ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS"
LOCK_RETRY_ENV = "ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS"
UI_TOKEN_ENV = "ASSETGRAPH_UI_TOKEN"
VERBOSE_ENV = "ASSETGRAPH_VERBOSE"
SHARED_PATHS_ENV = "ASSETGRAPH_SHARED_PATHS"
MAX_CONCURRENT_RUNS_ENV = "ASSETGRAPH_MAX_CONCURRENT_RUNS"

DEFAULT_HOME = ".assetgraph"
DEFAULT_HEARTBEAT_SECONDS = 5.0
MIN_HEARTBEAT_SECONDS = 0.05
MAX_HEARTBEAT_SECONDS = 60.0
"""Half the silence after which a run is taken for dead (``STALE_HEARTBEAT_SECONDS``, 120),
so that one late beat never gets a live run marked failed."""
DEFAULT_BUSY_TIMEOUT_MS = 30_000
DEFAULT_LOCK_RETRY_SECONDS = 120.0
MAX_RETENTION_DAYS = 36_500
"""A hundred years: the longest age retention (or ``storage prune``) accepts."""

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
STORAGE_URL_FORMS = "sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"

_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9]*)(\+[A-Za-z0-9_]+)?://")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _text(name: str) -> str:
    return os.environ.get(name, "").strip()


def _number(name: str, expected: str, *, low: float, high: float, low_open: bool = False) -> float:
    """The number in ``name``; ``UsageError`` when it is not one in ``[low, high]``."""
    text = _text(name)
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name}={text!r} is not a number: expected {expected}.") from None
    if math.isnan(value) or value > high or value < low or (low_open and value == low):
        raise UsageError(f"{name}={text!r} is out of range: expected {expected}.")
    return value


def home() -> Path:
    """``ASSETGRAPH_HOME`` (default ``./.assetgraph``): a folder, created when missing."""
    path = Path(_text(HOME_ENV) or DEFAULT_HOME)
    check_home(path, HOME_ENV)
    return path


def check_home(path: Path, source: str) -> None:
    """Refuse a home that exists and is not a folder (``source`` names where it came from)."""
    if path.exists() and not path.is_dir():
        raise UsageError(
            f"{source}='{path}' is a file, not a folder: point it at a folder (it is created "
            "when missing) where assetgraph keeps its database and stored values."
        )


def storage_url() -> str | None:
    """``ASSETGRAPH_STORAGE_URL``, or None for SQLite in the home folder."""
    url = _text(STORAGE_URL_ENV)
    if not url:
        return None
    check_storage_url(url, STORAGE_URL_ENV)
    return url


def check_storage_url(url: str, source: str) -> None:
    """Refuse a URL that names no SQLite or PostgreSQL database, without importing SQLAlchemy."""
    match = _URL_SCHEME.match(url)
    backend = match.group(1).lower() if match else None
    if backend in SUPPORTED_BACKENDS:
        return
    problem = "has no scheme" if backend is None else f"names a {backend!r} database"
    raise UsageError(
        f"{source}={shown_url(url)!r} {problem}: the metadata database is SQLite or "
        f"PostgreSQL; use {STORAGE_URL_FORMS}."
    )


def shown_url(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", url)


def heartbeat_seconds() -> float:
    """Seconds between a run's heartbeats: ``ASSETGRAPH_HEARTBEAT_SECONDS``, else 5."""
    if not _text(HEARTBEAT_ENV):
        return DEFAULT_HEARTBEAT_SECONDS
    return _number(
        HEARTBEAT_ENV,
        f"a number of seconds from {MIN_HEARTBEAT_SECONDS:g} to {MAX_HEARTBEAT_SECONDS:g}",
        low=MIN_HEARTBEAT_SECONDS,
        high=MAX_HEARTBEAT_SECONDS,
    )


def retention_days() -> float | None:
    """``ASSETGRAPH_RETENTION_DAYS``, or None when unset (then pyproject.toml may set it)."""
    if not _text(RETENTION_ENV):
        return None
    return _number(
        RETENTION_ENV,
        f"a positive number of days, at most {MAX_RETENTION_DAYS}",
        low=0,
        high=MAX_RETENTION_DAYS,
        low_open=True,
    )


def sqlite_busy_timeout_ms() -> int:
    """SQLite's busy timeout per statement: ``ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS``, else 30 s."""
    if not _text(BUSY_TIMEOUT_ENV):
        return DEFAULT_BUSY_TIMEOUT_MS
    expected = "a whole number of milliseconds, 0 or more (e.g. 30000)"
    value = _number(BUSY_TIMEOUT_ENV, expected, low=0, high=2**31 - 1)
    return int(value)


def sqlite_lock_retry_seconds() -> float:
    """How long a locked SQLite write is retried: ``ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS``,
    else 120."""
    if not _text(LOCK_RETRY_ENV):
        return DEFAULT_LOCK_RETRY_SECONDS
    expected = "a number of seconds, 0 or more (e.g. 120)"
    return _number(LOCK_RETRY_ENV, expected, low=0, high=math.inf)


def ui_token() -> str | None:
    """``ASSETGRAPH_UI_TOKEN``, or None when unset or empty."""
    token = os.environ.get(UI_TOKEN_ENV) or None
    if token is not None:
        check_ui_token(token, UI_TOKEN_ENV)
    return token


def check_ui_token(token: str, source: str) -> None:
    """Refuse a token that cannot travel in a header, a cookie and a URL unchanged.

    The value is never printed: it is a secret.
    """
    if all("!" <= char <= "~" for char in token):
        return
    raise UsageError(
        f"{source} is not a usable UI token: expected printable ASCII with no spaces "
        "(letters, digits and punctuation), as it travels in an Authorization header and a "
        "cookie; generate one with: python -c 'import secrets; print(secrets.token_urlsafe())'."
    )


def verbose() -> bool:
    """``ASSETGRAPH_VERBOSE``: show full tracebacks (1/true/yes/on) or not (0/false/no/off)."""
    text = _text(VERBOSE_ENV).lower()
    if text in _TRUE:
        return True
    if not text or text in _FALSE:
        return False
    raise UsageError(
        f"{VERBOSE_ENV}={_text(VERBOSE_ENV)!r} is not valid: expected 1 or 0 (or true/false)."
    )


def shared_paths() -> tuple[Path, ...]:
    """``ASSETGRAPH_SHARED_PATHS``: folders every Dask worker sees at the same path.

    ``os.pathsep``-separated absolute paths (network mounts); () when unset. A run on a
    remote Dask cluster accepts an IO manager that stores under one of them.
    """
    text = _text(SHARED_PATHS_ENV)
    if not text:
        return ()
    paths = tuple(Path(part) for part in text.split(os.pathsep) if part.strip())
    relative = [str(path) for path in paths if not path.is_absolute()]
    if relative:
        raise UsageError(
            f"{SHARED_PATHS_ENV}={text!r} holds a relative path ({', '.join(relative)}): "
            f"expected the absolute path of each shared mount, separated by '{os.pathsep}'."
        )
    return paths


def max_concurrent_runs() -> int | None:
    """``ASSETGRAPH_MAX_CONCURRENT_RUNS``: runs the daemon keeps in progress at once (-1: no
    limit, 0: launch none), or None when unset (then pyproject.toml may set it)."""
    if not _text(MAX_CONCURRENT_RUNS_ENV):
        return None
    expected = "a whole number of runs: -1 (no limit), 0 (pause the queue) or more"
    value = _number(MAX_CONCURRENT_RUNS_ENV, expected, low=-1, high=2**31 - 1)
    if value != int(value):
        raise UsageError(
            f"{MAX_CONCURRENT_RUNS_ENV}={_text(MAX_CONCURRENT_RUNS_ENV)!r}: expected {expected}."
        )
    return int(value)


RUN_SETTINGS: tuple[Callable[[], Any], ...] = (
    heartbeat_seconds,
    retention_days,
    sqlite_busy_timeout_ms,
    sqlite_lock_retry_seconds,
    shared_paths,
)
"""What a run reads after it is recorded: in its heartbeat thread, when it ends."""

ALL_SETTINGS: tuple[Callable[[], Any], ...] = (
    home,
    storage_url,
    *RUN_SETTINGS,
    ui_token,
    verbose,
    max_concurrent_runs,
)


def check_run_environment() -> None:
    """Read every setting a run uses while it runs; ``UsageError`` for the first bad one."""
    for read in RUN_SETTINGS:
        read()


def check_environment() -> None:
    """Read every ``ASSETGRAPH_*`` setting; ``UsageError`` for the first bad one."""
    for read in ALL_SETTINGS:
        read()
