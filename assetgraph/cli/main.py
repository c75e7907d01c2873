"""Entry point of the ``assetgraph`` console script."""

from __future__ import annotations

from assetgraph.cli import (  # noqa: F401  (registers commands)
    assets_cmd,
    automate_cmd,
    backfill_cmd,
    init_cmd,
    job_cmd,
    lineage_cmd,
    observe_cmd,
    partitions_cmd,
    run_control_cmd,
    runs_cmd,
    schedules_cmd,
    status_cmd,
    storage_cmd,
    ui_cmd,
)
from assetgraph.cli.app import app


def run() -> None:
    """Run the command line."""
    app()


if __name__ == "__main__":
    run()
