"""The worker side of out-of-process executors: set up once per run, then run step tasks.

A worker never touches the metadata database: it gets a ``StepTask`` (which step, which
partitions, the data versions of its inputs), runs the step, and sends the outcome and
its events back to the run coordinator, which records them.
"""

from __future__ import annotations

import atexit
import os
import pickle
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import ResourceError
from assetgraph.execution.capture import capture_output
from assetgraph.execution.check_step import run_check_step
from assetgraph.execution.data_versions import InputVersions
from assetgraph.execution.observe_step import observe_step
from assetgraph.execution.parent_death import die_with_coordinator
from assetgraph.execution.step import StepEnvironment, StepOutcome, execute_step
from assetgraph.keys import AssetKey
from assetgraph.planning.planner import Step, StepKind


@dataclass(frozen=True, slots=True)
class StepTask:
    """A step as a worker receives it: names and keys only, no functions."""

    step_key: str
    step_name: str
    partition_keys: tuple[str, ...]
    input_partitions: Mapping[AssetKey, tuple[str, ...]]
    input_versions: InputVersions
    attempt: int = 1
    asset_keys: tuple[AssetKey, ...] = ()
    """The keys the step builds (a subset of a ``can_subset`` multi-asset's); () for all."""
    checks: tuple[AssetCheckKey, ...] = ()
    """The checks a check step runs (``Step.checks``)."""
    skipped_checks: frozenset[AssetCheckKey] = frozenset()
    """The checks of its assets a materialize step does not run (``Step.skipped_checks``)."""

    @classmethod
    def of(cls, step: Step, input_versions: InputVersions, attempt: int) -> StepTask:
        return cls(
            step.key,
            step.assets_def.step_name,
            tuple(step.partition_keys),
            dict(step.input_partitions),
            input_versions,
            attempt,
            tuple(step.asset_keys) if step.asset_keys != step.assets_def.keys else (),
            step.checks,
            step.skipped_checks,
        )


@dataclass(frozen=True, slots=True)
class RunPayload:
    """What every worker of a run needs, pickled once and sent to each worker."""

    run_id: str
    origin: tuple[str, str] | None
    definitions: bytes | None  # None: import ``origin`` and take its Definitions
    storage_dir: str
    run_config: Mapping[str, Any]
    storage_url: str | None = None
    """The run's metadata database, for ``context.instance`` (None: not reachable)."""
    home: str | None = None
    source: str | None = None
    """The text of a code location file (``-f``), for workers on hosts without the file."""
    current_time: datetime | None = None
    """The run's time (``StepEnvironment.current_time``)."""


def make_payload(
    defs: Definitions,
    run_id: str,
    storage_dir: Path,
    run_config: Mapping[str, Any],
    *,
    instance: Any = None,
    current_time: datetime | None = None,
) -> bytes:
    """The run payload, pickled.

    Definitions travel pickled; when they cannot be (assets made by a factory function,
    say) but came from a code location, workers import that code location instead.
    Otherwise a clear error names the IO manager or resource that cannot be sent.
    """
    try:
        definitions: bytes | None = pickle.dumps(defs)
    except Exception as exc:
        if defs.origin is None:
            _check_picklable(defs)
            raise ResourceError(
                f"The assets cannot be pickled for worker processes ({type(exc).__name__}: "
                f"{exc}). Define them at the top level of an importable module, load them "
                "with load_definitions(file=...) / -f, or use the in_process executor."
            ) from exc
        definitions = None
    url = getattr(instance, "storage_url", None)
    shared = url is not None and url not in ("sqlite://", "sqlite:///:memory:")
    source = None
    if defs.origin is not None and defs.origin[0] == "file":
        try:
            source = Path(defs.origin[1]).read_text(encoding="utf-8")
        except OSError:  # workers that share the disk still import it from there
            source = None
    payload = RunPayload(
        run_id,
        defs.origin,
        definitions,
        str(storage_dir),
        dict(run_config),
        url if shared else None,
        str(instance.home) if shared else None,
        source,
        current_time,
    )
    return pickle.dumps(payload)


class _InstanceOnDemand:
    """``context.instance`` in a worker: the run's instance, connected on first use."""

    def __init__(self, storage_url: str, home: str | None) -> None:
        self._args = (storage_url, home)
        self._instance: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._instance is None:
            from assetgraph.storage.instance import Instance

            self._instance = Instance(storage_url=self._args[0], home=self._args[1])
        return getattr(self._instance, name)


def _check_picklable(defs: Definitions) -> None:
    for kind, objects in (
        ("IO manager", defs.io_managers),
        ("resource", defs.resources),
    ):
        for name, obj in objects.items():
            try:
                pickle.dumps(obj)
            except Exception as exc:
                raise ResourceError(
                    f"The {kind} '{name}' ({type(obj).__name__}) cannot be pickled, so it "
                    f"cannot be sent to worker processes ({type(exc).__name__}: {exc}). Make "
                    "it picklable (keep connections out of its state, create them lazily), or "
                    "run with the in_process executor."
                ) from exc


class _WorkerRun:
    """One run's state inside a worker process."""

    def __init__(self, payload: RunPayload) -> None:
        from assetgraph.definitions.code_location import (
            definitions_in_module,
            import_origin,
            import_source,
        )
        from assetgraph.execution.resources import io_managers_for, resources_for_run
        from assetgraph.execution.run_config import resolve_run_config, with_run_config

        module = None
        if payload.origin is not None:
            kind, where = payload.origin
            if kind == "file" and payload.source is not None and not Path(where).is_file():
                module = import_source(where, payload.source)  # a host without the file
            else:
                module = import_origin(payload.origin)
        if payload.definitions is not None:
            defs: Definitions = pickle.loads(payload.definitions)
        else:
            assert module is not None and payload.origin is not None
            defs = definitions_in_module(module, payload.origin[1])
        self.by_name = {d.step_name: d for d in defs.graph.assets_defs}
        configs = resolve_run_config(defs.graph, list(defs.graph.assets_defs), payload.run_config)
        self._resources = resources_for_run(
            with_run_config(defs.resources, payload.run_config), payload.run_id, needed=()
        )
        self.env = StepEnvironment(
            run_id=payload.run_id,
            graph=defs.graph,
            io_managers=io_managers_for(defs, Path(payload.storage_dir), needed=()),
            resources=self._resources.__enter__(),
            configs=configs,
            run_config=dict(payload.run_config),
            checks=defs.checks_by_asset,
            instance=(
                _InstanceOnDemand(payload.storage_url, payload.home)
                if payload.storage_url is not None
                else None
            ),
            current_time=payload.current_time,
        )

    def close(self) -> None:
        self._resources.__exit__(None, None, None)


_RUNS: dict[bytes, _WorkerRun] = {}


def run_task(payload: bytes, task: StepTask, *, tee: bool = False) -> StepOutcome:
    """Run ``task`` in this process (set up for its run on first use); ``tee`` as for
    :func:`run_step`."""
    state = _run_for(payload)
    return run_step(state.env, state.by_name, task, tee=tee)


_CLUSTER_RUNS: dict[str, _WorkerRun | str] = {}
"""Runs set up on this Dask worker, by run key: the run, or why it could not be set up."""


def prepare_cluster_worker(run_key: str, payload: bytes) -> None:
    """Set this Dask worker up for a run (the run's worker plugin calls it on every worker,
    and on each worker that joins later); a failure is kept, as one line, for
    ``cluster_worker_problem`` and the run's tasks to report."""
    if run_key in _CLUSTER_RUNS:
        return
    origin: tuple[str, str] | None = None
    try:
        run_payload: RunPayload = pickle.loads(payload)
        origin = run_payload.origin
        _CLUSTER_RUNS[run_key] = _WorkerRun(run_payload)
    except Exception as exc:
        _CLUSTER_RUNS[run_key] = _setup_problem(exc, origin)


def _setup_problem(exc: BaseException, origin: tuple[str, str] | None) -> str:
    """One line: the module a worker could not import, or why it could not load the run."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ImportError):
        cause = cause.__cause__
    if isinstance(cause, ImportError):
        name = cause.name or (origin[1] if origin is not None else "?")
        return f"cannot import module '{name}' ({type(cause).__name__}: {cause})"
    return f"cannot load the code location ({type(exc).__name__}: {exc})"


def release_cluster_run(run_key: str) -> None:
    """Forget a run on this Dask worker (its plugin is removed when the run ends)."""
    state = _CLUSTER_RUNS.pop(run_key, None)
    if isinstance(state, _WorkerRun):
        state.close()


def cluster_worker_problem(run_key: str) -> str | None:
    """Why this Dask worker could not set the run up, or None when it is ready."""
    state = _CLUSTER_RUNS.get(run_key)
    if state is None:
        return "was not set up for the run (its worker plugin did not run)"
    return state if isinstance(state, str) else None


def run_cluster_tasks(
    tasks: list[StepTask], dask_key: str, *, run_key: str, topic: str
) -> list[StepOutcome]:
    """Run ``tasks`` one after another on a Dask worker set up for their run, first telling
    the launcher (Dask event ``topic``) that ``dask_key`` starts here: a second start of one
    key means Dask ran it again after the worker that ran it first died."""
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(topic, (dask_key, worker.address))
    state = _CLUSTER_RUNS.get(run_key)
    if not isinstance(state, _WorkerRun):
        problem = state or "was not set up for the run"
        raise ResourceError(f"Dask worker {worker.address} {problem}.")
    return [run_step(state.env, state.by_name, task) for task in tasks]


def _run_for(payload: bytes) -> _WorkerRun:
    state = _RUNS.get(payload)
    if state is None:
        for old in _RUNS.values():
            old.close()
        _RUNS.clear()
        state = _RUNS[payload] = _WorkerRun(pickle.loads(payload))
    return state


def run_step(
    env: StepEnvironment, by_name: Mapping[str, Any], task: StepTask, *, tee: bool = False
) -> StepOutcome:
    """Run one task's step with its output captured; the outcome carries every event.

    ``tee`` also lets the output through (a step in the run's own process).
    """
    assets_def = by_name[task.step_name]
    step = Step(
        task.step_key,
        assets_def,
        task.asset_keys or assets_def.keys,
        (),
        task.partition_keys,
        task.input_partitions,
        task.checks,
        task.skipped_checks,
    )
    with capture_output(tee=tee) as captured:
        if step.kind is StepKind.CHECK:
            outcome = run_check_step(step, env)
        elif step.kind is StepKind.OBSERVE:
            outcome = observe_step(step, env)
        else:
            outcome = execute_step(step, env, task.input_versions)
    logs = captured.events(env.run_id, step)
    if logs:  # before the step's final event, as they happened before it ended
        outcome.events[-1:-1] = logs
    return outcome


_PAYLOAD: bytes | None = None
_LIVE = False  # whether this pool worker forwards its steps' logs as they happen


def initialize_pool_worker(
    payload: bytes,
    coordinator_pid: int,
    live_logs: tuple[Any, dict[str, int]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> None:
    """``ProcessPoolExecutor`` initializer: die with the coordinator, leave Ctrl-C to it,
    send logs to it as they happen (``live_logs``: ``LiveLogRelay.worker_args()``), take
    the coordinator's environment ``environ`` (a fork server forks workers with its own,
    from when it started), keep the payload and set the run up now."""
    global _PAYLOAD, _LIVE
    die_with_coordinator(coordinator_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator stops its workers itself
    if environ is not None and os.environ != environ:
        os.environ.clear()
        os.environ.update(environ)
    if live_logs is not None:
        from assetgraph.execution.live_logs import forward_worker_logs

        forward_worker_logs(*live_logs)
        _LIVE = True
    _PAYLOAD = payload
    _RUNS[payload] = _WorkerRun(pickle.loads(payload))
    atexit.register(_leave_at_once)


def _leave_at_once() -> None:
    """End a pool worker without tearing its interpreter down (every module and object):
    the run waits for its workers to be gone, and that took most of a second on a busy
    machine. Runs first of the exit handlers; the ones before it have nothing to do here
    (the process machinery already flushed its queues)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def worker_ready() -> None:
    """A task that does nothing: submitted once per worker to start the pool's workers."""


def run_pool_tasks(tasks: list[StepTask]) -> list[StepOutcome]:
    """Steps, one after another, in a pool worker set up by ``initialize_pool_worker``."""
    return [run_pool_task(task) for task in tasks]


def run_pool_task(task: StepTask) -> StepOutcome:
    """A step in a pool worker set up by ``initialize_pool_worker``."""
    assert _PAYLOAD is not None, "the worker was not initialized"
    if not _LIVE:
        return run_task(_PAYLOAD, task)

    from assetgraph.execution.live_logs import set_current_step

    set_current_step(task.step_key)
    try:
        return run_task(_PAYLOAD, task, tee=True)  # printed lines go to the coordinator too
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
