"""Where steps run: in this process, in a pool of processes, or on a Dask cluster.

A launcher takes step tasks from the run coordinator and hands back their outcomes; it
never records anything. ``capacity`` is how many steps it runs at once.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import queue
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from assetgraph.errors import UsageError
from assetgraph.execution.step import StepEnvironment, StepError, StepOutcome
from assetgraph.execution.worker import StepTask, run_step
from assetgraph.planning.planner import Step
from assetgraph.storage.events import StepFailed, step_event
from assetgraph.storage.records import StepStatus

EXECUTORS = ("in_process", "multiprocess", "dask")
STOP_TIMEOUT_SECONDS = 10.0
"""How long stopping a run waits for each killed worker process to be gone."""


class Launcher(Protocol):
    """Runs step tasks and reports their outcomes."""

    capacity: int

    def launch(self, step: Step, task: StepTask) -> None: ...

    def collect(self, timeout: float) -> list[StepOutcome]:
        """Outcomes of steps that finished, waiting up to ``timeout`` seconds for one."""
        ...

    def stop_running(self) -> None:
        """Stop every running step now (cancellation)."""
        ...

    def close(self) -> None: ...


class InProcessLauncher:
    """Runs each step in this process, one at a time, as it is launched."""

    capacity = 1

    def __init__(self, env: StepEnvironment) -> None:
        self._env = env
        self._done: list[StepOutcome] = []
        self._by_name = {d.step_name: d for d in env.graph.assets_defs}

    def launch(self, step: Step, task: StepTask) -> None:
        self._done.append(run_step(self._env, self._by_name, task, tee=True))

    def collect(self, timeout: float) -> list[StepOutcome]:
        done, self._done = self._done, []
        if not done and timeout > 0:
            time.sleep(timeout)  # nothing runs in the background: just wait
        return done

    def stop_running(self) -> None:
        """Nothing runs between launches; a running step is interrupted by the caller."""

    def close(self) -> None:
        pass


class ProcessPoolLauncher:
    """Runs steps in ``workers`` processes (``spawn``), each set up once for the run."""

    def __init__(self, workers: int, payload: bytes, *, needs_main: bool = True) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from assetgraph.execution.live_logs import LiveLogRelay
        from assetgraph.execution.worker import initialize_pool_worker

        self.capacity = workers
        self._needs_main = needs_main
        self._stopped = False
        self._finished: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        context = multiprocessing.get_context("spawn")
        self._live_logs = LiveLogRelay(context)  # steps' logs, as they happen
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=initialize_pool_worker,
            initargs=(payload, os.getpid(), self._live_logs.worker_args()),
        )

    def launch(self, step: Step, task: StepTask) -> None:
        from assetgraph.execution.worker import run_pool_task

        with _main_hidden(not self._needs_main):  # a submit may start a worker process
            future = self._pool.submit(run_pool_task, task)
        future.add_done_callback(lambda done: self._finished.put((step.key, done)))

    def collect(self, timeout: float) -> list[StepOutcome]:
        return _drain(self._finished, timeout, _future_outcome)

    def stop_running(self) -> None:
        # The executor cannot stop a running task; its worker processes can be killed.
        self._stopped = True
        processes = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.pid is not None and process.is_alive():
                with contextlib.suppress(ProcessLookupError):  # it may exit meanwhile
                    os.kill(process.pid, signal.SIGKILL)
        for process in processes:  # gone for sure before the run gives its leases back
            process.join(STOP_TIMEOUT_SECONDS)

    def close(self) -> None:
        # After stop_running the workers are dead: waiting for them could hang on a broken pool.
        self._pool.shutdown(wait=not self._stopped, cancel_futures=True)
        self._live_logs.close()


class DaskLauncher:
    """Runs steps on a Dask cluster: the one at ``address``, or a ``LocalCluster``."""

    def __init__(self, workers: int | None, address: str | None, payload: bytes) -> None:
        try:
            # Typed as Any: distributed's API is not annotated.
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            from assetgraph.errors import install_hint

            raise UsageError(
                f"The dask executor needs Dask's distributed scheduler: {install_hint('dask')}."
            ) from None
        self._cluster: Any = None
        if address:
            try:
                self._client = distributed.Client(address, timeout=30)
            except (OSError, TimeoutError) as exc:
                raise UsageError(f"Cannot reach the Dask scheduler at {address}: {exc}") from exc
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client = distributed.Client(self._cluster)
        self.capacity = max(1, sum(self._client.nthreads().values()))
        self._payload = self._client.scatter(payload, broadcast=True)
        self._finished: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._futures: dict[str, Any] = {}

    def launch(self, step: Step, task: StepTask) -> None:
        from assetgraph.execution.worker import run_task

        future = self._client.submit(
            run_task,
            self._payload,
            task,
            pure=False,
            key=f"{step.key}-{task.attempt}-{time.time_ns()}",
        )
        self._futures[step.key] = future
        future.add_done_callback(lambda done: self._finished.put((step.key, done)))

    def collect(self, timeout: float) -> list[StepOutcome]:
        outcomes = _drain(self._finished, timeout, _future_outcome)
        for outcome in outcomes:
            self._futures.pop(outcome.step_key, None)
        return outcomes

    def stop_running(self) -> None:
        self._client.cancel(list(self._futures.values()), force=True)
        if self._cluster is not None:  # our own cluster: stop its workers for real, now
            # Each nanny knows its worker's pid here: no round trip to a busy worker.
            for nanny in list(self._cluster.workers.values()):
                pid = getattr(nanny, "pid", None)
                if pid:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            self._cluster.close()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_launcher(
    executor: str,
    env: StepEnvironment,
    payload: Callable[[], bytes],
    workers: int | None = None,
    dask_address: str | None = None,
) -> Launcher:
    """The launcher for ``executor`` (``in_process``, ``multiprocess`` or ``dask``)."""
    if executor == "in_process":
        return InProcessLauncher(env)
    if executor == "multiprocess":
        needs_main = any(
            getattr(d.fn, "__module__", None) == "__main__" for d in env.graph.assets_defs
        )
        return ProcessPoolLauncher(workers or os.cpu_count() or 1, payload(), needs_main=needs_main)
    if executor == "dask":
        return DaskLauncher(workers, dask_address, payload())
    raise UsageError(f"Unknown executor '{executor}': use one of {', '.join(EXECUTORS)}.")


@contextmanager
def _main_hidden(hide: bool) -> Iterator[None]:
    """Keep ``spawn`` from running the main script again in each worker.

    ``spawn`` re-imports ``__main__`` in every new process (so a script without an
    ``if __name__ == "__main__":`` guard would run again there). When no asset comes from
    the main script, workers do not need it: hide its file while workers start.
    """
    main = sys.modules.get("__main__")
    saved = getattr(main, "__file__", None) if hide else None
    if main is None or saved is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = saved


def _drain(
    finished: queue.SimpleQueue[tuple[str, Any]],
    timeout: float,
    outcome_of: Callable[[str, Any], StepOutcome],
) -> list[StepOutcome]:
    try:
        first = finished.get(timeout=max(0.0, timeout))
    except queue.Empty:
        return []
    done = [outcome_of(*first)]
    while True:
        try:
            done.append(outcome_of(*finished.get_nowait()))
        except queue.Empty:
            return done


def _future_outcome(step_key: str, future: Any) -> StepOutcome:
    """The outcome a future carries, or a failure saying why the worker gave none."""
    try:
        outcome: StepOutcome = future.result()
        return outcome
    except BaseException as exc:  # the worker died, or the task could not be sent back
        return lost_outcome(step_key, exc)


def lost_outcome(step_key: str, exc: BaseException) -> StepOutcome:
    """A failed outcome for a step whose worker gave no outcome."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    message = f"the worker running this step gave no result: {type(exc).__name__}: {exc}"
    error = StepError("worker", type(exc).__name__, message, None, text)
    # The run id, attempt, assets and partitions are filled in by the run coordinator.
    failure = StepFailed(error=error.to_payload())
    event = step_event("", failure, time.time(), step_key=step_key, message=error.summary())
    return StepOutcome(step_key=step_key, status=StepStatus.FAILURE, events=[event], error=error)
