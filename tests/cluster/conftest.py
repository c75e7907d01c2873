"""A cluster like production, started by the tests: a Dask scheduler and three workers
(``dask scheduler`` / ``dask worker``, each worker in its own folder with its own HOME and
TMPDIR), moto's S3 server behind a proxy that can be switched off, and the metadata in the
local PostgreSQL (a SQLite file when no server answers). See ``bench/cluster.py``."""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _postgres_schema, postgres_url

MISSING = [
    name for name in ("distributed", "s3fs", "moto") if importlib.util.find_spec(name) is None
]
if MISSING:
    pytest.skip(
        f"the cluster tests need {', '.join(MISSING)} (pip install -e '.[dev]')",
        allow_module_level=True,
    )

from bench.cluster import DaskProcessCluster, OnOffProxy, S3Server, make_bucket, s3_env  # noqa: E402


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OnOffProxy]:
    """moto's S3 server behind an on/off proxy; yields the proxy (``.url``, ``.switch``)."""
    server = S3Server(tmp_path_factory.mktemp("moto")).start()
    proxy = OnOffProxy(server.port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
        server.stop()


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, s3: OnOffProxy
) -> Iterator[DaskProcessCluster]:
    """A scheduler and three workers that reach object storage through ``s3``."""
    started = DaskProcessCluster(tmp_path_factory.mktemp("dask"), 3, s3_env(s3.url)).start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def bucket(s3: OnOffProxy, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new bucket for this test; the coordinator's AWS_* variables point at ``s3``."""
    for name, value in s3_env(s3.url).items():
        monkeypatch.setenv(name, value)
    name = f"test-{uuid.uuid4().hex[:12]}"
    make_bucket(s3.url, name)
    return name


@pytest.fixture
def meta_url(tmp_path: Path) -> Iterator[str]:
    """The run metadata database: a fresh schema on the local PostgreSQL, else SQLite."""
    base = postgres_url()
    if base is None:
        yield f"sqlite:///{tmp_path}/meta.db"
        return
    yield from _postgres_schema(base, f"t_{uuid.uuid4().hex[:12]}")
