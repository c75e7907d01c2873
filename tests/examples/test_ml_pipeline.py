"""examples/ml_pipeline: weekly features -> models -> a blocking AUC check -> scores, and
staleness naming exactly the models a changed feature week invalidates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "sklearn", reason="examples/ml_pipeline needs scikit-learn: make install EXTRAS=ml"
)

pytestmark = pytest.mark.slow  # trains models through the CLI, again and again

ROOT = Path(__file__).resolve().parents[2]
DEFS = ROOT / "examples" / "ml_pipeline" / "defs.py"
CLI = [sys.executable, "-m", "assetgraph.cli.main"]
MODEL_WEEKS = ["2025-02-03", "2025-02-10", "2025-02-17", "2025-02-24"]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
        check=False,
    )


def latest_run_events() -> list[dict[str, Any]]:
    runs = json.loads(cli("runs", "list", "--json").stdout)
    shown = cli("runs", "show", runs[0]["run_id"], "--json")
    events: list[dict[str, Any]] = json.loads(shown.stdout)["events"]
    return events


def statuses() -> dict[str, dict[str, Any]]:
    """Asset key -> its row of ``assetgraph status --json`` (one command for every asset)."""
    done = cli("status", "-f", str(DEFS), "--json")
    assert done.returncode == 0, done.stderr
    return {row["key"]: row for row in json.loads(done.stdout)}


def test_ml_pipeline_trains_checks_scores_and_retrains_only_stale_models(tmp_path: Path) -> None:
    built = cli("materialize", "-f", str(DEFS), "--all-partitions")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "succeeded: 20 step(s) materialized" in built.stdout  # 8 feature weeks + 3 x 4

    checks = [
        e["payload"] for e in latest_run_events() if e["event_type"] == "asset_check_evaluation"
    ]
    assert sorted(c["partition_key"] for c in checks) == MODEL_WEEKS
    assert all(c["passed"] and c["blocking"] for c in checks), checks
    assert all(c["metadata"]["auc"] >= 0.7 for c in checks), checks

    # A corrected delivery of one feature week: only the models trained on it go stale.
    fix = tmp_path / "fix.yaml"
    fix.write_text("features: {revision: 1}\n")
    redone = cli(
        "materialize", "-f", str(DEFS), "--select", "features",
        "--partition", "2025-01-20", "--config", str(fix),
    )  # fmt: skip
    assert redone.returncode == 0, redone.stderr
    rows = statuses()
    model = rows["churn_model"]
    assert model["counts"]["stale"] == 3 and model["counts"]["fresh"] == 1, model
    changed = [c for c in model["causes"] if c["cause"] == "upstream_changed"]
    assert changed and changed[0]["partitions"] == ["2025-02-03...2025-02-17"], model
    assert changed[0]["upstream"] == "features"
    assert changed[0]["upstream_partitions"] == ["2025-01-20"]
    assert rows["features"]["counts"]["stale"] == 0

    retrained = cli("materialize", "-f", str(DEFS), "--stale")
    assert retrained.returncode == 0, retrained.stderr
    assert "succeeded: 9 step(s) materialized" in retrained.stdout
    assert "churn_model[2025-02-24]" not in retrained.stdout  # trained on other weeks
    for week in MODEL_WEEKS[:3]:
        assert f"churn_model[{week}]" in retrained.stdout
    rows = statuses()
    assert all(rows[k]["status"] == "fresh" for k in ("churn_model", "churn_scores")), rows


def test_a_failing_auc_check_blocks_the_evaluation_and_skips_the_scores() -> None:
    week = "2025-02-24"
    features = cli(
        "materialize", "-f", str(DEFS), "--select", "features",
        "--partition-range", "2025-01-27...2025-02-24",
    )  # fmt: skip
    assert features.returncode == 0, features.stderr  # the model's 4 weeks and its own
    blocked = cli(
        "materialize", "-f", str(DEFS), "--select", "churn_model+", "--partition", week,
        env={"ML_PIPELINE_MIN_AUC": "0.99"},
    )  # fmt: skip
    assert blocked.returncode == 1
    assert "blocking check 'auc_above_threshold' failed" in blocked.stdout + blocked.stderr
    assert f"churn_scores[{week}]" in blocked.stdout and "skipped" in blocked.stdout
    assert statuses()["churn_scores"]["counts"]["materialized"] == 0
