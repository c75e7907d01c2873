"""``POST /api/materialize`` with ``job``: a run of a ``define_asset_job`` job from the UI."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, Site, write_site

POST_HEADERS = {"Origin": ORIGIN}

DEFS = """
from assetgraph import DailyPartitionsDefinition, Definitions, asset, define_asset_job

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-11")


@asset(partitions_def=daily, group_name="sales")
def orders(context) -> int:
    return int(context.partition_key[-2:])


@asset(partitions_def=daily, group_name="sales")
def doubled(orders: int) -> int:
    return orders * 2


@asset
def standalone() -> int:
    return 1


sales_job = define_asset_job("sales_job", selection="group:sales", tags={"team": "sales"})

defs = Definitions(assets=[orders, doubled, standalone], jobs=[sales_job])
"""


@pytest.fixture
def job_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return write_site(tmp_path / "site", DEFS, monkeypatch)


@pytest.fixture
def job_client(job_site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(job_site.state), base_url=ORIGIN) as client:
        yield client


def test_materialize_a_job_partition_from_the_ui(job_client: TestClient) -> None:
    response = job_client.post(
        "/api/materialize",
        json={"job": "sales_job", "partition": "2025-01-04"},
        headers=POST_HEADERS,
    )
    assert response.status_code == 201, response.text
    run_id = response.json()["run_id"]
    run = job_client.get(f"/api/runs/{run_id}").json()["run"]
    deadline = time.monotonic() + 60
    while run["ended_at"] is None and time.monotonic() < deadline:
        time.sleep(0.2)  # polling the run's end, with a deadline
        run = job_client.get(f"/api/runs/{run_id}").json()["run"]
    assert run["status"] == "success", run
    assert run["tags"]["assetgraph/job"] == "sales_job" and run["tags"]["team"] == "sales"
    assert sorted(run["asset_keys"]) == ["doubled", "orders"]


def test_job_requests_are_checked_before_anything_runs(job_client: TestClient) -> None:
    def post(payload: dict[str, object]) -> tuple[int, str]:
        response = job_client.post("/api/materialize", json=payload, headers=POST_HEADERS)
        return response.status_code, response.json()["detail"]

    status, detail = post({"job": "sale_job", "partition": "2025-01-04"})
    assert status == 422 and "Unknown job 'sale_job'" in detail and "sales_job" in detail
    status, detail = post({"job": "sales_job"})
    assert status == 422 and "Job 'sales_job' is partitioned" in detail
    status, detail = post({"job": "sales_job", "partition": "2025-03-01"})
    assert status == 422 and "2025-03-01" in detail
    status, detail = post({"job": "sales_job", "asset_key": "orders"})
    assert status == 422 and "asset_key or job" in detail
