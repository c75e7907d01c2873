"""The UI's JSON API, pages and /metrics, through an HTTP client against the real app."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ui.conftest import ORIGIN, Site

POST_HEADERS = {"Origin": ORIGIN}


def test_catalog_lists_every_asset_with_status_and_last_materialization(
    client: TestClient,
) -> None:
    body = client.get("/api/assets").json()
    by_key = {asset["key"]: asset for asset in body["assets"]}
    assert sorted(by_key) == ["broken", "cleaned_orders", "raw_orders", "revenue"]
    assert by_key["raw_orders"]["status"] == "partial"
    assert by_key["raw_orders"]["partitions"] == {
        "total": 10,
        "materialized": 3,
        "failed": 0,
        "missing": 7,
        "stale": 0,
    }
    assert by_key["raw_orders"]["last_materialized_at"] is not None
    assert by_key["revenue"]["status"] == "missing"
    assert by_key["revenue"]["last_materialized_at"] is None
    assert by_key["broken"]["status"] == "failed"
    assert body["groups"] == ["reports", "sales"]
    assert body["tags"] == ["tier=bronze", "tier=silver"]
    assert [s["status"] for s in body["statuses"]][:2] == ["materialized", "partial"]


def test_catalog_filters_by_search_group_tag_and_status(client: TestClient) -> None:
    def keys(query: str) -> list[str]:
        return [a["key"] for a in client.get(f"/api/assets?{query}").json()["assets"]]

    assert keys("search=CLEAN") == ["cleaned_orders"]
    assert keys("search=shop") == ["raw_orders"]  # matches the description
    assert sorted(keys("group=reports")) == ["broken", "revenue"]
    assert keys("tag=tier=silver") == ["cleaned_orders"]
    assert keys("tag=tier") == ["raw_orders", "cleaned_orders"]
    assert keys("status=failed") == ["broken"]


def test_asset_detail_shows_definition_code_version_and_neighbours(client: TestClient) -> None:
    body = client.get("/api/assets/cleaned_orders").json()
    assert body["summary"]["description"] == "Orders without duplicates."
    assert re.fullmatch(r"[0-9a-f]{8,}", body["code_version"]), body["code_version"]
    assert body["upstream"][0]["key"] == "raw_orders"
    assert body["upstream"][0]["partition_mapping"].startswith("IdentityPartitionMapping")
    assert body["downstream"] == ["revenue"]
    assert body["partitions_def"]["kind"] == "time_window"


def test_unknown_asset_is_404_naming_the_nearest_key(client: TestClient) -> None:
    response = client.get("/api/assets/raw_order")
    assert response.status_code == 404
    assert "raw_orders" in response.json()["detail"]


def test_partitions_are_ranges_of_equal_status(client: TestClient) -> None:
    body = client.get("/api/partitions/raw_orders").json()
    assert body["total"] == 10
    assert body["ranges"] == [
        {"status": "materialized", "first": "2025-01-01", "last": "2025-01-03", "count": 3},
        {"status": "missing", "first": "2025-01-04", "last": "2025-01-10", "count": 7},
    ]
    assert client.get("/api/partitions/revenue").json()["partitioned"] is False


def test_materializations_carry_metadata_newest_first(client: TestClient) -> None:
    events = client.get("/api/materializations/raw_orders?limit=2").json()
    assert [e["partition_key"] for e in events] == ["2025-01-03", "2025-01-02"]
    assert events[0]["metadata"]["row_count"] == 30
    assert events[0]["metadata"]["column_schema"]["order_id"] == "int64"


def test_lineage_has_nodes_with_status_and_edges(client: TestClient) -> None:
    body = client.get("/api/lineage").json()
    assert {n["key"]: n["status"] for n in body["nodes"]}["broken"] == "failed"
    edges = {(e["source"], e["target"]) for e in body["edges"]}
    assert edges == {("raw_orders", "cleaned_orders"), ("cleaned_orders", "revenue")}


def test_runs_list_and_run_page_show_steps_and_logs(client: TestClient) -> None:
    runs = client.get("/api/runs").json()
    assert [r["status"] for r in runs] == ["failure", "success", "success", "success"]
    assert all(r["duration"] is not None for r in runs)
    failed = client.get(f"/api/runs/{runs[0]['run_id'][:8]}").json()
    assert [(s["step_key"], s["status"]) for s in failed["steps"]] == [("broken", "failure")]
    events = client.get(f"/api/runs/{runs[0]['run_id']}/events").json()
    failure = next(e for e in events if e["event_type"] == "step_failure")
    assert "the source is down" in failure["error"]
    later = client.get(f"/api/runs/{runs[0]['run_id']}/events?after_id={events[0]['event_id']}")
    assert len(later.json()) == len(events) - 1
    ok = client.get(f"/api/runs/{runs[-1]['run_id']}/events").json()
    assert any(e["level"] == "INFO" and "fetching orders" in e["message"] for e in ok)
    assert client.get("/api/runs?status=failure").json()[0]["run_id"] == runs[0]["run_id"]
    assert client.get("/api/runs/ffffffffffff").status_code == 404


def test_materialize_launches_a_subprocess_run_that_succeeds(
    client: TestClient, site: Site
) -> None:
    response = client.post(
        "/api/materialize",
        json={"asset_key": "raw_orders", "partition": "2025-01-07"},
        headers=POST_HEADERS,
    )
    assert response.status_code == 201, response.text
    run_id = response.json()["run_id"]
    run = client.get(f"/api/runs/{run_id}").json()["run"]
    assert run["tags"]["assetgraph/ui_request"] == response.json()["request_id"]
    deadline = time.monotonic() + 60
    while run["ended_at"] is None and time.monotonic() < deadline:
        time.sleep(0.2)
        run = client.get(f"/api/runs/{run_id}").json()["run"]
    assert run["status"] == "success", run
    ranges = client.get("/api/partitions/raw_orders").json()["ranges"]
    assert {"status": "materialized", "first": "2025-01-07", "last": "2025-01-07", "count": 1} in (
        ranges
    )


def test_materialize_rejects_what_does_not_fit_the_asset(client: TestClient) -> None:
    def post(payload: dict[str, object]) -> tuple[int, str]:
        response = client.post("/api/materialize", json=payload, headers=POST_HEADERS)
        return response.status_code, response.json()["detail"]

    status, detail = post({"asset_key": "raw_orders"})
    assert status == 422 and "exactly one of partition" in detail
    status, detail = post({"asset_key": "raw_orders", "partition": "2025-02-30"})
    assert status == 422 and "2025-02-30" in detail
    status, detail = post({"asset_key": "revenue", "partition": "2025-01-01"})
    assert status == 422 and "not partitioned" in detail
    status, detail = post(
        {
            "asset_key": "raw_orders",
            "partition_range": {"first": "2025-01-05", "last": "2025-01-02"},
        }
    )
    assert status == 422 and "reversed" in detail
    assert post({"asset_key": "nope"})[0] == 404


def test_state_changing_endpoints_accept_post_only(client: TestClient) -> None:
    assert client.get("/api/materialize").status_code == 405


def test_cross_origin_post_is_forbidden(client: TestClient) -> None:
    payload = {"asset_key": "revenue"}
    evil = client.post("/api/materialize", json=payload, headers={"Origin": "http://evil.test"})
    assert evil.status_code == 403
    no_origin = client.post("/api/materialize", json=payload)
    assert no_origin.status_code == 403
    other_port = client.post(
        "/api/materialize", json=payload, headers={"Origin": "http://127.0.0.1:3001"}
    )
    assert other_port.status_code == 403
    referer = client.post(
        "/api/materialize",
        json={"asset_key": "revenue", "partition": "x"},
        headers={"Referer": f"{ORIGIN}/assets/revenue"},
    )
    assert referer.status_code == 422  # past the origin check, refused on its content


def test_a_foreign_host_header_is_refused_without_a_token(client: TestClient) -> None:
    response = client.get("/api/assets", headers={"Host": "rebound.evil.test:3000"})
    assert response.status_code == 403


def test_metrics_are_prometheus_text(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    sample = re.compile(r'^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? -?[0-9.e+Inf-]+$')
    families: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            families[name] = kind
        elif not line.startswith("# HELP "):
            assert sample.match(line), f"not a Prometheus sample line: {line!r}"
    assert families == {
        "assetgraph_runs": "gauge",
        "assetgraph_step_duration_seconds": "histogram",
        "assetgraph_materializations_total": "counter",
        "assetgraph_assets": "gauge",
        "assetgraph_stale_assets": "gauge",
    }
    assert 'assetgraph_runs{status="success"} 3' in text
    assert 'assetgraph_runs{status="failure"} 1' in text
    assert 'assetgraph_materializations_total{asset_key="raw_orders"} 3' in text
    assert 'assetgraph_step_duration_seconds_count{status="success"} 6' in text
    assert 'assetgraph_step_duration_seconds_bucket{status="failure",le="+Inf"} 1' in text
    assert "assetgraph_stale_assets 0" in text
    assert "# HELP assetgraph_stale_assets Assets with at least one stale partition" in text


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/assets",
        "/api/assets/{key}",
        "/api/partitions/{key}",
        "/api/materializations/{key}",
        "/api/lineage",
        "/api/runs",
        "/api/runs/{run_id}",
        "/api/runs/{run_id}/events",
        "/api/materialize",
        "/api/automation/ticks",
    ):
        assert path in paths, f"{path} missing from OpenAPI"
    assert list(paths["/api/materialize"]) == ["post"]


def test_automation_ticks_are_empty_until_ticks_are_recorded(client: TestClient) -> None:
    assert client.get("/api/automation/ticks").json() == []
    assert "automation.js" in client.get("/automation").text


def test_automation_ticks_show_runs_and_reasons(client: TestClient, site: Site) -> None:
    from assetgraph.storage.automation_store import AutomationStore

    store = AutomationStore(site.instance.storage)
    tick = store.start_tick(evaluated_at=1_735_700_000.0, started_at=1_735_700_001.0)
    payload = {
        "runs": [{"request_id": "1-1", "run_id": "feedbeef" * 4}],
        "assets": {
            "cleaned_orders": {
                "requested": ["2025-01-04"],
                "reasons": ["missing partition 2025-01-04 whose window ended"],
                "skipped": [],
            },
            "revenue": {"requested": None, "reasons": ["lazy: nothing needs it"], "skipped": []},
        },
    }
    store.finish_tick(tick, "success", payload, ended_at=1_735_700_002.0)
    [shown] = client.get("/api/automation/ticks").json()
    assert shown["status"] == "success" and shown["run_ids"] == ["feedbeef" * 4]
    assert shown["requested"] == ["cleaned_orders"] and shown["skipped"] == ["revenue"]
    detail = client.get(f"/api/automation/ticks/{tick}").json()
    reasons = {d["asset"]: (d["decision"], d["reasons"]) for d in detail["decisions"]}
    assert reasons == {
        "cleaned_orders": ("requested", ["missing partition 2025-01-04 whose window ended"]),
        "revenue": ("skipped", ["lazy: nothing needs it"]),
    }


def test_pages_are_shells_with_escaped_values_and_a_strict_csp(client: TestClient) -> None:
    run_id = client.get("/api/runs").json()[0]["run_id"]
    for path in ("/", "/lineage", "/runs", "/automation", "/assets/raw_orders", f"/runs/{run_id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page = client.get(f"/runs/{run_id[:8]}").text
    assert f'data-run-id="{run_id}"' in page, "a prefix opens the run"
    missing = client.get('/runs/"><img src=x onerror=alert(1)>')
    assert missing.status_code == 404
    assert "<img" not in missing.text
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in missing.text
    css = client.get("/status.css").text
    assert ".st-failed{" in css and ".st-materialized{" in css
    vendored = client.get("/static/vendor/cytoscape.min.js")
    assert vendored.status_code == 200 and len(vendored.content) > 100_000


def test_the_token_login_redirect_stays_on_this_site(site: Site) -> None:
    from assetgraph.ui.app import create_app

    with TestClient(create_app(site.state, token="s3cret"), base_url=ORIGIN) as client:
        response = client.get(f"{ORIGIN}//evil.test/x?token=s3cret", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/evil.test/x"


def test_runs_show_the_partitions_they_built_whatever_planned_them(
    client: TestClient, site: Site
) -> None:
    from datetime import UTC, datetime

    from assetgraph.automation.runs import execute_request

    request = {
        "request_id": "7-1",
        "origin": "automation",
        "now": datetime(2025, 1, 6, 1, tzinfo=UTC).isoformat(),
        "targets": {"raw_orders": ["2025-01-04...2025-01-05"], "cleaned_orders": ["2025-01-05"]},
        "tags": {},
    }
    run_id = execute_request(site.defs(), site.instance, request)
    runs = {r["run_id"]: r for r in client.get("/api/runs").json()}
    automation_run = runs[run_id]
    assert automation_run["partitions"] == (
        "raw_orders: 2025-01-04...2025-01-05; cleaned_orders: 2025-01-05"
    )
    assert automation_run["targets"] == {
        "raw_orders": [["2025-01-04", "2025-01-05"]],
        "cleaned_orders": ["2025-01-05"],
    }
    assert "assetgraph/partitions" not in automation_run["tags"]
    by_hand = sorted(r["partitions"] for r in runs.values() if r["selection"] != "broken")
    assert by_hand[:3] == ["2025-01-01", "2025-01-02", "2025-01-03"]
    shown = client.get(f"/api/runs/{run_id}").json()["run"]
    assert shown["partitions"] == automation_run["partitions"]


DYNAMIC_DEFS = """
from assetgraph import Definitions, DynamicPartitionsDefinition, asset

customers = DynamicPartitionsDefinition(name="customers")


@asset(partitions_def=customers)
def per_customer(context) -> str:
    return context.partition_key


defs = Definitions(assets=[per_customer])
"""


def test_materialize_of_a_dynamic_partition_checks_the_stored_keys_and_launches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetgraph.ui.app import create_app
    from tests.ui.conftest import write_site

    site = write_site(tmp_path / "dynamic", DYNAMIC_DEFS, monkeypatch)
    site.instance.add_dynamic_partitions("customers", ["acme", "globex", "initech"])
    with TestClient(create_app(site.state), base_url=ORIGIN) as client:

        def post(payload: dict[str, object]) -> Any:
            body = {"asset_key": "per_customer", **payload}
            return client.post("/api/materialize", json=body, headers=POST_HEADERS)

        unknown = post({"partition": "acne"})
        assert unknown.status_code == 422, unknown.text
        detail = unknown.json()["detail"]
        assert "'acne'" in detail and "customers" in detail and "acme" in detail
        assert "dynamic_partitions_store" not in detail
        reversed_range = post({"partition_range": {"first": "initech", "last": "acme"}})
        assert reversed_range.status_code == 422 and "reversed" in reversed_range.json()["detail"]

        one = post({"partition": "globex"})
        assert one.status_code == 201, one.text
        some = post({"partition_range": {"first": "acme", "last": "globex"}})
        assert some.status_code == 201, some.text
        for response in (one, some):
            run_id = response.json()["run_id"]
            deadline = time.monotonic() + 60
            run = client.get(f"/api/runs/{run_id}").json()["run"]
            while run["ended_at"] is None and time.monotonic() < deadline:
                time.sleep(0.2)
                run = client.get(f"/api/runs/{run_id}").json()["run"]
            assert run["status"] == "success", run
        assert client.get(f"/api/runs/{one.json()['run_id']}").json()["run"]["partitions"] == (
            "globex"
        )
        assert client.get(f"/api/runs/{some.json()['run_id']}").json()["run"]["partitions"] == (
            "acme...globex"
        )
