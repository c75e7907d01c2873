"""The small summary stored with each automation tick, so lists of ticks (the automation
page, a sensor's or schedule's history) read a few kilobytes instead of decoding a payload
of per-asset decisions and condition trees that can reach megabytes."""

from __future__ import annotations

from typing import Any

WAITING = "waiting"
"""How a skip note begins when some partitions wait for upstream ones."""


def decision_of(entry: dict[str, Any]) -> str:
    """``requested``, ``waiting`` (some partitions wait for upstream ones) or ``skipped``,
    for one asset's entry in a tick."""
    if entry.get("requested") is not None:
        return "requested"
    if any(str(note).startswith(WAITING) for note in entry.get("skipped", [])):
        return "waiting"
    return "skipped"


def summarize_tick(payload: dict[str, Any]) -> dict[str, Any]:
    """What lists of ticks show, from a tick's payload: its runs, the assets it requested,
    left waiting or skipped, its schedules' and sensors' notes and results, its errors.

    Each result in ``instigators`` starts with its ``status`` key, so the database can find
    the ticks that evaluated one schedule or sensor by the text ``"sensor:NAME": {"status": ``.
    """
    by_decision: dict[str, list[str]] = {"requested": [], "waiting": [], "skipped": []}
    for name, entry in payload.get("assets", {}).items():
        by_decision[decision_of(entry)].append(name)
    runs = payload.get("runs", [])
    results: dict[str, Any] = {}
    for origin, outcome in payload.get("instigators", {}).items():
        results[origin] = {
            "status": outcome.get("status", "skipped"),
            **{k: v for k, v in outcome.items() if k != "status"},
            "run_ids": [
                str(r["run_id"]) for r in runs if r.get("origin") == origin and r.get("run_id")
            ],
        }
    return {
        "run_ids": [str(r["run_id"]) for r in runs if r.get("run_id")],
        **by_decision,
        "notes": {**payload.get("schedules", {}), **payload.get("sensors", {})},
        "instigators": results,
        "errors": [str(e) for e in payload.get("errors", [])],
        "evaluation_ms": payload.get("evaluation_ms"),
    }
