"""Engines for the metadata database: SQLite set up for concurrent writers, or PostgreSQL.

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of one failing with
"database is locked" when it upgrades a read lock. What still cannot get the lock in time
is retried by ``run_write`` with backoff before it reaches the user.

Both waits can be shortened (tests that hold a lock on purpose, or an operator who
prefers a quick failure to a long wait): ``ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS`` (default
30000) is SQLite's busy timeout per statement, and ``ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS``
(default 120) how long ``run_write`` keeps retrying a locked write (both read and checked
by ``assetgraph.settings``).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from assetgraph import settings
from assetgraph.errors import StorageError, UsageError

T = TypeVar("T")

WRITE_OPTION = "assetgraph_write"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and their pragmas set.

    A URL that names no SQLite or PostgreSQL database, or whose driver is not installed,
    is a ``UsageError``.
    """
    settings.check_storage_url(url, "storage_url")
    shown = settings.shown_url(url)
    try:
        return _engine(url, shown)
    except ArgumentError as exc:  # also NoSuchModuleError: an unknown scheme or driver
        raise UsageError(
            f"Invalid metadata database URL {shown!r}: {exc}. Use {settings.STORAGE_URL_FORMS}."
        ) from None
    except ImportError as exc:  # the dialect's driver module is not installed
        from assetgraph.errors import install_hint

        raise UsageError(
            f"The metadata database URL {shown!r} needs the Python module '{exc.name}', which "
            "is not installed: install it, or use postgresql+psycopg://... "
            f"({install_hint('postgres')})."
        ) from None


def _engine(url: str, shown: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    database = parsed.database
    if database and database != ":memory:":
        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Cannot create the folder {folder} of the metadata database {shown}: "
                f"{exc.strerror or exc}. Point ASSETGRAPH_HOME or ASSETGRAPH_STORAGE_URL at a "
                "folder you can write."
            ) from None
        timeout = settings.sqlite_busy_timeout_ms() / 1000
        engine = create_engine(url, connect_args={"timeout": timeout})
    else:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    _set_up_sqlite(engine, in_memory=not database or database == ":memory:")
    return engine


def _set_up_sqlite(engine: Engine, *, in_memory: bool) -> None:
    busy_timeout_ms = settings.sqlite_busy_timeout_ms()

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        if not in_memory:
            _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN"
        # Straight to the driver (a run begins many short transactions); its error is
        # wrapped as SQLAlchemy would, so a locked database is retried like any other.
        driver_error = conn.dialect.loaded_dbapi.Error
        try:
            conn.connection.dbapi_connection.execute(statement)  # type: ignore[union-attr]
        except driver_error as exc:
            raise DBAPIError.instance(statement, None, exc, driver_error) from exc


def _use_wal(cursor: Any) -> None:
    """Put the database in WAL mode (it stays so); the switch needs a moment alone with
    the file, which SQLite refuses at once, without waiting, while another process uses
    a new database: retry it."""
    deadline = time.monotonic() + settings.sqlite_lock_retry_seconds()
    delay = 0.01
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as exc:  # sqlite3.OperationalError; sqlite3 is not imported here
            if not is_lock_error(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 0.5)


def is_lock_error(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy" errors."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text


def run_write(
    engine: Engine,
    work: Callable[[Connection], T],
    describe: Callable[[], str],
    retry_locks: bool = True,
) -> T:
    """Run ``work`` in one write transaction, retrying while SQLite is locked (unless
    ``retry_locks`` is false: one attempt, for writes that may be skipped).

    Any other database error becomes a ``StorageError`` naming the database.
    """

    def attempt() -> T:
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            return work(conn)

    return _retrying_locks(attempt, describe, retry_locks)


HOLD_SECONDS = 1.0
"""A write connection is kept open for the next write that comes within this long."""


_INHERITED: list[Connection | None] = []
"""Write connections a forked process inherited from its parent: never used, never closed."""


class HeldWriter:
    """Runs write transactions on one connection kept open while writes come quickly.

    Taking a connection from the pool, wrapping it and giving it back costs more than a
    short write transaction itself (and on PostgreSQL a ping per checkout): a run records
    its steps in many short transactions, so they share one connection. A connection idle
    for ``HOLD_SECONDS`` goes back to the pool before the next write, which takes a fresh,
    checked one. A write that finds the connection busy (another thread writing) takes its
    own from the pool, as does a process forked from the one that opened it.
    """

    def __init__(self, engine: Engine, describe: Callable[[], str]) -> None:
        self._engine = engine
        self._describe = describe
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._pid = os.getpid()
        self._last_used = 0.0

    def run(self, work: Callable[[Connection], T], retry_locks: bool = True) -> T:
        """Run ``work`` in one write transaction, as ``run_write`` does."""
        if not self._lock.acquire(blocking=False):
            return run_write(self._engine, work, self._describe, retry_locks)
        try:
            return _retrying_locks(lambda: self._transaction(work), self._describe, retry_locks)
        finally:
            self._lock.release()

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        conn = self._connection()
        try:
            with conn.begin():
                result = work(conn)
        except DBAPIError:  # the connection may be broken or half begun: not kept
            self._drop()
            raise
        self._last_used = time.monotonic()
        return result

    def _connection(self) -> Connection:
        self._forget_if_forked()
        if self._conn is not None and time.monotonic() - self._last_used > HOLD_SECONDS:
            self._drop()
        if self._conn is None:
            self._conn = self._engine.connect().execution_options(**{WRITE_OPTION: True})
        return self._conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def close(self) -> None:
        """Give the connection back to the pool (the writer stays usable)."""
        self._forget_if_forked()
        self._drop()

    def _forget_if_forked(self) -> None:
        """In a forked process, the parent's connection is not ours to use, nor to close
        (kept from the garbage collector, which would close it)."""
        if self._pid != os.getpid():
            _INHERITED.append(self._conn)
            self._conn, self._pid = None, os.getpid()


def _retrying_locks(
    attempt: Callable[[], T],
    describe: Callable[[], str],
    retry_locks: bool,
) -> T:
    """``attempt()`` retried with backoff while SQLite is locked (for up to the lock retry
    setting, or once without ``retry_locks``); database errors become StorageError."""
    deadline = time.monotonic() + (settings.sqlite_lock_retry_seconds() if retry_locks else 0.0)
    delay = 0.01
    while True:
        try:
            return attempt()
        except OperationalError as exc:
            if is_lock_error(exc) and time.monotonic() < deadline:
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 1.0)
                continue
            raise storage_error(exc, describe()) from exc
        except DatabaseError as exc:
            if is_corrupt_error(exc):
                raise storage_error(exc, describe()) from exc
            raise


def run_read(engine: Engine, work: Callable[[Connection], T], describe: Callable[[], str]) -> T:
    """Run ``work`` on a connection, retrying while SQLite is locked (a reader can meet a
    lock while another process creates the database); other errors become StorageError."""

    def attempt() -> T:
        with engine.connect() as conn:
            return work(conn)

    return _retrying_locks(attempt, describe, True)


def is_corrupt_error(exc: BaseException) -> bool:
    """True for SQLite's "not a database" / "malformed" errors: the file is not sound."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "file is not a database" in text or "database disk image is malformed" in text


def corrupt_error(where: str, reason: str) -> StorageError:
    """The error for a metadata database file that SQLite cannot read: names the file."""
    file = where.removeprefix("sqlite:///")
    return StorageError(
        f"The metadata database file {file} is not a SQLite database or is corrupt "
        f"({reason}): restore it from a backup, or move it aside to start a new one, and "
        "check that ASSETGRAPH_HOME / ASSETGRAPH_STORAGE_URL name the right file."
    )


def integrity_problem(conn: Connection) -> str | None:
    """SQLite's ``PRAGMA quick_check`` verdict (a full read of the file): None when sound.

    Other databases check their own pages; for them this is always None.
    """
    if conn.dialect.name != "sqlite":
        return None
    rows = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    problems = [line for line in lines if line and line != "ok" and not line.startswith("***")]
    if not problems:
        return None
    more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
    return problems[0] + more


def storage_error(exc: DBAPIError, where: str) -> StorageError:
    """A one-line error naming the database and the driver's reason."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if is_corrupt_error(exc):
        return corrupt_error(where, reason)
    return StorageError(
        f"The metadata database at {where} is unavailable: {reason}. Check that it is "
        "running and reachable (ASSETGRAPH_STORAGE_URL), then retry."
    )
