"""``locations/latest_window.py``: an unpartitioned asset reading the last partition
(``LastPartitionMapping``), materialized and automated through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from assetgraph import Instance, load_definitions, materialize

Cli = Callable[..., tuple[int, str]]


def test_eager_automation_needs_only_the_last_partition(
    ported: Callable[[str], Path], cli: Cli
) -> None:
    location = str(ported("latest_window"))
    code, out = cli("list", "-f", location, "--json")
    assert code == 0, out
    assert {row["key"] for row in json.loads(out)} == {"daily_signups", "latest_signups"}

    code, out = cli("automate", "-f", location, "--now", "2025-06-20T00:00:00", "--json")
    assert code == 0, out
    assert json.loads(out)["runs"] == [], "the last day is missing: nothing to read yet"

    code, out = cli(
        "materialize", "-f", location, "--select", "daily_signups", "--partition", "2025-06-07"
    )
    assert code == 0, out
    code, out = cli("automate", "-f", location, "--now", "2025-06-20T00:05:00", "--json")
    assert code == 0, out
    [run] = json.loads(out)["runs"]
    assert "latest_signups" in json.dumps(run), run

    defs = load_definitions(file=location)
    result = materialize(defs, selection="latest_signups", instance=Instance.from_env())
    assert result.output_for("latest_signups") == {"day": "2025-06-07", "signups": 70}
