"""Runs on a Dask cluster of separate worker processes, values in S3, metadata in PostgreSQL.

Every test here drives a real ``dask scheduler``, three ``dask worker`` processes and
moto's S3 server (``conftest.py``); the workers share no folder with the coordinator.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from assetgraph import Instance, load_definitions, materialize
from assetgraph.storage.records import EventType
from bench.cluster import DaskProcessCluster, OnOffProxy, wait_until

pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]  # a Dask cluster and S3 server

DEFS = """
import os, time
import pandas as pd
from assetgraph import asset, Definitions, RetryPolicy
from io_managers.pickle import PickleIOManager
from io_managers.parquet import ParquetIOManager

MARKERS = {markers!r}

def mark(name):
    # A file per attempt: which process ran the step (the tests kill it from outside).
    os.makedirs(MARKERS, exist_ok=True)
    with open(os.path.join(MARKERS, f"{{name}}.{{os.getpid()}}"), "w") as handle:
        handle.write(os.environ.get("HOME", ""))

def busy(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.01)

@asset(io_manager_key="frames")
def orders():
    mark("orders")
    return pd.DataFrame({{"id": range(1000), "amount": [i * 1.5 for i in range(1000)]}})

@asset(retry_policy=RetryPolicy(max_retries={retries}, delay=0.2))
def big(orders):
    mark("big")
    busy({slow})
    return {{"rows": len(orders), "blob": bytes(range(256)) * 4000}}

@asset
def where_a(orders):
    mark("where_a")
    return os.environ["HOME"]

@asset
def where_b(orders):
    mark("where_b")
    busy(0.3)
    return os.environ["HOME"]

@asset
def summary(big, where_a, where_b):
    mark("summary")
    return {{"rows": big["rows"], "homes": sorted({{where_a, where_b}})}}

defs = Definitions(
    [orders, big, where_a, where_b, summary],
    io_managers={{
        "io_manager": PickleIOManager("s3://{bucket}/values"),
        "frames": ParquetIOManager("s3://{bucket}/frames"),
    }},
)
"""


def write_defs(tmp_path: Path, bucket: str, *, retries: int = 2, slow: float = 0.0) -> Path:
    code = tmp_path / "code"
    code.mkdir(exist_ok=True)
    path = code / "defs.py"
    path.write_text(
        DEFS.format(markers=str(tmp_path / "markers"), bucket=bucket, retries=retries, slow=slow)
    )
    return path


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "assetgraph"), *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=90)


def s3fs_client(s3: OnOffProxy) -> object:
    import s3fs  # type: ignore[import-untyped]

    return s3fs.S3FileSystem(
        key="testing",
        secret="testing",
        client_kwargs={"endpoint_url": s3.url},
        skip_instance_cache=True,
    )


def markers(tmp_path: Path, name: str) -> list[Path]:
    folder = tmp_path / "markers"
    return sorted(folder.glob(f"{name}.*")) if folder.is_dir() else []


def test_a_run_on_the_cluster_keeps_values_in_s3_and_metadata_in_the_database(
    cluster: DaskProcessCluster,
    s3: OnOffProxy,
    bucket: str,
    meta_url: str,
    tmp_path: Path,
    isolated_home: Path,
) -> None:
    path = write_defs(tmp_path, bucket)
    env = {**os.environ, "ASSETGRAPH_STORAGE_URL": meta_url}
    args = ["-f", str(path), "--executor", "dask", "--dask-address", cluster.address]
    done = cli("materialize", *args, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr

    fs = s3fs_client(s3)
    stored = set(fs.find(bucket))  # type: ignore[attr-defined]
    assert stored == {
        f"{bucket}/frames/orders.parquet",
        f"{bucket}/values/big",
        f"{bucket}/values/where_a",
        f"{bucket}/values/where_b",
        f"{bucket}/values/summary",
    }, "every value is one object at its key, and no temporary object is left in .tmp/"
    summary = pickle.loads(fs.cat_file(f"{bucket}/values/summary"))  # type: ignore[attr-defined]
    assert summary["rows"] == 1000
    worker_homes = {str(cluster.folder / f"worker-{i}" / "home") for i in range(3)}
    assert set(summary["homes"]) <= worker_homes, "steps ran in the workers, not here"
    assert not (isolated_home / "storage").exists(), "nothing was written to ASSETGRAPH_HOME"

    storage = Instance(storage_url=meta_url).storage
    materialized = storage.materialized_partitions(["orders", "big", "summary"])
    assert materialized == {"orders": [None], "big": [None], "summary": [None]}, materialized
    status = cli("list", "-f", str(path), "--json", env=env, cwd=tmp_path)
    assert status.returncode == 0, status.stderr


def test_an_io_manager_local_to_the_coordinator_is_refused_before_any_step(
    cluster: DaskProcessCluster, tmp_path: Path, meta_url: str
) -> None:
    code = tmp_path / "local_defs.py"
    code.write_text("from assetgraph import asset\n\n@asset\ndef numbers():\n    return [1, 2]\n")
    env = {**os.environ, "ASSETGRAPH_STORAGE_URL": meta_url}
    args = ["-f", str(code), "--executor", "dask", "--dask-address", cluster.address]
    refused = cli("materialize", *args, env=env, cwd=tmp_path)

    assert refused.returncode == 2, refused.stdout + refused.stderr
    message = refused.stderr.strip() + refused.stdout.strip()
    assert "Asset 'numbers' uses IO manager 'io_manager' (PickleIOManager)" in message
    assert "s3://bucket/prefix" in message and "ASSETGRAPH_SHARED_PATHS" in message
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert Instance(storage_url=meta_url).storage.list_runs() == [], "no run was recorded"

    # Said to be shared (here it is: the workers are on this machine), the folder is used.
    shared = {**env, "ASSETGRAPH_SHARED_PATHS": str(tmp_path)}
    done = cli("materialize", *args, env=shared, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / ".assetgraph" / "storage" / "numbers").is_file() or any(
        tmp_path.rglob("storage/numbers")
    )


def test_a_code_location_the_workers_cannot_import_fails_in_one_line(
    cluster: DaskProcessCluster, s3: OnOffProxy, tmp_path: Path, bucket: str, meta_url: str
) -> None:
    package = tmp_path / "only_here"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "defs.py").write_text(
        textwrap.dedent(
            f"""
            from assetgraph import asset, Definitions
            from io_managers.pickle import PickleIOManager

            @asset
            def numbers():
                return [1, 2]

            defs = Definitions([numbers], io_managers={{
                "io_manager": PickleIOManager("s3://{bucket}/values")}})
            """
        )
    )
    env = {**os.environ, "ASSETGRAPH_STORAGE_URL": meta_url}
    args = ["-m", "only_here.defs", "--executor", "dask", "--dask-address", cluster.address]
    failed = cli("materialize", *args, env=env, cwd=tmp_path)

    assert failed.returncode == 2, failed.stdout + failed.stderr
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1, failed.stderr
    assert "Dask worker tcp://127.0.0.1:" in lines[0]
    assert "cannot import module 'only_here'" in lines[0]
    runs = Instance(storage_url=meta_url).storage.list_runs()
    assert [run.status.value for run in runs] == ["failure"], "the run failed before any step"
    assert not s3fs_client(s3).exists(f"{bucket}/values/numbers")  # type: ignore[attr-defined]


def kill_when_started(tmp_path: Path, name: str, kill: object) -> threading.Thread:
    """A thread that waits for step ``name`` to start, then calls ``kill(pid)``."""

    def watch() -> None:
        wait_until(lambda: bool(markers(tmp_path, name)), 60, f"step {name} to start")
        pid = int(markers(tmp_path, name)[0].suffix[1:])
        kill(pid)  # type: ignore[operator]

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_worker_killed_mid_step_is_retried_elsewhere_and_counted(
    cluster: DaskProcessCluster, s3: OnOffProxy, bucket: str, meta_url: str, tmp_path: Path
) -> None:
    defs = load_definitions(file=write_defs(tmp_path, bucket, retries=2, slow=3.0))
    instance = Instance(storage_url=meta_url)
    instance.storage.upgrade()
    watcher = kill_when_started(tmp_path, "big", lambda pid: os.kill(pid, signal.SIGKILL))

    result = materialize(defs, instance=instance, executor="dask", dask_address=cluster.address)
    watcher.join(5)

    events = instance.storage.events_for_run(result.run_id)
    assert result.success, [(e.step_key, e.event_type.value, e.message) for e in events][-8:]
    attempts = markers(tmp_path, "big")
    assert len(attempts) == 2, "the step ran twice, in two worker processes"
    big = [e for e in events if e.step_key == "big"]
    failures = [e for e in big if e.event_type is EventType.STEP_FAILURE]
    assert len(failures) == 1 and "died" in (failures[0].message or ""), failures
    assert "retrying" in (failures[0].message or "")
    starts = [e for e in big if e.event_type is EventType.STEP_START]
    assert len(starts) == 2, "the second attempt is recorded as attempt 2"
    assert sum(e.event_type is EventType.ASSET_MATERIALIZATION for e in big) == 1
    assert sum(e.event_type is EventType.STEP_SUCCESS for e in big) == 1
    fs = s3fs_client(s3)
    value = pickle.loads(fs.cat_file(f"{bucket}/values/big"))  # type: ignore[attr-defined]
    assert value["blob"] == bytes(range(256)) * 4000, "the stored object is whole"
    assert not fs.exists(f"{bucket}/values/.tmp") or not fs.ls(f"{bucket}/values/.tmp")  # type: ignore[attr-defined]
    cluster.wait_for_workers(3)  # the nanny restarted the killed worker


def test_a_lost_worker_without_retries_left_fails_the_step(
    cluster: DaskProcessCluster, bucket: str, meta_url: str, tmp_path: Path
) -> None:
    defs = load_definitions(file=write_defs(tmp_path, bucket, retries=0, slow=3.0))
    instance = Instance(storage_url=meta_url)
    instance.storage.upgrade()
    watcher = kill_when_started(tmp_path, "big", lambda pid: os.kill(pid, signal.SIGKILL))

    result = materialize(defs, instance=instance, executor="dask", dask_address=cluster.address)
    watcher.join(5)

    assert not result.success
    failed = {o.step_key: o for o in result.failures}
    assert set(failed) == {"big"}, failed
    assert "died" in failed["big"].error.message  # type: ignore[union-attr]
    events = instance.storage.events_for_run(result.run_id)
    assert not any(
        e.event_type is EventType.ASSET_MATERIALIZATION and e.step_key == "big" for e in events
    ), "the dropped re-run records nothing"
    cluster.wait_for_workers(3)


def test_object_storage_away_for_a_while_fails_attempts_with_the_url_then_retries_succeed(
    cluster: DaskProcessCluster, s3: OnOffProxy, bucket: str, meta_url: str, tmp_path: Path
) -> None:
    defs = load_definitions(file=write_defs(tmp_path, bucket, retries=30, slow=0.0))
    instance = Instance(storage_url=meta_url)
    instance.storage.upgrade()
    materialize(
        defs, selection=["orders"], instance=instance, executor="dask", dask_address=cluster.address
    )
    failures: list[str] = []

    def on_event(event: object) -> None:
        if getattr(event, "event_type", None) is EventType.STEP_FAILURE:
            failures.append(getattr(event, "message", "") or "")

    s3.switch(False)

    def bring_back() -> None:
        wait_until(lambda: len(failures) >= 2, 60, "two failed attempts")
        s3.switch(True)

    thread = threading.Thread(target=bring_back, daemon=True)
    thread.start()
    try:
        result = materialize(
            defs,
            selection=["big"],
            instance=instance,
            executor="dask",
            dask_address=cluster.address,
            on_event=on_event,
        )
    finally:
        s3.switch(True)
    thread.join(5)

    assert result.success, result.failures
    assert f"s3://{bucket}/frames/orders.parquet" in failures[0], failures[0]
    assert "retrying" in failures[0]


def test_a_killed_scheduler_fails_the_run_and_missing_finishes_it_on_a_new_one(
    tmp_path: Path, s3: OnOffProxy, bucket: str, meta_url: str
) -> None:
    from bench.cluster import s3_env

    own = DaskProcessCluster(tmp_path / "own-cluster", 2, s3_env(s3.url)).start()
    try:
        defs = load_definitions(file=write_defs(tmp_path, bucket, retries=2, slow=5.0))
        instance = Instance(storage_url=meta_url)
        instance.storage.upgrade()
        watcher = kill_when_started(tmp_path, "big", lambda _pid: own.kill_scheduler())

        failed = materialize(defs, instance=instance, executor="dask", dask_address=own.address)
        watcher.join(5)

        assert not failed.success
        run = instance.storage.get_run(failed.run_id)
        assert run is not None and run.status.value == "failure"
        assert "Lost the Dask scheduler" in (run.error or ""), run.error
        assert "--missing" in (run.error or "")
        assert "summary" not in instance.storage.materialized_partitions(["summary"])

        own.start_scheduler()
        own.restart_workers()
        finished = materialize(
            defs, instance=instance, executor="dask", dask_address=own.address, missing=True
        )
        assert finished.success, finished.failures
        assert "orders" not in finished.step_outcomes, (
            "what the failed run built is not built again"
        )
        done = instance.storage.materialized_partitions(["big", "summary"])
        assert done == {"big": [None], "summary": [None]}, done
    finally:
        own.stop()
