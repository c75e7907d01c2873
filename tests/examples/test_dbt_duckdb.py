"""The dbt on DuckDB example end to end: Python raw data -> dbt staging and marts -> a report.

The example is copied to a temporary folder (dbt writes ``target/`` beside its project).
The API run builds everything but the partitioned model; then a model's SQL is edited
and it, and what reads it, turn stale; the CLI builds the stale assets again; last, one
partition of the partitioned model is built, with its window passed to dbt as vars.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("dbt.cli.main", reason="dbt-core is not installed (the dbt extra)")
pytest.importorskip("dbt.adapters.duckdb", reason="dbt-duckdb is not installed (the dbt extra)")

import duckdb

from assetgraph import AssetKey, Instance, materialize, stale_status

pytestmark = pytest.mark.slow  # dbt runs, in this process and through the CLI

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dbt_duckdb"
CLI = [sys.executable, "-m", "assetgraph.cli.main"]


def load(defs_file: Path, home: Path) -> ModuleType:
    """Import the example's defs.py with ``ASSETGRAPH_HOME=home`` (its DuckDB file is there)."""
    os.environ["ASSETGRAPH_HOME"] = str(home)
    spec = importlib.util.spec_from_file_location(f"dbt_duckdb_{id(defs_file)}", defs_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("dbt_example") / "dbt_duckdb"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    home = folder.parent / "home"
    saved = {name: os.environ.get(name) for name in ("ASSETGRAPH_HOME", "DBT_DUCKDB_PATH")}
    try:
        module = load(folder / "defs.py", home)
        instance = Instance(home=home)
        run = materialize(module.defs, selection="*", exclude="daily_revenue", instance=instance)
        yield {"folder": folder, "home": home, "module": module, "instance": instance, "run": run}
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_python_raw_data_dbt_models_and_the_python_report_are_one_graph(example: Any) -> None:
    graph = example["module"].defs.graph
    assert set(graph.parents(AssetKey("stg_orders"))) == {AssetKey(("raw", "orders"))}
    assert set(graph.parents(AssetKey("stg_customers"))) == {
        AssetKey(("raw", "customers")),
        AssetKey("regions"),
    }
    assert set(graph.parents(AssetKey("revenue_report"))) == {AssetKey("customer_revenue")}


def test_loading_the_code_location_again_reads_the_cached_manifest_without_dbt(
    example: Any,
) -> None:
    code = (
        "import runpy, sys; runpy.run_path(sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m == 'dbt' or m.startswith('dbt.')))"
    )
    env = {**os.environ, "ASSETGRAPH_HOME": str(example["home"])}
    done = subprocess.run(
        [sys.executable, "-c", code, str(example["folder"] / "defs.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", "dbt was imported to load the project"


def test_the_api_run_builds_python_then_dbt_then_python(example: Any) -> None:
    run = example["run"]
    assert run.success, [f.error for f in run.failures]
    built = {m.asset_key.to_string() for m in run.get_asset_materializations()}
    assert built == {
        "raw/orders",
        "raw/customers",
        "regions",
        "stg_orders",
        "stg_customers",
        "customer_revenue",
        "customers_snapshot",
        "revenue_report",
    }
    # The report read the dbt model through the DuckDB IO manager (zero-amount order dropped).
    assert run.output_for("revenue_report") == {"emea": 165.5, "americas": 140.0, "apac": 0.0}
    checks = {
        (c.asset_key.to_string(), c.check_name): c.passed for c in run.get_asset_check_evaluations()
    }
    assert checks[("stg_orders", "unique_stg_orders_order_id")] is True
    assert len(checks) == 6 and all(checks.values())


def test_editing_a_models_sql_makes_it_and_its_downstream_stale(example: Any) -> None:
    sql = example["folder"] / "dbt_project" / "models" / "marts" / "customer_revenue.sql"
    sql.write_text(sql.read_text().replace("as revenue", "as revenue -- edited"))
    module = load(example["folder"] / "defs.py", example["home"])
    report = stale_status(module.defs, instance=example["instance"])
    assert report.assets[AssetKey("customer_revenue")].status == "stale"
    causes = {c.cause for c in report.assets[AssetKey("customer_revenue")].causes}
    assert "code_changed" in causes
    assert report.assets[AssetKey("revenue_report")].status == "stale"
    assert report.assets[AssetKey("stg_orders")].status == "fresh"


def test_the_cli_rebuilds_what_is_stale(example: Any) -> None:
    env = {**os.environ, "ASSETGRAPH_HOME": str(example["home"])}
    defs = str(example["folder"] / "defs.py")
    args = ["materialize", "--stale", "--select", "*", "--exclude", "daily_revenue", "-f", defs]
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, f"assetgraph {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    assert "customer_revenue" in done.stdout and "succeeded" in done.stdout
    report = stale_status(
        load(example["folder"] / "defs.py", example["home"]).defs, instance=example["instance"]
    )
    status = report.assets[AssetKey("revenue_report")]
    assert status.status == "fresh", (status.causes, done.stdout)


def test_a_daily_partition_passes_its_window_to_dbt_as_vars(example: Any) -> None:
    defs = example["module"].defs
    run = materialize(
        defs, selection="daily_revenue", partition_key="2025-01-02", instance=example["instance"]
    )
    assert run.success, [f.error for f in run.failures]
    con = duckdb.connect(str(example["home"] / "dbt_shop.duckdb"), read_only=True)
    try:
        rows = con.execute("select ordered_on::varchar, revenue from daily_revenue").fetchall()
    finally:
        con.close()
    assert rows == [("2025-01-02", 45.5)]  # only the partition's window, zero amount dropped
