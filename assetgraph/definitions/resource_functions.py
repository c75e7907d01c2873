"""Dagster's function-style resources: ``@resource`` and ``@io_manager``.

``@resource def client(init_context): return Client(init_context.resource_config["url"])``
declares a resource built when a run starts (in each of its processes); register
``client.configured({"url": ...})`` (or ``client`` alone) in ``Definitions(resources=...)``
and read it as ``context.resources.client`` (``required_resource_keys``) or through a
``ResourceParam`` parameter. A function that ``yield``s its value is torn down after the
run. ``@io_manager`` does the same for a function returning an ``IOManager``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any, ClassVar

from assetgraph.errors import DefinitionError, ResourceError


class ResourceDefinition:
    """A resource built from a function when a run starts (made by ``@resource``).

    ``config_schema`` is accepted and not validated: the function receives the mapping
    given to ``configured`` as ``init_context.resource_config``.
    """

    __assetgraph_kind__: ClassVar[str] = "resource_definition"

    def __init__(
        self,
        resource_fn: Callable[..., Any],
        config_schema: Any = None,
        description: str | None = None,
        required_resource_keys: set[str] | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        if not callable(resource_fn):
            raise DefinitionError(
                f"@resource must decorate a function, got {type(resource_fn).__name__}."
            )
        self.resource_fn = resource_fn
        self.config_schema = config_schema
        self.description = description if description is not None else resource_fn.__doc__
        self.required_resource_keys = frozenset(required_resource_keys or ())
        self.config: dict[str, Any] = dict(config or {})

    def configured(self, config: Mapping[str, Any]) -> ResourceDefinition:
        """A copy whose function receives ``config`` as ``init_context.resource_config``."""
        if not isinstance(config, Mapping):
            raise DefinitionError(
                f"{self!r}.configured(...) takes a mapping of config, got {type(config).__name__}."
            )
        return type(self)(
            self.resource_fn,
            self.config_schema,
            self.description,
            set(self.required_resource_keys),
            {**self.config, **config},
        )

    @staticmethod
    def hardcoded_resource(value: Any, description: str | None = None) -> ResourceDefinition:
        """A resource that is ``value`` in every run."""
        return ResourceDefinition(lambda: value, description=description)

    @staticmethod
    def mock_resource(description: str | None = None) -> ResourceDefinition:
        """A resource that is a new ``unittest.mock.MagicMock`` in each run (for tests)."""
        from unittest.mock import MagicMock

        return ResourceDefinition(lambda: MagicMock(), description=description)

    @staticmethod
    def none_resource(description: str | None = None) -> ResourceDefinition:
        """A resource that is None."""
        return ResourceDefinition(lambda: None, description=description)

    def build_for_run(
        self, name: str, run_id: str, built: Mapping[str, Any]
    ) -> tuple[Any, Callable[[], None] | None]:
        """The resource's value for a run, and what tears it down (None: nothing to)."""
        missing = sorted(self.required_resource_keys - set(built))
        if missing:
            raise ResourceError(
                f"Resource '{name}' requires the resource(s) {', '.join(missing)}, which "
                "Definitions does not provide before it: add them to resources={...} first."
            )
        context = SimpleNamespace(
            resource_config=dict(self.config),
            resources=SimpleNamespace(**{k: built[k] for k in self.required_resource_keys}),
            run_id=run_id,
            resource_name=name,
        )
        takes_context = bool(inspect.signature(self.resource_fn).parameters)
        try:
            value = self.resource_fn(context) if takes_context else self.resource_fn()
            if inspect.isgenerator(value):
                generator = value
                value = next(generator)
                return value, lambda: _finish(generator)
        except Exception as exc:
            raise ResourceError(
                f"Resource '{name}' ({self.resource_fn.__name__}) failed to set up: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        return value, None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self.resource_fn, '__name__', '?')}>"


class IOManagerDefinition(ResourceDefinition):
    """An IO manager built from a function when a run starts (made by ``@io_manager``)."""

    __assetgraph_kind__: ClassVar[str] = "io_manager_definition"

    def build_io_manager(self, key: str) -> Any:
        """The IO manager the function returns (checked to be one)."""
        value, _ = self.build_for_run(key, "", {})
        if not (
            callable(getattr(value, "handle_output", None))
            and callable(getattr(value, "load_input", None))
        ):
            raise ResourceError(
                f"IO manager '{key}' ({self.resource_fn.__name__}) returned "
                f"{type(value).__name__}, which has no handle_output/load_input: return an "
                "IOManager."
            )
        return value


def _finish(generator: Any) -> None:
    try:
        next(generator)
    except StopIteration:
        return


def resource(
    resource_fn: Callable[..., Any] | None = None,
    /,
    *,
    config_schema: Any = None,
    description: str | None = None,
    required_resource_keys: set[str] | None = None,
) -> Any:
    """Declare a function-style resource (Dagster's ``@resource``); see the module docs."""

    def decorate(fn: Callable[..., Any]) -> ResourceDefinition:
        return ResourceDefinition(fn, config_schema, description, required_resource_keys)

    return decorate(resource_fn) if resource_fn is not None else decorate


def io_manager(
    io_manager_fn: Callable[..., Any] | None = None,
    /,
    *,
    config_schema: Any = None,
    description: str | None = None,
    required_resource_keys: set[str] | None = None,
) -> Any:
    """Declare a function that returns an ``IOManager`` (Dagster's ``@io_manager``)."""

    def decorate(fn: Callable[..., Any]) -> IOManagerDefinition:
        return IOManagerDefinition(fn, config_schema, description, required_resource_keys)

    return decorate(io_manager_fn) if io_manager_fn is not None else decorate
