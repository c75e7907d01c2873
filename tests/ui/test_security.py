"""The security model: loopback by default, the token, same-origin writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assetgraph.cli.main import app as cli
from assetgraph.errors import UsageError
from assetgraph.ui import security
from assetgraph.ui.app import create_app
from tests.ui.conftest import ORIGIN, Site

TOKEN = "s3cret-token"


@pytest.fixture
def guarded(site: Site) -> TestClient:
    return TestClient(create_app(site.state, token=TOKEN), base_url="http://10.1.2.3:3000")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.8.9.1"])
def test_loopback_hosts_start_without_a_token(host: str) -> None:
    security.check_bind(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "example.org"])
def test_a_non_loopback_host_without_token_refuses_to_start(host: str) -> None:
    with pytest.raises(UsageError, match="--token"):
        security.check_bind(host, None)
    security.check_bind(host, "a-token")


def test_the_cli_refuses_a_public_host_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(security.TOKEN_ENV, raising=False)
    result = CliRunner().invoke(cli, ["ui", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "Refusing to listen on '0.0.0.0' without a token" in result.output


def test_every_request_without_the_token_gets_401(guarded: TestClient) -> None:
    for path in ("/", "/api/assets", "/metrics", "/openapi.json", "/static/app.js"):
        response = guarded.get(path)
        assert response.status_code == 401, path
    assert guarded.get("/api/assets", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/?token=wrong").status_code == 401
    post = guarded.post("/api/materialize", json={"asset_key": "revenue"})
    assert post.status_code == 401


def test_a_bearer_token_opens_the_api(guarded: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/api/assets", headers=headers).status_code == 200
    assert guarded.get("/metrics", headers=headers).status_code == 200
    # A client that sends the token in a header needs no Origin: a page cannot set it.
    post = guarded.post("/api/materialize", json={"asset_key": "nope"}, headers=headers)
    assert post.status_code == 404


def test_visiting_with_the_token_sets_a_cookie_for_the_browser(guarded: TestClient) -> None:
    response = guarded.get(f"/runs?token={TOKEN}&x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/runs?x=1"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert guarded.get("/api/assets").status_code == 200  # the client kept the cookie
    # With the cookie only, a write must still come from the UI's own origin.
    origin = "http://10.1.2.3:3000"
    evil = guarded.post("/api/materialize", json={"asset_key": "nope"}, headers={"Origin": ORIGIN})
    assert evil.status_code == 403
    same = guarded.post("/api/materialize", json={"asset_key": "nope"}, headers={"Origin": origin})
    assert same.status_code == 404


@pytest.mark.parametrize(
    ("host", "origin", "referer", "expected"),
    [
        ("127.0.0.1:3000", "http://127.0.0.1:3000", None, True),
        ("127.0.0.1:3000", None, "http://127.0.0.1:3000/assets/x", True),
        ("127.0.0.1:3000", "http://localhost:3000", None, False),
        ("127.0.0.1:3000", "null", None, False),
        ("127.0.0.1:3000", None, None, False),
        ("127.0.0.1:3000", "http://127.0.0.1:3000.evil.test", None, False),
        (None, "http://127.0.0.1:3000", None, False),
    ],
)
def test_same_origin(
    host: str | None, origin: str | None, referer: str | None, expected: bool
) -> None:
    assert security.same_origin(host, origin, referer) is expected
