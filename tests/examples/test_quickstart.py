"""The quickstart example runs end to end, from the CLI and from Python."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from assetgraph import Instance, load_definitions, materialize

ROOT = Path(__file__).resolve().parents[2]
DEFS = ROOT / "examples" / "quickstart" / "defs.py"
CLI = [sys.executable, "-m", "assetgraph.cli.main"]


def test_quickstart_from_the_command_line(isolated_home: Path) -> None:
    done = subprocess.run(
        [*CLI, "materialize", "-f", str(DEFS)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "succeeded: 4 step(s) materialized" in done.stdout
    listed = subprocess.run(
        [*CLI, "list", "-f", str(DEFS), "--json"], capture_output=True, text=True, check=True
    )
    rows = {row["key"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {"orders", "cleaned_orders", "daily_revenue", "top_customers"}
    assert all(row["last_materialization"] is not None for row in rows.values())
    assert (isolated_home / "storage" / "daily_revenue").is_file()
    assert (isolated_home / "assetgraph.db").is_file()


def test_quickstart_values_are_right(tmp_path: Path) -> None:
    defs = load_definitions(file=DEFS)
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    config = {"top_customers": {"top": 3}}
    result = materialize(defs, instance=instance, run_config=config)
    assert result.success

    raw = pd.read_csv(DEFS.parent / "data" / "orders.csv")
    paid = raw[raw["status"] == "paid"].dropna(subset=["amount"]).drop_duplicates("order_id")
    revenue = result.output_for("daily_revenue")
    assert revenue["orders"].sum() == len(paid)
    assert round(revenue["revenue"].sum(), 2) == round(paid["amount"].sum(), 2)
    top = result.output_for("top_customers")
    assert len(top) == 3 and list(top["amount"]) == sorted(top["amount"], reverse=True)

    record = instance.storage.latest_materializations(["cleaned_orders"])[("cleaned_orders", None)]
    assert record.metadata["row_count"] == len(paid)
    assert record.metadata["column_schema"]["amount"] == "float64"
