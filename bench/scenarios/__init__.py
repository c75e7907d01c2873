"""The registry of benchmark scenarios: BENCH.md id -> the module that declares it.

Adding a scenario is one module here (with a ``SCENARIO`` and a ``main()`` that runs its
assetgraph and baseline variants) and one entry below. Scenario modules import only the
standard library at module level, so loading the registry stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from bench.spec import Scenario

REGISTRY: dict[str, str] = {
    "S1": "bench.scenarios.s1_startup",
    "S2": "bench.scenarios.s2_materialize",
    "S3": "bench.scenarios.s3_backfill",
    "S4": "bench.scenarios.s4_staleness",
    "S5": "bench.scenarios.s5_definitions",
    "S8": "bench.scenarios.s8_automation",
    "S8b": "bench.scenarios.s8b_catch_up",
    "S8c": "bench.scenarios.s8c_backfill_steps",
    "S6": "bench.scenarios.s6_parallel",
    "S7": "bench.scenarios.s7_overhead",
    "S6b": "bench.scenarios.s6b_cluster",
    "S7b": "bench.scenarios.s7b_cluster",
    "S9": "bench.scenarios.s9_soak",
    "S10": "bench.scenarios.s10_dynamic",
}


def load_scenarios(only: Iterable[str] | None = None) -> list[Scenario]:
    """The scenarios to run, in registry order; ``only`` picks some ids (any case)."""
    wanted = None if only is None else {item.strip().upper() for item in only if item.strip()}
    if wanted is not None:
        unknown = sorted(wanted - {scenario_id.upper() for scenario_id in REGISTRY})
        if unknown:
            raise SystemExit(
                f"Unknown scenario(s) {', '.join(unknown)}; known: {', '.join(REGISTRY)}."
            )
    scenarios: list[Scenario] = []
    for scenario_id, module in REGISTRY.items():
        if wanted is None or scenario_id.upper() in wanted:
            scenario: Scenario = importlib.import_module(module).SCENARIO
            scenarios.append(scenario)
    return scenarios
