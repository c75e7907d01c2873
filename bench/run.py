"""Run the benchmark scenarios of shared/BENCH.md and report them against their baselines.

Each case runs as its own process, ``--repeat`` times per implementation, alternating
assetgraph and baseline runs so that both see the same machine noise; one untimed warm-up
of each comes first (``--warmup``). Results go to the terminal and, as JSON, to
``bench/results/<UTC timestamp>.json`` and ``bench/results/latest.json``.

    python bench/run.py [--only S2,S5] [--repeat N] [--quick] [--results-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a script (`python bench/run.py`): make the `bench` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.measure import ChildFailed, Measurement, compile_bytecode, run_case
from bench.scenarios import load_scenarios
from bench.spec import IMPLS, REPO_ROOT, Case, Impl, Scenario
from bench.summary import CaseSummary, summarize_case

DEFAULT_RESULTS_DIR = REPO_ROOT / "bench" / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--only", help="comma-separated scenario ids, e.g. S2,S5")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per implementation")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed runs per implementation first"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS_DIR)
    parser.add_argument("--tmp-dir", help="where each process gets its temporary folder")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per process")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the processes")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def log(text: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def run_scenario_case(scenario: Scenario, case: Case, args: argparse.Namespace) -> CaseSummary:
    """Warm up, then alternate assetgraph and baseline runs ``--repeat`` times."""
    runs: dict[Impl, list[Measurement]] = {impl: [] for impl in IMPLS}
    options: dict[str, Any] = {
        "python": args.python,
        "quick": args.quick,
        "tmp_root": args.tmp_dir,
        "timeout_s": args.timeout,
    }
    label = f"{scenario.id} {case.name}"
    try:
        for _ in range(args.warmup):
            for impl in IMPLS:
                run_case(case, impl, **options)
        for round_ in range(args.repeat):
            for impl in IMPLS:
                measurement = run_case(case, impl, **options)
                runs[impl].append(measurement)
                core = (
                    "" if measurement.core_ms is None else f", core {measurement.core_ms:,.1f} ms"
                )
                if measurement.core_cpu_ms is not None:
                    core += f" ({measurement.core_cpu_ms:,.1f} ms CPU)"
                log(
                    f"{label} #{round_ + 1} {impl}: wall {measurement.wall_ms:,.1f} ms{core}, "
                    f"peak {measurement.peak_mb:,.1f} MB"
                )
    except ChildFailed as exc:
        log(f"{label} FAILED: {exc}")
        return summarize_case(scenario, case, runs, error=str(exc))
    return summarize_case(scenario, case, runs)


def environment() -> dict[str, Any]:
    def git(*cmd: str) -> str:
        try:
            out = subprocess.run(
                ["git", *cmd], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return out.stdout.strip()

    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain")),
    }


def write_results(
    cases: list[CaseSummary], args: argparse.Namespace, started: datetime, env: dict[str, Any]
) -> Path:
    document = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "settings": {
            "repeat": args.repeat,
            "warmup": args.warmup,
            "quick": args.quick,
            "only": args.only,
        },
        "environment": env,
        "cases": [case.to_json() for case in cases],
    }
    folder: Path = args.results_dir
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2) + "\n"
    path = folder / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(text)
    (folder / "latest.json").write_text(text)
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scenarios = load_scenarios(args.only.split(",") if args.only else None)
    compile_bytecode()
    started = datetime.now(UTC)
    env = environment()
    cases = [
        run_scenario_case(scenario, case, args) for scenario in scenarios for case in scenario.cases
    ]
    path = write_results(cases, args, started, env)
    # rich is imported only now, so the harness's own RSS stays small while children run
    # (it is the floor of ru_maxrss for start-up cases; see bench.measure).
    from bench.render import print_results

    print_results(cases)
    print(f"Results written to {path}")
    return 1 if any(case.error for case in cases) else 0


if __name__ == "__main__":
    sys.exit(main())
