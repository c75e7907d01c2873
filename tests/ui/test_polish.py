"""Pages around the data: API docs served locally, 404s, the favicon (through the real app)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_swagger_and_redoc_load_only_local_files(client: TestClient) -> None:
    for path, asset in (
        ("/api/docs", "/static/vendor/swagger-ui-bundle.js"),
        ("/api/redoc", "/static/vendor/redoc.standalone.js"),
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert f'src="{asset}"' in page.text
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert all(s.startswith("/") for s in sources), f"{path} loads {sources}"
        vendored = client.get(asset)
        assert vendored.status_code == 200 and len(vendored.content) > 500_000
    assert client.get("/static/vendor/swagger-ui.css").status_code == 200
    assert "/api/checks/{key}" in client.get("/openapi.json").json()["paths"]


def test_unknown_assets_runs_and_paths_are_404_pages_that_say_what_to_do(
    client: TestClient,
) -> None:
    asset = client.get("/assets/raw_order")
    assert asset.status_code == 404
    assert "Asset not found" in asset.text and "raw_orders" in asset.text, "names the nearest"
    assert 'src="/static/asset.js"' not in asset.text, "no page script runs on a 404"
    run = client.get("/runs/ffffffffffff")
    assert run.status_code == 404 and "No run &#x27;ffffffffffff&#x27;" in run.text
    other = client.get("/no/such/<page>")
    assert other.status_code == 404 and "&lt;page&gt;" in other.text and "<page>" not in other.text
    api = client.get("/api/no/such")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert client.get("/static/nothing.js").status_code == 404
    # A key with its slashes is still found (the page is not a 404).
    assert client.get("/assets/raw_orders").status_code == 200


def test_the_favicon_is_served_and_linked(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.content
    assert 'rel="icon"' in client.get("/").text
    assert client.get("/static/favicon.svg").status_code == 200
