"""The Dask worker plugin that sets every worker of a cluster up for one run.

Registered by ``DaskLauncher`` when a run starts and removed when it ends. Dask applies a
registered plugin to each worker there now and to every worker that joins later (a new
host, or one its nanny restarted after it died), so any worker can run the run's steps
without each task carrying the run's definitions. Importing this module imports Dask's
``distributed``: only the Dask launcher does.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from assetgraph.execution.worker import prepare_cluster_worker, release_cluster_run


class RunSetupPlugin(WorkerPlugin):
    """Sets a worker up for the run ``run_key`` (its pickled ``RunPayload``)."""

    def __init__(self, run_key: str, payload: bytes) -> None:
        self.name = f"assetgraph-run-{run_key}"
        self.run_key = run_key
        self.payload = payload

    def setup(self, worker: Any) -> None:
        prepare_cluster_worker(self.run_key, self.payload)

    def teardown(self, worker: Any) -> None:
        release_cluster_run(self.run_key)
