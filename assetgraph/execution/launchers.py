"""Where steps run: in this process, in a pool of processes, or on a Dask cluster.

A launcher takes step tasks from the run coordinator and hands back their outcomes; it
never records anything. ``capacity`` is how many steps it runs at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import importlib
import os
import queue
import signal
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from assetgraph.errors import ExecutorLost, UsageError
from assetgraph.execution.step import StepEnvironment, StepError, StepOutcome
from assetgraph.execution.worker import StepTask, run_step
from assetgraph.planning.planner import Step
from assetgraph.storage.events import StepFailed, step_event
from assetgraph.storage.records import StepStatus

T = TypeVar("T")

EXECUTORS = ("in_process", "multiprocess", "dask")
STOP_TIMEOUT_SECONDS = 10.0
"""How long stopping a run waits for each killed worker process to be gone."""

TASK_SECONDS = 0.02
"""Quick steps go to a worker several in one task, as many as take about this long: one
round trip through the pool or the Dask scheduler for them all."""

MAX_STEPS_PER_TASK = 16
"""At most this many steps in one task."""


class Launcher(Protocol):
    """Runs step tasks and reports their outcomes."""

    capacity: int
    """How many tasks it runs at once."""

    def steps_per_task(self, step_seconds: float | None) -> int:
        """How many steps a task may carry when steps take ``step_seconds`` (None: not
        known yet)."""
        ...

    def launch(self, step: Step, task: StepTask) -> None: ...

    def collect(self, timeout: float) -> list[StepOutcome]:
        """Outcomes of steps that finished, waiting up to ``timeout`` seconds for one."""
        ...

    def stop_running(self) -> None:
        """Stop every running step now (cancellation)."""
        ...

    def abandon(self, step_key: str) -> None:
        """Stop waiting for a step the launcher runs again after a lost attempt."""
        ...

    def close(self) -> None: ...


class InProcessLauncher:
    """Runs each step in this process, one at a time, as it is launched."""

    capacity = 1

    def __init__(self, env: StepEnvironment) -> None:
        self._env = env
        self._done: list[StepOutcome] = []
        self._by_name = {d.step_name: d for d in env.graph.assets_defs}

    def steps_per_task(self, step_seconds: float | None) -> int:
        return 1

    def launch(self, step: Step, task: StepTask) -> None:
        self._done.append(run_step(self._env, self._by_name, task, tee=True))

    def collect(self, timeout: float) -> list[StepOutcome]:
        done, self._done = self._done, []
        if not done and timeout > 0:
            time.sleep(timeout)  # nothing runs in the background: just wait
        return done

    def stop_running(self) -> None:
        """Nothing runs between launches; a running step is interrupted by the caller."""

    def abandon(self, step_key: str) -> None:
        """Never runs a step again by itself."""

    def close(self) -> None:
        pass


WORKER_PRELOAD = (
    "assetgraph.execution.fork_server",
    "assetgraph.execution.worker",
    "assetgraph.execution.live_logs",
    "assetgraph.execution.resources",
    "assetgraph.execution.run_config",
    "assetgraph.definitions.code_location",
    "assetgraph.definitions.asset_decorator",
)
"""What the fork server imports once, so that each worker it forks starts with it loaded:
its signal set-up, the worker's own modules and what a code location's
``from assetgraph import asset`` needs."""


class ProcessPoolLauncher:
    """Runs steps in ``workers`` processes, each set up once for the run.

    Workers are forked by a fork server that imported assetgraph once
    (``worker_context``), all of them as soon as the launcher is made, so that they set
    up while the coordinator prepares its first steps. The steps launched in one
    coordinator pass go to the pool when it next collects, in tasks of several steps when
    there are more than idle workers (quick steps).
    """

    def __init__(self, workers: int, payload: bytes, *, needs_main: bool = True) -> None:
        from concurrent.futures import ProcessPoolExecutor

        from assetgraph.execution.live_logs import LiveLogRelay
        from assetgraph.execution.worker import initialize_pool_worker

        self.capacity = workers
        self._needs_main = needs_main
        self._stopped = False
        self._finished: queue.SimpleQueue[tuple[list[str], Any]] = queue.SimpleQueue()
        self._to_submit: list[tuple[str, StepTask]] = []
        self._in_flight = 0  # tasks submitted, not yet collected
        context = worker_context(needs_main)
        self._live_logs = LiveLogRelay(context)  # steps' logs, as they happen
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=initialize_pool_worker,
            initargs=(payload, os.getpid(), self._live_logs.worker_args(), dict(os.environ)),
        )
        self._start_workers()

    def _start_workers(self) -> None:
        """Start every worker now: the pool starts one per task submitted while none is idle."""
        from assetgraph.execution.worker import worker_ready

        with _main_hidden(not self._needs_main):
            for _ in range(self.capacity):
                self._pool.submit(worker_ready)

    def steps_per_task(self, step_seconds: float | None) -> int:
        return steps_per_task(step_seconds)

    def launch(self, step: Step, task: StepTask) -> None:
        self._to_submit.append((step.key, task))

    def _submit(self) -> None:
        from assetgraph.execution.worker import run_pool_tasks

        groups = task_groups(self._to_submit, self.capacity - self._in_flight)
        self._to_submit = []
        for group in groups:
            keys = [key for key, _ in group]
            with _main_hidden(not self._needs_main):  # a submit may start a worker process
                future = self._pool.submit(run_pool_tasks, [task for _, task in group])
            self._in_flight += 1
            future.add_done_callback(functools.partial(self._task_done, keys))

    def _task_done(self, keys: list[str], future: Any) -> None:
        self._finished.put((keys, future))

    def collect(self, timeout: float) -> list[StepOutcome]:
        self._submit()
        done = _drain(self._finished, timeout)
        self._in_flight -= len(done)
        return [outcome for keys, future in done for outcome in _future_outcomes(keys, future)]

    def stop_running(self) -> None:
        # The executor cannot stop a running task; its worker processes can be killed.
        self._to_submit.clear()
        self._stopped = True
        processes = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.pid is not None and process.is_alive():
                with contextlib.suppress(ProcessLookupError):  # it may exit meanwhile
                    os.kill(process.pid, signal.SIGKILL)
        for process in processes:  # gone for sure before the run gives its leases back
            process.join(STOP_TIMEOUT_SECONDS)

    def abandon(self, step_key: str) -> None:
        """Never runs a step again by itself."""

    def close(self) -> None:
        # After stop_running the workers are dead: waiting for them could hang on a broken pool.
        self._pool.shutdown(wait=not self._stopped, cancel_futures=True)
        self._live_logs.close()


class DaskLauncher:
    """Runs steps on a Dask cluster: the one at ``address``, or a ``LocalCluster``.

    Each step is a Dask task, submitted when the coordinator launches it (as soon as its
    inputs are ready), so the scheduler places tasks on free workers as they come; quick
    steps launched together go several to a task (``task_groups``). Before
    the first task every worker is set up for the run (``prepare_cluster_worker``): a
    worker that cannot import the code location fails the run at once, naming the module
    and the worker. Each task reports its start (a Dask event): a second start of one task
    means its first worker died and Dask runs it again elsewhere, which the coordinator
    counts as a failed attempt of each of its steps. A scheduler that goes away ends the
    run (``ExecutorLost``).
    """

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
        self.address = str(self._client.scheduler.address)
        # Twice the cluster's threads: a worker finds its next step already queued when one
        # ends, instead of idling for a round trip through the coordinator.
        self.capacity = 2 * max(1, sum(self._client.nthreads().values()))
        self._topic = f"assetgraph-step-start-{uuid.uuid4().hex}"
        self._finished: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._futures: dict[str, Any] = {}  # step key -> the Dask future of its task
        self._steps: dict[str, list[str]] = {}  # Dask key -> the step keys of its task
        self._started_on: dict[str, str] = {}  # Dask key -> the worker it last started on
        self._abandoned: set[str] = set()
        self._to_submit: list[tuple[str, StepTask]] = []
        self._run_key = hashlib.sha256(payload).hexdigest()[:20]
        self._plugin: str | None = None
        try:
            self._prepare_workers(payload)
            self._client.subscribe_topic(self._topic, self._on_start)
        except BaseException:
            self.close()
            raise

    def _prepare_workers(self, payload: bytes) -> None:
        """Register the run's worker plugin (it sets up each worker, now and on joining),
        then fail at once, in one line, if a worker could not import the code location."""
        from assetgraph.errors import CodeLocationLoadError
        from assetgraph.execution.dask_plugin import RunSetupPlugin
        from assetgraph.execution.worker import cluster_worker_problem

        plugin = RunSetupPlugin(self._run_key, payload)
        self._client.register_plugin(plugin, name=plugin.name)
        self._plugin = plugin.name
        problems = self._client.run(cluster_worker_problem, self._run_key)
        for worker, problem in sorted(problems.items()):
            if problem is not None:
                raise CodeLocationLoadError(
                    f"Dask worker {worker} {problem}: make the code location importable on "
                    "every worker (install its package there, or put its folder on the "
                    "workers' PYTHONPATH)."
                )

    def _on_start(self, event: Any) -> None:
        """A task started on a worker (called on the client's event loop)."""
        _, (dask_key, worker) = event
        self._finished.put(("start", (dask_key, worker)))

    def steps_per_task(self, step_seconds: float | None) -> int:
        return steps_per_task(step_seconds)

    def launch(self, step: Step, task: StepTask) -> None:
        # Kept until ``collect``: the steps the coordinator launches in one pass go to the
        # scheduler as one graph, with one wake-up of the client's event loop.
        self._check_connected()
        self._to_submit.append((step.key, task))

    def _submit(self) -> None:
        """Send the launched steps to the scheduler, in tasks of one or more, in one graph."""
        from assetgraph.execution.worker import run_cluster_tasks

        if not self._to_submit:
            return
        groups = task_groups(self._to_submit, self.capacity - len(self._steps))
        self._to_submit = []
        keys = [f"{group[0][0]}-{group[0][1].attempt}-{time.time_ns()}" for group in groups]
        futures = self._client.map(
            run_cluster_tasks,
            [[task for _, task in group] for group in groups],
            keys,
            key=keys,
            pure=False,
            run_key=self._run_key,
            topic=self._topic,
        )
        watched = []
        for group, dask_key, future in zip(groups, keys, futures, strict=True):
            step_keys = [step_key for step_key, _ in group]
            for step_key in step_keys:
                self._futures[step_key] = future
            self._steps[dask_key] = step_keys
            watched.append((step_keys, future, self._client.gather(future, asynchronous=True)))
        # Outcomes are fetched on the client's event loop as soon as each task ends, so the
        # coordinator's thread never waits on a round trip to a worker.
        asyncio.run_coroutine_threadsafe(self._deliver(watched), self._client.loop.asyncio_loop)

    async def _deliver(self, watched: list[tuple[list[str], Any, Any]]) -> None:
        """Wait (on the client's event loop) for each task's outcomes, and queue them."""

        async def one(step_keys: list[str], future: Any, gathering: Any) -> None:
            try:
                outcome: Any = await gathering
            except BaseException as exc:  # the task failed, was lost or canceled
                outcome = exc
            self._finished.put(("done", (step_keys, future, outcome)))

        await asyncio.gather(*(one(*item) for item in watched))

    def collect(self, timeout: float) -> list[StepOutcome]:
        self._submit()
        outcomes: list[StepOutcome] = []
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            wait = deadline - time.monotonic() if not outcomes else 0.0
            try:
                kind, item = self._finished.get(timeout=max(0.0, wait))
            except queue.Empty:
                break
            outcomes.extend(self._started(*item) if kind == "start" else self._done(*item))
        if not outcomes:
            self._check_connected()
        return outcomes

    def _started(self, dask_key: str, worker: str) -> list[StepOutcome]:
        step_keys = self._steps.get(dask_key)
        before = self._started_on.get(dask_key)
        self._started_on[dask_key] = worker
        if step_keys is None or before is None:
            return []
        lost = []
        for step_key in step_keys:
            if step_key in self._abandoned:
                continue
            outcome = lost_outcome(
                step_key,
                ExecutorLost(f"the Dask worker {before} running this step died"),
                f"the Dask worker {before} running this step died; Dask runs it again on {worker}",
            )
            outcome.rerun = True
            lost.append(outcome)
        return lost

    def _done(self, step_keys: list[str], future: Any, outcome: Any) -> list[StepOutcome]:
        self._steps.pop(future.key, None)
        self._started_on.pop(future.key, None)
        wanted = []
        for step_key in step_keys:
            if self._futures.get(step_key) is future:
                del self._futures[step_key]
            if step_key in self._abandoned:
                self._abandoned.discard(step_key)
            else:
                wanted.append(step_key)
        if future.status == "cancelled" and self._client.status != "running":
            self._check_connected(force=True)
        if isinstance(outcome, BaseException):
            return [lost_outcome(step_key, outcome) for step_key in wanted]
        outcomes: list[StepOutcome] = outcome
        return [done for done in outcomes if done.step_key in wanted]

    def _check_connected(self, *, force: bool = False) -> None:
        """``ExecutorLost`` when the client lost its scheduler (its tasks are gone)."""
        if self._client.status == "running" and not force:
            return
        raise ExecutorLost(
            f"Lost the Dask scheduler at {self.address} (the client is "
            f"{self._client.status}): its running steps are gone. Start a scheduler and run "
            "again with --missing to finish what this run did not."
        )

    def abandon(self, step_key: str) -> None:
        """Drop a step that Dask runs again: ignore its outcome, and cancel its task once
        every step of it is dropped."""
        future = self._futures.get(step_key)
        if future is not None:
            self._abandoned.add(step_key)
            if all(key in self._abandoned for key in self._steps.get(future.key, ())):
                with contextlib.suppress(Exception):
                    self._client.cancel([future], force=True)

    def stop_running(self) -> None:
        self._to_submit.clear()
        with contextlib.suppress(Exception):  # a lost scheduler has nothing left to cancel
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
        if self._client.status == "running":
            with contextlib.suppress(Exception):
                self._client.unsubscribe_topic(self._topic)
            if self._plugin is not None:
                with contextlib.suppress(Exception):
                    self._client.unregister_worker_plugin(self._plugin)
        self._client.close(timeout=STOP_TIMEOUT_SECONDS)
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


def worker_context(needs_main: bool) -> Any:
    """How pool workers start: forked by a fork server that imported ``WORKER_PRELOAD``
    once (fast, and safe with the coordinator's threads); ``spawn`` when steps come from
    the main script (the fork server does not load it) or the platform has no fork server.
    """
    import multiprocessing

    if needs_main or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    return context


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


def steps_per_task(step_seconds: float | None) -> int:
    """As many steps of ``step_seconds`` as take about ``TASK_SECONDS`` (one while their
    duration is not known), at most ``MAX_STEPS_PER_TASK``."""
    if step_seconds is None:
        return 1
    return max(1, min(MAX_STEPS_PER_TASK, int(TASK_SECONDS / max(step_seconds, 1e-6))))


def task_groups(items: list[T], idle: int) -> list[list[T]]:
    """``items`` in tasks of at most ``MAX_STEPS_PER_TASK``: one each for as many
    ``idle`` workers as there are items, otherwise as few tasks as that allows."""
    if not items:
        return []
    count = max(min(len(items), max(1, idle)), -(-len(items) // MAX_STEPS_PER_TASK))
    size, extra = divmod(len(items), count)
    groups, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups


def _drain(finished: queue.SimpleQueue[T], timeout: float) -> list[T]:
    """What ``finished`` holds, waiting up to ``timeout`` seconds for the first."""
    try:
        done = [finished.get(timeout=max(0.0, timeout))]
    except queue.Empty:
        return []
    while True:
        try:
            done.append(finished.get_nowait())
        except queue.Empty:
            return done


def _future_outcomes(step_keys: list[str], future: Any) -> list[StepOutcome]:
    """The outcomes a task's future carries, or a failure of each of its steps saying
    why the worker gave none."""
    try:
        outcomes: list[StepOutcome] = future.result()
        return outcomes
    except BaseException as exc:  # the worker died, or the task could not be sent back
        return [lost_outcome(key, exc) for key in step_keys]


def lost_outcome(step_key: str, exc: BaseException, message: str | None = None) -> StepOutcome:
    """A failed outcome for a step whose worker gave no outcome."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if message is None:
        message = f"the worker running this step gave no result: {type(exc).__name__}: {exc}"
    error = StepError("worker", type(exc).__name__, message, None, text)
    # The run id, attempt, assets and partitions are filled in by the run coordinator.
    failure = StepFailed(error=error.to_payload())
    event = step_event("", failure, time.time(), step_key=step_key, message=error.summary())
    return StepOutcome(step_key=step_key, status=StepStatus.FAILURE, events=[event], error=error)
