"""``stale`` in the UI: catalog badges and filter, partition counts, health strip, metrics."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, Site, write_site

DEFS = """
from pathlib import Path

from assetgraph import DailyPartitionsDefinition, Definitions, SourceAsset, asset

HERE = Path(__file__).parent
daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-06")
price_list = SourceAsset("price_list", group="vendor")


@asset(partitions_def=daily, group="sales")
def raw_orders(context) -> list[int]:
    factor = int((HERE / "factor.txt").read_text())
    return [factor * int(context.partition_key[-2:])]


@asset(partitions_def=daily, group="sales")
def cleaned_orders(raw_orders: list[int]) -> list[int]:
    return sorted(raw_orders)


@asset(group="reports")
def revenue(cleaned_orders: dict[str, list[int]]) -> int:
    return sum(sum(day) for day in cleaned_orders.values())


defs = Definitions(assets=[price_list, raw_orders, cleaned_orders, revenue])
"""


def build_stale_site(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """Everything built, then two days of raw_orders rebuilt with different data."""
    from assetgraph.execution.materialize import materialize

    site = write_site(folder, DEFS, monkeypatch)
    (site.file.parent / "factor.txt").write_text("1")
    defs = site.state.defs
    assert materialize(
        defs,
        selection="raw_orders cleaned_orders revenue",
        all_partitions=True,
        instance=site.instance,
    ).success
    (site.file.parent / "factor.txt").write_text("2")
    assert materialize(
        defs,
        selection="raw_orders",
        partition_range="2025-01-02...2025-01-03",
        instance=site.instance,
    ).success
    return site


@pytest.fixture
def stale_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    return build_stale_site(tmp_path / "site", monkeypatch)


@pytest.fixture
def client(stale_site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(stale_site.state), base_url=ORIGIN) as test_client:
        yield test_client


def test_catalog_shows_stale_assets_with_their_stale_partition_counts(client: TestClient) -> None:
    body = client.get("/api/assets").json()
    by_key = {asset["key"]: asset for asset in body["assets"]}
    assert by_key["raw_orders"]["status"] == "materialized"
    assert by_key["cleaned_orders"]["status"] == "stale"
    assert by_key["cleaned_orders"]["partitions"] == {
        "total": 5,
        "materialized": 5,
        "failed": 0,
        "missing": 0,
        "stale": 2,
    }
    assert by_key["revenue"]["status"] == "stale"
    assert by_key["price_list"]["status"] == "materialized", "a plain source is present"
    assert by_key["price_list"]["source"] is True
    assert by_key["revenue"]["source"] is False
    assert "stale" in [s["status"] for s in body["statuses"]]
    keys = [a["key"] for a in client.get("/api/assets?status=stale").json()["assets"]]
    assert keys == ["cleaned_orders", "revenue"]


def test_health_strip_shows_stale_partition_ranges(client: TestClient) -> None:
    body = client.get("/api/partitions/cleaned_orders").json()
    assert body["ranges"] == [
        {"status": "materialized", "first": "2025-01-01", "last": "2025-01-01", "count": 1},
        {"status": "stale", "first": "2025-01-02", "last": "2025-01-03", "count": 2},
        {"status": "materialized", "first": "2025-01-04", "last": "2025-01-05", "count": 2},
    ]


def test_lineage_nodes_and_metrics_count_stale_assets(client: TestClient) -> None:
    nodes = {n["key"]: n["status"] for n in client.get("/api/lineage").json()["nodes"]}
    assert nodes["cleaned_orders"] == "stale" and nodes["revenue"] == "stale"
    text = client.get("/metrics").text
    assert "assetgraph_stale_assets 2" in text
    assert 'assetgraph_assets{status="stale"} 2' in text


def test_stale_badges_and_strip_segments_are_styled(client: TestClient) -> None:
    css = client.get("/status.css").text
    assert ".st-stale{background:#ffe0b2;border-color:#e65100;color:#222}" in css
    assert ".strip .seg.st-stale{background:#e65100}" in css
