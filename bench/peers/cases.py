"""The peer cases: for each BENCH.md scenario, how to start assetgraph, Dagster and the baseline.

A case maps each implementation to a command builder. A builder raises ``Unavailable``
when that implementation of the case does not exist (yet); the runner then skips it and
says why. assetgraph and baseline commands run under the harness's interpreter (the
project's ``.venv``); Dagster commands under ``.venv-peers``; Hamilton commands (with its
result cache on disk, and in memory only) under ``.venv-hamilton``. Where the main harness
already has a scenario (S2, S3, S5) its assetgraph and baseline variants are reused
unchanged, so the peer figures for those match ``make bench``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bench.scenarios.s1_startup import GENERATED_DEFS
from bench.spec import REPO_ROOT

PeerImpl = Literal["assetgraph", "dagster", "hamilton", "hamilton_memory", "baseline"]
PEER_IMPLS: tuple[PeerImpl, ...] = (
    "assetgraph",
    "dagster",
    "hamilton",
    "hamilton_memory",
    "baseline",
)
PEERS: tuple[PeerImpl, ...] = ("dagster", "hamilton", "hamilton_memory", "baseline")
"""What assetgraph is compared with, each in a ratio column."""
HAMILTON_IMPLS: tuple[PeerImpl, ...] = ("hamilton", "hamilton_memory")
LABELS: dict[PeerImpl, str] = {
    "assetgraph": "assetgraph",
    "dagster": "Dagster",
    "hamilton": "Hamilton (cache on disk)",
    "hamilton_memory": "Hamilton (in memory)",
    "baseline": "hand-written",
}

# How a case is judged in the headline table.
Headline = Literal["over_bare_ms", "core_ms_per_unit", "wall_ms"]


class Unavailable(Exception):
    """This implementation of the case does not exist (yet); the message says why."""


@dataclass(frozen=True, slots=True)
class PeerContext:
    """What a command builder may use."""

    python: str  # the project's interpreter: assetgraph and baseline
    peers_python: str  # .venv-peers' interpreter: Dagster
    workspace: Path  # the process's private temporary folder (also its cwd)
    quick: bool
    hamilton_python: str = ""  # .venv-hamilton's interpreter: Hamilton

    def script(self, impl: PeerImpl, name: str) -> str:
        """A console script next to the implementation's interpreter."""
        python = self.peers_python if impl == "dagster" else self.python
        return str(Path(python).parent / name)


Builder = Callable[[PeerContext], list[str]]


@dataclass(frozen=True, slots=True)
class PeerCase:
    scenario: str
    name: str
    title: str
    commands: Mapping[PeerImpl, Builder]
    headline: Headline
    unit: str = "run"
    bench_on_path: bool = True
    reference: str = ""  # what BENCH.md reports for Dagster
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return f"{self.scenario} {self.name}"


def _bare(python_of: Callable[[PeerContext], str]) -> Builder:
    return lambda ctx: [python_of(ctx), "-c", "pass"]


def _main_python(ctx: PeerContext) -> str:
    return ctx.python


def _module(
    python: Literal["main", "peers"],
    module: str,
    impl: str,
    full: tuple[str, ...],
    quick: tuple[str, ...],
) -> Builder:
    def build(ctx: PeerContext) -> list[str]:
        interpreter = ctx.python if python == "main" else ctx.peers_python
        return [interpreter, "-m", module, "--impl", impl, *(quick if ctx.quick else full)]

    return build


def _hamilton(impl: str, scenario: str, full: tuple[str, ...], quick: tuple[str, ...]) -> Builder:
    def build(ctx: PeerContext) -> list[str]:
        args = quick if ctx.quick else full
        return [
            ctx.hamilton_python,
            "-m",
            "bench.peers.hamilton_peer",
            "--impl",
            impl,
            "--scenario",
            scenario,
            *args,
        ]

    return build


def _hamilton_both(
    scenario: str, full: tuple[str, ...], quick: tuple[str, ...]
) -> dict[PeerImpl, Builder]:
    return {impl: _hamilton(impl, scenario, full, quick) for impl in HAMILTON_IMPLS}


# --- S1: start-up ------------------------------------------------------------------------

# The same five assets as S1's generated code location, written for Dagster: the code is
# identical but for the import and Dagster's spelling of the group option.
DAGSTER_DEFS = (
    GENERATED_DEFS.replace("from assetgraph import", "from dagster import")
    .replace("@asset(group=", "@asset(group_name=")
    .replace("A quickstart-like code location", "S1's code location, in Dagster")
)


def _assetgraph_cli(ctx: PeerContext) -> list[str]:
    script = Path(ctx.script("assetgraph", "assetgraph"))
    return [str(script)] if script.is_file() else [ctx.python, "-m", "assetgraph.cli.main"]


def _assetgraph_list(ctx: PeerContext) -> list[str]:
    from bench.scenarios.s1_startup import generated_defs_file

    return [*_assetgraph_cli(ctx), "list", "-f", str(generated_defs_file(ctx.workspace))]


def _dagster_list(ctx: PeerContext) -> list[str]:
    path = ctx.workspace / "dagster_defs.py"
    path.write_text(DAGSTER_DEFS)
    return [ctx.script("dagster", "dagster"), "asset", "list", "-f", str(path)]


_S1_REFERENCE = "Dagster 1.13: import 1.08 s (bare start 0.016 s); dagster --help 1.37 s"
_S1 = dict(
    scenario="S1",
    title="start-up, whole-process ms over a bare `python -c pass`",
    headline="over_bare_ms",
    bench_on_path=False,
    reference=_S1_REFERENCE,
)

S1_CASES = (
    PeerCase(
        name="import",
        commands={
            "assetgraph": lambda ctx: [ctx.python, "-c", "import assetgraph"],
            "dagster": lambda ctx: [ctx.peers_python, "-c", "import dagster"],
            "hamilton_memory": lambda ctx: [ctx.hamilton_python, "-c", "import hamilton.driver"],
            "baseline": _bare(_main_python),
        },
        **_S1,  # type: ignore[arg-type]
    ),
    PeerCase(
        name="--help",
        commands={
            "assetgraph": lambda ctx: [*_assetgraph_cli(ctx), "--help"],
            "dagster": lambda ctx: [ctx.script("dagster", "dagster"), "--help"],
            "baseline": _bare(_main_python),
        },
        **_S1,  # type: ignore[arg-type]
    ),
    PeerCase(
        name="list",
        commands={
            "assetgraph": _assetgraph_list,
            "dagster": _dagster_list,
            "baseline": _bare(_main_python),
        },
        notes=(
            "`assetgraph list -f` and `dagster asset list -f` on the same five-asset code "
            "location with no third-party imports (S1's `list (plain)`), each with a fresh "
            "empty home folder.",
        ),
        **_S1,  # type: ignore[arg-type]
    ),
)

# --- S2: 1,000 trivial assets -----------------------------------------------------------

_S2_FULL = ("--size", "1000", "--width", "100")
_S2_QUICK = ("--size", "100", "--width", "10")

S2_CASE = PeerCase(
    scenario="S2",
    name="materialize",
    title="materialize 1,000 trivial assets (10 layers of 100), pickle files + SQLite, one run",
    commands={
        "assetgraph": _module(
            "main", "bench.scenarios.s2_materialize", "assetgraph", _S2_FULL, _S2_QUICK
        ),
        "dagster": _module("peers", "bench.peers.s2_dagster", "dagster", _S2_FULL, _S2_QUICK),
        **_hamilton_both("S2", _S2_FULL, _S2_QUICK),
        "baseline": _module(
            "main", "bench.scenarios.s2_materialize", "baseline", _S2_FULL, _S2_QUICK
        ),
    },
    headline="core_ms_per_unit",
    unit="asset",
    reference="Dagster 1.13: 104.6 ms per asset (floor 0.155 ms)",
    notes=(
        "Hamilton: the same 1,000 nodes as functions of one module, one `Driver.execute` of "
        "all of them; with `Builder.with_cache(path)` every result is stored on disk and "
        "recorded in the cache's SQLite metadata store; in memory, nothing is persisted.",
    ),
)

# --- S3: backfill of 5 daily assets x 365 days ------------------------------------------

S3_ASSETGRAPH_MODULE = REPO_ROOT / "bench" / "scenarios" / "s3_backfill.py"
_S3_FULL = ("--size", "365")
_S3_QUICK = ("--size", "10")


def _s3_assetgraph(ctx: PeerContext) -> list[str]:
    if not S3_ASSETGRAPH_MODULE.is_file():
        raise Unavailable(
            "no assetgraph S3 scenario yet (bench/scenarios/s3_backfill.py with an "
            "`--impl assetgraph --size PARTITIONS` variant); partitioned backfills are "
            "being wired in"
        )
    return [
        ctx.python,
        "-m",
        "bench.scenarios.s3_backfill",
        "--impl",
        "assetgraph",
        *(_S3_QUICK if ctx.quick else _S3_FULL),
    ]


S3_CASE = PeerCase(
    scenario="S3",
    name="backfill",
    title="backfill 5 daily-partitioned assets x 365 days (1,825 steps), 100-row frames, parquet",
    commands={
        "assetgraph": _s3_assetgraph,
        "dagster": _module("peers", "bench.peers.s3_backfill", "dagster", _S3_FULL, _S3_QUICK),
        **_hamilton_both("S3", _S3_FULL, _S3_QUICK),
        "baseline": _module("main", "bench.scenarios.s3_backfill", "baseline", _S3_FULL, _S3_QUICK),
    },
    headline="core_ms_per_unit",
    unit="step",
    reference="Dagster 1.13: 145 ms per step (floor 4.1 ms, parquet-bound)",
    notes=(
        "Dagster: one run per partition (what a Dagster backfill of per-partition steps is), "
        "executed in process against one on-disk instance, the job resolved once beforehand.",
        "Hamilton: one `Driver.execute` of the 5 stages per day (the day an input; Hamilton "
        "has no partitions), the driver built once beforehand; its cache stores results in "
        "its own files (not parquet), keyed by the day.",
    ),
)

# --- S5: 10,000 assets ------------------------------------------------------------------

_S5_FULL = ("--size", "10000", "--width", "100")
_S5_QUICK = ("--size", "1000", "--width", "100")

S5_CASE = PeerCase(
    scenario="S5",
    name="definitions",
    title="10,000 assets (100 layers of 100): definitions, validation, topological order",
    commands={
        "assetgraph": _module(
            "main", "bench.scenarios.s5_definitions", "assetgraph", _S5_FULL, _S5_QUICK
        ),
        "dagster": _module("peers", "bench.peers.s5_dagster", "dagster", _S5_FULL, _S5_QUICK),
        "hamilton_memory": _hamilton("hamilton_memory", "S5", _S5_FULL, _S5_QUICK),
        "baseline": _module(
            "main", "bench.scenarios.s5_definitions", "baseline", _S5_FULL, _S5_QUICK
        ),
    },
    headline="wall_ms",
    unit="asset",
    reference="Dagster 1.13: 17.1 s, 171 MB",
    notes=(
        "Hamilton: writing and importing a module of 10,000 functions, then building its "
        "driver (graph construction and validation; the core phase); no cache is involved.",
    ),
)

CASES: tuple[PeerCase, ...] = (*S1_CASES, S2_CASE, S3_CASE, S5_CASE)
SCENARIO_IDS: tuple[str, ...] = tuple(dict.fromkeys(case.scenario for case in CASES))


def select(only: str | None) -> list[PeerCase]:
    if not only:
        return list(CASES)
    wanted = {item.strip().upper() for item in only.split(",") if item.strip()}
    unknown = sorted(wanted - set(SCENARIO_IDS))
    if unknown:
        raise SystemExit(
            f"Unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIO_IDS)}."
        )
    return [case for case in CASES if case.scenario in wanted]
