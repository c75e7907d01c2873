"""A cluster like production, on this machine: Dask scheduler and workers, and an S3 server.

Used by the cluster tests (``tests/cluster``) and the S6b/S7b benchmarks. Every piece is a
real process started through its own command-line entry point, on a free loopback port:

- ``dask scheduler`` and ``dask worker`` (one process and one thread each), every worker in
  its own working directory with its own ``HOME`` and ``TMPDIR``, and none of the
  coordinator's ``ASSETGRAPH_*`` variables: a worker shares no disk with the coordinator
  but what the test hands it;
- ``moto_server`` (moto's standalone S3-compatible server), reached by s3fs through the
  ``AWS_*`` variables of ``S3Server.env``, optionally behind ``OnOffProxy`` so a test can
  take object storage away for a while.

Everything waits on a condition with a deadline (a port that answers, workers that join),
never a bare sleep, and ``stop`` kills what was started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

START_TIMEOUT_SECONDS = 60.0
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; ``TimeoutError`` naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
        return True
    except OSError:
        return False


def _kill(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)


def _start(command: list[str], log: Path, **kwargs: Any) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(  # its own process group: killed with its children
            command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )


@dataclass
class S3Server:
    """moto's standalone S3 server on a loopback port; ``url`` is its endpoint."""

    folder: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> S3Server:
        if shutil.which("moto_server", path=str(BIN)) is None:
            raise RuntimeError(f"moto_server is not installed in {BIN}: pip install 'moto[server]'")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = _start(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            self.folder / "moto.log",
        )
        wait_until(lambda: _answers(self.port), START_TIMEOUT_SECONDS, f"moto on {self.url}")
        return self

    def stop(self) -> None:
        _kill(self.process)


def s3_env(endpoint: str) -> dict[str, str]:
    """The ``AWS_*`` variables that point s3fs (botocore) at ``endpoint`` with test keys."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "2",
    }


def make_bucket(endpoint: str, bucket: str) -> None:
    """Create ``bucket`` on the S3 server at ``endpoint``."""
    import s3fs  # type: ignore[import-untyped]

    fs = s3fs.S3FileSystem(
        key="testing",
        secret="testing",
        client_kwargs={"endpoint_url": endpoint},
        skip_instance_cache=True,
    )
    fs.mkdir(bucket)


@dataclass
class OnOffProxy:
    """A TCP proxy on a loopback port to ``target_port`` that can be switched off.

    Off, it closes every open connection and resets new ones at once, as a store that went
    away does; on again, it forwards as before (the server behind it kept its state).
    """

    target_port: int
    port: int = 0
    up: bool = True
    _server: socket.socket | None = None
    _open: set[socket.socket] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> OnOffProxy:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def switch(self, up: bool) -> None:
        with self._lock:
            self.up = up
            if not up:
                for sock in list(self._open):
                    with contextlib.suppress(OSError):
                        sock.close()
                self._open.clear()

    def _accept(self) -> None:
        assert self._server is not None
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                if not self.up:
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
                    client.close()
                    continue
                try:
                    upstream = socket.create_connection(("127.0.0.1", self.target_port), 5)
                except OSError:
                    client.close()
                    continue
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.close()
                with self._lock:
                    self._open.discard(sock)

    def stop(self) -> None:
        self.switch(False)
        if self._server is not None:
            self._server.close()


@dataclass
class DaskProcessCluster:
    """``dask scheduler`` and ``workers`` ``dask worker`` processes, each a process of its own.

    Worker ``i`` runs in ``folder/worker-i`` (its working directory, ``HOME`` and
    ``TMPDIR`` under it) with ``env`` added to a clean environment: no ``ASSETGRAPH_*``.
    """

    folder: Path
    workers: int = 3
    env: Mapping[str, str] = field(default_factory=dict)
    port: int = 0
    scheduler: subprocess.Popen[bytes] | None = None
    worker_processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self) -> DaskProcessCluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.start_scheduler()
        for index in range(self.workers):
            self.worker_processes.append(self._start_worker(index))
        self.wait_for_workers(self.workers)
        return self

    def start_scheduler(self) -> None:
        """Start a scheduler (a new one after ``kill_scheduler``) on a fresh port."""
        self.port = free_port()
        folder = self.folder / "scheduler"
        folder.mkdir(exist_ok=True)
        self.scheduler = _start(
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-dashboard",
                "--no-show",
            ],
            folder / "scheduler.log",
            cwd=folder,
            env=self._environment(folder),
        )
        wait_until(lambda: _answers(self.port), START_TIMEOUT_SECONDS, "the Dask scheduler")

    def restart_workers(self) -> None:
        """Stop the workers and start as many for the current scheduler."""
        for process in self.worker_processes:
            _kill(process)
        self.worker_processes = [self._start_worker(i) for i in range(self.workers)]
        self.wait_for_workers(self.workers)

    def _start_worker(self, index: int) -> subprocess.Popen[bytes]:
        folder = self.folder / f"worker-{index}"
        folder.mkdir(exist_ok=True)
        return _start(
            [
                str(BIN / "dask"),
                "worker",
                self.address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                "--name",
                f"worker-{index}",
                "--local-directory",
                str(folder / "dask"),
            ],
            folder / "worker.log",
            cwd=folder,
            env=self._environment(folder),
        )

    def _environment(self, folder: Path) -> dict[str, str]:
        home, tmp = folder / "home", folder / "tmp"
        home.mkdir(exist_ok=True)
        tmp.mkdir(exist_ok=True)
        keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")
        env = {name: os.environ[name] for name in keep if name in os.environ}
        env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONUNBUFFERED="1")
        env.update(self.env)
        return env

    def client(self) -> Any:
        import distributed

        return distributed.Client(self.address, timeout=30)

    def wait_for_workers(self, count: int) -> None:
        client = self.client()
        try:
            client.wait_for_workers(count, timeout=START_TIMEOUT_SECONDS)
        finally:
            client.close()

    def kill_scheduler(self) -> None:
        _kill(self.scheduler)

    def stop(self) -> None:
        for process in [*self.worker_processes, self.scheduler]:
            _kill(process)
        self.worker_processes = []
