"""The asset page's checks and why panels, through the API, on state made by real runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph import materialize
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, Site, write_site

DEFS = '''
import os

import pandas as pd
from assetgraph import (
    AssetCheckResult, AssetCheckSeverity, DailyPartitionsDefinition, Definitions, asset,
    asset_check,
)

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-06")


@asset(partitions_def=daily)
def orders(context) -> pd.DataFrame:
    """Orders of one day. Read by ``summary``; see `the shop <https://shop.example>`_."""
    day = int(context.partition_key[-2:])
    scale = float(os.environ.get("ORDERS_SCALE", "1"))
    amount = -1.0 if day == 3 else scale
    return pd.DataFrame({"amount": [amount] * (day + 2)})


@asset_check(asset=orders, blocking=True, description="Amounts are positive.")
def positive(orders: pd.DataFrame) -> bool:
    return bool((orders["amount"] > 0).all())


@asset_check(asset=orders)
def few_rows(orders: pd.DataFrame) -> AssetCheckResult:
    return AssetCheckResult(
        passed=len(orders) < 5,
        severity=AssetCheckSeverity.WARN,
        metadata={"rows": len(orders)},
    )


@asset(deps=[orders])
def summary() -> int:
    return 1


defs = Definitions(assets=[orders, summary], asset_checks=[positive, few_rows])
'''


def build_checks_site(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """orders[01, 02, 04] built (02 and 04 fail the WARN check), orders[03] failed its
    blocking check, summary built and then made stale by orders[01] changing."""
    site = write_site(folder, DEFS, monkeypatch)
    defs = site.state.defs
    for day in ("2025-01-01", "2025-01-02", "2025-01-04"):
        assert materialize(defs, selection="orders", partition_key=day, instance=site.instance)
    assert not materialize(
        defs, selection="orders", partition_key="2025-01-03", instance=site.instance
    ).success
    assert materialize(defs, selection="summary", instance=site.instance).success
    monkeypatch.setenv("ORDERS_SCALE", "2")
    assert materialize(
        defs, selection="orders", partition_key="2025-01-01", instance=site.instance
    ).success
    return site


@pytest.fixture
def checks_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    site = build_checks_site(tmp_path / "checks", monkeypatch)
    with TestClient(create_app(site.state), base_url=ORIGIN) as client:
        yield client


def test_checks_show_each_check_blocking_or_not_with_latest_result_per_partition(
    checks_client: TestClient,
) -> None:
    body = checks_client.get("/api/checks/orders").json()
    checks = {c["name"]: c for c in body["checks"]}
    assert list(checks) == ["positive", "few_rows"]

    positive = checks["positive"]
    assert positive["blocking"] is True and positive["defined"] is True
    assert positive["description"] == "Amounts are positive."
    assert positive["status"] == "failed"
    latest = {row["partition_key"]: row["passed"] for row in positive["latest"]}
    assert latest == {
        "2025-01-01": True,
        "2025-01-02": True,
        "2025-01-03": False,
        "2025-01-04": True,
    }
    assert positive["latest"][0]["partition_key"] == "2025-01-03", "failing partitions first"
    assert (positive["evaluated_partitions"], positive["failing_partitions"]) == (4, 1)
    # 01 was evaluated twice: the history keeps both, newest first.
    history = [h["partition_keys"] for h in positive["history"]]
    assert history[0] == ["2025-01-01"] and history.count(["2025-01-01"]) == 2

    few_rows = checks["few_rows"]
    assert few_rows["blocking"] is False
    assert few_rows["status"] == "warning", "failures at WARN severity are warnings"
    failing = sorted(r["partition_key"] for r in few_rows["latest"] if not r["passed"])
    assert failing == ["2025-01-03", "2025-01-04"]  # 3 rows on 01, 4 on 02, 5 on 03, 6 on 04
    assert few_rows["history"][0]["metadata"] == {"rows": 3}


def test_an_asset_without_checks_has_an_empty_list(checks_client: TestClient) -> None:
    assert checks_client.get("/api/checks/summary").json() == {"key": "summary", "checks": []}


def test_why_names_stale_causes_root_causes_and_the_last_failure(
    checks_client: TestClient,
) -> None:
    why = checks_client.get("/api/why/summary").json()
    assert why["status"] == "stale"
    causes = {cause["cause"]: cause for cause in why["causes"]}
    assert sorted(causes) == ["upstream_changed", "upstream_missing"]
    assert causes["upstream_changed"]["upstream"] == "orders"
    assert causes["upstream_changed"]["text"] == "summary: upstream orders[2025-01-01] changed"
    assert "orders[2025-01-03, 2025-01-05] is missing" in causes["upstream_missing"]["text"]
    assert len(why["root_causes"]) == 2 and why["root_assets"] == ["orders"]
    assert why["last_failure"] is None
    assert why["freshness"] is None

    orders = checks_client.get("/api/why/orders").json()
    assert orders["missing"] == ["2025-01-03", "2025-01-05"]
    assert orders["missing_count"] == 2
    failure = orders["last_failure"]
    assert failure["partition_key"] == "2025-01-03"
    assert failure["latest_attempt_failed"] is True
    assert "positive" in (failure["error"] or "")
    run = checks_client.get(f"/api/runs/{failure['run_id']}").json()
    assert run["run"]["status"] == "failure"


def test_unknown_assets_are_404_on_the_new_endpoints(checks_client: TestClient) -> None:
    for path in ("/api/checks/nope", "/api/why/nope"):
        response = checks_client.get(path)
        assert response.status_code == 404, path
        assert "nope" in response.json()["detail"]


def test_the_new_endpoints_need_the_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_checks_site(tmp_path / "guarded", monkeypatch)
    with TestClient(create_app(site.state, token="s3cret"), base_url=ORIGIN) as guarded:
        for path in ("/api/checks/orders", "/api/why/orders", "/api/docs", "/api/redoc"):
            assert guarded.get(path).status_code == 401, path
            ok = guarded.get(path, headers={"Authorization": "Bearer s3cret"})
            assert ok.status_code == 200, path


def test_a_partition_drills_down_to_its_run_error_and_data_version(
    checks_client: TestClient,
) -> None:
    built = checks_client.get("/api/partition/orders?partition=2025-01-02").json()
    assert built["status"] == "materialized"
    assert built["data_version"] and built["code_version"]
    assert built["metadata"]["row_count"] == 4
    run = checks_client.get(f"/api/runs/{built['materialization_run_id']}").json()["run"]
    assert run["partitions"] == "2025-01-02"

    failed = checks_client.get("/api/partition/orders?partition=2025-01-03").json()
    assert failed["status"] == "failed" and "blocking check 'positive'" in failed["error"]
    assert failed["failure_run_id"] and failed["failed_at"]
    missing = checks_client.get("/api/partition/orders?partition=2025-01-05").json()
    assert missing["status"] == "missing" and missing["materialization_run_id"] is None

    stale = checks_client.get("/api/partition/summary").json()
    assert stale["status"] == "stale" and stale["partition_key"] is None
    assert "upstream orders[2025-01-01] changed" in " ".join(stale["stale_causes"])

    unknown = checks_client.get("/api/partition/orders?partition=2024-12-31")
    assert unknown.status_code == 404 and "2024-12-31" in unknown.json()["detail"]
    assert checks_client.get("/api/partition/orders").status_code == 404
    assert checks_client.get("/api/partition/summary?partition=x").status_code == 404
