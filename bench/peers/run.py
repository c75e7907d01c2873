"""Run the BENCH.md scenarios with assetgraph, Dagster, Hamilton and hand-written Python.

Each run is its own process, in its own temporary folder. Implementations alternate
(assetgraph, Dagster, Hamilton with its cache, Hamilton in memory, baseline, assetgraph,
...) ``--repeat`` times per case, after ``--warmup`` untimed rounds, so that all see the
same machine noise; the ratios of assetgraph to each peer are of medians from the same run.
Dagster runs under ``.venv-peers`` and Hamilton under ``.venv-hamilton`` (``make
bench-peers`` creates both); when an interpreter is missing or cannot import its
framework, that variant is skipped and the report says why. An implementation that does
not exist yet for a scenario is skipped the same way.

Results: ``bench/results/peers-<UTC timestamp>.{md,json}`` and ``peers-latest.{md,json}``.

    python bench/peers/run.py [--only S1,S2,S3,S5] [--repeat 5] [--repeat-for S3=1] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a script (`python bench/peers/run.py`): make the `bench` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.measure import (
    DEFAULT_TIMEOUT_S,
    ChildFailed,
    Measurement,
    _spawn,
    child_env,
    compile_bytecode,
)
from bench.peers.cases import (
    HAMILTON_IMPLS,
    LABELS,
    PEER_IMPLS,
    PeerCase,
    PeerContext,
    PeerImpl,
    Unavailable,
    select,
)
from bench.peers.report import case_to_json, render_markdown
from bench.spec import REPO_ROOT
from bench.summary import Stats

DEFAULT_RESULTS_DIR = REPO_ROOT / "bench" / "results"
DEFAULT_PEERS_PYTHON = REPO_ROOT / ".venv-peers" / "bin" / "python"
DEFAULT_HAMILTON_PYTHON = REPO_ROOT / ".venv-hamilton" / "bin" / "python"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--only", help="comma-separated scenario ids, e.g. S2,S5")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per implementation")
    parser.add_argument(
        "--repeat-for",
        default="",
        help="per-scenario --repeat overrides, e.g. S3=1,S2=3 (Dagster's S2/S3 take minutes)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument(
        "--impls",
        default=",".join(PEER_IMPLS),
        help="comma-separated implementations to run (default: all)",
    )
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS_DIR)
    parser.add_argument("--tmp-dir", help="where each process gets its temporary folder")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="s per process")
    parser.add_argument("--python", default=sys.executable, help="assetgraph's interpreter")
    parser.add_argument(
        "--peers-python",
        default=str(DEFAULT_PEERS_PYTHON),
        help="the interpreter with Dagster installed (default: .venv-peers/bin/python)",
    )
    parser.add_argument(
        "--hamilton-python",
        default=str(DEFAULT_HAMILTON_PYTHON),
        help="the interpreter with Hamilton installed (default: .venv-hamilton/bin/python)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.repeat_overrides = {}
    for item in filter(None, (part.strip() for part in args.repeat_for.split(","))):
        scenario, _, count = item.partition("=")
        if not count.isdigit() or int(count) < 1:
            parser.error(f"--repeat-for: expected ID=N with N >= 1, got {item!r}")
        args.repeat_overrides[scenario.strip().upper()] = int(count)
    impls = [item.strip() for item in args.impls.split(",") if item.strip()]
    unknown = sorted(set(impls) - set(PEER_IMPLS))
    if unknown:
        parser.error(f"--impls: unknown {', '.join(unknown)}; known: {', '.join(PEER_IMPLS)}")
    args.impl_list = [impl for impl in PEER_IMPLS if impl in impls]
    # Children run in their own folders: make interpreter paths absolute, keeping symlinks
    # (a venv's python is one, and resolving it would leave the venv).
    args.python = os.path.abspath(args.python)
    args.peers_python = os.path.abspath(args.peers_python)
    args.hamilton_python = os.path.abspath(args.hamilton_python)
    return args


def log(text: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def dagster_status(peers_python: str) -> tuple[str | None, str | None]:
    """(Dagster's version, None) when ``peers_python`` imports dagster, else (None, why not)."""
    return framework_status(peers_python, "dagster", "dagster", ".venv-peers", "requirements.txt")


def framework_status(
    python: str, module: str, distribution: str, venv: str, requirements: str
) -> tuple[str | None, str | None]:
    """(``module``'s version, None) when ``python`` imports it, else (None, why not)."""
    path = Path(python)
    if not path.exists():
        return None, (
            f"no {module} environment: {path} does not exist "
            f"(`make bench-peers` creates {venv} from bench/peers/{requirements})"
        )
    try:
        proc = subprocess.run(
            [
                str(path),
                "-c",
                f"import importlib.metadata, {module}; "
                f"print(importlib.metadata.version({distribution!r}))",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"cannot run {path}: {exc}"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"{path} cannot import {module} ({last})"
    return proc.stdout.strip(), None


@dataclass(slots=True)
class ImplResult:
    """What happened to one implementation of one case."""

    impl: PeerImpl
    runs: list[Measurement] = field(default_factory=list)
    skipped: str | None = None  # why it did not run at all
    error: str | None = None  # why it stopped

    def stats(self, name: str) -> Stats | None:
        return Stats.of([v for v in (getattr(m, name) for m in self.runs) if v is not None])

    def median(self, name: str) -> float | None:
        stat = self.stats(name)
        return None if stat is None else stat.median

    @property
    def units(self) -> int:
        return self.runs[0].units if self.runs else 0


@dataclass(slots=True)
class CaseResult:
    case: PeerCase
    repeat: int
    impls: dict[PeerImpl, ImplResult]


def run_once(case: PeerCase, impl: PeerImpl, args: argparse.Namespace) -> Measurement:
    """Run ``impl`` of ``case`` once in its own process and folder.

    Raises ``Unavailable`` when the case has no such implementation, ``ChildFailed`` when
    the process fails.
    """
    workspace = Path(tempfile.mkdtemp(prefix=f"peers-{case.scenario}-{impl}-", dir=args.tmp_dir))
    try:
        ctx = PeerContext(
            python=args.python,
            peers_python=args.peers_python,
            workspace=workspace,
            quick=args.quick,
            hamilton_python=args.hamilton_python,
        )
        argv = case.commands[impl](ctx)
        env = child_env(workspace / "home", case.bench_on_path)
        # Dagster wants an existing DAGSTER_HOME; each process gets a fresh, empty one.
        dagster_home = workspace / "dagster-home"
        dagster_home.mkdir()
        env["DAGSTER_HOME"] = str(dagster_home)
        return _spawn(argv, impl, workspace, env, args.timeout)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def run_peer_case(
    case: PeerCase, args: argparse.Namespace, unavailable: dict[PeerImpl, str]
) -> CaseResult:
    repeat = args.repeat_overrides.get(case.scenario, args.repeat)
    results = {impl: ImplResult(impl) for impl in PEER_IMPLS}
    for impl in PEER_IMPLS:
        if impl not in args.impl_list:
            results[impl].skipped = "not selected (--impls)"
        elif impl in unavailable:
            results[impl].skipped = unavailable[impl]
        elif impl not in case.commands:
            results[impl].skipped = f"no {LABELS[impl]} variant of {case.scenario}"

    def active() -> list[PeerImpl]:
        return [i for i in PEER_IMPLS if not results[i].skipped and not results[i].error]

    for impl in PEER_IMPLS:
        if results[impl].skipped:
            log(f"{case.label} {impl}: skipped: {results[impl].skipped}")

    def attempt(impl: PeerImpl, round_label: str, keep: bool) -> None:
        try:
            measurement = run_once(case, impl, args)
        except Unavailable as exc:
            results[impl].skipped = str(exc)
            log(f"{case.label} {impl}: skipped: {exc}")
            return
        except (ChildFailed, OSError) as exc:
            results[impl].error = str(exc)
            log(f"{case.label} {impl} FAILED: {exc}")
            return
        core = "" if measurement.core_ms is None else f", core {measurement.core_ms:,.1f} ms"
        log(
            f"{case.label} {round_label} {impl}: wall {measurement.wall_ms:,.1f} ms{core}, "
            f"peak {measurement.peak_mb:,.1f} MB"
        )
        if keep:
            results[impl].runs.append(measurement)

    for _ in range(args.warmup):
        for impl in active():
            attempt(impl, "warm-up", keep=False)
    for round_ in range(repeat):
        for impl in active():
            attempt(impl, f"#{round_ + 1}", keep=True)
    return CaseResult(case, repeat, results)


def environment(
    args: argparse.Namespace, dagster_version: str | None, hamilton_version: str | None = None
) -> dict[str, Any]:
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
        "assetgraph_python": args.python,
        "peers_python": args.peers_python,
        "dagster_version": dagster_version,
        "hamilton_python": args.hamilton_python,
        "hamilton_version": hamilton_version,
    }


def write_results(
    results: list[CaseResult],
    args: argparse.Namespace,
    started: datetime,
    env: dict[str, Any],
) -> tuple[Path, Path]:
    document = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "settings": {
            "repeat": args.repeat,
            "repeat_for": args.repeat_overrides,
            "warmup": args.warmup,
            "quick": args.quick,
            "only": args.only,
            "impls": args.impl_list,
        },
        "environment": env,
        "cases": [case_to_json(result) for result in results],
    }
    folder: Path = args.results_dir
    folder.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(document, indent=2) + "\n"
    markdown = render_markdown(document)
    json_path, md_path = folder / f"peers-{stamp}.json", folder / f"peers-{stamp}.md"
    json_path.write_text(text)
    md_path.write_text(markdown)
    (folder / "peers-latest.json").write_text(text)
    (folder / "peers-latest.md").write_text(markdown)
    return json_path, md_path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cases = select(args.only)
    compile_bytecode()
    started = datetime.now(UTC)
    unavailable: dict[PeerImpl, str] = {}
    dagster_version = None
    if "dagster" in args.impl_list:
        dagster_version, reason = dagster_status(args.peers_python)
        if reason:
            unavailable["dagster"] = reason
            log(f"Dagster skipped: {reason}")
        else:
            log(f"Dagster {dagster_version} from {args.peers_python}")
    hamilton_version = None
    if any(impl in args.impl_list for impl in HAMILTON_IMPLS):
        hamilton_version, reason = framework_status(
            args.hamilton_python,
            "hamilton",
            "apache-hamilton",
            ".venv-hamilton",
            "requirements-hamilton.txt",
        )
        if reason:
            unavailable.update({impl: reason for impl in HAMILTON_IMPLS})
            log(f"Hamilton skipped: {reason}")
        else:
            log(f"Hamilton {hamilton_version} from {args.hamilton_python}")
    env = environment(args, dagster_version, hamilton_version)
    results = [run_peer_case(case, args, unavailable) for case in cases]
    json_path, md_path = write_results(results, args, started, env)
    print(md_path.read_text())
    print(f"Results written to {md_path} and {json_path}")
    return 1 if any(r.error for result in results for r in result.impls.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
