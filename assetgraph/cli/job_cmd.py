"""``assetgraph job list|execute``: Dagster's ``dagster job list`` / ``dagster job execute``.

``execute -j NAME`` runs an op job's ops in this process as one recorded run (``assetgraph
runs list`` and ``assetgraph logs RUN_ID`` show it), or an asset job's assets as
``assetgraph materialize --job NAME`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assetgraph.cli.app import (
    FileOption,
    JsonOption,
    ModuleOption,
    VerboseOption,
    handle_errors,
    job_app,
    load,
    parse_tags,
)

JobOption = Annotated[
    str,
    typer.Option("--job", "-j", help="The job to run.", metavar="NAME", show_default=False),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="YAML/JSON run config file.", metavar="FILE", show_default=False
    ),
]
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", help="Run tag (repeatable).", metavar="KEY=VALUE", show_default=False),
]


@job_app.command("list")
@handle_errors
def list_jobs(
    file: FileOption = None,
    module: ModuleOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the jobs of the code location (op jobs and asset jobs)."""
    from assetgraph.cli.job_runs import print_jobs

    print_jobs(load(file, module), as_json)


@job_app.command("execute")
@handle_errors
def execute(
    file: FileOption = None,
    module: ModuleOption = None,
    job: JobOption = "",
    config: ConfigOption = None,
    tag: TagOption = None,
    op_selection: Annotated[
        list[str] | None,
        typer.Option(
            "--op-selection",
            help="Run only these ops of an op job ('name', '*name' with its upstream, "
            "'name*' with its downstream; repeatable).",
            metavar="OP",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Execute a job in this process, as one run (exit code 1 when it fails)."""
    from assetgraph.execution.run_config import load_run_config_file
    from assetgraph.storage.instance import Instance

    defs = load(file, module)
    found = defs.get_job_def(job)
    run_config = load_run_config_file(config) if config else None
    if not getattr(found, "is_op_job", False):
        from assetgraph.cli.assets_cmd import materialize_cmd

        materialize_cmd(file=file, module=module, job=job, config=config, tag=tag)
        return
    from assetgraph.cli.execution_options import run_origin_tags
    from assetgraph.cli.job_runs import report_op_job, run_op_job

    tags = {**run_origin_tags(defs, None), **parse_tags(tag)}
    result = run_op_job(found, Instance.from_env(), run_config, tags, op_selection)
    report_op_job(result, as_json, verbose)
