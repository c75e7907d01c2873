"""Run filters, the paged and filtered event log, cancel and re-execute, through the API."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph.storage.records import RunRecord, RunStatus
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, Site
from tests.ui.test_asset_panels import build_checks_site

POST = {"Origin": ORIGIN}


@pytest.fixture
def checks_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return build_checks_site(tmp_path / "runs", monkeypatch)


@pytest.fixture
def runs_client(checks_site: Site) -> TestClient:
    with TestClient(create_app(checks_site.state), base_url=ORIGIN) as client:
        yield client


def run_ids(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/api/runs?{query}")
    assert response.status_code == 200, response.text
    return [run["run_id"] for run in response.json()]


def test_runs_filter_by_asset_partition_tag_status_and_launcher(runs_client: TestClient) -> None:
    every = runs_client.get("/api/runs").json()
    assert len(every) == 6 and {r["launched_by"] for r in every} == {"cli"}
    assert len(run_ids(runs_client, "asset=orders")) == 5
    assert len(run_ids(runs_client, "asset=summary")) == 1
    on_01 = runs_client.get("/api/runs?asset=orders&partition=2025-01-01").json()
    assert [r["partitions"] for r in on_01] == ["2025-01-01", "2025-01-01"]
    [failed] = runs_client.get("/api/runs?partition=2025-01-03").json()
    assert failed["status"] == "failure"
    assert run_ids(runs_client, "status=failure") == [failed["run_id"]]
    assert run_ids(runs_client, "partition=2025-01-03&status=success") == []
    assert len(run_ids(runs_client, "launched_by=cli")) == 6
    assert run_ids(runs_client, "launched_by=automation") == []
    tagged = run_ids(runs_client, "tag=assetgraph/partitions=--partition 2025-01-03")
    assert tagged == [failed["run_id"]]
    bad = runs_client.get("/api/runs?tag=novalue")
    assert bad.status_code == 422 and "KEY=VALUE" in bad.json()["detail"]
    assert runs_client.get("/api/runs?asset=nope").status_code == 404


def test_the_event_log_pages_and_filters_by_step_kind_level_and_text(
    runs_client: TestClient,
) -> None:
    [failed] = runs_client.get("/api/runs?status=failure").json()
    base = f"/api/runs/{failed['run_id']}/log"
    whole = runs_client.get(base).json()
    assert whole["total"] == len(whole["events"]) >= 6
    assert whole["steps"] == ["orders[2025-01-03]"]
    assert "step_failure" in whole["kinds"] and "run_start" in whole["kinds"]
    page = runs_client.get(f"{base}?offset=2&limit=2").json()
    assert [e["event_id"] for e in page["events"]] == [e["event_id"] for e in whole["events"][2:4]]
    assert page["total"] == whole["total"] and page["offset"] == 2
    kinds = runs_client.get(f"{base}?kind=asset_check_evaluation").json()
    assert kinds["total"] == 2
    assert {e["event_type"] for e in kinds["events"]} == {"asset_check_evaluation"}
    warnings = runs_client.get(f"{base}?level=WARNING").json()
    assert warnings["total"] >= 1 and all(e["level"] == "WARNING" for e in warnings["events"])
    found = runs_client.get(f"{base}?search=BLOCKING CHECK").json()
    assert found["total"] >= 1
    assert all("blocking check" in (e["message"] or "").lower() for e in found["events"])
    none = runs_client.get(f"{base}?step=nope").json()
    assert none["total"] == 0 and none["steps"] == ["orders[2025-01-03]"]
    assert runs_client.get(f"{base}?kind=bogus").status_code == 422
    assert runs_client.get("/api/runs/ffffffffffff/log").status_code == 404


def test_materialization_events_carry_their_metadata(runs_client: TestClient) -> None:
    run = runs_client.get("/api/runs?asset=summary").json()[0]
    log = runs_client.get(f"/api/runs/{run['run_id']}/log?kind=asset_materialization").json()
    [event] = log["events"]
    assert event["asset_key"] == "summary" and event["metadata"]


def test_cancel_refuses_a_finished_run_and_cancels_a_queued_one(
    runs_client: TestClient, checks_site: Site
) -> None:
    [failed] = runs_client.get("/api/runs?status=failure").json()
    done = runs_client.post(f"/api/runs/{failed['run_id']}/cancel", headers=POST)
    assert done.status_code == 409 and "already finished" in done.json()["detail"]
    storage = checks_site.instance.storage
    queued = RunRecord("feed" * 8, RunStatus.QUEUED, time.time(), "summary", ("summary",))
    storage.create_run(queued)
    cross_site = runs_client.post(
        f"/api/runs/{queued.run_id}/cancel", headers={"Origin": "http://evil.test"}
    )
    assert cross_site.status_code == 403
    answer = runs_client.post(f"/api/runs/{queued.run_id}/cancel", headers=POST)
    assert answer.status_code == 200 and answer.json()["status"] == "canceled"
    assert storage.get_run(queued.run_id).status is RunStatus.CANCELED


def test_reexecute_from_failure_starts_a_new_run_of_the_failed_partition(
    runs_client: TestClient,
) -> None:
    [failed] = runs_client.get("/api/runs?status=failure").json()
    url = f"/api/runs/{failed['run_id']}/reexecute"
    assert runs_client.post(url, json={}, headers={"Origin": "http://evil.test"}).status_code == 403
    started = time.monotonic()
    answer = runs_client.post(url, json={"from_failure": True}, headers=POST)
    assert answer.status_code == 201, answer.text
    new_id = answer.json()["run_id"]
    assert new_id != failed["run_id"]
    assert time.monotonic() - started < 60
    run = runs_client.get(f"/api/runs/{new_id}").json()["run"]
    assert run["launched_by"] == "re-execution"
    assert run["tags"]["assetgraph/parent_run"] == failed["run_id"]
    assert run["partitions"] == "2025-01-03"
    assert run_ids(runs_client, "launched_by=re-execution") == [new_id]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({}, "cli"),
        ({"assetgraph/ui_request": "abc"}, "ui"),
        ({"assetgraph/ui_request": "abc", "assetgraph/parent_run": "r1"}, "re-execution"),
        ({"assetgraph/backfill": "b1"}, "backfill"),
        ({"assetgraph/automation_origin": "automation", "assetgraph/backfill": "b"}, "automation"),
        ({"assetgraph/automation_origin": "sensor:new_files"}, "sensor:new_files"),
    ],
)
def test_who_launched_a_run_is_read_from_its_tags(tags: dict[str, str], expected: str) -> None:
    from assetgraph.automation.backfills import BACKFILL_TAG
    from assetgraph.automation.tags import ORIGIN_TAG
    from assetgraph.execution.reexecution import PARENT_RUN_TAG
    from assetgraph.status import runs as status_runs
    from assetgraph.status.runs import launched_by
    from assetgraph.ui.launcher import REQUEST_TAG

    # The tag names this layer repeats are the ones their owners write.
    assert status_runs.BACKFILL_TAG == BACKFILL_TAG
    assert status_runs.AUTOMATION_ORIGIN_TAG == ORIGIN_TAG
    assert status_runs.PARENT_RUN_TAG == PARENT_RUN_TAG
    assert status_runs.UI_REQUEST_TAG == REQUEST_TAG
    assert launched_by(RunRecord("r", RunStatus.SUCCESS, 0.0, tags=tags)) == expected
