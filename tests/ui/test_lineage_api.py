"""The lineage API (statuses, partition counts, check state, selection), the state version
pages poll, the multi-partition grid and the asset definition (policies, condition), on
state made by real runs of a small code location of four groups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph import materialize
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, Site, write_site

DEFS = '''
from datetime import timedelta

from assetgraph import (
    AutomationCondition, AutomationPolicy, DailyPartitionsDefinition, Definitions,
    FreshnessPolicy, MetadataValue, MultiPartitionsDefinition, StaticPartitionsDefinition,
    TableColumn, TableSchema, asset, asset_check, with_source_code_references,
)

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-08")
regions = StaticPartitionsDefinition(["eu", "us", "apac"])
day_region = MultiPartitionsDefinition({"date": daily, "region": regions})


@asset(
    group="ingest",
    partitions_def=daily,
    freshness_policy=FreshnessPolicy.partition_deadline(120),
    automation_policy=AutomationPolicy.eager(),
    metadata={
        "notes": MetadataValue.md("# Events\\n**Raw** events <script>alert(1)</script> "
                                  "from [the shop](https://shop.example)."),
        "dashboard": MetadataValue.url("https://dash.example/events"),
        "bad_link": MetadataValue.url("javascript:alert(1)"),
        "config": MetadataValue.json({"retries": 3, "sources": ["web", "app"]}),
        "landing": MetadataValue.path("/data/landing/events"),
        "analysis": MetadataValue.notebook("notebooks/events.ipynb"),
        "expected_rows": MetadataValue.int(1200),
        "sample_rate": MetadataValue.float(0.25),
        "columns": MetadataValue.table_schema(
            TableSchema(columns=[TableColumn("event_id", "int"), TableColumn("kind", "str")])
        ),
        "owners_table": MetadataValue.table([{"team": "data", "pager": "yes"}]),
        "plain": "a plain string",
    },
)
def raw_events(context) -> int:
    """Raw events of one day."""
    day = int(context.partition_key[-2:])
    context.add_output_metadata({"rows": day * 100})
    return day


@asset(group="ingest", partitions_def=day_region)
def regional_sales(context) -> int:
    day, region = context.partition_key.split("|")
    if (day, region) == ("2025-01-03", "apac"):
        raise ValueError("the apac feed is down")
    return len(region)


@asset(
    group="sales",
    partitions_def=daily,
    automation_condition=AutomationCondition.eager().with_label("keep up with events"),
)
def daily_sales(raw_events: int) -> int:
    return raw_events * 2


@asset_check(asset=daily_sales, blocking=False)
def sales_positive(daily_sales: int) -> bool:
    return daily_sales < 0


@asset(group="reports", deps=[raw_events, daily_sales])
def weekly_report() -> int:
    return 1


@asset(group="ml", deps=[weekly_report])
def forecast() -> int:
    return 2


defs = Definitions(
    assets=with_source_code_references(
        [raw_events, regional_sales, daily_sales, weekly_report, forecast]
    ),
    asset_checks=[sales_positive],
)
'''


def build_lineage_site(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """raw_events and daily_sales built for three days (the check fails), regional_sales
    for two days of three regions (apac on the 3rd failed), weekly_report built, forecast
    never."""
    site = write_site(folder, DEFS, monkeypatch)
    defs = site.state.defs
    assert materialize(
        defs,
        selection="raw_events daily_sales",
        partition_range=("2025-01-01", "2025-01-03"),
        instance=site.instance,
    ).success
    for day in ("2025-01-02", "2025-01-03"):
        for region in ("eu", "us", "apac"):
            materialize(
                defs,
                selection="regional_sales",
                partition_key=f"{day}|{region}",
                instance=site.instance,
            )
    assert materialize(defs, selection="weekly_report", instance=site.instance).success
    return site


@pytest.fixture
def lineage_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return build_lineage_site(tmp_path / "lineage", monkeypatch)


@pytest.fixture
def lineage_client(lineage_site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(lineage_site.state), base_url=ORIGIN) as client:
        yield client


def test_lineage_nodes_carry_status_time_partition_counts_and_checks(
    lineage_client: TestClient,
) -> None:
    body = lineage_client.get("/api/lineage").json()
    nodes = {n["key"]: n for n in body["nodes"]}
    assert body["groups"] == ["ingest", "ml", "reports", "sales"]
    sales = nodes["daily_sales"]
    assert sales["partitions"] == {
        "total": 7,
        "materialized": 3,
        "failed": 0,
        "missing": 4,
        "stale": 0,
    }
    assert sales["checks"] == {"status": "failed", "total": 1, "passed": 0, "failed": 1}
    assert sales["last_materialized_at"] is not None
    regional = nodes["regional_sales"]["partitions"]
    assert (regional["total"], regional["materialized"], regional["failed"]) == (21, 5, 1)
    assert nodes["forecast"]["status"] == "missing"
    assert nodes["forecast"]["last_materialized_at"] is None
    assert nodes["forecast"]["checks"] is None
    assert nodes["weekly_report"]["status"] == "stale"  # 4 of 7 upstream days missing
    assert body["version"]


def test_lineage_takes_a_selection_in_the_cli_language(lineage_client: TestClient) -> None:
    body = lineage_client.get("/api/lineage", params={"select": "+weekly_report"}).json()
    assert sorted(n["key"] for n in body["nodes"]) == ["daily_sales", "raw_events", "weekly_report"]
    assert sorted((e["source"], e["target"]) for e in body["edges"]) == [
        ("daily_sales", "weekly_report"),
        ("raw_events", "daily_sales"),
        ("raw_events", "weekly_report"),
    ]
    assert body["groups"] == ["ingest", "reports", "sales"]
    assert body["selection"] == "+weekly_report"
    grouped = lineage_client.get("/api/lineage", params={"select": "group:ingest"}).json()
    assert [n["key"] for n in grouped["nodes"]] == ["raw_events", "regional_sales"]
    bad = lineage_client.get("/api/lineage", params={"select": "weekly_reprot"})
    assert bad.status_code == 422
    assert "weekly_reprot" in bad.json()["detail"]
    assert "weekly_report" in bad.json()["detail"]  # did you mean


def test_the_version_changes_when_a_run_adds_events(
    lineage_client: TestClient, lineage_site: Site
) -> None:
    before = lineage_client.get("/api/version").json()["version"]
    assert lineage_client.get("/api/version").json()["version"] == before
    assert lineage_client.get("/api/lineage").json()["version"] == before
    assert lineage_client.get("/api/assets").json()["version"] == before
    assert materialize(
        lineage_site.state.defs, selection="forecast", instance=lineage_site.instance
    ).success
    after = lineage_client.get("/api/version").json()["version"]
    assert after != before
    forecast = next(
        n for n in lineage_client.get("/api/lineage").json()["nodes"] if n["key"] == "forecast"
    )
    assert forecast["status"] != "missing" and forecast["last_materialized_at"] is not None


def test_the_partition_grid_of_a_multi_partitioned_asset(lineage_client: TestClient) -> None:
    grid = lineage_client.get("/api/partition_grid/regional_sales").json()
    rows, columns = grid["dimensions"]
    assert rows["name"] == "date" and columns["name"] == "region"
    assert rows["keys"][0] == "2025-01-01" and len(rows["keys"]) == 7
    assert columns["keys"] == ["eu", "us", "apac"]
    cells = grid["cells"]
    assert len(cells) == 21
    status = {code: name for code, name in grid["codes"].items()}

    def at(day: int, region: str) -> str:
        return status[cells[(day - 1) * 3 + columns["keys"].index(region)]]

    assert at(1, "eu") == "missing"
    assert at(2, "apac") == "materialized"
    assert at(3, "us") == "materialized"
    assert at(3, "apac") == "failed"
    not_multi = lineage_client.get("/api/partition_grid/raw_events")
    assert not_multi.status_code == 422
    assert "not multi-partitioned" in not_multi.json()["detail"]
    assert lineage_client.get("/api/partition_grid/nope").status_code == 404


def test_the_asset_definition_shows_policies_and_the_condition_tree(
    lineage_client: TestClient,
) -> None:
    raw = lineage_client.get("/api/assets/raw_events").json()
    assert raw["freshness_policy"] == "each partition within 120 min after its window ends"
    assert raw["automation_policy"] == "eager"
    assert raw["automation_condition"] is None
    assert raw["metadata"]["dashboard"] == {
        "__metadata__": "url",
        "value": "https://dash.example/events",
    }
    sales = lineage_client.get("/api/assets/daily_sales").json()
    condition = sales["automation_condition"]
    assert condition["label"] == "keep up with events"
    assert condition["children"], condition
    assert sales["checks"] == ["sales_positive"]


def test_new_endpoints_need_the_token_and_answer_json(lineage_site: Site) -> None:
    token = "lineage-token"
    paths = (
        "/api/version",
        "/api/select?select=%2Bforecast",
        "/api/lineage?select=group%3Aml",
        "/api/partition_grid/regional_sales",
    )
    with TestClient(
        create_app(lineage_site.state, token=token), base_url="http://10.1.2.3:3000"
    ) as guarded:
        for path in paths:
            assert guarded.get(path).status_code == 401, path
            answer = guarded.get(path, headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200, path
            assert answer.headers["content-type"] == "application/json"
            assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_a_wrong_selection_is_explained_with_http_200_for_the_page(
    lineage_client: TestClient,
) -> None:
    typed = "<img src=x onerror=alert(1)>"
    body = lineage_client.get("/api/select", params={"select": typed}).json()
    assert body["keys"] == [] and body["selection"] == typed
    assert "Invalid selection" in body["error"]
    ok = lineage_client.get("/api/select", params={"select": "weekly_report+"}).json()
    assert ok["keys"] == ["weekly_report", "forecast"] and ok["error"] is None


THREE_DIMENSIONS = """
from assetgraph import (
    Definitions, MultiPartitionsDefinition, StaticPartitionsDefinition, asset,
)

cube = MultiPartitionsDefinition({
    "color": StaticPartitionsDefinition(["red", "blue"]),
    "size": StaticPartitionsDefinition(["s", "m", "l"]),
    "shape": StaticPartitionsDefinition(["round", "square"]),
})


@asset(partitions_def=cube)
def items(context) -> str:
    return context.partition_key


defs = Definitions(assets=[items])
"""


def test_a_grid_of_three_dimensions_combines_the_others_as_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "cube", THREE_DIMENSIONS, monkeypatch)
    assert materialize(
        site.state.defs, selection="items", partition_key="blue|square|m", instance=site.instance
    ).success
    with TestClient(create_app(site.state), base_url=ORIGIN) as client:
        grid = client.get("/api/partition_grid/items").json()
    rows, columns = grid["dimensions"]
    assert (rows["name"], rows["keys"]) == ("color", ["red", "blue"])
    assert columns["name"] == "shape|size"
    assert columns["keys"] == [
        "round|s",
        "round|m",
        "round|l",
        "square|s",
        "square|m",
        "square|l",
    ]
    built = [i for i, code in enumerate(grid["cells"]) if grid["codes"][code] == "materialized"]
    assert built == [1 * 6 + columns["keys"].index("square|m")]
