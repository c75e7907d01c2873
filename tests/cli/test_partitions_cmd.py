"""The CLI for partitions: materialize options, dry runs, dynamic keys, partition status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app

DEFS = """
from assetgraph import asset, DailyPartitionsDefinition, DynamicPartitionsDefinition

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-03-01")

@asset(partitions_def=daily)
def raw(context):
    if context.partition_key == "2025-01-13":
        raise RuntimeError("unlucky day")
    return context.partition_key

@asset(partitions_def=daily)
def cleaned(raw):
    return raw.upper()

@asset
def report(cleaned):
    return len(cleaned)

@asset(partitions_def=DynamicPartitionsDefinition("customers"))
def invoices(context):
    return context.partition_key
"""


@pytest.fixture
def defs_file(tmp_path: Path) -> Path:
    path = tmp_path / "defs.py"
    path.write_text(DEFS)
    return path


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_materialize_a_partition_range_then_list_counts(defs_file: Path) -> None:
    code, out, err = invoke(
        "materialize",
        "-f",
        str(defs_file),
        "-s",
        "raw cleaned",
        "--partition-range",
        "2025-01-01...2025-01-10",
    )
    assert code == 0, err
    assert "succeeded: 20 step(s)" in out
    code, out, _ = invoke("list", "-f", str(defs_file), "--json")
    rows = {row["key"]: row for row in json.loads(out)}
    assert rows["raw"]["partitions"] == {
        "definition": rows["raw"]["partitions"]["definition"],
        "total": 59,
        "materialized": 10,
        "failed": 0,
        "missing": 49,
    }
    assert rows["report"]["partitions"] is None
    _, out, _ = invoke("list", "-f", str(defs_file))
    assert "10/59 partitions" in out


def test_dry_run_shows_counts_and_first_and_last_keys(defs_file: Path) -> None:
    code, out, _ = invoke(
        "materialize", "-f", str(defs_file), "-s", "raw cleaned", "--all-partitions", "--dry-run"
    )
    assert code == 0
    assert "Plan: 118 step(s)" in out
    assert "2025-01-01" in out and "2025-02-28" in out and "and 68 more step(s)" in out
    _, out, _ = invoke("runs", "list", "--json")
    assert json.loads(out) == []


def test_a_failed_partition_then_status_and_missing(defs_file: Path) -> None:
    code, _, err = invoke(
        "materialize",
        "-f",
        str(defs_file),
        "-s",
        "raw cleaned",
        "-p",
        "2025-01-12",
        "-p",
        "2025-01-13",
    )
    assert code == 1 and "unlucky day" in err
    code, out, _ = invoke("partitions", "status", "raw", "-f", str(defs_file), "--json")
    assert code == 0
    assert json.loads(out)[:3] == [
        {"status": "missing", "first": "2025-01-01", "last": "2025-01-11", "count": 11},
        {"status": "materialized", "first": "2025-01-12", "last": "2025-01-12", "count": 1},
        {"status": "failed", "first": "2025-01-13", "last": "2025-01-13", "count": 1},
    ]
    _, out, _ = invoke("partitions", "status", "raw", "-f", str(defs_file))
    assert "2025-01-14...2025-02-28" in out and "failed" in out
    code, out, _ = invoke(
        "materialize",
        "-f",
        str(defs_file),
        "-s",
        "raw",
        "--partition-range",
        "2025-01-10...2025-01-12",
        "--missing",
    )
    assert code == 0 and "succeeded: 2 step(s)" in out


def test_dynamic_partition_keys_from_the_cli(defs_file: Path, tmp_path: Path) -> None:
    assert invoke("partitions", "add", "customers", "acme", "globex")[1].startswith(
        "Added 2 key(s)"
    )
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text("globex\ninitech\n")
    assert (
        "Added 1 key(s)"
        in invoke("partitions", "add", "customers", "--from-file", str(keys_file))[1]
    )
    assert "Added 1 key(s)" in invoke("partitions", "add", "customers", "-", stdin="hooli\n")[1]
    code, out, _ = invoke("partitions", "list", "customers")
    assert out.split() == ["acme", "globex", "initech", "hooli"]
    code, out, err = invoke("materialize", "-f", str(defs_file), "-s", "invoices", "--missing")
    assert code == 0 and "succeeded: 4 step(s)" in out, err
    assert "Deleted 1 key(s)" in invoke("partitions", "delete", "customers", "hooli", "nobody")[1]
    assert json.loads(invoke("partitions", "list", "--json")[1]) == ["customers"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["partitions", "add", "customers", "a/b"], ["Invalid partition key 'a/b'", "'/'"]),
        (["partitions", "add", "customers", "x" * 300], ["at most 255 bytes"]),
        (["partitions", "add", "customers", "a\x00b"], ["control characters"]),
        (["materialize", "-s", "raw", "-p", "2025-13-01"], ["Asset 'raw'", "'%Y-%m-%d'"]),
        (
            ["materialize", "-s", "raw", "--partition-range", "2025-01-05...2025-01-01"],
            ["reversed"],
        ),
        (["materialize", "-s", "raw", "--partition-range", "2025-01-05"], ["FIRST...LAST"]),
        (
            ["materialize", "-s", "report", "-p", "2025-01-01"],
            ["none of the selected assets is partitioned"],
        ),
        (["materialize", "-s", "raw"], ["--partition KEY", "--all-partitions"]),
        (["partitions", "status", "report"], ["is not partitioned"]),
    ],
)
def test_bad_partition_input_is_one_clear_line(
    defs_file: Path, args: list[str], words: list[str]
) -> None:
    if args[0] == "materialize" or args[:2] == ["partitions", "status"]:
        args = [*args, "-f", str(defs_file)]
    code, _, err = invoke(*args)
    assert code == 2, err
    assert all(word in err for word in words), err
    assert "Traceback" not in err


def test_list_counts_only_partitions_the_definition_still_has(defs_file: Path) -> None:
    invoke(
        "materialize",
        "-f",
        str(defs_file),
        "-s",
        "raw",
        "--partition-range",
        "2025-01-01...2025-01-10",
    )
    code, _, _ = invoke("materialize", "-f", str(defs_file), "-s", "raw", "-p", "2025-01-13")
    assert code == 1
    defs_file.write_text(DEFS.replace('start_date="2025-01-01"', 'start_date="2025-01-06"'))
    _, out, _ = invoke("list", "-f", str(defs_file), "--json")
    partitions = {row["key"]: row for row in json.loads(out)}["raw"]["partitions"]
    assert {k: partitions[k] for k in ("total", "materialized", "failed", "missing")} == {
        "total": 54,
        "materialized": 5,
        "failed": 1,
        "missing": 49,
    }, "2025-01-01...2025-01-05 are no longer partitions of raw"


def test_with_a_code_location_partitions_checks_the_dynamic_partitions_name(
    defs_file: Path,
) -> None:
    code, _, err = invoke("partitions", "add", "customer", "acme", "-f", str(defs_file))
    assert code == 2
    assert "No asset of the code location uses dynamic partitions named 'customer'" in err
    assert "Did you mean 'customers'?" in err
    code, out, err = invoke("partitions", "add", "customers", "acme", "-f", str(defs_file))
    assert code == 0, err
    code, _, err = invoke("partitions", "delete", "custmers", "acme", "-f", str(defs_file))
    assert code == 2 and "Did you mean 'customers'?" in err
    code, _, err = invoke("partitions", "list", "customerz", "-f", str(defs_file))
    assert code == 2 and "Did you mean 'customers'?" in err
    code, out, _ = invoke("partitions", "list", "customers", "-f", str(defs_file))
    assert code == 0 and out.split() == ["acme"]


def test_without_a_code_location_any_name_is_taken(defs_file: Path) -> None:
    code, out, err = invoke("partitions", "add", "anything", "k1")
    assert code == 0, err
    assert "Added 1 key(s) to 'anything'" in out


def test_a_pyproject_code_location_is_used_by_partitions(
    defs_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.assetgraph]\nfile = "defs.py"\n')
    code, _, err = invoke("partitions", "add", "custmers", "acme")
    assert code == 2 and "Did you mean 'customers'?" in err


def test_dynamic_dimensions_of_multi_partitions_count(tmp_path: Path) -> None:
    path = tmp_path / "multi.py"
    path.write_text(
        "from assetgraph import asset, DynamicPartitionsDefinition, MultiPartitionsDefinition,"
        " StaticPartitionsDefinition\n\n"
        "@asset(partitions_def=MultiPartitionsDefinition({'region': DynamicPartitionsDefinition("
        "'regions'), 'kind': StaticPartitionsDefinition(['a', 'b'])}))\n"
        "def sales(context):\n    return 1\n"
    )
    code, _, err = invoke("partitions", "add", "regions", "eu", "-f", str(path))
    assert code == 0, err
    code, _, err = invoke("partitions", "add", "kind", "c", "-f", str(path))
    assert code == 2 and "its dynamic partitions definitions are 'regions'" in err
