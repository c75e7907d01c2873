"""Code locations written as Dagster's documentation writes them (only imports rewritten),
run through the CLI and the Python API: stored values and recorded events."""

from __future__ import annotations

import json
import pickle
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import Instance, load_definitions, materialize
from assetgraph.cli.main import app
from assetgraph.storage.records import EventType

# Dagster's "Using environment variables with resources" page, with a file instead of a
# web service so that the test needs no network.
ENV_VAR_LOCATION = """
from typing import Any, Dict

from assetgraph import ConfigurableResource, Definitions, EnvVar, asset


class MyConnectionResource(ConfigurableResource):
    username: str
    port: int

    def request(self, endpoint: str) -> Dict[str, Any]:
        return {"endpoint": endpoint, "user": self.username, "port": self.port}


@asset
def data_from_service(my_conn: MyConnectionResource) -> Dict[str, Any]:
    return my_conn.request("/fetch_data")


defs = Definitions(
    assets=[data_from_service],
    resources={
        "my_conn": MyConnectionResource(
            username=EnvVar("MY_USERNAME"), port=EnvVar.int("MY_PORT")
        ),
    },
)
"""

# Dagster's project layout: assets in modules of a package, loaded with
# load_assets_from_modules; one of them a @graph_asset of two @ops.
RAW_MODULE = """
from assetgraph import asset


@asset
def orders():
    return [{"id": 1, "amount": 10}, {"id": 1, "amount": 10}, {"id": 2, "amount": 5}]
"""

GRAPH_MODULE = """
from assetgraph import AssetExecutionContext, graph_asset, op


@op
def dedupe(context: AssetExecutionContext, rows):
    context.log.info(f"deduplicating {len(rows)} rows")
    return list({row["id"]: row for row in rows}.values())


@op
def total(rows):
    return sum(row["amount"] for row in rows)


@graph_asset
def order_total(orders):
    return total(dedupe(orders))
"""

LOADING_LOCATION = """
from assetgraph import Definitions, FilesystemIOManager, load_assets_from_modules

from shop import graph, raw

all_assets = load_assets_from_modules([raw, graph], group_name="sales")

defs = Definitions(
    assets=all_assets,
    resources={"io_manager": FilesystemIOManager(base_dir="warehouse")},
)
"""


@pytest.fixture(autouse=True)
def _fresh_shop_package() -> Iterator[None]:
    """Each test's ``shop`` package is imported from its own tmp_path."""

    def drop() -> None:
        for name in [n for n in sys.modules if n == "shop" or n.startswith("shop.")]:
            del sys.modules[name]

    drop()
    yield
    drop()


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_env_var_resource_location_reads_the_environment_at_run_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defs_file = _write(tmp_path / "env_defs.py", ENV_VAR_LOCATION)
    monkeypatch.setenv("MY_USERNAME", "alice-secret-name")
    monkeypatch.setenv("MY_PORT", "5433")

    code, out = _invoke("materialize", "-f", str(defs_file))
    assert code == 0, out
    instance = Instance.from_env()
    runs = instance.storage.list_runs()
    events = instance.storage.events_for_run(runs[0].run_id, [EventType.ASSET_MATERIALIZATION])
    assert [e.asset_key for e in events] == ["data_from_service"]
    stored = pickle.loads((instance.storage_dir / "data_from_service").read_bytes())
    assert stored == {"endpoint": "/fetch_data", "user": "alice-secret-name", "port": 5433}

    code, out = _invoke("list", "-f", str(defs_file), "--json")
    assert code == 0, out
    assert "alice-secret-name" not in out
    defs = load_definitions(file=str(defs_file))
    assert repr(defs.resources["my_conn"]) == (
        "MyConnectionResource(username=EnvVar('MY_USERNAME'), port=EnvVar.int('MY_PORT'))"
    )
    assert b"alice-secret-name" not in pickle.dumps(defs.resources)

    monkeypatch.setenv("MY_USERNAME", "bob")
    result = materialize(defs, instance=instance)
    assert result.output_for("data_from_service")["user"] == "bob"


def test_env_var_location_without_the_variable_fails_naming_resource_field_and_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defs_file = _write(tmp_path / "env_defs.py", ENV_VAR_LOCATION)
    monkeypatch.setenv("MY_USERNAME", "alice")
    monkeypatch.delenv("MY_PORT", raising=False)
    code, out = _invoke("materialize", "-f", str(defs_file))
    assert code != 0
    message = " ".join(out.split())
    assert "Resource 'my_conn': field 'port' reads the environment variable 'MY_PORT'" in message
    assert "Traceback" not in out


def test_load_assets_from_modules_with_a_graph_asset_through_the_cli(tmp_path: Path) -> None:
    _write(tmp_path / "shop" / "__init__.py", "")
    _write(tmp_path / "shop" / "raw.py", RAW_MODULE)
    _write(tmp_path / "shop" / "graph.py", GRAPH_MODULE)
    defs_file = _write(tmp_path / "definitions.py", LOADING_LOCATION)

    code, out = _invoke("list", "-f", str(defs_file), "--json")
    assert code == 0, out
    listed = {a["key"]: a for a in json.loads(out)}
    assert set(listed) == {"orders", "order_total"}
    assert {a["group"] for a in listed.values()} == {"sales"}

    code, out = _invoke("materialize", "-f", str(defs_file))
    assert code == 0, out
    assert pickle.loads((tmp_path / "warehouse" / "order_total").read_bytes()) == 15
    instance = Instance.from_env()
    run_id = instance.storage.list_runs()[0].run_id
    logs = instance.storage.events_for_run(run_id, [EventType.LOG])
    assert any("deduplicating 3 rows" in (e.message or "") for e in logs)
    done = instance.storage.events_for_run(run_id, [EventType.ASSET_MATERIALIZATION])
    assert sorted(e.asset_key or "" for e in done) == ["order_total", "orders"]


def test_load_assets_from_modules_with_a_graph_asset_through_the_python_api(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "shop" / "__init__.py", "")
    _write(tmp_path / "shop" / "raw.py", RAW_MODULE)
    _write(tmp_path / "shop" / "graph.py", GRAPH_MODULE)
    defs_file = _write(tmp_path / "definitions.py", LOADING_LOCATION)
    defs = load_definitions(file=str(defs_file))
    instance = Instance.ephemeral()
    result = materialize(defs, instance=instance)
    assert result.success
    assert result.output_for("order_total") == 15
    latest = instance.storage.latest_materializations(["order_total"])
    assert ("order_total", None) in latest
