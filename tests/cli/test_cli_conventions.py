"""The shape of the whole command line: every --help reads as a person writes, every command
that reads a code location takes -f and -m, choices are real choices, --version, the order
commands are listed in, and --json wherever a table is printed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from assetgraph.cli.app import COMMAND_ORDER
from assetgraph.cli.main import app
from assetgraph.cli.runs_cmd import RunStatusChoice
from assetgraph.storage.records import RunStatus

DEFS = """
from assetgraph import asset

@asset
def source():
    return [1, 2, 3]

@asset
def total(context, source):
    return sum(source)

@asset
def other():
    return 0
"""

TYPE_METAVAR = re.compile(r"<[A-Za-z_ ,|\[\].-]+>")
NAME_METAVAR = re.compile(r"\{[A-Za-z_]+\}")


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from walk(sub, (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(DEFS)
    return path


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "-" for p, _ in COMMANDS]
)
def test_help_shows_metavars_as_a_person_writes_them(path: tuple[str, ...], command: Any) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines():
        assert not TYPE_METAVAR.search(line), f"{' '.join(path)}: a <type> metavar in {line!r}"
        assert not NAME_METAVAR.search(line), f"{' '.join(path)}: a {{name}} metavar in {line!r}"


def test_arguments_and_options_read_plainly_in_help() -> None:
    out = CliRunner().invoke(app, ["runs", "show", "--help"], terminal_width=200).output
    assert "Usage: assetgraph runs show [OPTIONS] RUN_ID" in out
    out = CliRunner().invoke(app, ["partitions", "add", "--help"], terminal_width=200).output
    assert "NAME [KEY...]" in out and "--from-file PATH" in out
    out = CliRunner().invoke(app, ["materialize", "--help"], terminal_width=200).output
    for shown in (
        "--partition KEY",
        "--partition-range FIRST...LAST",
        "--workers N",
        "--tag KEY=VALUE",
    ):
        assert shown in out


def takes_code_location(command: Any) -> bool:
    names = {opt for param in command.params for opt in getattr(param, "opts", ())}
    return bool(names & {"--file", "--module", "-f", "-m"})


CODE_LOCATION_COMMANDS = {
    "list",
    "check",
    "materialize",
    "status",
    "lineage",
    "observe",
    "ui",
    "runs reexecute",
    "partitions add",
    "partitions delete",
    "partitions list",
    "partitions status",
    "automate",
    "automate why",
    "automate history",
    "schedules list",
    "sensors list",
}


def test_every_command_that_reads_a_code_location_takes_f_and_m() -> None:
    found = set()
    for path, command in COMMANDS:
        if getattr(command, "commands", None) and not command.params:
            continue
        if not takes_code_location(command):
            continue
        found.add(" ".join(path))
        options = {opt: param for param in command.params for opt in getattr(param, "opts", ())}
        for short, long in (("-f", "--file"), ("-m", "--module")):
            assert short in options and long in options, f"{' '.join(path)} lacks {short}/{long}"
            assert options[short] is options[long]
    assert found >= CODE_LOCATION_COMMANDS


@pytest.mark.parametrize("flag", ["-f", "--file"])
def test_automate_why_and_history_take_f_after_the_subcommand(defs_file: Path, flag: str) -> None:
    code, out, err = invoke("automate", "why", "total", flag, str(defs_file))
    assert code == 0, err
    assert "No automation ticks yet" in out
    code, _, err = invoke("automate", "why", "totl", flag, str(defs_file))
    assert code == 2 and "Did you mean 'total'" in err
    code, out, err = invoke("automate", "history", flag, str(defs_file))
    assert code == 0, err
    assert "No automation ticks yet" in out
    code, _, err = invoke("automate", flag, str(defs_file), "why", "totl")  # as before
    assert code == 2 and "Did you mean 'total'" in err


def test_automate_history_with_a_code_location_shows_its_ticks_only(tmp_path: Path) -> None:
    eager = "from assetgraph import asset, AutomationPolicy\n\n"
    eager += "@asset(automation_policy=AutomationPolicy.eager())\ndef {name}():\n    return 1\n"
    mine_file, other_file = tmp_path / "mine.py", tmp_path / "other.py"
    mine_file.write_text(eager.format(name="mine"))
    other_file.write_text(eager.format(name="elsewhere"))
    code, _, err = invoke(
        "automate", "-f", str(mine_file), "--once", "--now", "2025-01-02T00:00:00"
    )
    assert code == 0, err
    _, mine, _ = invoke("automate", "history", "-f", str(mine_file), "--json")
    _, theirs, _ = invoke("automate", "history", "-f", str(other_file), "--json")
    assert len(json.loads(mine)) == 1
    assert json.loads(theirs) == []


def test_automate_options_are_choices(defs_file: Path) -> None:
    out = CliRunner().invoke(app, ["automate", "--help"], terminal_width=200).output
    assert "--run-grouping [partitions-set|tick]" in out
    assert "--launcher [in-process|subprocess]" in out
    code, _, err = invoke("automate", "-f", str(defs_file), "--once", "--launcher", "thread")
    assert code == 2 and "'thread' is not one of 'in-process', 'subprocess'" in err
    code, _, err = invoke(
        "automate", "-f", str(defs_file), "--dry-run", "--run-grouping", "partitions-set"
    )
    assert code == 0, err


def test_executor_is_a_choice_spelled_in_process(defs_file: Path) -> None:
    out = CliRunner().invoke(app, ["materialize", "--help"], terminal_width=200).output
    assert "--executor [in-process|multiprocess|dask]" in out
    code, out, err = invoke("materialize", "-f", str(defs_file), "--executor", "in-process")
    assert code == 0, err
    code, _, err = invoke("materialize", "-f", str(defs_file), "--executor", "threads")
    assert code == 2 and "'threads' is not one of 'in-process', 'multiprocess', 'dask'" in err


def test_run_status_choices_are_the_run_statuses() -> None:
    assert [c.value for c in RunStatusChoice] == [s.value for s in RunStatus]
    out = CliRunner().invoke(app, ["runs", "list", "--help"], terminal_width=200).output
    assert "--status [queued|started|success|failure|canceled]" in out


def test_version() -> None:
    from assetgraph import __version__

    code, out, _ = invoke("--version")
    assert code == 0 and out.strip() == f"assetgraph {__version__}"


def test_commands_are_listed_in_the_order_a_user_meets_them() -> None:
    out = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    expected = [name for name in COMMAND_ORDER["assetgraph"] if name in listed]
    assert listed[: len(expected)] == expected
    assert listed[:4] == ["check", "list", "materialize", "status"]
    runs = CliRunner().invoke(app, ["runs", "--help"], terminal_width=200).output
    assert [
        line.split()[0] for line in runs.split("Commands:")[1].splitlines() if line.strip()
    ] == [
        "list",
        "show",
        "cancel",
        "reexecute",
    ]


def test_exclude_on_list_and_lineage(defs_file: Path) -> None:
    code, out, err = invoke("list", "-f", str(defs_file), "--exclude", "other", "--json")
    assert code == 0, err
    assert [row["key"] for row in json.loads(out)] == ["source", "total"]
    code, out, err = invoke(
        "lineage", "-f", str(defs_file), "--exclude", "source", "--format", "mermaid"
    )
    assert code == 0, err
    assert "other" in out and "source" not in out
    code, _, err = invoke("lineage", "-f", str(defs_file), "--exclude", "*")
    assert code == 2 and "--exclude '*' leaves no assets" in err


def test_materialize_json_is_the_runs_result(defs_file: Path) -> None:
    code, out, err = invoke("materialize", "-f", str(defs_file), "--json")
    assert code == 0, err
    result = json.loads(out)  # stdout is the JSON alone: the display went to stderr
    assert result["status"] == "success" and len(result["run_id"]) == 32
    assert {s["step_key"]: s["status"] for s in result["steps"]} == {
        "source": "success",
        "total": "success",
        "other": "success",
    }
    assert sorted(m["asset_key"] for m in result["materializations"]) == [
        "other",
        "source",
        "total",
    ]
    assert "success" in err  # the step lines
    code, out, _ = invoke("materialize", "-f", str(defs_file), "--json", "--dry-run")
    assert code == 0
    plan = json.loads(out)
    assert plan["steps"] == 3
    assert sorted(a["asset"] for a in plan["assets"]) == ["other", "source", "total"]


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["status"],
        ["runs", "list"],
        ["partitions", "list"],
        ["automate", "history"],
        ["automate", "why", "total"],
        ["schedules", "list"],
        ["sensors", "list"],
    ],
)
def test_every_table_command_prints_json(defs_file: Path, args: list[str]) -> None:
    invoke("materialize", "-f", str(defs_file))
    extra = (
        ["-f", str(defs_file)]
        if args[0] not in ("runs",) and args != ["partitions", "list"]
        else []
    )
    code, out, err = invoke(*args, *extra, "--json")
    assert code == 0, err
    json.loads(out)


def test_runs_show_and_logs_take_json_and_say_what_is_missing(defs_file: Path) -> None:
    _, out, _ = invoke("materialize", "-f", str(defs_file), "--json")
    run_id = json.loads(out)["run_id"]
    code, _, err = invoke("runs", "show", "abc")
    assert code == 2
    assert "a run id prefix needs 4 or more characters" in err
    code, out, _ = invoke("logs", run_id[:8], "--step", "other")
    assert code == 2  # that step logged nothing: the step names that did are suggested
    code, out, _ = invoke("logs", run_id[:8], "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = invoke("logs", run_id[:8])
    assert code == 0
    assert f"Run {run_id[:8]} (success) has no logs" in out


def test_logs_print_what_a_step_logged(tmp_path: Path) -> None:
    path = tmp_path / "defs.py"
    path.write_text(
        "from assetgraph import asset\n\n@asset\ndef talky(context):\n"
        "    context.log.info('hello there')\n    return 1\n"
    )
    _, out, _ = invoke("materialize", "-f", str(path), "--json")
    run_id = json.loads(out)["run_id"]
    code, out, _ = invoke("logs", run_id[:8])
    assert code == 0 and "[talky] INFO: hello there" in out
    _, out, _ = invoke("logs", run_id[:8], "--json")
    assert json.loads(out)[0]["message"] == "hello there"


PARTITIONED = """
from assetgraph import asset, DailyPartitionsDefinition, DynamicPartitionsDefinition

@asset(partitions_def=DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-11"))
def daily(context):
    return context.partition_key

@asset
def summary(daily):
    return len(daily)

@asset(partitions_def=DynamicPartitionsDefinition("customers"))
def invoices(context):
    return context.partition_key
"""


@pytest.fixture
def partitioned(tmp_path: Path) -> Path:
    path = tmp_path / "partitioned.py"
    path.write_text(PARTITIONED)
    return path


def test_all_partitions_dry_run_shows_counts_first_and_last_and_a_dash(partitioned: Path) -> None:
    code, out, err = invoke(
        "materialize",
        "-f",
        str(partitioned),
        "-s",
        "daily summary",
        "--all-partitions",
        "--dry-run",
    )
    assert code == 0, err
    assert out.startswith("Plan: 11 step(s) for 2 asset(s) over 10 partition(s)")
    rows = {line.split()[0]: line.split() for line in out.splitlines() if "│" in line}
    assert rows["daily"] == ["daily", "│", "10", "│", "10", "│", "2025-01-01", "│", "2025-01-10"]
    assert rows["summary"] == ["summary", "│", "1", "│", "-", "│", "-", "│", "-"]


def test_an_empty_plan_and_nothing_to_do_agree(partitioned: Path) -> None:
    invoke("materialize", "-f", str(partitioned), "-s", "daily summary", "--all-partitions")
    for extra in (["--dry-run"], []):
        code, out, _ = invoke(
            "materialize", "-f", str(partitioned), "-s", "daily summary", "--missing", *extra
        )
        assert code == 0
        assert "Nothing to do: every selected asset and partition is already materialized." in out
    _, dry, _ = invoke(
        "materialize", "-f", str(partitioned), "-s", "invoices", "--all-partitions", "--dry-run"
    )
    _, run, _ = invoke("materialize", "-f", str(partitioned), "-s", "invoices", "--all-partitions")
    assert dry.startswith("Plan: 0 steps. Nothing to do: the selected partitions do not exist")
    assert run.strip() == dry.removeprefix("Plan: 0 steps. ").strip()


def test_asset_key_as_dagster_users_write_it(tmp_path: Path) -> None:
    path = tmp_path / "keys.py"
    path.write_text(
        "from assetgraph import asset, AssetIn\n\n"
        "@asset(key=['sales', 'orders'])\ndef orders():\n    return [1, 2]\n\n"
        "@asset(key='sales/summary', ins={'orders': AssetIn(key=['sales', 'orders'])})\n"
        "def summary(orders):\n    return len(orders)\n"
    )
    code, out, err = invoke("materialize", "-f", str(path), "--json")
    assert code == 0, err
    assert sorted(m["asset_key"] for m in json.loads(out)["materializations"]) == [
        "sales/orders",
        "sales/summary",
    ]
    code, out, err = invoke("list", "-f", str(path), "--json")
    assert [row["upstream"] for row in json.loads(out)] == [[], ["sales/orders"]]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("assetgraph materialize --executor ", ["in-process", "multiprocess", "dask"]),
        ("assetgraph runs list --status f", ["failure"]),
        ("assetgraph automate --launcher ", ["in-process", "subprocess"]),
        ("assetgraph lineage --format m", ["mermaid"]),
    ],
)
def test_choices_complete_in_the_shell(words: str, expected: list[str]) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "_ASSETGRAPH_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    script = "from assetgraph.cli.main import app; app(prog_name='assetgraph')"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == expected, done.stderr
