"""One timed run on the cluster of ``bench/cluster.py`` (or in-process, for a baseline).

Shared by S6b and S7b: start moto's S3 server and, when ``on_cluster``, a Dask scheduler
and workers (not timed); write the code location; time one ``materialize`` of it; stop
everything.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.cluster import DaskProcessCluster, S3Server, make_bucket, s3_env
from bench.protocol import timed


def cluster_run(code: str, *, workers: int, on_cluster: bool) -> float:
    """Core ms of one run of the code location ``code`` (values in ``s3://bench``)."""
    from assetgraph import Instance, load_definitions, materialize

    folder = Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()
    folder.mkdir(parents=True, exist_ok=True)
    s3 = S3Server(folder / "moto").start()
    cluster = None
    try:
        os.environ.update(s3_env(s3.url))
        make_bucket(s3.url, "bench")
        if on_cluster:
            cluster = DaskProcessCluster(folder / "dask", workers, s3_env(s3.url)).start()
        path = folder / "cluster_defs.py"
        path.write_text(code)
        defs = load_definitions(file=path)
        instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
        instance.storage.upgrade()
        executor = "dask" if cluster is not None else "in_process"
        address = cluster.address if cluster is not None else None
        with timed() as core:
            result = materialize(defs, instance=instance, executor=executor, dask_address=address)
        if not result.success:
            raise SystemExit(f"the run failed: {[o.step_key for o in result.failures][:5]}")
        return core.ms
    finally:
        if cluster is not None:
            cluster.stop()
        s3.stop()
