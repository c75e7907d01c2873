"""The backfills and automation API on real state: a backfill launched with the Python API
and carried out by daemon ticks (``automate --now``), a sensor and a schedule; their
errors, the security gate on the new writes, and the HTML pages' 404s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetgraph.storage.automation_store import AutomationStore
from assetgraph.ui.app import create_app
from tests.ui.automation_site import automate, build_automation_site, cli
from tests.ui.conftest import ORIGIN, Site

WRITE = {"Origin": ORIGIN}
TOKEN = "auto-token"
SENSORS = "/api/automation/instigators/sensor"


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Site, Any]:
    return build_automation_site(tmp_path / "site", monkeypatch)


@pytest.fixture
def client(built: tuple[Site, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(built[0].state), base_url=ORIGIN) as test_client:
        yield test_client


def test_backfills_list_progress_per_asset_and_runs(
    client: TestClient, built: tuple[Site, Any]
) -> None:
    backfill_id = built[1].backfill_id
    [listed] = client.get("/api/backfills").json()
    assert listed["backfill_id"] == backfill_id and listed["status"] == "completed_failed"
    totals = {"target": 8, "done": 6, "failed": 2, "in_progress": 0, "remaining": 0}
    assert listed["totals"] == totals
    assert client.get("/api/backfills?status=requested").json() == []
    assert client.get("/api/backfills?status=bogus").status_code == 422
    detail = client.get(f"/api/backfills/{backfill_id[:6]}").json()  # a unique prefix opens it
    by_asset = {a["asset"]: a for a in detail["assets"]}
    assert by_asset["readings"]["failed_ranges"] == ["2025-01-03"]
    assert by_asset["cleaned"]["done"] == 3
    statuses = sorted(run["status"] for run in detail["runs"])
    assert statuses == ["failure", "success", "success", "success"]
    assert all(run["launched_by"] == "backfill" for run in detail["runs"])
    assert detail["can_resume"] and not detail["can_cancel"]
    missing = client.get("/api/backfills/nope1234")
    assert missing.status_code == 404 and "backfill list" in missing.json()["detail"]


def test_cancel_and_resume_go_through_the_backfill_store(
    client: TestClient, built: tuple[Site, Any]
) -> None:
    from assetgraph import launch_backfill

    site, done = built
    refused = client.post(f"/api/backfills/{done.backfill_id}/cancel", headers=WRITE)
    assert refused.status_code == 409 and "completed_failed" in refused.json()["detail"]
    resumed = client.post(f"/api/backfills/{done.backfill_id}/resume", headers=WRITE).json()
    assert resumed["status"] == "requested" and resumed["totals"]["remaining"] == 2
    fresh = launch_backfill(
        site.defs(), "cleaned", partition_range="2025-01-01...2025-01-02", instance=site.instance
    )
    canceled = client.post(f"/api/backfills/{fresh.backfill_id}/cancel", headers=WRITE).json()
    assert canceled["status"] == "canceled" and canceled["can_resume"]
    shown = json.loads(cli("backfill", "show", fresh.backfill_id, "--json"))
    assert shown["status"] == "canceled", "the CLI reads what the UI wrote"
    for now in ("2025-01-06T01:00:00+00:00", "2025-01-06T01:10:00+00:00"):
        automate(site, now)  # the resumed backfill runs 2025-01-03 again, and fails again
    again = client.get(f"/api/backfills/{done.backfill_id}").json()
    assert again["status"] == "completed_failed" and len(again["runs"]) == 5


def test_schedules_and_sensors_state_toggle_and_tick_history(
    client: TestClient, built: tuple[Site, Any]
) -> None:
    site = built[0]
    listed = client.get("/api/automation/instigators").json()
    items = {f"{i['kind']}:{i['name']}": i for i in listed}
    sensor, schedule = items["sensor:inbox_sensor"], items["schedule:nightly"]
    assert sensor["status"] == "running" and schedule["status"] == "stopped"
    assert schedule["cron_schedule"] == "0 2 * * *" and schedule["next_tick"] is None
    assert sensor["last_tick"]["skip_reasons"] == ["no new file in the inbox"]
    started = client.post(
        "/api/automation/instigators/schedule/nightly/status",
        json={"status": "running"},
        headers=WRITE,
    ).json()
    assert started["status"] == "running" and started["set_by_user"]
    assert started["next_tick"] == 1_736_128_800.0  # 2025-01-06 02:00 UTC
    schedules = json.loads(cli("schedules", "list", "-f", str(site.file), "--json"))
    assert schedules[0]["status"] == "RUNNING", "stored where the CLI reads it"
    cli("sensors", "stop", "inbox_sensor", "-f", str(site.file))
    assert client.get("/api/automation/instigators/sensor/inbox_sensor").json()["status"] == (
        "stopped"
    )
    history = client.get("/api/automation/instigators/sensor/inbox_sensor").json()["ticks"]
    assert [t["status"] for t in history] == ["skipped", "skipped", "requested"]
    first = history[-1]
    assert first["run_requests"] == [{"run_key": "a.txt", "partitions": 1, "assets": ["summary"]}]
    assert len(first["run_ids"]) == 1 and first["cursor"] == "a.txt"


def test_the_sensor_result_is_recorded_in_its_tick(built: tuple[Site, Any]) -> None:
    site = built[0]
    ticks = AutomationStore(site.instance.storage).list_ticks(None)
    first = ticks[-1].payload["instigators"]["sensor:inbox_sensor"]
    assert first["status"] == "requested" and first["cursor"] == "a.txt"
    assert first["run_requests"][0]["run_key"] == "a.txt"
    assert "schedule:nightly" not in ticks[-1].payload["instigators"], "stopped: not evaluated"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/automation/instigators/sensor/no_such", None, 404),
        ("get", "/api/automation/instigators/job/inbox_sensor", None, 422),
        ("post", f"{SENSORS}/inbox_sensr/status", {"status": "running"}, 404),
        ("post", "/api/automation/instigators/sensor/inbox_sensor/status", {"status": "on"}, 422),
        ("get", "/api/automation/ticks/999", None, 404),
        ("get", "/api/automation/assets/no_such_asset", None, 404),
    ],
)
def test_wrong_requests_get_clear_errors(
    client: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    response = getattr(client, method)(path, **({"json": body, "headers": WRITE} if body else {}))
    assert response.status_code == status, response.text


def test_an_unknown_sensor_name_suggests_the_nearest(client: TestClient) -> None:
    response = client.post(
        "/api/automation/instigators/sensor/inbox_sensr/status",
        json={"status": "running"},
        headers=WRITE,
    )
    assert "Did you mean 'inbox_sensor'" in response.json()["detail"]


def test_ticks_say_what_each_asset_got_and_show_the_condition_tree(client: TestClient) -> None:
    ticks = client.get("/api/automation/ticks").json()
    assert [t["tick_id"] for t in ticks] == [3, 2, 1]
    assert ticks[-1]["requested"] == ["summary"] and ticks[-1]["waiting"] == ["cleaned"]
    detail = client.get("/api/automation/ticks/3").json()
    decisions = {d["asset"]: d for d in detail["decisions"]}
    assert decisions["cleaned"]["decision"] == "waiting"
    assert decisions["cleaned"]["skipped"] == [
        "waiting 2025-01-03: upstream readings[2025-01-03] is missing"
    ]
    tree = decisions["anomalies"]["condition"]
    assert tree["initial"] is False
    root = tree["tree"]
    assert root["label"] == "eager" and root["total"] == 4
    window = root["children"][0]
    assert window == {
        "name": "in_latest_time_window",
        "true": 1,
        "total": 4,
        "partitions": "2025-01-04",
    }


def test_the_asset_automation_panel_data(client: TestClient) -> None:
    summary = client.get("/api/automation/assets/summary").json()
    assert summary["policy"] == "eager" and summary["condition"] is None
    assert summary["freshness"]["maximum_lag_minutes"] == 120
    assert summary["sensors"] == ["schedule:nightly", "sensor:inbox_sensor"]
    assert summary["latest"]["tick_id"] == 2, "tick 3 did not evaluate summary"
    assert [e["evaluated"] for e in summary["evaluations"]] == [False, True, True]
    anomalies = client.get("/api/automation/assets/anomalies").json()
    assert anomalies["condition"]["label"] == "eager" and anomalies["policy"] is None
    assert anomalies["latest"]["condition"]["tree"]["name"] == "AND"


def test_pages_and_their_404s(client: TestClient, built: tuple[Site, Any]) -> None:
    backfill_id = built[1].backfill_id
    for path, script in (
        ("/backfills", "backfills.js"),
        (f"/backfills/{backfill_id}", "backfill.js"),
        ("/automation", "automation.js"),
        ("/automation/ticks/1", "tick.js"),
        ("/automation/sensor/inbox_sensor", "instigator.js"),
        ("/assets/summary", "asset_automation.js"),
    ):
        response = client.get(path)
        assert response.status_code == 200 and f"/static/{script}" in response.text, path
    for path in (
        "/backfills/nope1234",
        "/automation/ticks/999",
        "/automation/ticks/x",
        "/automation/sensor/nope",
        '/automation/sensor/"><script>x()</script>',
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<script>x()" not in response.text


def test_the_new_endpoints_pass_the_security_gate(built: tuple[Site, Any]) -> None:
    site, backfill = built
    guarded = TestClient(create_app(site.state, token=TOKEN), base_url="http://10.1.2.3:3000")
    paths = (
        "/backfills",
        f"/backfills/{backfill.backfill_id}",
        "/api/backfills",
        f"/api/backfills/{backfill.backfill_id}",
        "/api/automation/instigators",
        "/api/automation/instigators/sensor/inbox_sensor",
        "/api/automation/ticks/1",
        "/api/automation/assets/summary",
        "/automation/ticks/1",
    )
    for path in paths:
        assert guarded.get(path).status_code == 401, path
        authorized = guarded.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert authorized.status_code == 200, path
    writes = (
        (f"/api/backfills/{backfill.backfill_id}/resume", {}),
        ("/api/automation/instigators/sensor/inbox_sensor/status", {"status": "stopped"}),
    )
    guarded.get(f"/?token={TOKEN}")  # the browser's cookie
    for path, body in writes:
        evil = guarded.post(path, json=body, headers={"Origin": "http://evil.test"})
        assert evil.status_code == 403, path
        none = guarded.post(path, json=body)
        assert none.status_code == 403, path
    store = AutomationStore(site.instance.storage)
    assert store.get_cursor("status:sensor:inbox_sensor") is None, "no refused write landed"
    assert client_status(guarded, backfill.backfill_id) == "completed_failed"
    loopback = TestClient(create_app(site.state), base_url="http://evil.test")
    assert loopback.get("/api/backfills").status_code == 403, "DNS rebinding: not a loopback host"


def client_status(client: TestClient, backfill_id: str) -> str:
    return str(client.get(f"/api/backfills/{backfill_id}").json()["status"])


def test_a_started_schedule_records_the_cron_tick_it_ran_for(
    client: TestClient, built: tuple[Site, Any]
) -> None:
    site = built[0]
    cli("schedules", "start", "nightly", "-f", str(site.file))
    automate(site, "2025-01-06T01:55:00+00:00")  # not due: no result recorded
    automate(site, "2025-01-06T02:05:00+00:00")
    schedule = client.get("/api/automation/instigators/schedule/nightly").json()
    [tick] = schedule["ticks"]
    assert tick["status"] == "requested" and tick["scheduled_for"] == 1_736_128_800.0
    assert tick["run_requests"] == [{"run_key": None, "partitions": 1, "assets": ["summary"]}]
    assert len(tick["run_ids"]) == 1 and tick["note"].endswith("run requested")


def test_ticks_are_paged_newest_first(client: TestClient) -> None:
    first = client.get("/api/automation/ticks?limit=2").json()
    assert [t["tick_id"] for t in first] == [3, 2]
    older = client.get("/api/automation/ticks?limit=2&before_id=2").json()
    assert [t["tick_id"] for t in older] == [1]
