"""The command line: list, check, materialize, runs; exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app

DEFS = """
from assetgraph import asset, Config

class Scale(Config):
    factor: int = 2

@asset(group="raw", tags={"tier": "bronze"})
def source():
    return [1, 2, 3]

@asset(group="mart")
def scaled(source, config: Scale):
    return [config.factor * n for n in source]

@asset(group="mart")
def revenue(scaled, context):
    context.log.info("summing %d values", len(scaled))
    return sum(scaled)

@asset
def other():
    return 0
"""

BROKEN_STEP = (
    DEFS
    + """
@asset
def exploding(revenue):
    raise RuntimeError("warehouse unreachable")

@asset
def after(exploding):
    return exploding
"""
)


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(DEFS)
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_assets_groups_and_upstreams(defs_file: Path) -> None:
    code, out, _ = invoke("list", "-f", str(defs_file))
    assert code == 0
    assert "revenue" in out and "mart" in out and "never" in out
    code, out, _ = invoke("list", "-f", str(defs_file), "--json")
    rows = {row["key"]: row for row in json.loads(out)}
    assert rows["revenue"]["upstream"] == ["scaled"]
    assert rows["source"]["tags"] == {"tier": "bronze"}
    assert rows["revenue"]["last_materialization"] is None


def test_materialize_upstream_selection_then_list_and_runs(defs_file: Path) -> None:
    code, out, err = invoke("materialize", "-f", str(defs_file), "--select", "+revenue")
    assert code == 0, out + err
    assert "succeeded: 3 step(s)" in out
    code, out, _ = invoke("list", "-f", str(defs_file), "--json")
    rows = {row["key"]: row for row in json.loads(out)}
    assert rows["revenue"]["last_materialization"] is not None
    assert rows["other"]["last_materialization"] is None
    code, out, _ = invoke("runs", "list", "--json")
    (run,) = json.loads(out)
    assert run["status"] == "success" and run["selection"] == "+revenue"
    assert sorted(run["asset_keys"]) == ["revenue", "scaled", "source"]
    code, out, _ = invoke("runs", "show", run["run_id"][:8])
    assert code == 0 and "success" in out and "summing 3 values" in out
    code, out, _ = invoke("runs", "show", run["run_id"], "--json")
    types = [e["event_type"] for e in json.loads(out)["events"]]
    assert types[0] == "run_start" and types[-1] == "run_success"
    assert types.count("asset_materialization") == 3


def test_dry_run_prints_the_plan_and_runs_nothing(defs_file: Path) -> None:
    code, out, _ = invoke("materialize", "-f", str(defs_file), "-s", "scaled+", "--dry-run")
    assert code == 0
    assert "Plan: 2 step(s)" in out and "scaled" in out and "revenue  (after scaled)" in out
    _, out, _ = invoke("runs", "list", "--json")
    assert json.loads(out) == []


def test_exclude_and_config_file(defs_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "run.yaml"
    config.write_text("scaled:\n  factor: 10\n")
    code, out, err = invoke(
        "materialize",
        "-f",
        str(defs_file),
        "-s",
        "+revenue",
        "--exclude",
        "group:raw",
        "--config",
        str(config),
        "--tag",
        "team=fin",
    )
    # source is excluded and was never materialized: scaled cannot load it.
    assert code == 1
    code, out, err = invoke(
        "materialize", "-f", str(defs_file), "-s", "+revenue", "--config", str(config)
    )
    assert code == 0, err
    _, out, _ = invoke("runs", "list", "--tag", "team=fin", "--json")
    assert len(json.loads(out)) == 1


def test_a_failed_step_exits_1_with_the_users_message_and_location(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(BROKEN_STEP)
    code, out, err = invoke("materialize", "-f", str(path))
    assert code == 1
    assert "Step 'exploding' failed: RuntimeError: warehouse unreachable" in err
    assert f"{path}:" in err
    assert "1 failed, 1 skipped" in err
    assert "Traceback" not in err
    run_id = err.strip().split("runs show ")[-1]
    _, out, _ = invoke("runs", "show", run_id)
    assert "Traceback" in out and 'raise RuntimeError("warehouse unreachable")' in out


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["materialize", "-s", "+revnue"], 2, ["Unknown asset 'revnue'", "Did you mean 'revenue'"]),
        (["materialize", "-s", "+rev!"], 2, ["Invalid selection"]),
        (["list", "-f", "missing.py"], 2, ["missing.py' does not exist"]),
        (["materialize", "--config", "nope.yaml"], 2, ["nope.yaml' does not exist"]),
        (["materialize", "--tag", "novalue"], 2, ["Invalid --tag 'novalue'"]),
        (["runs", "show", "0000000000"], 2, ["No run '0000000000'"]),
        (["runs", "list", "--status", "done"], 2, ["'--status'", "'done' is not one of 'queued'"]),
    ],
)
def test_bad_input_is_one_clear_line_with_exit_2(
    defs_file: Path, args: list[str], code: int, words: list[str]
) -> None:
    if args[0] in ("materialize",) or (args[:1] == ["list"] and "-f" not in args):
        args = [args[0], "-f", str(defs_file), *args[1:]]
    exit_code, _, err = invoke(*args)
    assert exit_code == code, err
    for word in words:
        assert word in err
    assert "Traceback" not in err


def test_bad_run_config_is_exit_2(defs_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("scaled:\n  factor: lots\n")
    code, _, err = invoke("materialize", "-f", str(defs_file), "--config", str(config))
    assert code == 2
    assert "asset 'scaled'" in err and "field 'factor'" in err


def test_invalid_definitions_exit_2_and_check_reports_ok(tmp_path: Path, defs_file: Path) -> None:
    code, out, _ = invoke("check", "-f", str(defs_file))
    assert code == 0 and "OK: 4 assets" in out
    cyclic = tmp_path / "cyclic.py"
    cyclic.write_text(
        "from assetgraph import asset\n@asset\ndef a(b): ...\n@asset\ndef b(a): ...\n"
    )
    code, _, err = invoke("check", "-f", str(cyclic))
    assert code == 2 and "cycle" in err and "Traceback" not in err
    code, _, err = invoke("check", "-f", str(cyclic), "--verbose")
    assert code == 2 and "Traceback" in err


def test_import_failure_shows_the_users_traceback_only(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import json\n\nraise ImportError('no warehouse driver')\n")
    code, _, err = invoke("list", "-f", str(broken))
    assert code == 2
    assert 'broken.py", line 3' in err and "no warehouse driver" in err
    assert "assetgraph/definitions/code_location.py" not in err


def test_console_script_help_and_exit_codes(defs_file: Path) -> None:
    exe = Path(sys.executable).parent / "assetgraph"
    env = {**os.environ}
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and "materialize" in out.stdout
    out = subprocess.run(
        [str(exe), "materialize", "-f", str(defs_file)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    out = subprocess.run([str(exe), "materialize", "--bogus"], capture_output=True, text=True)
    assert out.returncode == 2
