"""The peer results as JSON (one document per run) and as Markdown rendered from that JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bench.peers.cases import LABELS, PEER_IMPLS, PEERS

if TYPE_CHECKING:
    from bench.peers.run import CaseResult

FIELDS = ("wall_ms", "core_ms", "peak_mb")
HEADLINE_LABELS = {
    "over_bare_ms": "ms over bare `python -c pass`",
    "core_ms_per_unit": "core ms per {unit}",
    "wall_ms": "whole-process ms",
}


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def case_to_json(result: CaseResult) -> dict[str, Any]:
    case = result.case
    impls: dict[str, dict[str, Any]] = {}
    for impl in PEER_IMPLS:
        r = result.impls[impl]
        stats = {name: r.stats(name) for name in FIELDS}
        core = r.median("core_ms")
        impls[impl] = {
            "status": "skipped" if r.skipped else "failed" if r.error else "ok",
            "reason": r.skipped or r.error,
            "runs": len(r.runs),
            "units": r.units,
            **{name: (None if s is None else s.to_json()) for name, s in stats.items()},
            "core_ms_per_unit": None if core is None or not r.units else core / r.units,
            "measurements": [m.to_json() for m in r.runs],
        }
    bare = impls["baseline"]["wall_ms"]
    for impl in PEER_IMPLS:
        if impl == "baseline":
            continue
        wall = impls[impl]["wall_ms"]
        impls[impl]["over_bare_ms"] = (
            None if wall is None or bare is None else wall["median"] - bare["median"]
        )

    def med(impl: str, name: str) -> float | None:
        value = impls[impl][name]
        if isinstance(value, dict):
            return float(value["median"])
        return None if value is None else float(value)

    ratios: dict[str, dict[str, float | None]] = {}
    for peer in PEERS:
        entry = {name: _ratio(med("assetgraph", name), med(peer, name)) for name in FIELDS}
        entry["core_ms_per_unit"] = _ratio(
            med("assetgraph", "core_ms_per_unit"), med(peer, "core_ms_per_unit")
        )
        if case.headline == "over_bare_ms":
            # Against a framework: start-up cost over the bare interpreter; against the
            # bare interpreter itself: the whole-process ratio.
            entry["headline"] = (
                _ratio(med("assetgraph", "over_bare_ms"), med(peer, "over_bare_ms"))
                if peer != "baseline"
                else entry["wall_ms"]
            )
        else:
            entry["headline"] = entry[case.headline]
        ratios[f"assetgraph/{peer}"] = entry
    return {
        "scenario": case.scenario,
        "case": case.name,
        "title": case.title,
        "unit": case.unit,
        "headline": case.headline,
        "reference": case.reference,
        "notes": list(case.notes),
        "repeat": result.repeat,
        "impls": impls,
        "ratios": ratios,
    }


# --- Markdown ----------------------------------------------------------------------------


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}x"


def _stat(stat: dict[str, float] | None) -> str:
    if stat is None:
        return "—"
    return f"{_num(stat['median'])} ({_num(stat['min'])}..{_num(stat['max'])})"


def _cell(impl_json: dict[str, Any], value: float | None) -> str:
    if impl_json["status"] == "skipped":
        return "skipped"
    if impl_json["status"] == "failed" and value is None:
        return "failed"
    return _num(value)


def headline_rows(case: dict[str, Any]) -> list[list[str]]:
    impls = case["impls"]
    label = f"{case['scenario']} {case['case']}"
    headline = case["headline"]
    figure = HEADLINE_LABELS[headline].format(unit=case["unit"])

    def value(impl: str, name: str) -> float | None:
        v = impls[impl][name]
        return v["median"] if isinstance(v, dict) else v

    rows: list[list[str]] = []
    if headline == "over_bare_ms":
        bare = value("baseline", "wall_ms")
        rows.append(
            [
                label,
                figure,
                *(
                    _cell(impls[impl], value(impl, "over_bare_ms"))
                    for impl in PEER_IMPLS
                    if impl != "baseline"
                ),
                f"bare start {_cell(impls['baseline'], bare)} ms",
                *(
                    _ratio_text(case["ratios"][f"assetgraph/{peer}"]["headline"])
                    for peer in PEERS
                    if peer != "baseline"
                ),
                f"{_ratio_text(case['ratios']['assetgraph/baseline']['headline'])} (wall)",
            ]
        )
    else:
        rows.append(
            [
                label,
                figure,
                *(_cell(impls[impl], value(impl, headline)) for impl in PEER_IMPLS),
                *(_ratio_text(case["ratios"][f"assetgraph/{peer}"]["headline"]) for peer in PEERS),
            ]
        )
    if headline != "over_bare_ms":
        rows.append(
            [
                "",
                "peak MB",
                *(_cell(impls[impl], value(impl, "peak_mb")) for impl in PEER_IMPLS),
                *(_ratio_text(case["ratios"][f"assetgraph/{peer}"]["peak_mb"]) for peer in PEERS),
            ]
        )
    return rows


def _table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(document: dict[str, Any]) -> str:
    env, settings, cases = document["environment"], document["settings"], document["cases"]
    dagster = env.get("dagster_version") or "not available"
    repeat = f"{settings['repeat']} timed runs per implementation"
    if settings.get("repeat_for"):
        overrides = ", ".join(f"{k}: {v}" for k, v in settings["repeat_for"].items())
        repeat += f" ({overrides})"
    lines = [
        "# Peer benchmarks: assetgraph, Dagster, Hamilton, hand-written Python",
        "",
        f"Started {document['started_at']}; {repeat} after {settings['warmup']} warm-up "
        f"round(s), alternating assetgraph, Dagster, Hamilton, hand-written, each run its own "
        f"process"
        f"{'; QUICK sizes' if settings['quick'] else ''}.",
        f"Python {env['python']} on {env['platform']}, {env['cpus']} CPUs, load average "
        f"{', '.join(f'{x:.2f}' for x in env['load_average'])} at start; Dagster {dagster}; "
        f"Hamilton {env.get('hamilton_version') or 'not available'}; "
        f"assetgraph at {env['git_commit'][:10] or '?'}"
        f"{' (dirty tree)' if env['git_dirty'] else ''}.",
        "",
        "## Headline: medians, and ratios of medians from this run",
        "",
        "Ratios below 1 mean assetgraph is faster (or smaller).",
        "",
    ]
    header = ["case", "figure", *(LABELS[i] for i in PEER_IMPLS)]
    header += [f"assetgraph / {LABELS[peer]}" for peer in PEERS]
    rows = [row for case in cases for row in headline_rows(case)]
    lines += _table(header, rows, "ll" + "r" * (len(header) - 2))
    lines += ["", "## Measurements: median (min..max)", ""]
    detail: list[list[str]] = []
    for case in cases:
        label = f"{case['scenario']} {case['case']}"
        for i, impl in enumerate(PEER_IMPLS):
            data = case["impls"][impl]
            name = (
                LABELS[impl]
                if not (impl == "baseline" and case["headline"] == "over_bare_ms")
                else "bare start"
            )
            if data["status"] != "ok" and not data["runs"]:
                detail.append([label if i == 0 else "", name, "0", data["status"], "", "", "", ""])
                continue
            detail.append(
                [
                    label if i == 0 else "",
                    name,
                    str(data["runs"]),
                    _stat(data["wall_ms"]),
                    _stat(data["core_ms"]),
                    "—"
                    if data["core_ms_per_unit"] is None or data["units"] <= 1
                    else f"{_num(data['core_ms_per_unit'])} ms/{case['unit']}",
                    _stat(data["peak_mb"]),
                    "" if data["status"] == "ok" else data["status"],
                ]
            )
    lines += _table(
        ["case", "implementation", "runs", "wall ms", "core ms", "core per unit", "peak MB", ""],
        detail,
        "llrrrrrl",
    )
    problems = [
        f"- **{case['scenario']} {case['case']}, {LABELS[impl]}: {data['status']}**: "
        + str(data["reason"]).strip().replace("\n", "\n  ")
        for case in cases
        for impl, data in case["impls"].items()
        if data["status"] != "ok"
    ]
    if problems:
        lines += ["", "## Skipped or failed", "", *problems]
    lines += ["", "## Notes", ""]
    lines.append(
        "- S1 peak memory of start-up commands is `wait4`'s ru_maxrss, an upper bound that "
        "includes the harness's own RSS; the other cases report the child's own `VmHWM`."
    )
    seen: set[str] = set()
    for case in cases:
        if case["reference"] and case["scenario"] not in seen:
            seen.add(case["scenario"])
            lines.append(f"- {case['scenario']} reference (BENCH.md): {case['reference']}")
        for note in case["notes"]:
            lines.append(f"- {case['scenario']} {case['case']}: {note}")
    return "\n".join(lines) + "\n"
