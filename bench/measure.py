"""Running one scenario process and measuring it from outside.

The harness times the whole process (from spawn to reaped, ``perf_counter``). Peak memory
is the child's own report (``VmHWM``, see ``bench.protocol``) when it prints one; for
commands that print none (start-up cases) it is ``os.wait4``'s ``ru_maxrss``, which on
Linux is at least the harness's own peak RSS, so it is an upper bound there
(``peak_source: "wait4"``). Each process runs in a fresh temporary folder with its own
``ASSETGRAPH_HOME``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.protocol import parse_report
from bench.spec import REPO_ROOT, Case, Impl, RunContext

DEFAULT_TIMEOUT_S = 900.0
_DROPPED_ENV = ("ASSETGRAPH_STORAGE_URL", "ASSETGRAPH_VERBOSE", "PYTHONPROFILEIMPORTTIME")


@dataclass(frozen=True, slots=True)
class Measurement:
    """One run of one implementation of one case."""

    impl: Impl
    wall_ms: float
    peak_mb: float
    peak_source: str
    core_ms: float | None
    units: int
    extra: dict[str, Any]
    core_cpu_ms: float | None = None
    """CPU time of the scenario process over its core phase."""

    def to_json(self) -> dict[str, Any]:
        return {
            "impl": self.impl,
            "wall_ms": self.wall_ms,
            "core_ms": self.core_ms,
            "core_cpu_ms": self.core_cpu_ms,
            "peak_mb": self.peak_mb,
            "peak_source": self.peak_source,
            "units": self.units,
            "extra": self.extra,
        }


class ChildFailed(RuntimeError):
    """A scenario process exited non-zero or timed out; carries its output's tail."""


def compile_bytecode() -> None:
    """Write the project's ``.pyc`` files, as installing a package does.

    An editable install has none, and where ``PYTHONDONTWRITEBYTECODE`` is set (as on the
    CI machines) every child process would compile assetgraph's source again, which a
    user's installed copy never does, while Dagster's and Hamilton's, installed by pip,
    come compiled.
    """
    import compileall

    for package in ("assetgraph", "io_managers"):
        compileall.compile_dir(REPO_ROOT / package, quiet=1)


def child_env(home: Path, bench_on_path: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env["ASSETGRAPH_HOME"] = str(home)
    if bench_on_path:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
    return env


def run_case(
    case: Case,
    impl: Impl,
    *,
    python: str,
    quick: bool,
    tmp_root: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Measurement:
    """Run ``impl`` of ``case`` once in its own process and folder, and measure it."""
    workspace = Path(tempfile.mkdtemp(prefix=f"bench-{_slug(case.name)}-{impl}-", dir=tmp_root))
    try:
        home = workspace / "home"
        ctx = RunContext(python=python, workspace=workspace, quick=quick)
        argv = case.command(impl, ctx)
        return _spawn(argv, impl, workspace, child_env(home, case.bench_on_path), timeout_s)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-")


def _spawn(
    argv: list[str], impl: Impl, cwd: Path, env: dict[str, str], timeout_s: float
) -> Measurement:
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall_ms = (time.perf_counter() - start) * 1000.0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    if timed_out.is_set():
        raise ChildFailed(f"`{' '.join(argv)}` timed out after {timeout_s:g} s.")
    if proc.returncode != 0:
        stderr = err_path.read_text(errors="replace")
        tail = "\n".join((stderr or stdout).splitlines()[-25:])
        raise ChildFailed(f"`{' '.join(argv)}` exited with {proc.returncode}:\n{tail}")
    report = parse_report(stdout) or {}
    reported_kb = report.get("peak_kb")
    # Linux reports ru_maxrss in KiB, as VmHWM.
    peak_kb = int(reported_kb) if reported_kb else usage.ru_maxrss
    return Measurement(
        impl=impl,
        wall_ms=wall_ms,
        peak_mb=peak_kb / 1024.0,
        peak_source="self" if reported_kb else "wait4",
        core_ms=report.get("core_ms"),
        core_cpu_ms=report.get("core_cpu_ms"),
        units=int(report.get("units") or 1),
        extra=dict(report.get("extra") or {}),
    )
