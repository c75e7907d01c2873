"""The launchpad's API: preview (plan, missing upstream, config fields, confirmation),
validation errors that name what is wrong, launch in the background, backfills, security."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetgraph.automation.backfills import get_backfill
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, Site, write_site

POST = {"Origin": ORIGIN}
TOKEN = "launch-token"

LAUNCH_DEFS = """
from assetgraph import (
    Config, DailyPartitionsDefinition, Definitions, HourlyPartitionsDefinition, asset
)

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-11")
hourly = HourlyPartitionsDefinition(start_date="2025-01-01-00:00", end_date="2025-01-11-00:00")


class SummaryConfig(Config):
    title: str = "daily"
    top: int = 3


@asset(partitions_def=daily, group_name="ingest")
def raw(context) -> int:
    return int(context.partition_key[-2:])


@asset(partitions_def=daily, group_name="ingest")
def features(raw: int) -> int:
    return raw * 2


@asset(group_name="reports")
def summary(context, config: SummaryConfig, features: dict) -> str:
    context.log.info(f"summary titled {config.title} over {len(features)} days")
    return config.title


@asset(partitions_def=hourly, group_name="web")
def clicks(context) -> int:
    return 1


defs = Definitions(assets=[raw, features, summary, clicks])
"""


def build_launch_site(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The code location above with raw's first three days materialized."""
    from assetgraph.execution.materialize import materialize

    site = write_site(folder, LAUNCH_DEFS, monkeypatch)
    result = materialize(
        site.state.defs,
        selection="raw",
        partition_range=("2025-01-01", "2025-01-03"),
        instance=site.instance,
    )
    assert result.success
    return site


@pytest.fixture
def launch_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return build_launch_site(tmp_path / "site", monkeypatch)


@pytest.fixture
def lp(launch_site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(launch_site.state), base_url=ORIGIN) as client:
        yield client


def preview(client: TestClient, **request: Any) -> dict[str, Any]:
    response = client.post("/api/launchpad/preview", json=request, headers=POST)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def launch(client: TestClient, **request: Any) -> tuple[int, Any]:
    response = client.post("/api/launchpad/launch", json=request, headers=POST)
    return response.status_code, response.json()


def wait_for_end(client: TestClient, run_id: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()["run"]
        if run["ended_at"] is not None or time.monotonic() > deadline:
            return run
        time.sleep(0.2)  # polling the run's end, with a deadline


JANUARY = {"first": "2025-01-01", "last": "2025-01-10"}


def test_preview_counts_steps_and_warns_of_missing_upstream_partitions(lp: TestClient) -> None:
    plan = preview(lp, selection="features", partition_range=JANUARY)
    assert plan["error"] is None
    assert [(a["name"], a["steps"], a["partitions"]) for a in plan["assets"]] == [
        ("features", 10, 10)
    ]
    [warning] = plan["warnings"]
    # raw holds 2025-01-01...03: the other 7 days' steps would fail.
    assert warning["upstream"] == "raw" and warning["steps"] == 7
    assert warning["missing_ranges"] == ["2025-01-04...2025-01-10"]
    assert "7 steps of 'features' read partitions of 'raw'" in warning["message"]
    assert plan["include_upstream"] == "features raw"

    included = preview(lp, selection=plan["include_upstream"], partition_range=JANUARY)
    assert included["warnings"] == [] and included["steps"] == 20
    # Only the missing partitions of both: raw's 7 and features' 10, all of them covered.
    missing = preview(lp, selection="+features", missing=True)
    assert missing["warnings"] == [] and missing["steps"] == 7 + 10


def test_an_unpartitioned_downstream_reading_missing_partitions_is_warned(lp: TestClient) -> None:
    plan = preview(lp, selection="summary")
    [warning] = plan["warnings"]
    assert (warning["asset"], warning["upstream"], warning["steps"]) == ("summary", "features", 1)
    assert warning["missing_upstream"] == 10
    assert plan["config_fields"] == [
        {
            "asset": "summary",
            "field": "title",
            "type": "str",
            "required": False,
            "default": "daily",
            "description": None,
        },
        {
            "asset": "summary",
            "field": "top",
            "type": "int",
            "required": False,
            "default": 3,
            "description": None,
        },
    ]
    assert plan["config_template"] == "summary:\n  title: daily\n  top: 3\n"


@pytest.mark.parametrize(
    ("request_body", "expected"),
    [
        ({"selection": "featurs", "partition": "2025-01-02"}, "Unknown asset 'featurs'"),
        ({"selection": "  "}, "Write a selection"),
        ({"selection": "group:nope"}, "group"),
        ({"selection": "features"}, "say which partitions"),
        ({"selection": "features", "partition": "2025-01-30"}, "2025-01-30"),
        (
            {
                "selection": "features",
                "partition_range": {"first": "2025-01-09", "last": "2025-01-02"},
            },
            "reversed",
        ),
        ({"selection": "summary", "run_config": "summary: {top: many}"}, "field 'top'"),
        ({"selection": "summary", "run_config": "summary: {tpo: 1}"}, "field 'tpo'"),
        ({"selection": "summary", "run_config": "sumary: {top: 1}"}, "'sumary'"),
        ({"selection": "summary", "run_config": "summary: [1"}, "not valid YAML/JSON"),
        ({"selection": "summary", "run_config": "- 1"}, "must hold a mapping"),
        ({"selection": "summary", "tags": {" ": "x"}}, "empty key"),
    ],
)
def test_a_wrong_request_is_answered_before_anything_runs(
    lp: TestClient, launch_site: Site, request_body: dict[str, Any], expected: str
) -> None:
    plan = preview(lp, **request_body)
    assert plan["error"] is not None and expected in plan["error"], plan["error"]
    status, body = launch(lp, **request_body)
    assert status == 422 and expected in body["detail"], body
    assert launch_site.instance.storage.list_runs(limit=10)[0].selection == "raw"  # no new run


def test_run_config_errors_name_the_asset_and_the_field(lp: TestClient) -> None:
    plan = preview(lp, selection="summary", run_config='{"summary": {"top": "many"}}')
    assert plan["error"].startswith("Invalid run config for asset 'summary' (SummaryConfig)")
    assert "field 'top'" in plan["error"] and "'many'" in plan["error"]
    # Dagster's shape is accepted too.
    dagster = preview(lp, selection="summary", run_config="ops: {summary: {config: {top: 5}}}")
    assert dagster["error"] is None and dagster["steps"] == 1


def test_a_launch_returns_the_run_id_at_once_and_the_run_finishes(
    lp: TestClient, launch_site: Site
) -> None:
    started = time.perf_counter()
    status, body = launch(
        lp,
        selection="+summary",
        missing=True,
        run_config="summary: {title: monthly}",
        tags={"team": "data", "assetgraph/priority": "5"},
    )
    elapsed = time.perf_counter() - started
    assert status == 201, body
    assert body["url"] == f"/runs/{body['run_id']}" and body["steps"] == 7 + 10 + 1
    assert elapsed < 10, "the launch waited for the run"  # not a timing: it must not block
    run = wait_for_end(lp, body["run_id"])
    assert run["status"] == "success", (run["error"], run)
    assert run["launched_by"] == "ui"
    assert run["tags"]["team"] == "data" and run["tags"]["assetgraph/priority"] == "5"
    assert run["targets"]["raw"] == [["2025-01-04", "2025-01-10"]]
    assert run["targets"]["features"] == [["2025-01-01", "2025-01-10"]]
    assert run["targets"]["summary"] is None
    events = lp.get(f"/api/runs/{body['run_id']}/log", params={"search": "titled"}).json()
    assert any(
        "summary titled monthly over 10 days" in (e["message"] or "") for e in events["events"]
    )


def test_a_launch_that_cannot_start_leaves_a_failed_run_saying_why(
    lp: TestClient, launch_site: Site
) -> None:
    launch_site.file.write_text("this is not python(\n", encoding="utf-8")
    status, body = launch(lp, selection="raw", partition="2025-01-09")
    assert status == 201, body
    run = wait_for_end(lp, body["run_id"])
    assert run["status"] == "failure"
    assert "The run did not start" in run["error"] and "defs.py" in run["error"], run["error"]


def test_a_large_launch_needs_the_step_count_confirmed(lp: TestClient, launch_site: Site) -> None:
    request = {"selection": "group:web", "all_partitions": True, "as_backfill": True}
    plan = preview(lp, **request)
    assert plan["steps"] == 240 and plan["needs_confirmation"]
    assert "240 steps over 240 partitions" in plan["confirm_reason"]
    status, body = launch(lp, **request)
    assert status == 409 and "Confirm the 240 steps" in body["detail"]
    status, body = launch(lp, **request, confirmed_steps=239)
    assert status == 409
    status, body = launch(lp, **request, confirmed_steps=240, tags={"team": "web"})
    assert status == 201, body
    assert body["run_id"] is None and body["url"] == f"/backfills/{body['backfill_id']}"
    stored = get_backfill(body["backfill_id"], launch_site.instance)
    assert sorted(stored.state["assets"]) == ["clicks"] and stored.tags == {"team": "web"}
    assert sum(p["target"] for p in stored.state["progress"].values()) == 240


def test_a_backfill_takes_no_stale_option_and_no_run_config(lp: TestClient) -> None:
    for extra, expected in (
        ({"stale": True}, "not 'stale'"),
        ({"run_config": "summary: {top: 1}"}, "no run config"),
    ):
        request = {"selection": "+summary", "partition": "2025-01-02", "as_backfill": True}
        assert preview(lp, **request, **extra)["backfill_note"] is not None
        status, body = launch(lp, **request, **extra)
        assert status == 422 and expected in body["detail"]


def test_the_launchpad_api_keeps_the_security_rules(launch_site: Site) -> None:
    request = {"selection": "raw", "partition": "2025-01-05"}
    with TestClient(create_app(launch_site.state), base_url=ORIGIN) as client:
        for path in ("/api/launchpad/preview", "/api/launchpad/launch"):
            assert client.post(path, json=request).status_code == 403  # no Origin
            evil = {"Origin": "http://evil.test"}
            assert client.post(path, json=request, headers=evil).status_code == 403
        assert client.get("/launchpad", headers={"Host": "evil.test"}).status_code == 403
    guarded = create_app(launch_site.state, token=TOKEN)
    with TestClient(guarded, base_url="http://10.1.2.3:3000") as client:
        for path in ("/api/launchpad/preview", "/api/launchpad/launch"):
            assert client.post(path, json=request).status_code == 401
        assert client.get("/launchpad").status_code == 401
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        response = client.post("/api/launchpad/preview", json=request, headers=bearer)
        assert response.status_code == 200 and response.json()["steps"] == 1
    assert launch_site.instance.storage.list_runs(limit=10)[0].selection == "raw"


def test_the_launchpad_page_escapes_nothing_into_html(lp: TestClient) -> None:
    page = lp.get("/launchpad?select=%3Cimg%20src%3Dx%3E")
    assert page.status_code == 200
    assert "<img" not in page.text and "/static/launchpad.js" in page.text
    assert "Content-Security-Policy" in page.headers


def test_preview_names_runs_in_flight_that_build_some_of_the_partitions(
    lp: TestClient, launch_site: Site
) -> None:
    from assetgraph.partitions.key_range import PartitionKeyRange
    from assetgraph.planning.targets import TARGETS_TAG, RunTargets
    from assetgraph.storage.records import RunRecord, RunStatus

    targets = RunTargets({"raw": (PartitionKeyRange("2025-01-04", "2025-01-06"),), "summary": None})
    launch_site.instance.storage.create_run(
        RunRecord(
            run_id="a" * 32,
            status=RunStatus.QUEUED,
            created_at=time.time(),
            selection="raw summary",
            asset_keys=("raw", "summary"),
            tags={TARGETS_TAG: targets.to_json()},
        )
    )
    plan = preview(
        lp, selection="raw", partition_range={"first": "2025-01-05", "last": "2025-01-10"}
    )
    [run] = plan["in_flight"]
    assert run["run_id"] == "a" * 32 and run["partitions"] == {"raw": 2}
    assert run["message"] == "Run aaaaaaaa (queued) already builds 2 of these partitions (raw 2)."
    assert preview(lp, selection="summary")["in_flight"][0]["partitions"] == {"summary": 1}
    assert preview(lp, selection="features", partition="2025-01-05")["in_flight"] == []


DYNAMIC_DEFS = """
from assetgraph import Definitions, DynamicPartitionsDefinition, asset

customers = DynamicPartitionsDefinition(name="customers")


@asset(partitions_def=customers)
def accounts(context) -> str:
    return context.partition_key


@asset(partitions_def=customers)
def invoices(accounts: str) -> str:
    return accounts.upper()


defs = Definitions(assets=[accounts, invoices])
"""


def test_dynamic_partitions_preview_and_launch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "dynamic", DYNAMIC_DEFS, monkeypatch)
    site.instance.add_dynamic_partitions("customers", ["acme", "globex", "initech"])
    with TestClient(create_app(site.state), base_url=ORIGIN) as client:
        plan = preview(client, selection="invoices", all_partitions=True)
        [warning] = plan["warnings"]
        assert (warning["upstream"], warning["steps"], warning["missing_upstream"]) == (
            "accounts",
            3,
            3,
        )
        status, body = launch(
            client, selection="+invoices", partition_range={"first": "globex", "last": "initech"}
        )
        assert status == 201 and body["steps"] == 4, body
        assert wait_for_end(client, body["run_id"])["status"] == "success"
        after = preview(client, selection="invoices", all_partitions=True)
        assert after["warnings"][0]["missing_ranges"] == ["acme"]


def test_the_launchpad_api_is_documented(lp: TestClient) -> None:
    paths = lp.get("/openapi.json").json()["paths"]
    assert list(paths["/api/launchpad/preview"]) == ["post"]
    assert list(paths["/api/launchpad/launch"]) == ["post"]
    assert lp.get("/api/launchpad/launch").status_code == 405


def test_nothing_missing_is_nothing_to_launch(lp: TestClient) -> None:
    request = {
        "selection": "raw",
        "missing": True,
        "partition_range": {"first": "2025-01-01", "last": "2025-01-03"},
    }
    assert preview(lp, **request)["steps"] == 0
    status, body = launch(lp, **request)
    assert status == 409 and body["detail"].startswith("Nothing to do")
