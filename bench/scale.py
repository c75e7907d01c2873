"""Cost that stays flat as the work grows: S2, S3, S5 and S8 at three sizes each.

Runs the assetgraph variant of each scenario at a small, a middle and a large size (each
its own process, ``--repeat`` times, sizes alternated so they see the same machine noise)
and prints the core-phase cost per unit at each size, with the ratio of the largest
size's cost per unit to the smallest's. A ratio near 1 is linear; the aim is within 1.5.
Results also go to ``bench/results/scale-<UTC timestamp>.json`` and ``scale-latest.json``.

    python bench/scale.py [--only S2,S5] [--repeat 1] [--quick]

``--quick`` runs each scenario at its two smallest sizes only (a smoke test).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.measure import ChildFailed, _spawn, child_env, compile_bytecode
from bench.spec import REPO_ROOT

DEFAULT_RESULTS_DIR = REPO_ROOT / "bench" / "results"
AIM = 1.5


@dataclass(frozen=True, slots=True)
class Ladder:
    """One scenario run at growing sizes."""

    scenario: str
    module: str
    unit: str
    sizes: tuple[int, ...]
    extra: tuple[str, ...] = ()


LADDERS = (
    Ladder(
        "S2", "bench.scenarios.s2_materialize", "asset", (100, 1_000, 10_000), ("--width", "100")
    ),
    Ladder("S3", "bench.scenarios.s3_backfill", "step", (36, 365, 3_650)),
    Ladder(
        "S5",
        "bench.scenarios.s5_definitions",
        "asset",
        (1_000, 10_000, 100_000),
        ("--width", "100"),
    ),
    Ladder(
        "S8", "bench.scenarios.s8_automation", "asset", (1_000, 10_000, 100_000), ("--width", "100")
    ),
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--only", help="comma-separated scenario ids, e.g. S2,S5")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per size")
    parser.add_argument("--quick", action="store_true", help="the two smallest sizes only")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS_DIR)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per process")
    parser.add_argument("--python", default=sys.executable)
    return parser.parse_args(argv)


def measure(ladder: Ladder, size: int, python: str, timeout: float) -> tuple[float, int]:
    """(core ms, units) of one run of ``ladder`` at ``size``, in its own process and folder."""
    workspace = Path(tempfile.mkdtemp(prefix=f"bench-scale-{ladder.scenario}-{size}-"))
    argv = [python, "-m", ladder.module, "--impl", "assetgraph", "--size", str(size)]
    run = _spawn(
        [*argv, *ladder.extra],
        "assetgraph",
        workspace,
        child_env(workspace / "home", True),
        timeout,
    )
    import shutil

    shutil.rmtree(workspace, ignore_errors=True)
    if run.core_ms is None:
        raise ChildFailed(f"`{' '.join(argv)}` reported no core phase")
    return run.core_ms, run.units


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = {s.strip().upper() for s in args.only.split(",")} if args.only else None
    ladders = [ladder for ladder in LADDERS if wanted is None or ladder.scenario in wanted]
    compile_bytecode()
    started = datetime.now(UTC)
    rows: list[dict[str, object]] = []
    failed = False
    for ladder in ladders:
        sizes = ladder.sizes[:2] if args.quick else ladder.sizes
        per_unit: dict[int, list[float]] = {size: [] for size in sizes}
        try:
            for _ in range(args.repeat):
                for size in sizes:
                    core_ms, units = measure(ladder, size, args.python, args.timeout)
                    per_unit[size].append(core_ms / units)
                    print(
                        f"{ladder.scenario} size {size:,}: core {core_ms:,.1f} ms, "
                        f"{core_ms / units:.4f} ms per {ladder.unit}",
                        file=sys.stderr,
                        flush=True,
                    )
        except ChildFailed as exc:
            print(f"{ladder.scenario} FAILED: {exc}", file=sys.stderr)
            failed = True
            continue
        medians = {size: statistics.median(values) for size, values in per_unit.items()}
        ratio = medians[sizes[-1]] / medians[sizes[0]]
        rows.append(
            {
                "scenario": ladder.scenario,
                "unit": ladder.unit,
                "ms_per_unit": {str(size): value for size, value in medians.items()},
                "ratio_largest_to_smallest": ratio,
                "within_aim": ratio <= AIM,
            }
        )
    print_table(rows)
    write_results(rows, args, started)
    return 1 if failed else 0


def print_table(rows: list[dict[str, object]]) -> None:
    print(f"\n| scenario | ms per unit at each size | largest / smallest (aim <= {AIM:g}) |")
    print("|---|---|---|")
    for row in rows:
        costs = row["ms_per_unit"]
        assert isinstance(costs, dict)
        shown = ", ".join(f"{int(size):,}: {value:.4f}" for size, value in costs.items())
        mark = "yes" if row["within_aim"] else "NO"
        ratio = row["ratio_largest_to_smallest"]
        assert isinstance(ratio, float)
        print(f"| {row['scenario']} (per {row['unit']}) | {shown} | {ratio:.2f}x ({mark}) |")


def write_results(
    rows: list[dict[str, object]], args: argparse.Namespace, started: datetime
) -> None:
    folder: Path = args.results_dir
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "settings": {"repeat": args.repeat, "quick": args.quick, "only": args.only},
        "rows": rows,
    }
    text = json.dumps(document, indent=2) + "\n"
    (folder / f"scale-{started.strftime('%Y%m%dT%H%M%SZ')}.json").write_text(text)
    (folder / "scale-latest.json").write_text(text)
    print(f"Results written to {folder / 'scale-latest.json'}")


if __name__ == "__main__":
    raise SystemExit(main())
