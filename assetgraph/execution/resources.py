"""The resources and IO managers of a run: defaults, set-up and tear-down."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from assetgraph.definitions.assets import DEFAULT_IO_MANAGER_KEY
from assetgraph.definitions.config import resolve_env_vars
from assetgraph.definitions.definitions import Definitions
from assetgraph.errors import ResourceError
from assetgraph.io_registry import default_io_manager


def io_managers_for(defs: Definitions, storage_dir: Path) -> dict[str, Any]:
    """The IO managers by key; ``"io_manager"`` defaults to pickle files in ``storage_dir``."""
    managers = {key: _built_io_manager(value, key) for key, value in defs.io_managers.items()}
    if DEFAULT_IO_MANAGER_KEY not in managers:
        managers[DEFAULT_IO_MANAGER_KEY] = default_io_manager(storage_dir)
    return managers


@contextmanager
def resources_for_run(resources: Mapping[str, Any], run_id: str) -> Iterator[SimpleNamespace]:
    """Set up every resource for a run, and tear all of them down afterwards.

    ``EnvVar`` fields are read from this process's environment first (a missing variable is
    an error naming the resource, field and variable, before any set-up).
    """
    resources = {name: resolve_env_vars(value, name) for name, value in resources.items()}
    ready: list[Any] = []
    closers: list[Any] = []
    try:
        for name, resource in resources.items():
            build = getattr(resource, "build_for_run", None)
            if callable(build):  # @resource / @io_manager functions (resource_functions.py)
                resource, close = build(name, run_id, resources)
                resources[name] = resource
                if close is not None:
                    closers.append(close)
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
        for close in reversed(closers):
            close()
        for name, resource in reversed(ready):
            teardown = getattr(resource, "teardown_after_execution", None)
            if callable(teardown):
                teardown(SimpleNamespace(run_id=run_id, resource_name=name))


def _built_io_manager(value: Any, key: str) -> Any:
    """``value`` ready for a run: ``EnvVar`` fields read, an ``@io_manager`` function called."""
    build = getattr(value, "build_io_manager", None)
    return build(key) if callable(build) else resolve_env_vars(value, key)
