"""The peer benchmark runner works end to end in --quick mode without Dagster or Hamilton.

The suite never installs Dagster or Hamilton: the runner is pointed at interpreters that do
not exist, and must skip those variants with a visible reason while still measuring
assetgraph and the hand-written baseline and writing both the Markdown and JSON results.
Speed is never asserted (shared/BENCH.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from bench.peers.run import dagster_status  # noqa: E402


def test_quick_run_without_dagster_writes_markdown_and_json(tmp_path: Path) -> None:
    results = tmp_path / "results"
    missing = tmp_path / "no-venv-peers" / "bin" / "python"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / "peers" / "run.py"),
            "--quick",
            "--repeat",
            "1",
            "--warmup",
            "0",
            "--only",
            "S1,S2,S3,S5",
            "--peers-python",
            str(missing),
            "--hamilton-python",
            str(missing),
            "--results-dir",
            str(results),
            "--tmp-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"bench/peers/run.py failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Dagster skipped" in proc.stderr
    assert "Hamilton skipped" in proc.stderr

    for name in ("peers-latest.json", "peers-latest.md"):
        assert (results / name).is_file(), f"{name} not written"
    stamped = sorted(p.name for p in results.iterdir() if "latest" not in p.name)
    assert len(stamped) == 2 and {Path(n).suffix for n in stamped} == {".json", ".md"}

    document = json.loads((results / "peers-latest.json").read_text())
    cases = {f"{c['scenario']} {c['case']}": c for c in document["cases"]}
    assert {c["scenario"] for c in cases.values()} == {"S1", "S2", "S3", "S5"}
    for label, case in cases.items():
        dagster = case["impls"]["dagster"]
        assert dagster["status"] == "skipped" and dagster["runs"] == 0, label
        assert str(missing) in dagster["reason"], f"{label}: {dagster['reason']}"
        for hamilton in ("hamilton", "hamilton_memory"):
            skipped = case["impls"][hamilton]
            assert skipped["status"] == "skipped" and skipped["runs"] == 0, (label, hamilton)
        baseline = case["impls"]["baseline"]
        assert baseline["status"] == "ok" and baseline["runs"] == 1, f"{label}: {baseline}"
        assert baseline["wall_ms"]["median"] > 0, label
        assetgraph = case["impls"]["assetgraph"]
        if case["scenario"] == "S3" and assetgraph["status"] == "skipped":
            assert assetgraph["reason"], "S3: the assetgraph skip must say why"
            continue  # assetgraph's S3 scenario lands with partitioned backfills
        assert assetgraph["status"] == "ok" and assetgraph["runs"] == 1, f"{label}: {assetgraph}"
        assert assetgraph["wall_ms"]["median"] > 0 and assetgraph["peak_mb"]["median"] > 0
        assert case["ratios"]["assetgraph/baseline"]["wall_ms"] > 0, label
        assert case["ratios"]["assetgraph/dagster"]["headline"] is None, label
        assert case["ratios"]["assetgraph/hamilton"]["headline"] is None, label
    for label in ("S2 materialize", "S3 backfill", "S5 definitions"):
        core = cases[label]["impls"]["baseline"]["core_ms"]
        assert core and core["median"] > 0, f"{label}: no core phase reported"

    markdown = (results / "peers-latest.md").read_text()
    assert "| S2 materialize |" in markdown and "| S5 definitions |" in markdown
    assert "## Skipped or failed" in markdown and str(missing) in markdown


def test_an_interpreter_without_dagster_is_reported_not_used(tmp_path: Path) -> None:
    """A "fake" peers environment: an interpreter that exists but cannot import dagster."""
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'ModuleNotFoundError: No module named dagster' >&2\nexit 1\n")
    fake.chmod(0o755)
    version, reason = dagster_status(str(fake))
    assert version is None
    assert reason is not None and "cannot import dagster" in reason
    version, reason = dagster_status(str(tmp_path / "absent" / "python"))
    assert version is None and reason is not None and "does not exist" in reason


def test_a_missing_assetgraph_variant_is_skipped_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scenario whose assetgraph side does not exist is reported as skipped, not failed."""
    from bench.peers import cases
    from bench.peers.run import main

    monkeypatch.setattr(cases, "S3_ASSETGRAPH_MODULE", tmp_path / "no_such_s3.py")
    results = tmp_path / "results"
    quick = ["--quick", "--repeat", "1", "--warmup", "0", "--only", "S3"]
    code = main([*quick, "--impls", "assetgraph", "--results-dir", str(results)])
    assert code == 0
    (case,) = json.loads((results / "peers-latest.json").read_text())["cases"]
    assetgraph = case["impls"]["assetgraph"]
    assert assetgraph["status"] == "skipped" and "no assetgraph S3 scenario" in assetgraph["reason"]
    assert case["impls"]["dagster"]["reason"] == "not selected (--impls)"
    assert "no assetgraph S3 scenario" in (results / "peers-latest.md").read_text()
