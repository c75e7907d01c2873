"""``assetgraph lineage``: every format, -o writes atomically, usage errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph.cli.main import app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("fmt", "start"), [("json", "{"), ("dot", "digraph lineage {"), ("mermaid", "flowchart LR")]
)
def test_graph_formats_print_to_stdout(unpartitioned_file: Path, fmt: str, start: str) -> None:
    code, out, err = invoke("lineage", "-f", str(unpartitioned_file), "--format", fmt)
    assert code == 0, err
    assert out.startswith(start)


def test_select_limits_the_assets(unpartitioned_file: Path) -> None:
    code, out, err = invoke(
        "lineage", "-f", str(unpartitioned_file), "--select", "+report", "--format", "json"
    )
    assert code == 0, err
    assert [a["key"] for a in json.loads(out)["assets"]] == ["wh-1/orders", "report"]


def test_output_file_is_written_whole_and_no_temp_file_is_left(
    unpartitioned_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "lineage.dot"
    target.parent.mkdir()
    target.write_text("old")
    code, out, err = invoke(
        "lineage", "-f", str(unpartitioned_file), "--format", "dot", "-o", str(target)
    )
    assert code == 0, err
    assert out == "" and "Wrote dot lineage" in err
    assert target.read_text().startswith("digraph lineage {")
    assert sorted(p.name for p in target.parent.iterdir()) == ["lineage.dot"]


def test_openlineage_of_the_latest_run_and_of_a_named_run(unpartitioned_file: Path) -> None:
    code, _, err = invoke("materialize", "-f", str(unpartitioned_file), "-s", "+broken")
    assert code == 1, err
    code, out, _ = invoke("materialize", "-f", str(unpartitioned_file), "-s", "lonely")
    assert code == 0
    code, out, err = invoke("lineage", "-f", str(unpartitioned_file), "--format", "openlineage")
    assert code == 0, err
    latest = [json.loads(line) for line in out.splitlines()]
    assert [(e["eventType"], e["job"]["name"]) for e in latest] == [
        ("START", "lonely"),
        ("COMPLETE", "lonely"),
    ]
    code, out, _ = invoke("runs", "list", "--json")
    failed_run = next(r["run_id"] for r in json.loads(out) if r["status"] == "failure")
    code, out, err = invoke(
        "lineage",
        "-f",
        str(unpartitioned_file),
        "--format",
        "openlineage",
        "--run",
        failed_run[:8],
        "--namespace",
        "prod",
    )
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert ("FAIL", "broken") in [(e["eventType"], e["job"]["name"]) for e in events]
    assert {e["job"]["namespace"] for e in events} == {"prod"}


def test_unknown_format_is_a_usage_error(unpartitioned_file: Path) -> None:
    code, _, err = invoke("lineage", "-f", str(unpartitioned_file), "--format", "xml")
    assert code == 2
    assert "xml" in err and "openlineage" in err


def test_openlineage_without_runs_or_with_an_unknown_run_exits_2(
    unpartitioned_file: Path,
) -> None:
    code, _, err = invoke("lineage", "-f", str(unpartitioned_file), "--format", "openlineage")
    assert code == 2 and "No runs" in err and "Traceback" not in err
    code, _, err = invoke(
        "lineage", "-f", str(unpartitioned_file), "--format", "openlineage", "--run", "ffff0000"
    )
    assert code == 2 and "No run 'ffff0000'" in err


def test_run_option_with_a_graph_format_and_empty_selection_are_usage_errors(
    unpartitioned_file: Path,
) -> None:
    code, _, err = invoke("lineage", "-f", str(unpartitioned_file), "--run", "abcd")
    assert code == 2 and "--run" in err
    code, _, err = invoke("lineage", "-f", str(unpartitioned_file), "--select", "tag:none=x")
    assert code == 2 and "matched no assets" in err


OTHER_LOCATION = """
from assetgraph import asset, Definitions

@asset
def invoices():
    return [1]

@asset
def dunning(invoices):
    return invoices

defs = Definitions(assets=[invoices, dunning])
"""


def test_openlineage_describes_only_the_code_locations_assets(
    unpartitioned_file: Path, tmp_path: Path
) -> None:
    """Two code locations share the instance: each one's export names only its assets."""
    other = tmp_path / "billing" / "defs.py"
    other.parent.mkdir()
    other.write_text(OTHER_LOCATION)
    code, _, err = invoke("materialize", "-f", str(unpartitioned_file), "-s", "+report")
    assert code == 0, err
    code, _, err = invoke("materialize", "-f", str(other))
    assert code == 0, err

    # The latest run is the other location's: the export is of this location's latest.
    code, out, err = invoke("lineage", "-f", str(unpartitioned_file), "--format", "openlineage")
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert {e["job"]["name"] for e in events} == {"wh-1/orders", "report"}
    report = next(e for e in events if e["job"]["name"] == "report")
    assert report["inputs"], "report reads wh-1/orders"

    code, out, err = invoke("lineage", "-f", str(other), "--format", "openlineage")
    assert code == 0, err
    assert {json.loads(line)["job"]["name"] for line in out.splitlines()} == {
        "invoices",
        "dunning",
    }

    code, out, _ = invoke("runs", "list", "--json")
    billing_run = json.loads(out)[0]["run_id"]
    code, out, err = invoke(
        "lineage", "-f", str(unpartitioned_file), "--format", "openlineage", "--run", billing_run
    )
    assert code == 2 and out == ""
    assert f"Run {billing_run[:8]}" in err and "invoices" in err
