"""``assetgraph storage upgrade`` and ``assetgraph storage prune``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from assetgraph.cli.app import JsonOption, VerboseOption, handle_errors, storage_app


@storage_app.command("upgrade")
@handle_errors
def upgrade(verbose: VerboseOption = False) -> None:
    """Check the metadata database, then apply pending schema migrations to it."""
    from assetgraph.storage.instance import Instance

    instance = Instance.from_env()
    instance.storage.check_integrity()  # never migrate, or call sound, a corrupt file
    instance.storage.upgrade()
    typer.echo(f"Metadata database at {instance.storage_url} is up to date.")


@storage_app.command("prune")
@handle_errors
def prune(
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than",
            metavar="AGE",
            help="Age of the events to delete: 30d, 12h or 90m.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be deleted; delete nothing.")
    ] = False,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Delete old operational events (logs, step and run events, superseded
    materializations), keeping every (asset, partition)'s latest materialization, its
    versions and provenance, and the events of runs still running."""
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.retention import parse_age, prune as prune_events

    seconds = parse_age(older_than)
    instance = Instance.from_env()
    result = prune_events(instance.storage, seconds, dry_run=dry_run)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2))
        return
    cutoff = datetime.fromtimestamp(result.cutoff, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    verb = "Would delete" if dry_run else "Deleted"
    typer.echo(
        f"{verb} {result.events:,} event(s) and {result.runs:,} run(s) older than {cutoff} "
        f"from {instance.storage.display_url}."
    )
    for event_type, count in sorted(result.events_by_type.items()):
        typer.echo(f"  {event_type:<24} {count:>10,}")
    typer.echo(
        f"Kept {result.kept_referenced:,} old event(s) that the latest materializations, "
        f"failures and check results reference, and {result.kept_active:,} of runs still "
        "queued or started."
    )
