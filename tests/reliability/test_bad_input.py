"""Bad input, one row per mistake: the exit code, the words of the one-line message, no traceback.

Exit codes follow ``assetgraph/errors.py``: 2 when the user's definitions or command line are
wrong (``DefinitionError``, ``UsageError``), 1 when a run failed or storage is unusable
(``StepFailure``, ``RunFailure``, ``StorageError``). Without ``--verbose`` no traceback of
ours is printed; a code location that fails to import shows the user's own frames only.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app

DEFS = """
from assetgraph import asset, Config, DailyPartitionsDefinition, StaticPartitionsDefinition

class Scale(Config):
    factor: int = 2

@asset(group="raw")
def source():
    return [1, 2, 3]

@asset(group="mart")
def scaled(source, config: Scale):
    return [config.factor * n for n in source]

@asset(group="mart")
def revenue(scaled):
    return sum(scaled)

@asset(partitions_def=DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-02-01"))
def daily(context):
    return context.partition_key

@asset(partitions_def=StaticPartitionsDefinition(["eu", "us"]))
def regional(context):
    return context.partition_key
"""

CYCLE = """
from assetgraph import asset, AssetIn

@asset(ins={"c": AssetIn("c")})
def a(c):
    return 1

@asset
def b(a):
    return a

@asset
def c(b):
    return b
"""

UNKNOWN_UPSTREAM = """
from assetgraph import asset

@asset
def orders():
    return 1

@asset
def revenue(ordrs):
    return ordrs
"""

DUPLICATE_A = """
from assetgraph import asset

@asset(name="orders")
def orders_one():
    return 1
"""

DUPLICATE_MAIN = """
from assetgraph import asset, Definitions
from dup_a import orders_one

@asset(name="orders")
def orders_two():
    return 2

defs = Definitions([orders_one, orders_two])
"""

BAD_KEY = """
from assetgraph import asset

@asset(key_prefix=["bad prefix!"])
def orders():
    return 1
"""

BAD_CRON = """
from assetgraph import asset, TimeWindowPartitionsDefinition

@asset(partitions_def=TimeWindowPartitionsDefinition(cron_schedule="not a cron",
                                                     start="2025-01-01", fmt="%Y-%m-%d"))
def windows(context):
    return 1
"""

BAD_TZ = """
from assetgraph import asset, DailyPartitionsDefinition

@asset(partitions_def=DailyPartitionsDefinition(start_date="2025-01-01",
                                                timezone="Europe/Atlantis"))
def days(context):
    return 1
"""

BAD_START_DATE = """
from assetgraph import asset, DailyPartitionsDefinition

@asset(partitions_def=DailyPartitionsDefinition(start_date="01/02/2025"))
def days(context):
    return 1
"""

MISSING_RESOURCE = """
from assetgraph import asset, ConfigurableResource

class Warehouse(ConfigurableResource):
    url: str = "sqlite://"

@asset
def orders(warehouse: Warehouse):
    return 1
"""

MISSING_IO_MANAGER = """
from assetgraph import asset

@asset(io_manager_key="warehouse_io")
def orders():
    return 1
"""

IMPORT_FAILS = """
import json

def helper():
    raise ValueError("boom in user code")

helper()
"""

NO_ASSETS = """
x = 1
"""

STEP_RAISES = """
from assetgraph import asset

@asset
def orders():
    raise RuntimeError("orders feed is down")
"""


LONG_NAME = """
from assetgraph import asset

@asset
def {name}():
    return 1
""".format(name="a" * 300)

BILLION_LAUGHS = """\
scaled:
  factor: 2
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@dataclass
class Case:
    args: list[str]
    exit_code: int
    words: tuple[str, ...]
    files: dict[str, str] = field(default_factory=lambda: {"defs.py": DEFS})
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    traceback_allowed: bool = False  # only the user's traceback (import failure)
    stdin: str | None = None


def _materialize_all(tmp: Path) -> None:
    result = CliRunner().invoke(app, ["materialize", "-f", "defs.py", "-s", "source scaled"])
    assert result.exit_code == 0, result.output


def _corrupt_source_pickle(tmp: Path) -> None:
    _materialize_all(tmp)
    stored = tmp / "ag-home" / "storage" / "source"
    assert stored.is_file()
    stored.write_bytes(stored.read_bytes()[:5])


def _newer_schema(tmp: Path) -> None:
    result = CliRunner().invoke(app, ["storage", "upgrade"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp / "ag-home" / "assetgraph.db") as conn:
        conn.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (99, time.time())
        )


def _write_bytes(name: str, data: bytes) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).write_bytes(data)

    return setup


def _not_a_database(tmp: Path) -> None:
    (tmp / "ag-home").mkdir()
    (tmp / "ag-home" / "assetgraph.db").write_text("these are my notes, not a database\n" * 50)


def _corrupt_events_pages(tmp: Path) -> None:
    """A sound schema (so the version reads fine) over corrupt pages of the event log."""
    _materialize_all(tmp)
    db = tmp / "ag-home" / "assetgraph.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()
    data = bytearray(db.read_bytes())
    start = (root[0] - 1) * page_size
    data[start : start + page_size] = b"\xab" * page_size
    db.write_bytes(bytes(data))


def _write(name: str, text: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).write_text(text)

    return setup


MAT = ["materialize", "-f", "defs.py"]

CASES: dict[str, Case] = {
    # -- selections
    "selection-bad-char": Case([*MAT, "-s", "source!"], 2, ("Invalid selection", "'!'")),
    "selection-empty-atom": Case([*MAT, "-s", "source,,scaled"], 2, ("empty atom", "column")),
    "selection-blank": Case([*MAT, "-s", "   "], 2, ("Empty selection",)),
    "selection-only-plus": Case([*MAT, "-s", "++"], 2, ("names no asset",)),
    "selection-unknown-asset": Case(
        [*MAT, "-s", "revenu"], 2, ("Unknown asset 'revenu'", "Did you mean", "'revenue'")
    ),
    "selection-unknown-group": Case(
        [*MAT, "-s", "group:marts"], 2, ("Unknown group 'marts'", "Did you mean", "'mart'")
    ),
    "selection-pattern-no-match": Case([*MAT, "-s", "zz*"], 2, ("Pattern 'zz*'", "no asset")),
    "exclude-unknown-asset": Case(
        [*MAT, "--exclude", "sourc"], 2, ("Unknown asset 'sourc'", "Did you mean")
    ),
    "list-unknown-asset": Case(
        ["list", "-f", "defs.py", "-s", "scaledd"], 2, ("Unknown asset", "Did you mean")
    ),
    # -- definitions
    "cycle": Case(
        ["check", "-f", "defs.py"], 2, ("cycle", "b -> c -> a -> b"), files={"defs.py": CYCLE}
    ),
    "unknown-upstream-parameter": Case(
        ["check", "-f", "defs.py"],
        2,
        ("ordrs", "revenue", "Did you mean", "orders"),
        files={"defs.py": UNKNOWN_UPSTREAM},
    ),
    "duplicate-key": Case(
        ["check", "-f", "defs.py"],
        2,
        ("Duplicate asset key 'orders'", "dup_a.py:4", "defs.py:5"),
        files={"defs.py": DUPLICATE_MAIN, "dup_a.py": DUPLICATE_A},
    ),
    "invalid-key-characters": Case(
        ["check", "-f", "defs.py"],
        2,
        ("Invalid asset key part", "bad prefix!"),
        files={"defs.py": BAD_KEY},
    ),
    "invalid-cron": Case(
        ["check", "-f", "defs.py"],
        2,
        ("Invalid cron schedule 'not a cron'",),
        files={"defs.py": BAD_CRON},
    ),
    "invalid-timezone": Case(
        ["check", "-f", "defs.py"],
        2,
        ("Unknown time zone 'Europe/Atlantis'", "Did you mean"),
        files={"defs.py": BAD_TZ},
    ),
    "wrong-start-date-format": Case(
        ["check", "-f", "defs.py"], 2, ("01/02/2025",), files={"defs.py": BAD_START_DATE}
    ),
    "missing-resource": Case(
        [*MAT],
        2,
        ("resource 'warehouse'", "Asset 'orders'", "defs.py:7"),
        files={"defs.py": MISSING_RESOURCE},
    ),
    "missing-io-manager-key": Case(
        [*MAT],
        2,
        ("io_manager_key='warehouse_io'", "Asset 'orders'"),
        files={"defs.py": MISSING_IO_MANAGER},
    ),
    "code-location-import-fails": Case(
        ["check", "-f", "defs.py"],
        2,
        ("Could not load code location", "ValueError", "boom in user code", "helper()"),
        files={"defs.py": IMPORT_FAILS},
        traceback_allowed=True,
    ),
    "code-location-no-assets": Case(
        ["check", "-f", "defs.py"], 2, ("no Definitions", "no @asset"), files={"defs.py": NO_ASSETS}
    ),
    "code-location-file-missing": Case(
        ["check", "-f", "nowhere.py"], 2, ("nowhere.py", "does not exist")
    ),
    "code-location-module-missing": Case(
        ["check", "-m", "no_such_module_xyz"], 2, ("no_such_module_xyz", "not found")
    ),
    "code-location-both-file-and-module": Case(
        ["check", "-f", "defs.py", "-m", "defs"], 2, ("either -m", "-f")
    ),
    "code-location-none-given": Case(["check"], 2, ("No code location", "pyproject.toml")),
    "pyproject-unreadable": Case(
        ["check"], 2, ("Cannot read", "pyproject.toml"), setup=_write("pyproject.toml", "[tool")
    ),
    # -- partitions
    "unknown-partition-key": Case(
        [*MAT, "-s", "regional", "-p", "eo"], 2, ("'eo'", "Asset 'regional'", "Did you mean 'eu'")
    ),
    "wrong-date-format-partition": Case(
        [*MAT, "-s", "daily", "-p", "2025/01/05"], 2, ("2025/01/05", "daily")
    ),
    "partition-before-start": Case(
        [*MAT, "-s", "daily", "-p", "2024-12-31"],
        2,
        ("2024-12-31", "daily", "before", "'2025-01-01' to '2025-01-31'"),
    ),
    "partition-after-end": Case(
        [*MAT, "-s", "daily", "-p", "2025-02-05"],
        2,
        ("2025-02-05", "daily", "after", "'2025-01-01' to '2025-01-31'"),
    ),
    "range-past-end": Case(
        [*MAT, "-s", "daily", "--partition-range", "2025-01-30...2025-02-03"],
        2,
        ("2025-02-03", "daily", "after", "'2025-01-01' to '2025-01-31'"),
    ),
    "range-before-start": Case(
        [*MAT, "-s", "daily", "--partition-range", "2024-12-30...2025-01-02"],
        2,
        ("2024-12-30", "daily", "before", "'2025-01-01' to '2025-01-31'"),
    ),
    "reversed-range": Case(
        [*MAT, "-s", "daily", "--partition-range", "2025-01-10...2025-01-02"],
        2,
        ("reversed", "2025-01-02...2025-01-10"),
    ),
    "range-missing-end": Case(
        [*MAT, "-s", "daily", "--partition-range", "2025-01-10..."], 2, ("both ends",)
    ),
    "range-no-separator": Case(
        [*MAT, "-s", "daily", "--partition-range", "2025-01-10"], 2, ("Invalid partition range",)
    ),
    "partitioned-without-partitions": Case([*MAT, "-s", "daily"], 2, ("daily", "partition")),
    "partitions-add-bad-key": Case(
        ["partitions", "add", "customers", "a/b"], 2, ("Invalid partition key", "'a/b'", "'/'")
    ),
    "partitions-add-range-separator": Case(
        ["partitions", "add", "customers", "a...b"], 2, ("Invalid partition key", "'...'")
    ),
    "partitions-add-no-keys": Case(
        ["partitions", "add", "customers"], 2, ("at least one partition key",)
    ),
    "partitions-add-from-missing-file": Case(
        ["partitions", "add", "customers", "--from-file", "keys.txt"],
        2,
        ("keys.txt", "does not exist"),
    ),
    "partitions-status-unpartitioned": Case(
        ["partitions", "status", "source", "-f", "defs.py"], 2, ("source", "not partitioned")
    ),
    "partitions-status-unknown-asset": Case(
        ["partitions", "status", "dayly", "-f", "defs.py"], 2, ("dayly", "Did you mean")
    ),
    # -- run config and options
    "bad-run-config-field": Case(
        [*MAT, "-s", "source scaled", "--config", "run.yaml"],
        2,
        ("asset 'scaled'", "field 'factor'", "valid integer"),
        setup=_write("run.yaml", "scaled:\n  factor: not-a-number\n"),
    ),
    "run-config-unknown-asset": Case(
        [*MAT, "-s", "source scaled", "--config", "run.yaml"],
        2,
        ("scaler", "Did you mean", "scaled"),
        setup=_write("run.yaml", "scaler:\n  factor: 3\n"),
    ),
    "run-config-bad-yaml": Case(
        [*MAT, "-s", "source", "--config", "run.yaml"],
        2,
        ("run.yaml", "not valid YAML"),
        setup=_write("run.yaml", "scaled: [unclosed\n"),
    ),
    "run-config-not-mapping": Case(
        [*MAT, "-s", "source", "--config", "run.yaml"],
        2,
        ("run.yaml", "mapping"),
        setup=_write("run.yaml", "- 1\n"),
    ),
    "run-config-file-missing": Case(
        [*MAT, "-s", "source", "--config", "nope.yaml"], 2, ("nope.yaml", "does not exist")
    ),
    "run-config-alias-bomb": Case(
        [*MAT, "-s", "source scaled", "--config", "run.yaml"],
        2,
        ("run.yaml", "aliases", "1,000,000"),
        setup=_write("run.yaml", BILLION_LAUGHS),
    ),
    "run-config-binary-file": Case(
        [*MAT, "-s", "source", "--config", "run.yaml"],
        2,
        ("run.yaml", "not a text file"),
        setup=_write_bytes("run.yaml", bytes(range(256)) * 8),
    ),
    "run-config-too-large": Case(
        [*MAT, "-s", "source", "--config", "run.yaml"],
        2,
        ("run.yaml", "larger than 10 MB"),
        setup=_write("run.yaml", "scaled:\n  factor: 2\n" + "# padding\n" * 1_100_000),
    ),
    "dask-address-garbage": Case(
        [*MAT, "-s", "source", "--dask-address", "garbage"],
        2,
        ("--dask-address", "'garbage'", "tcp://scheduler:8786"),
    ),
    "ui-port-out-of-range": Case(
        ["ui", "-f", "defs.py", "--port", "99999"], 2, ("--port", "99999", "1 to 65535")
    ),
    "runs-list-negative-limit": Case(
        ["runs", "list", "-n", "-1"], 2, ("--limit", "-1", "at least 1")
    ),
    "prune-age-too-large": Case(
        ["storage", "prune", "--older-than", "99999999999d"],
        2,
        ("99999999999d", "at most 36500d"),
    ),
    "home-is-a-file": Case(
        ["runs", "list"],
        2,
        ("ASSETGRAPH_HOME", "home.txt", "is a file", "folder"),
        env={"ASSETGRAPH_HOME": "home.txt"},
        setup=_write("home.txt", "not a folder"),
    ),
    "pyproject-module-not-a-string": Case(
        ["check"],
        2,
        ("pyproject.toml", "[tool.assetgraph] module", "5", "string"),
        setup=_write("pyproject.toml", "[tool.assetgraph]\nmodule = 5\n"),
    ),
    "asset-name-too-long": Case(
        ["check", "-f", "defs.py"],
        2,
        ("Invalid asset key part", "300 characters", "at most 200"),
        files={"defs.py": LONG_NAME},
    ),
    "init-shadows-stdlib-module": Case(
        ["init", "json"], 2, ("'json'", "standard-library module", "shadow")
    ),
    "workers-zero": Case([*MAT, "-s", "source", "--workers", "0"], 2, ("--workers", "0")),
    "unknown-executor": Case(
        [*MAT, "-s", "source", "--executor", "threads"], 2, ("threads", "executor")
    ),
    "bad-tag": Case(
        [*MAT, "-s", "source", "--tag", "novalue"], 2, ("--tag", "novalue", "KEY=VALUE")
    ),
    "runs-list-bad-status": Case(["runs", "list", "--status", "sleepy"], 2, ("sleepy", "status")),
    "runs-show-unknown-id": Case(["runs", "show", "deadbeef"], 2, ("No run 'deadbeef'",)),
    "lineage-bad-format": Case(["lineage", "-f", "defs.py", "--format", "nope"], 2, ("nope",)),
    # -- runs and storage
    "step-raises": Case(
        [*MAT],
        1,
        ("Step 'orders'", "RuntimeError: orders feed is down", "defs.py:6"),
        files={"defs.py": STEP_RAISES},
    ),
    "corrupt-stored-value": Case(
        [*MAT, "-s", "scaled"],
        1,
        ("Step 'scaled'", "asset 'source'", "ag-home/storage/source", "cannot be loaded"),
        setup=_corrupt_source_pickle,
    ),
    "stored-schema-newer": Case(
        ["runs", "list"], 1, ("schema version 99", "newer"), setup=_newer_schema
    ),
    "metadata-file-not-sqlite": Case(
        ["runs", "list"],
        1,
        ("ag-home/assetgraph.db", "not a SQLite database", "backup"),
        setup=_not_a_database,
    ),
    "metadata-file-not-sqlite-upgrade": Case(
        ["storage", "upgrade"],
        1,
        ("ag-home/assetgraph.db", "not a SQLite database", "backup"),
        setup=_not_a_database,
    ),
    "metadata-file-corrupt-upgrade": Case(
        ["storage", "upgrade"],
        1,
        ("ag-home/assetgraph.db", "corrupt", "backup"),
        setup=_corrupt_events_pages,
    ),
    "storage-url-bad-scheme": Case(
        ["runs", "list"],
        2,
        ("nosuchdb", "ASSETGRAPH_STORAGE_URL", "SQLite or PostgreSQL"),
        env={"ASSETGRAPH_STORAGE_URL": "nosuchdb://x"},
    ),
    "storage-url-unsupported-scheme": Case(
        ["runs", "list"],
        2,
        ("'mongodb://x/y'", "ASSETGRAPH_STORAGE_URL", "postgresql+psycopg://"),
        env={"ASSETGRAPH_STORAGE_URL": "mongodb://x/y"},
    ),
    "storage-url-garbage": Case(
        ["runs", "list"],
        2,
        ("not a url", "ASSETGRAPH_STORAGE_URL", "sqlite:///"),
        env={"ASSETGRAPH_STORAGE_URL": "not a url"},
    ),
}

XFAIL: dict[str, str] = {}


def _params() -> list[object]:
    params = []
    for name, case in CASES.items():
        marks = []
        if name in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[name]))
        params.append(pytest.param(case, id=name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in case.files.items():
        (tmp_path / name).write_text(text)
    if case.setup is not None:
        case.setup(tmp_path)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    stored_before = _stored(tmp_path)
    result = CliRunner().invoke(app, case.args, input=case.stdin)
    output = result.stdout + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), f"unhandled {result.exception!r}\n{output}"
    assert result.exit_code == case.exit_code, output
    for word in case.words:
        assert word in output, f"{word!r} not in:\n{output}"
    if case.traceback_allowed:
        # The user's frames only: none of assetgraph's own files.
        assert "assetgraph/definitions/code_location.py" not in output, output
        assert "/assetgraph/cli/" not in output, output
    else:
        assert "Traceback" not in output, output
    if case.exit_code == 2 or "Error:" in output:
        error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(error_lines) <= 1, output
    if case.exit_code == 2:
        assert _stored(tmp_path) == stored_before, "bad input must store nothing"


def _stored(tmp: Path) -> tuple[int, int]:
    """How many runs and events the test's metadata database holds (none: 0 and 0)."""
    db = tmp / "ag-home" / "assetgraph.db"
    if not db.is_file():
        return 0, 0
    try:
        with closing(sqlite3.connect(db)) as conn:
            runs = conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    except sqlite3.DatabaseError:  # no schema yet, or corrupt on purpose
        return 0, 0
    return runs, events


def test_there_are_at_least_30_cases() -> None:
    assert len(CASES) >= 30


def test_verbose_shows_our_traceback(tmp_path: Path) -> None:
    """The traceback hidden above is there with --verbose, for bug reports."""
    (tmp_path / "defs.py").write_text(DEFS)
    result = CliRunner().invoke(app, [*MAT, "-s", "revenu", "--verbose"])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert "Unknown asset 'revenu'" in result.stderr
