"""The command sequence of docs/operations.md "Running on a cluster" runs as written.

Only the ports (to free loopback ones) and the metadata URL (to this test's database)
change; the block starts and stops its own S3 server, scheduler and workers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.cluster import free_port
from tests.docs.code_blocks import blocks_of

pytestmark = pytest.mark.timeout(150)

PAGE = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
DOC_METADATA_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def cluster_block() -> str:
    for block in blocks_of(PAGE):
        if block.language == "bash" and "dask worker" in block.code and "moto_server" in block.code:
            return block.code
    raise AssertionError("docs/operations.md has no cluster example block")


def test_the_documented_cluster_sequence_runs(tmp_path: Path, meta_url: str) -> None:
    code = (
        cluster_block()
        .replace("9000", str(free_port()))
        .replace("8786", str(free_port()))
        .replace(DOC_METADATA_URL, meta_url)
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSETGRAPH_", "AWS_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["ASSETGRAPH_HOME"] = str(tmp_path / "ag-home")
    process = subprocess.Popen(
        ["bash", "-e", "-c", code],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever the block left running
    assert process.returncode == 0, output
    assert "revenue" in output, output
    assert "not supported" not in output.lower()
