"""Environment settings: a bad ``ASSETGRAPH_*`` value stops every command at once, in one line.

Each row sets one variable to a bad value and runs commands that would otherwise read it
late (in the heartbeat thread, at the end of a run, when the database opens) or not at
all: each must exit 2 with one line naming the variable and the form expected, before
anything is stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import Instance, UsageError, asset, materialize
from assetgraph.cli.main import app

DEFS = """
from assetgraph import asset

@asset
def numbers():
    return [1, 2, 3]
"""

BAD: dict[str, tuple[str, str, str]] = {
    # name: (variable, value, words of the expected form)
    "heartbeat-not-a-number": ("ASSETGRAPH_HEARTBEAT_SECONDS", "abc", "number of seconds"),
    "heartbeat-zero": ("ASSETGRAPH_HEARTBEAT_SECONDS", "0", "number of seconds"),
    "heartbeat-negative": ("ASSETGRAPH_HEARTBEAT_SECONDS", "-1", "number of seconds"),
    "heartbeat-nan": ("ASSETGRAPH_HEARTBEAT_SECONDS", "nan", "number of seconds"),
    "heartbeat-too-long": ("ASSETGRAPH_HEARTBEAT_SECONDS", "600", "number of seconds"),
    "retention-not-a-number": ("ASSETGRAPH_RETENTION_DAYS", "soon", "number of days"),
    "retention-zero": ("ASSETGRAPH_RETENTION_DAYS", "0", "number of days"),
    "busy-timeout-not-a-number": ("ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS", "1s", "milliseconds"),
    "busy-timeout-negative": ("ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS", "-5", "milliseconds"),
    "lock-retry-not-a-number": ("ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS", "x", "seconds"),
    "storage-url-unsupported": ("ASSETGRAPH_STORAGE_URL", "mongodb://x/y", "postgresql"),
    "storage-url-no-scheme": ("ASSETGRAPH_STORAGE_URL", "meta.db", "sqlite:///"),
    "ui-token-with-space": ("ASSETGRAPH_UI_TOKEN", "two words", "no spaces"),
    "verbose-unknown": ("ASSETGRAPH_VERBOSE", "loud", "1 or 0"),
    "shared-paths-relative": ("ASSETGRAPH_SHARED_PATHS", "mnt/lake", "absolute path"),
}

COMMANDS = {
    "materialize": ["materialize", "-f", "defs.py"],
    "list": ["list", "-f", "defs.py"],
    "runs-list": ["runs", "list"],
    "storage-upgrade": ["storage", "upgrade"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_setting_stops_every_command_in_one_line(
    case: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    variable, value, expected = BAD[case]
    (tmp_path / "defs.py").write_text(DEFS)
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, COMMANDS[command])
    output = result.stdout + result.stderr
    assert result.exit_code == 2, output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    assert variable in errors[0], errors[0]
    if variable == "ASSETGRAPH_UI_TOKEN":
        assert value not in output, "a token is a secret: never printed"
    else:
        assert repr(value.strip()) in errors[0], errors[0]
    assert expected in errors[0], errors[0]
    assert "Traceback" not in output, output
    assert not isolated_home.exists(), "nothing is stored when a setting is bad"


def test_asset_graph_home_that_is_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home.txt"
    home.write_text("not a folder")
    monkeypatch.setenv("ASSETGRAPH_HOME", str(home))
    result = CliRunner().invoke(app, ["runs", "list"])
    assert result.exit_code == 2, result.output
    assert "ASSETGRAPH_HOME" in result.stderr and "is a file" in result.stderr
    assert "Traceback" not in result.stderr
    assert home.read_text() == "not a folder"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ASSETGRAPH_HEARTBEAT_SECONDS", " 0.2 "),
        ("ASSETGRAPH_HEARTBEAT_SECONDS", ""),
        ("ASSETGRAPH_RETENTION_DAYS", "30"),
        ("ASSETGRAPH_SQLITE_BUSY_TIMEOUT_MS", "0"),
        ("ASSETGRAPH_SQLITE_LOCK_RETRY_SECONDS", "0"),
        ("ASSETGRAPH_UI_TOKEN", "s3cret-token"),
        ("ASSETGRAPH_UI_TOKEN", ""),
        ("ASSETGRAPH_VERBOSE", "0"),
    ],
)
def test_good_settings_are_accepted(
    variable: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["materialize", "-f", "defs.py"])
    assert result.exit_code == 0, result.output


@asset
def numbers() -> list[int]:
    return [1, 2, 3]


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_materialize_refuses_a_bad_heartbeat_before_the_run_is_recorded(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From Python too: a UsageError when the run starts, never a dead heartbeat thread."""
    monkeypatch.setenv("ASSETGRAPH_HEARTBEAT_SECONDS", value)
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path / "home")
    with pytest.raises(UsageError, match=f"ASSETGRAPH_HEARTBEAT_SECONDS={value!r}"):
        materialize([numbers], instance=instance)
    assert instance.storage.list_runs() == [], "no run is recorded"
