"""Dagster's ``build_resources``: a run's resources, set up outside a run (tests, scripts)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from assetgraph.execution.resources import resources_for_run
from assetgraph.execution.run_config import with_run_config


@contextmanager
def build_resources(
    resources: Mapping[str, Any],
    instance: Any = None,
    resource_config: Mapping[str, Any] | None = None,
) -> Iterator[SimpleNamespace]:
    """Set up ``resources`` as a run would (``EnvVar`` fields read, ``@resource`` functions
    called, ``setup_for_execution`` run) and tear them down when the block ends:
    ``with build_resources({"db": DbResource(...)}) as resources: resources.db``.
    ``resource_config`` is run config's resources section (``{name: {"config": ...}}``)."""
    configured = with_run_config(resources, {"resources": dict(resource_config or {})})
    with resources_for_run(configured, "EPHEMERAL") as built:
        yield built
