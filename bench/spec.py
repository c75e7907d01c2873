"""What a scenario declares: its cases, how to start each one, and the figures it is judged by.

A scenario (one BENCH.md row) has one or more cases. A case is one pair of commands, the
assetgraph one and the hand-written baseline one, each run as its own process. A figure
is one number derived from a case's measurements (``metric``), with the aim it should meet.
Everything here is plain data so the harness can import every scenario module cheaply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

REPO_ROOT = Path(__file__).resolve().parents[1]

Impl = Literal["assetgraph", "baseline"]
IMPLS: tuple[Impl, ...] = ("assetgraph", "baseline")

Metric = Literal[
    "wall_ms",  # whole-process wall time, measured by the harness
    "core_ms",  # the core phase, timed inside the process
    "peak_mb",  # the process's maximum resident set size
    "wall_over_baseline_ms",  # wall_ms minus the baseline's wall_ms
    "core_ms_per_unit",  # core_ms divided by the units the process reported
    "wall_ms_per_unit",
    "ratio_wall",  # assetgraph's median over the baseline's median
    "ratio_core",
    "ratio_core_cpu",  # the same, of the core phase's CPU time
    "ratio_peak",
]


@dataclass(frozen=True, slots=True)
class RunContext:
    """What a command builder may use: the interpreter, a private folder, the size mode."""

    python: str
    workspace: Path
    quick: bool

    @property
    def bin_dir(self) -> Path:
        """The folder of the interpreter, where console scripts are installed."""
        return Path(self.python).parent


CommandBuilder = Callable[[Impl, RunContext], list[str]]


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline number of a case and its aim: ``value < limit`` (or ``<=``)."""

    metric: Metric
    label: str
    limit: float | None = None
    inclusive: bool = False

    @property
    def aim_text(self) -> str:
        if self.limit is None:
            return ""
        return f"{'≤' if self.inclusive else '<'} {self.limit:g}"

    def met(self, value: float | None) -> bool | None:
        """Whether ``value`` meets the aim; None when there is no aim or no value."""
        if self.limit is None or value is None:
            return None
        return value <= self.limit if self.inclusive else value < self.limit


@dataclass(frozen=True, slots=True)
class Case:
    """One measured pair of commands (assetgraph and baseline) within a scenario.

    ``bench_on_path`` puts the repository root on ``PYTHONPATH`` so ``-m bench.…`` works
    from the child's temporary working directory; start-up cases leave it off so they
    measure exactly what a user's shell would run.
    """

    name: str
    command: CommandBuilder
    figures: tuple[Figure, ...]
    unit: str = "run"
    bench_on_path: bool = True


@dataclass(frozen=True, slots=True)
class Scenario:
    """One row of BENCH.md."""

    id: str
    title: str
    cases: tuple[Case, ...]
    reference: str = ""  # what Dagster measured, from BENCH.md
    notes: tuple[str, ...] = field(default=())


def module_command(
    module: str, args: tuple[str, ...], quick_args: tuple[str, ...]
) -> CommandBuilder:
    """A builder that runs ``python -m module --impl IMPL`` with full or quick arguments."""

    def build(impl: Impl, ctx: RunContext) -> list[str]:
        return [ctx.python, "-m", module, "--impl", impl, *(quick_args if ctx.quick else args)]

    return build
