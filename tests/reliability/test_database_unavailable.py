"""The metadata database is unavailable: one clear line, a failing exit code, no value
stored without its record.

SQLite: another process holds an exclusive lock for longer than the busy timeout (shortened
for the test through ``ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS`` and
``ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS``). PostgreSQL: a URL nothing listens on.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from assetgraph import Instance
from tests.reliability.harness import cli, load_stored

DEFS = """
from pathlib import Path
from assetgraph import asset

@asset
def table():
    return (Path(__file__).parent / "source").read_text()
"""

LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()  # hold the lock until the test closes our stdin (or kills us)
"""

SHORT_WAITS = {
    "ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS": "300",
    "ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS": "1",
}


@contextmanager
def sqlite_locked(database: str) -> Iterator[None]:
    """Hold ``BEGIN EXCLUSIVE`` on ``database`` from another process while inside."""
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert locker.stdout is not None
        ready, _, _ = select.select([locker.stdout], [], [], 30)
        assert ready and locker.stdout.readline().strip() == "locked", "no lock taken"
        yield
    finally:
        with suppress(ProcessLookupError):
            os.killpg(locker.pid, signal.SIGKILL)
        locker.wait(30)


def _unreachable(url: str) -> str:
    return make_url(url).set(host="127.0.0.1", port=1).render_as_string(hide_password=False)


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
def test_an_unavailable_database_is_one_clear_error_and_stores_nothing(
    storage_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verbose: bool
) -> None:
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS)
    (tmp_path / "source").write_text("old")
    assert cli("materialize", "-f", str(defs)).returncode == 0
    instance = Instance.from_env()
    value = instance.storage_dir / "table"
    stamp = value.stat().st_mtime_ns
    (tmp_path / "source").write_text("new")
    args = ["materialize", "-f", str(defs), *(["--verbose"] if verbose else [])]

    if instance.storage.engine.dialect.name == "sqlite":
        database = make_url(storage_url).database
        assert database is not None
        with sqlite_locked(database):
            failed = cli(*args, env=SHORT_WAITS)
        reason = "database is locked"
    else:
        failed = cli(*args, env={"ASSETGRAPH_STORAGE_URL": _unreachable(storage_url)})
        reason = "connection"

    assert failed.returncode == 1, failed.stderr
    last = failed.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: The metadata database at "), failed.stderr
    assert "is unavailable" in last and reason in last.lower(), last
    if verbose:
        assert "Traceback" in failed.stderr
    else:
        assert failed.stderr.strip() == last, f"more than one line:\n{failed.stderr}"
    assert load_stored(value) == "old" and value.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in value.parent.iterdir()) == ["table"]
    assert len(instance.storage.list_runs()) == 1, "a run was recorded while unavailable"
