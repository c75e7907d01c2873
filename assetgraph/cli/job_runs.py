"""What ``assetgraph materialize --job NAME`` runs: the job's assets, config and tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import typer

from assetgraph.errors import UsageError


def job_run(
    defs: Any,
    name: str,
    select: str | None,
    exclude: str | None,
    run_config: Mapping[str, Any] | None,
    tags: Mapping[str, str],
    partition_keys: Sequence[str] = (),
) -> tuple[list[str], dict[str, Any], dict[str, str], set[Any]]:
    """The keys (as strings), run config, run tags and asset checks of a run of job ``name``.

    ``select`` / ``exclude`` narrow the job to some of its assets (a selection that names
    none of them is an error) and their checks; a job of checks alone
    (``AssetSelection.checks_for_assets``) has no keys but its checks. The file's run
    config is merged over the job's config, and
    the ``--tag`` tags over the job's run tags. A job with a partitioned config takes the
    config (and tags) of the one partition in ``partition_keys``.
    """
    from assetgraph.selection import select_assets

    job = defs.get_job_def(name)
    keys = list(job.asset_keys)
    if select or exclude:
        chosen = set(select_assets(defs.graph, select, exclude))
        keys = [key for key in keys if key in chosen]
        if not keys:
            narrowed = " ".join(
                part
                for part in (
                    f"--select '{select}'" if select else "",
                    f"--exclude '{exclude}'" if exclude else "",
                )
                if part
            )
            raise UsageError(f"{narrowed} leaves none of the assets of job '{name}' to run.")
    checks = job.selection_for_run(keys).resolve_checks(defs)
    if not keys and not checks:
        raise UsageError(f"Job '{name}' selects no assets: there is nothing to run.")
    partition = None
    if job.partitioned_config is not None:
        if len(partition_keys) != 1:
            raise UsageError(
                f"Job '{name}' has a partitioned config: name one partition with --partition."
            )
        partition = partition_keys[0]
    return (
        [key.to_string() for key in keys],
        job.run_config_for(run_config, partition),
        {**job.run_tags_for_run(None, partition), **tags},
        checks,
    )


def print_jobs(defs: Any, as_json: bool) -> None:
    """``assetgraph list --jobs``: each job with its assets, partitions and tags."""
    from assetgraph.cli import render

    rows = [
        {
            "name": job.name,
            "kind": "op" if getattr(job, "is_op_job", False) else "asset",
            "ops": list(getattr(job, "op_handles", [])),
            "description": job.description,
            "assets": [key.to_string() for key in job.asset_keys],
            "partitions": None if job.partitions_def is None else repr(job.partitions_def),
            "tags": dict(job.tags),
            "run_tags": None if job.run_tags is None else dict(job.run_tags),
        }
        for job in defs.get_all_job_defs()
    ]
    if as_json:
        render.print_json(rows)
        return
    render.print_table(
        f"{len(rows)} job{'' if len(rows) == 1 else 's'}",
        ["job", "assets / ops", "partitions"],
        [
            [row["name"], ", ".join(row["assets"] or row["ops"]) or "-", row["partitions"] or "-"]
            for row in rows
        ],
    )


def run_op_job(
    job: Any,
    instance: Any,
    run_config: Any,
    tags: dict[str, str],
    op_selection: list[str] | None = None,
    partition_keys: Sequence[str] = (),
) -> Any:
    """Run op job ``job`` as ``assetgraph`` does: recorded in ``instance``, not raising. A
    job with a partitioned config runs the one partition of ``partition_keys``."""
    partition = None
    if job.partitioned_config is not None or partition_keys:
        if job.partitioned_config is None or len(partition_keys) != 1:
            raise UsageError(
                f"Job '{job.name}' "
                + (
                    "has a partitioned config: name one partition with --partition."
                    if job.partitioned_config is not None
                    else "is an op job without a partitioned config: leave out --partition."
                )
            )
        partition = partition_keys[0]
    return job.execute_in_process(
        run_config=run_config,
        instance=instance,
        tags=tags,
        raise_on_error=False,
        op_selection=op_selection or None,
        partition_key=partition,
    )


def report_op_job(result: Any, as_json: bool, verbose: bool) -> None:
    """Print an op job's run: each step's status, the errors; exit 1 when it failed."""
    from assetgraph.cli import render

    steps = [
        {
            "step_key": step.step_key,
            "status": step.status.value,
            "error": None if step.error is None else step.error.summary(),
        }
        for step in result.op_steps.values()
    ]
    materializations = [
        {"asset_key": event.asset_key.to_string(), "step_key": event.step_key}
        for event in result.get_asset_materialization_events()
    ]
    if as_json:
        render.print_json(
            {
                "run_id": result.run_id,
                "job": result.job_name,
                "status": result.status,
                "success": result.success,
                "steps": steps,
                "materializations": materializations,
            }
        )
    else:
        render.print_table(
            f"Run {result.run_id} of job '{result.job_name}': {result.status}",
            ["step", "status", "error"],
            [[s["step_key"], s["status"], s["error"] or ""] for s in steps],
        )
        for step in result.failures:
            if verbose and step.error is not None and step.error.traceback:
                typer.echo(step.error.traceback, err=True)
    if not result.success:
        raise typer.Exit(1)


def refuse_op_only_location(defs: Any) -> None:
    """A code location of op jobs and no assets has nothing to materialize: say how to run
    its jobs instead."""
    names = [job.name for job in defs.get_all_job_defs() if getattr(job, "is_op_job", False)]
    if names:
        raise UsageError(
            f"This code location has no assets, only op jobs ({', '.join(names)}): run one with "
            f"'assetgraph job execute -j {names[0]}' (or materialize --job NAME)."
        )
