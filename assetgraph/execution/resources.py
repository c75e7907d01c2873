"""The resources and IO managers of a run: defaults, set-up and tear-down."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from assetgraph.definitions.assets import DEFAULT_IO_MANAGER_KEY
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import ResourceError


def io_managers_for(defs: Definitions, storage_dir: Path) -> dict[str, Any]:
    """The IO managers by key; ``"io_manager"`` defaults to pickle files in ``storage_dir``."""
    managers = dict(defs.io_managers)
    if DEFAULT_IO_MANAGER_KEY not in managers:
        from io_managers.pickle import PickleIOManager

        managers[DEFAULT_IO_MANAGER_KEY] = PickleIOManager(storage_dir)
    return managers


@contextmanager
def resources_for_run(resources: Mapping[str, Any], run_id: str) -> Iterator[SimpleNamespace]:
    """Set up every resource for a run, and tear all of them down afterwards."""
    ready: list[Any] = []
    try:
        for name, resource in resources.items():
            setup = getattr(resource, "setup_for_execution", None)
            if callable(setup):
                try:
                    setup(SimpleNamespace(run_id=run_id, resource_name=name))
                except Exception as exc:
                    raise ResourceError(
                        f"Resource '{name}' ({type(resource).__name__}) failed to set up: "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
            ready.append((name, resource))
        yield SimpleNamespace(**dict(resources))
    finally:
        for name, resource in reversed(ready):
            teardown = getattr(resource, "teardown_after_execution", None)
            if callable(teardown):
                teardown(SimpleNamespace(run_id=run_id, resource_name=name))
