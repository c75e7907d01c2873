"""The results as rich tables: what was measured, then each figure against its aim."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from bench.summary import CaseSummary, Stats


def _ms(stats: Stats | None) -> str:
    if stats is None:
        return "—"
    return f"{stats.median:,.1f} ({stats.min:,.1f}..{stats.max:,.1f})"


def _num(value: float | None, fmt: str = ",.3g") -> str:
    return "—" if value is None else format(value, fmt)


def measurements_table(cases: Sequence[CaseSummary]) -> Table:
    table = Table(title="Measurements: median (min..max) over runs", title_justify="left")
    for column in ("case", "impl", "runs", "wall ms", "core ms", "per unit", "peak MB"):
        table.add_column(column, justify="left" if column in ("case", "impl") else "right")
    table.add_column("vs baseline: wall / core / core CPU / peak", justify="right")
    for summary in cases:
        label = f"{summary.scenario.id} {summary.case.name}"
        if summary.error:
            table.add_row(label, "[red]error[/red]", "", "", "", "", "", "")
        for impl, impl_summary in summary.by_impl.items():
            stats = impl_summary.stats
            core = stats["core_ms"]
            per_unit = "—"
            if core is not None and impl_summary.units > 1:
                per_unit = f"{core.median / impl_summary.units:.4g} ms/{summary.case.unit}"
            ratios = "—"
            if impl == "assetgraph":
                m = summary.metrics
                ratios = " / ".join(
                    _num(m[name], ".2f")
                    for name in ("ratio_wall", "ratio_core", "ratio_core_cpu", "ratio_peak")
                )
            peak = stats["peak_mb"]
            table.add_row(
                label if impl == "assetgraph" else "",
                impl,
                str(impl_summary.runs),
                _ms(stats["wall_ms"]),
                _ms(core),
                per_unit,
                _num(None if peak is None else peak.median, ",.1f"),
                ratios,
            )
        table.add_section()
    return table


def figures_table(cases: Sequence[CaseSummary]) -> Table:
    table = Table(title="Figures against BENCH.md aims", title_justify="left")
    for column in ("case", "figure", "value", "aim", "met"):
        table.add_column(column, justify="right" if column in ("value", "aim") else "left")
    for summary in cases:
        label = f"{summary.scenario.id} {summary.case.name}"
        for i, result in enumerate(summary.figures):
            met = {True: "[green]yes[/green]", False: "[red]NO[/red]", None: ""}[result.met]
            table.add_row(
                label if i == 0 else "",
                result.figure.label,
                _num(result.value, ",.4g"),
                result.figure.aim_text,
                met,
            )
        table.add_section()
    return table


def print_results(cases: Sequence[CaseSummary], console: Console | None = None) -> None:
    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=140)
    console.print(measurements_table(cases))
    console.print(figures_table(cases))
    seen: set[str] = set()
    for summary in cases:
        scenario = summary.scenario
        if scenario.reference and scenario.id not in seen:
            seen.add(scenario.id)
            console.print(f"{scenario.id} reference (BENCH.md): {scenario.reference}")
    for summary in cases:
        if summary.error:
            console.print(f"[red]{summary.scenario.id} {summary.case.name}:[/red] {summary.error}")
