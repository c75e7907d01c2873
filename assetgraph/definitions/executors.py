"""Dagster's executor definitions, as names a job records: ``in_process_executor`` and
``multiprocess_executor``.

A job's ``executor_def`` says how its steps run. assetgraph runs the steps of an op job in
the process that launched the run (values pass between ops in memory); an asset job takes
``--executor`` / ``--workers`` when it runs. Both definitions are accepted and recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ExecutorDefinition:
    """An executor by name (``"in_process"`` or ``"multiprocess"``) and its config."""

    name: str
    config: Mapping[str, Any] = field(default_factory=dict)

    def configured(self, config: Mapping[str, Any], name: str | None = None) -> ExecutorDefinition:
        """This executor with ``config`` (e.g. ``{"max_concurrent": 4}``)."""
        return ExecutorDefinition(self.name, dict(config))


in_process_executor = ExecutorDefinition("in_process")
"""Run every step in the launching process, one at a time."""

multiprocess_executor = ExecutorDefinition("multiprocess")
"""Run steps in worker processes (asset jobs: ``--workers N``; op jobs run in process)."""
