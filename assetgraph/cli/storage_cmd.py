"""``assetgraph storage upgrade``."""

from __future__ import annotations

import typer

from assetgraph.cli.app import VerboseOption, handle_errors, storage_app


@storage_app.command("upgrade")
@handle_errors
def upgrade(verbose: VerboseOption = False) -> None:
    """Apply pending schema migrations to the metadata database."""
    from assetgraph.storage.instance import Instance

    instance = Instance.from_env()
    instance.storage.upgrade()
    typer.echo(f"Metadata database at {instance.storage_url} is up to date.")
