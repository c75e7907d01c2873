"""The resources and IO managers of a run: defaults, set-up and tear-down."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from assetgraph.definitions.assets import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.resource_functions import InitResourceContext
from assetgraph.definitions.source_assets import is_source
from assetgraph.errors import ResourceError, did_you_mean
from assetgraph.io_registry import default_io_manager


def io_managers_for(
    defs: Definitions, storage_dir: Path, needed: Iterable[str] | None = None
) -> dict[str, Any]:
    """The IO managers by key; ``"io_manager"`` defaults to pickle files in ``storage_dir``.

    As in Dagster, an IO manager is made ready (its ``EnvVar`` fields read) only when a run
    uses it: the ``needed`` keys now, so a missing variable fails the run before any step,
    and any other key on first use. ``needed=None`` makes every one ready now.
    """
    managers = _IOManagers(defs.io_managers, storage_dir)
    for key in defs.io_managers if needed is None else needed:
        managers[key]
    return managers


class _IOManagers(dict[str, Any]):
    """IO managers made ready on first use (``managers[key]``)."""

    def __init__(self, declared: Mapping[str, Any], storage_dir: Path) -> None:
        super().__init__()
        self._declared = declared
        self._storage_dir = storage_dir

    def __missing__(self, key: str) -> Any:
        if key in self._declared:
            manager = _built_io_manager(self._declared[key], key)
        elif key == DEFAULT_IO_MANAGER_KEY:
            manager = default_io_manager(self._storage_dir)
        else:
            raise ResourceError(
                f"No IO manager or input manager '{key}' is given, though an asset stores or "
                "loads through it: add an IOManager or InputManager under that key to "
                "Definitions(resources=...) (a resource without handle_output/load_input is "
                "not one)." + did_you_mean(key, list(self._declared))
            )
        self[key] = manager
        return manager


def needed_for(
    defs: Definitions, assets_defs: Iterable[AssetsDefinition]
) -> tuple[set[str], set[str]]:
    """(resource keys, IO manager keys) that steps of ``assets_defs`` use: what their
    functions take or declare (``required_resource_keys``), what those resources require
    in turn, and the IO managers of their outputs and inputs. A source asset's step only
    observes it: it needs no IO manager."""
    graph = defs.graph
    resources: set[str] = set()
    io_keys: set[str] = set()
    for assets_def in assets_defs:
        resources.update(assets_def.resource_params)
        resources.update(getattr(assets_def, "required_resource_keys", ()))
        if is_source(assets_def):
            continue
        io_keys.update(spec.io_manager_key for spec in assets_def.specs)
        io_keys.update(i.input_manager_key for i in assets_def.inputs if i.input_manager_key)
        for upstream in graph.input_keys(assets_def).values():
            io_keys.add(graph.spec(upstream).io_manager_key)
    pending = list(resources)
    while pending:
        required = getattr(defs.resources.get(pending.pop()), "required_resource_keys", ())
        for key in set(required) - resources:
            resources.add(key)
            pending.append(key)
    return resources & set(defs.resources), io_keys


@contextmanager
def resources_for_run(
    resources: Mapping[str, Any], run_id: str, needed: Iterable[str] | None = None
) -> Iterator[SimpleNamespace]:
    """Set up the resources of a run, and tear down those set up afterwards.

    As in Dagster, only resources a run uses are set up: the ``needed`` ones now (their
    ``EnvVar`` fields read first: a missing variable is an error naming the resource,
    field and variable, before any step), any other on first use; ``needed=None`` sets up
    every one now.
    """
    run = _RunResources(resources, run_id)
    try:
        for name in resources if needed is None else needed:
            getattr(run, name)
        yield run
    finally:
        run.tear_down()


class _RunResources(SimpleNamespace):
    """A run's resources as attributes, each set up on first access."""

    def __init__(self, declared: Mapping[str, Any], run_id: str) -> None:
        super().__init__()
        object.__setattr__(self, "_declared", dict(declared))
        object.__setattr__(self, "_run_id", run_id)
        object.__setattr__(self, "_closers", [])
        object.__setattr__(self, "_ready", [])

    def __getattr__(self, name: str) -> Any:
        declared: dict[str, Any] = object.__getattribute__(self, "_declared")
        if name.startswith("_") or name not in declared:
            raise AttributeError(name)
        resource = self._set_up(name, _env_vars_read(declared[name], name))
        setattr(self, name, resource)
        return resource

    def _set_up(self, name: str, resource: Any) -> Any:
        build = getattr(resource, "build_for_run", None)
        if callable(build):  # @resource / @io_manager functions (resource_functions.py)
            resource, close = build(name, self._run_id, _ReadyOnDemand(self))
            if close is not None:
                self._closers.append(close)
        setup = getattr(resource, "setup_for_execution", None)
        if callable(setup):
            try:
                setup(InitResourceContext(run_id=self._run_id, resource_name=name))
            except Exception as exc:
                raise ResourceError(
                    f"Resource '{name}' ({type(resource).__name__}) failed to set up: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        self._ready.append((name, resource))
        return resource

    def tear_down(self) -> None:
        for close in reversed(self._closers):
            close()
        for name, resource in reversed(self._ready):
            teardown = getattr(resource, "teardown_after_execution", None)
            if callable(teardown):
                teardown(InitResourceContext(run_id=self._run_id, resource_name=name))


class _ReadyOnDemand(Mapping[str, Any]):
    """The run's resources as a mapping, for ``@resource`` functions that require others."""

    def __init__(self, run: _RunResources) -> None:
        self._run = run

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self._run, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(object.__getattribute__(self._run, "_declared"))

    def __len__(self) -> int:
        return len(object.__getattribute__(self._run, "_declared"))


def _built_io_manager(value: Any, key: str) -> Any:
    """``value`` ready for a run: ``EnvVar`` fields read, an ``@io_manager`` function called."""
    build = getattr(value, "build_io_manager", None)
    return build(key) if callable(build) else _env_vars_read(value, key)


def _env_vars_read(resource: Any, name: str) -> Any:
    """``resolve_env_vars(resource, name)``, importing pydantic (through the config module)
    only when a ``ConfigurableResource`` can exist: its class comes from that module."""
    if "assetgraph.definitions.config" not in sys.modules:
        return resource
    from assetgraph.definitions.config import resolve_env_vars

    return resolve_env_vars(resource, name)
