# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/ops_jobs_graphs/repo_with_job.py (op-based jobs), as Dagster wrote it.
from dagster import Definitions, job


@job
def do_it_all():
    ...


defs = Definitions(jobs=[do_it_all])
