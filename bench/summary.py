"""From measurements to statistics, figures and verdicts, and the JSON written to disk."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.measure import Measurement
from bench.spec import IMPLS, Case, Figure, Impl, Metric, Scenario

FIELDS = ("wall_ms", "core_ms", "core_cpu_ms", "peak_mb")


@dataclass(frozen=True, slots=True)
class Stats:
    median: float
    min: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats | None:
        if not values:
            return None
        return cls(statistics.median(values), min(values), max(values))

    def to_json(self) -> dict[str, float]:
        return {"median": self.median, "min": self.min, "max": self.max}


@dataclass(frozen=True, slots=True)
class ImplSummary:
    runs: int
    units: int
    stats: dict[str, Stats | None]

    def median(self, name: str) -> float | None:
        stat = self.stats.get(name)
        return None if stat is None else stat.median


@dataclass(frozen=True, slots=True)
class FigureResult:
    figure: Figure
    value: float | None

    @property
    def met(self) -> bool | None:
        return self.figure.met(self.value)


@dataclass(frozen=True, slots=True)
class CaseSummary:
    scenario: Scenario
    case: Case
    by_impl: dict[Impl, ImplSummary]
    metrics: dict[Metric, float | None]
    figures: tuple[FigureResult, ...]
    runs: dict[Impl, list[Measurement]]
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "case": self.case.name,
            "title": self.scenario.title,
            "reference": self.scenario.reference,
            "unit": self.case.unit,
            "error": self.error,
            "summary": {
                impl: {
                    "runs": summary.runs,
                    "units": summary.units,
                    **{
                        name: (None if stat is None else stat.to_json())
                        for name, stat in summary.stats.items()
                    },
                }
                for impl, summary in self.by_impl.items()
            },
            "metrics": dict(self.metrics),
            "figures": [
                {
                    "metric": result.figure.metric,
                    "label": result.figure.label,
                    "value": result.value,
                    "aim": result.figure.aim_text or None,
                    "met": result.met,
                }
                for result in self.figures
            ],
            "runs": {impl: [m.to_json() for m in runs] for impl, runs in self.runs.items()},
        }


def summarize_impl(runs: Sequence[Measurement]) -> ImplSummary:
    stats: dict[str, Stats | None] = {}
    for name in FIELDS:
        values = [v for v in (getattr(m, name) for m in runs) if v is not None]
        stats[name] = Stats.of(values)
    return ImplSummary(runs=len(runs), units=runs[0].units if runs else 0, stats=stats)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def metrics_of(ours: ImplSummary, base: ImplSummary) -> dict[Metric, float | None]:
    """Every metric a figure may name, from the two implementations' medians."""
    wall, core, peak = ours.median("wall_ms"), ours.median("core_ms"), ours.median("peak_mb")
    base_wall = base.median("wall_ms")
    units = ours.units or 1
    return {
        "wall_ms": wall,
        "core_ms": core,
        "peak_mb": peak,
        "wall_over_baseline_ms": None if wall is None or base_wall is None else wall - base_wall,
        "core_ms_per_unit": None if core is None else core / units,
        "wall_ms_per_unit": None if wall is None else wall / units,
        "ratio_wall": _ratio(wall, base_wall),
        "ratio_core": _ratio(core, base.median("core_ms")),
        "ratio_core_cpu": _ratio(ours.median("core_cpu_ms"), base.median("core_cpu_ms")),
        "ratio_peak": _ratio(peak, base.median("peak_mb")),
    }


def summarize_case(
    scenario: Scenario,
    case: Case,
    runs: dict[Impl, list[Measurement]],
    error: str | None = None,
) -> CaseSummary:
    by_impl = {impl: summarize_impl(runs.get(impl, [])) for impl in IMPLS}
    metrics = metrics_of(by_impl["assetgraph"], by_impl["baseline"])
    figures = tuple(FigureResult(figure, metrics[figure.metric]) for figure in case.figures)
    return CaseSummary(scenario, case, by_impl, metrics, figures, runs, error)
