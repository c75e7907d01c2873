"""The benchmark harness runs end to end in --quick mode and writes complete JSON.

A smoke test only: it checks that every scenario ran and produced positive figures, never
how fast anything is (speed is never asserted in unit tests, see shared/BENCH.md).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("S1", "S2", "S3", "S5", "S10")
CORE_PHASE = {"S2", "S5"}  # scenarios whose processes time their own core phase


def test_quick_run_writes_every_scenario_with_positive_figures(tmp_path: Path) -> None:
    results = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / "run.py"),
            "--quick",
            "--repeat",
            "1",
            "--warmup",
            "0",
            "--only",
            ",".join(SCENARIOS),
            "--results-dir",
            str(results),
            "--tmp-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"bench/run.py failed:\n{proc.stdout}\n{proc.stderr}"
    latest = json.loads((results / "latest.json").read_text())
    stamped = [p for p in results.glob("*.json") if p.name != "latest.json"]
    assert len(stamped) == 1, f"expected one timestamped result file, found {stamped}"

    cases = latest["cases"]
    assert {case["scenario"] for case in cases} == set(SCENARIOS)
    for case in cases:
        name = f"{case['scenario']} {case['case']}"
        assert case["error"] is None, f"{name} failed: {case['error']}"
        for impl in ("assetgraph", "baseline"):
            summary = case["summary"][impl]
            assert summary["runs"] == 1, f"{name} {impl}: {summary['runs']} runs, expected 1"
            for field in ("wall_ms", "peak_mb"):
                assert summary[field]["median"] > 0, f"{name} {impl}: {field} is not positive"
        ratios = ["ratio_wall", "ratio_peak"]
        if case["scenario"] in CORE_PHASE:
            ratios += ["ratio_core", "ratio_core_cpu"]
            for impl in ("assetgraph", "baseline"):
                for field in ("core_ms", "core_cpu_ms"):
                    core = case["summary"][impl][field]
                    assert core and core["median"] > 0, f"{name} {impl}: no {field} reported"
        for ratio in ratios:
            assert case["metrics"][ratio] > 0, f"{name}: {ratio} is not positive"
        for figure in case["figures"]:
            value = figure["value"]
            assert isinstance(value, float) and math.isfinite(value), f"{name}: {figure}"
            if figure["metric"] != "wall_over_baseline_ms":  # a difference; may dip below 0
                assert value > 0, f"{name}: {figure['label']} = {value}, expected > 0"
