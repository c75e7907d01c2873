# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/ops_jobs_graphs/simple_job.py (op-based jobs), as Dagster wrote it.
from dagster import op, job


@op
def return_five():
    return 5


@op
def add_one(arg):
    return arg + 1


@job
def do_stuff():
    add_one(return_five())
