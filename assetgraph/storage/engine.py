"""Engines for the metadata database: SQLite set up for concurrent writers, or PostgreSQL.

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of one failing with
"database is locked" when it upgrades a read lock. What still cannot get the lock in time
is retried by ``run_write`` with backoff before it reaches the user.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from assetgraph.errors import StorageError

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "assetgraph_write"
_LOCK_RETRY_SECONDS = 120.0


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and their pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    database = parsed.database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    else:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    _set_up_sqlite(engine, in_memory=not database or database == ":memory:")
    return engine


def _set_up_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_lock_error(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy" errors."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text


def run_write(engine: Engine, work: Callable[[Connection], T], describe: Callable[[], str]) -> T:
    """Run ``work`` in one write transaction, retrying while SQLite is locked.

    Any other database error becomes a ``StorageError`` naming the database.
    """
    deadline = time.monotonic() + _LOCK_RETRY_SECONDS
    delay = 0.01
    while True:
        try:
            with (
                engine.connect().execution_options(**{WRITE_OPTION: True}) as conn,
                conn.begin(),
            ):
                return work(conn)
        except OperationalError as exc:
            if is_lock_error(exc) and time.monotonic() < deadline:
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 1.0)
                continue
            raise storage_error(exc, describe()) from exc


def run_read(engine: Engine, work: Callable[[Connection], T], describe: Callable[[], str]) -> T:
    """Run ``work`` on a connection; database errors become a ``StorageError``."""
    try:
        with engine.connect() as conn:
            return work(conn)
    except OperationalError as exc:
        raise storage_error(exc, describe()) from exc


def storage_error(exc: DBAPIError, where: str) -> StorageError:
    """A one-line error naming the database and the driver's reason."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    return StorageError(
        f"The metadata database at {where} is unavailable: {reason}. Check that it is "
        "running and reachable (ASSETGRAPH_STORAGE_URL), then retry."
    )
