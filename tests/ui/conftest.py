"""Fixtures of the UI tests: a small code location, its instance, the app, a live server."""

from __future__ import annotations

import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web UI needs the 'ui' extra (fastapi, uvicorn)")
pytest.importorskip("httpx", reason="the API tests need httpx (the 'dev' extra)")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assetgraph.definitions.code_location import load_definitions
from assetgraph.storage.instance import HOME_ENV, STORAGE_URL_ENV, Instance
from assetgraph.ui.api import UiState
from assetgraph.ui.app import create_app
from assetgraph.ui.launcher import CodeLocation

NOW = datetime(2025, 2, 1, tzinfo=UTC)
ORIGIN = "http://127.0.0.1:3000"

DEFS = '''
import pandas as pd
from assetgraph import DailyPartitionsDefinition, Definitions, asset

daily = DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-11")


@asset(partitions_def=daily, group="sales", tags={"tier": "bronze"}, owners=["team@x.io"])
def raw_orders(context) -> pd.DataFrame:
    """Orders of one day, as the shop exports them."""
    day = int(context.partition_key[-2:])
    context.log.info(f"fetching orders of {context.partition_key}")
    return pd.DataFrame({"order_id": list(range(day * 10)), "amount": [1.5] * (day * 10)})


@asset(partitions_def=daily, group="sales", tags={"tier": "silver"})
def cleaned_orders(raw_orders: pd.DataFrame) -> pd.DataFrame:
    """Orders without duplicates."""
    return raw_orders.drop_duplicates("order_id")


@asset(group="reports", description="Revenue <img src=x onerror=alert(1)> & <b>more</b>")
def revenue(cleaned_orders: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"amount": [cleaned_orders["amount"].sum()]})


@asset(group="reports")
def broken() -> int:
    raise ValueError("the source is down")


defs = Definitions(assets=[raw_orders, cleaned_orders, revenue, broken])
'''


@dataclass
class Site:
    """A code location on disk, its instance, and the UI state over them."""

    file: Path
    home: Path
    instance: Instance
    state: UiState

    def defs(self) -> Any:
        return self.state.defs


def write_site(folder: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> Site:
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "defs.py"
    file.write_text(textwrap.dedent(source), encoding="utf-8")
    home = folder / "home"
    monkeypatch.setenv(HOME_ENV, str(home))
    monkeypatch.delenv(STORAGE_URL_ENV, raising=False)
    instance = Instance.from_env()
    defs = load_definitions(file=file)
    state = UiState(
        defs=defs,
        instance=instance,
        location=CodeLocation(file=file, cwd=folder),
        clock=lambda: NOW,
        launch_timeout=60.0,
    )
    return Site(file=file, home=home, instance=instance, state=state)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The small code location with a few partitions materialized and one failed run."""
    from assetgraph.execution.materialize import materialize

    built = write_site(tmp_path / "site", DEFS, monkeypatch)
    defs = built.state.defs
    for day in ("2025-01-01", "2025-01-02", "2025-01-03"):
        result = materialize(
            defs,
            selection="raw_orders cleaned_orders",
            partition_key=day,
            instance=built.instance,
        )
        assert result.success
    assert not materialize(defs, selection="broken", instance=built.instance).success
    return built


@pytest.fixture
def app(site: Site) -> FastAPI:
    return create_app(site.state)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=ORIGIN) as test_client:
        yield test_client


@dataclass
class LiveServer:
    url: str
    server: Any
    thread: threading.Thread


def free_socket() -> socket.socket:
    """A listening-ready socket bound to a free local port (no race on the port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def start_live_server(app: FastAPI, timeout: float = 15.0) -> LiveServer:
    """uvicorn serving ``app`` in a thread on a random local port, once it accepts requests."""
    import uvicorn

    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the UI server did not start within {timeout} s")
        time.sleep(0.02)  # polling a condition, with a deadline
    return LiveServer(url=f"http://127.0.0.1:{port}", server=server, thread=thread)


def stop_live_server(live: LiveServer) -> None:
    live.server.should_exit = True
    live.thread.join(timeout=10)


@contextmanager
def serving(state: UiState) -> Iterator[LiveServer]:
    """A live server for the UI of ``state``, stopped on leaving."""
    server = start_live_server(create_app(state))
    try:
        yield server
    finally:
        stop_live_server(server)
