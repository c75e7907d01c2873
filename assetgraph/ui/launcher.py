"""Start a materialization from the UI without blocking the server.

``launch_materialization`` checks the request against the graph, starts
``python -m assetgraph.cli.main materialize ...`` as a child process tagged with a fresh
``assetgraph/ui_request`` id, and ``wait_for_run`` polls the run list for that tag until
the child has recorded its run (or has exited without one, whose output then says why).
The child reads the same metadata database: its environment names this server's instance.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assetgraph.errors import AssetgraphError, UsageError
from assetgraph.storage.instance import HOME_ENV, STORAGE_URL_ENV

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.graph import AssetGraph
    from assetgraph.partitions.definitions import DynamicPartitionsStore, PartitionsDefinition
    from assetgraph.storage.instance import Instance
    from assetgraph.ui.models import MaterializeIn

REQUEST_TAG = "assetgraph/ui_request"
OUTPUT_TAIL = 2000
"""How many characters of a failed launch's output the error shows."""


@dataclass(frozen=True, slots=True)
class CodeLocation:
    """How the child process finds the code location: a file, a module, or pyproject."""

    file: Path | None = None
    module: str | None = None
    cwd: Path | None = None

    def cli_args(self) -> list[str]:
        if self.file is not None:
            return ["-f", str(self.file)]
        if self.module is not None:
            return ["-m", self.module]
        return []


@dataclass
class Launch:
    """A started child process and where its output goes."""

    request_id: str
    process: subprocess.Popen[bytes]
    output: Path

    def output_tail(self) -> str:
        try:
            text = self.output.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return text[-OUTPUT_TAIL:].strip()


class LaunchError(AssetgraphError):
    """The child process exited, or took too long, before it recorded a run."""

    exit_code = 1


def materialize_args(
    graph: AssetGraph,
    request: MaterializeIn,
    now: datetime,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
) -> list[str]:
    """The ``materialize`` options for ``request``; a ``UsageError`` if it does not fit.

    A partitioned asset needs a partition, a range, or ``missing``; an unpartitioned one
    takes none of them. Partition keys are checked against the definition here (dynamic
    ones against the keys in ``dynamic_partitions_store``, the instance's storage), so a
    mistake is answered at once rather than by a failed child process.
    """
    key = graph.find(request.asset_key or "")
    partitions_def = graph.partitions_def(key)
    args = ["--select", key.to_string()]
    what = f"Asset '{key.to_string()}'"
    return [*args, *_partition_args(what, partitions_def, request, now, dynamic_partitions_store)]


def job_materialize_args(
    defs: Definitions,
    request: MaterializeIn,
    now: datetime,
    dynamic_partitions_store: DynamicPartitionsStore | None = None,
) -> list[str]:
    """The ``materialize --job`` options for ``request``: the job must exist, and its
    partitions are checked as an asset's are (against the job's partitions definition)."""
    job = defs.get_job_def(request.job or "")
    args = ["--job", job.name]
    what = f"Job '{job.name}'"
    return [
        *args,
        *_partition_args(what, job.partitions_def, request, now, dynamic_partitions_store),
    ]


def _partition_args(
    what: str,
    partitions_def: PartitionsDefinition | None,
    request: MaterializeIn,
    now: datetime,
    dynamic_partitions_store: DynamicPartitionsStore | None,
) -> list[str]:
    """The partition options of ``request`` for ``what`` (an asset or a job)."""
    wants = [request.partition is not None, request.partition_range is not None, request.missing]
    if partitions_def is None:
        if any(wants):
            raise UsageError(f"{what} is not partitioned: name no partition.")
        return []
    if sum(wants) != 1:
        raise UsageError(
            f"{what} is partitioned: give exactly one of partition, partition_range or missing."
        )
    store = dynamic_partitions_store
    try:
        if request.partition is not None:
            partitions_def.index_of(request.partition, now, store)
            return ["--partition", request.partition]
        if request.partition_range is not None:
            first, last = request.partition_range.first, request.partition_range.last
            if partitions_def.index_of(first, now, store) > partitions_def.index_of(
                last, now, store
            ):
                raise UsageError(f"Partition range {first}...{last} is reversed: put {last} last.")
            return ["--partition-range", f"{first}...{last}"]
    except UsageError as exc:
        raise UsageError(f"{what}: {exc}") from None
    return ["--missing"]


def launch_materialization(
    location: CodeLocation, instance: Instance, args: list[str], logs_dir: Path
) -> Launch:
    """Start ``assetgraph materialize ARGS`` in a child process, tagged with the launch's
    request id; it runs on after this returns (reaped by a thread)."""
    request_id = uuid.uuid4().hex
    command = [
        "materialize",
        *location.cli_args(),
        *args,
        "--tag",
        f"{REQUEST_TAG}={request_id}",
    ]
    return launch_cli(location, instance, command, logs_dir, request_id)


def launch_reexecution(
    location: CodeLocation, instance: Instance, run_id: str, from_failure: bool, logs_dir: Path
) -> Launch:
    """Start ``assetgraph runs reexecute RUN_ID [--from-failure]`` in a child process (the
    code location is the one the run recorded, else the UI's)."""
    command = ["runs", "reexecute", run_id, *(["--from-failure"] if from_failure else [])]
    if location.file is not None or location.module is not None:
        command += location.cli_args()
    return launch_cli(location, instance, command, logs_dir, uuid.uuid4().hex)


def launch_cli(
    location: CodeLocation,
    instance: Instance,
    command: list[str],
    logs_dir: Path,
    request_id: str,
    stdin: bytes | None = None,
) -> Launch:
    """Start ``assetgraph COMMAND`` in a child process on ``instance``; its output goes to
    ``logs_dir/<request_id>.log``; ``stdin``, if given, is written to its standard input."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    output = logs_dir / f"{request_id}.log"
    env = dict(os.environ)
    env[HOME_ENV] = str(instance.home)
    env[STORAGE_URL_ENV] = instance.storage_url
    with output.open("wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "assetgraph.cli.main", *command],
            cwd=location.cwd,
            env=env,
            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C of the server does not kill a run midway
        )
    if stdin is not None:  # from a thread: a large input waits until the child reads it
        threading.Thread(target=_feed, args=(process, stdin), daemon=True).start()
    threading.Thread(target=process.wait, name=f"reap-{request_id[:8]}", daemon=True).start()
    return Launch(request_id=request_id, process=process, output=output)


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    assert process.stdin is not None
    try:
        with process.stdin:
            process.stdin.write(data)
    except BrokenPipeError:
        pass  # the child exited first; its output says why


def find_launched_run(
    instance: Instance, launch: Launch, tags: dict[str, str] | None = None
) -> str | None:
    """The id of the run the child recorded (the newest with ``tags``, by default the
    launch's request tag), if it has; a ``LaunchError`` if it exited without."""
    wanted = tags or {REQUEST_TAG: launch.request_id}
    runs = instance.storage.list_runs(limit=1, tags=wanted)
    if runs:
        return runs[0].run_id
    if launch.process.poll() is not None:
        # Look once more: the run may have been recorded just before the exit.
        runs = instance.storage.list_runs(limit=1, tags=wanted)
        if runs:
            return runs[0].run_id
        tail = launch.output_tail() or f"exit code {launch.process.returncode}"
        raise LaunchError(f"The run did not start: {tail}")
    return None


def wait_for_run(
    instance: Instance,
    launch: Launch,
    timeout: float,
    poll: float = 0.1,
    tags: dict[str, str] | None = None,
    after: set[str] | None = None,
) -> str:
    """Poll until the child records its run (see ``find_launched_run``; a run id in
    ``after`` existed before the launch and is not it); blocking, so call it from a worker
    thread."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run_id = find_launched_run(instance, launch, tags)
        if run_id is not None and run_id in (after or set()):
            run_id = None
            if launch.process.poll() is not None:
                raise LaunchError(f"The run did not start: {launch.output_tail() or 'no output'}")
        if run_id is not None:
            return run_id
        time.sleep(poll)
    raise LaunchError(
        f"The launch recorded no run within {timeout:.0f} s; its output so far: "
        f"{launch.output_tail() or '(none)'}"
    )
