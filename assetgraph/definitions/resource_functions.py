"""Dagster's function-style resources: ``@resource`` and ``@io_manager``.

``@resource def client(init_context): return Client(init_context.resource_config["url"])``
declares a resource built when a run starts (in each of its processes); register
``client.configured({"url": ...})`` (or ``client`` alone) in ``Definitions(resources=...)``
and read it as ``context.resources.client`` (``required_resource_keys``) or through a
``ResourceParam`` parameter. A function that ``yield``s its value is torn down after the
run. ``@io_manager`` does the same for a function returning an ``IOManager``.
"""

from __future__ import annotations

import copy
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping
from types import SimpleNamespace
from typing import Any, ClassVar

from assetgraph.definitions.config_schema import process_config
from assetgraph.errors import DefinitionError, ResourceError


class InitResourceContext:
    """What a function-style resource receives when it is built (Dagster's).

    ``resource_config`` is its config, checked against its ``config_schema`` with
    defaults filled in; ``resources`` the resources it requires; ``log`` a logger.
    """

    def __init__(
        self,
        resource_config: Any = None,
        resources: Mapping[str, Any] | None = None,
        instance: Any = None,
        run_id: str | None = None,
        resource_name: str | None = None,
    ) -> None:
        self.resource_config = resource_config
        self.resources = SimpleNamespace(**dict(resources or {}))
        self.instance = instance
        self.run_id = run_id
        self.resource_name = resource_name
        self.log = logging.getLogger("assetgraph.dagster.resource")

    @property
    def dagster_run(self) -> Any:
        return SimpleNamespace(run_id=self.run_id)

    def __enter__(self) -> InitResourceContext:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def build_init_resource_context(
    config: Mapping[str, Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    instance: Any = None,
) -> InitResourceContext:
    """A context to call a ``@resource`` function (or ``setup_for_execution``) directly, in
    a unit test: ``my_resource(build_init_resource_context(config={...}))``. A
    ``@resource`` given in ``resources`` is built first."""
    built = {
        name: value(None) if isinstance(value, ResourceDefinition) else value
        for name, value in (resources or {}).items()
    }
    return InitResourceContext(
        resource_config=dict(config) if config is not None else None,
        resources=built,
        instance=instance,
        run_id="EPHEMERAL",
    )


class ResourceDefinition:
    """A resource built from a function when a run starts (made by ``@resource``).

    ``config_schema`` (Dagster's config types, or a dict of them) checks the config given
    to ``configured`` (or a run config's ``resources: {name: {config: ...}}``) and fills in
    its defaults; the function receives it as ``init_context.resource_config``.
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
        self.config: Any = dict(config) if isinstance(config, Mapping) else config

    def configured(self, config: Any) -> ResourceDefinition:
        """A copy whose function receives ``config`` as ``init_context.resource_config``
        (checked now against ``config_schema``, as Dagster does)."""
        if not isinstance(config, Mapping) and self.config_schema is None:
            raise DefinitionError(
                f"{self!r}.configured(...) takes a mapping of config, got {type(config).__name__}."
            )
        merged = (
            {**self.config, **config}
            if isinstance(config, Mapping) and isinstance(self.config, Mapping)
            else config
        )
        copy = type(self)(
            self.resource_fn,
            self.config_schema,
            self.description,
            set(self.required_resource_keys),
            merged,
        )
        copy.resource_config(self._label())
        return copy

    @staticmethod
    def hardcoded_resource(value: Any, description: str | None = None) -> ResourceDefinition:
        """A resource that is ``value`` (Dagster's)."""
        return ResourceDefinition(lambda: value, description=description)

    @staticmethod
    def none_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose value is None (Dagster's)."""
        return ResourceDefinition(lambda: None, description=description)

    @staticmethod
    def mock_resource(description: str | None = None) -> ResourceDefinition:
        """A resource whose value is a ``unittest.mock.MagicMock`` (Dagster's, for tests)."""
        from unittest import mock

        return ResourceDefinition(lambda: mock.MagicMock(), description=description)

    def resource_config(self, name: str) -> Any:
        """The config the function receives: checked against ``config_schema``, with its
        defaults filled in (as given when there is no schema)."""
        if self.config_schema is None:
            return self.config
        given = self.config if self.config not in ({}, None) else None
        return process_config(self.config_schema, given, f"resource '{name}'")

    def __call__(self, context: Any = None) -> Any:
        """Build the value directly (a unit test): ``my_resource(build_init_resource_context(
        config={...}))``; a generator function's first value."""
        if context is None:
            context = InitResourceContext(resource_config=self.resource_config(self._label()))
        elif self.config_schema is not None:
            context.resource_config = process_config(
                self.config_schema, context.resource_config, f"resource '{self._label()}'"
            )
        takes_context = bool(inspect.signature(self.resource_fn).parameters)
        value = self.resource_fn(context) if takes_context else self.resource_fn()
        return next(value) if inspect.isgenerator(value) else value

    def _label(self) -> str:
        return getattr(self.resource_fn, "__name__", "resource")

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
        context = InitResourceContext(
            resource_config=self.resource_config(name),
            resources={k: built[k] for k in self.required_resource_keys},
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

    @staticmethod
    def hardcoded_io_manager(value: Any, description: str | None = None) -> IOManagerDefinition:
        """An IO manager definition that is ``value`` (Dagster's)."""
        return IOManagerDefinition(lambda: value, description=description)

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


def make_values_resource(**kwargs: Any) -> ResourceDefinition:
    """A resource whose value is its config (Dagster's): ``make_values_resource(
    my_str=str, my_int=Field(int, default_value=1))`` is configured like any ``@resource``
    (``.configured({...})`` or run config ``resources: {name: {config: {...}}}``) and read
    as ``context.resources.name["my_str"]``. Without fields, it takes any config."""
    from assetgraph.definitions.config_schema import Any as AnyConfig, Field

    schema: Any = dict(kwargs) if kwargs else Field(AnyConfig, default_value={})
    return ResourceDefinition(lambda init_context: init_context.resource_config, schema)


class _LoadFunction:
    """An ``InputManager`` whose ``load_input`` is a function (made by ``@input_manager``)."""

    def __init__(self, load_fn: Callable[..., Any]) -> None:
        self.load_fn = load_fn

    def load_input(self, context: Any) -> Any:
        # As in Dagster: the function may take no context, and may return an InputManager
        # (whose load_input then loads the value) instead of the value itself.
        takes_context = bool(inspect.signature(self.load_fn).parameters)
        loaded = self.load_fn(context) if takes_context else self.load_fn()
        nested = getattr(loaded, "load_input", None)
        return nested(context) if callable(nested) else loaded

    def handle_output(self, context: Any, obj: Any) -> None:
        raise ResourceError(
            f"Input manager {self.load_fn.__name__} loads inputs only: it cannot store asset "
            f"'{context.asset_key}'."
        )


def input_manager(
    load_fn: Callable[..., Any] | None = None,
    /,
    *,
    config_schema: Any = None,
    description: str | None = None,
    required_resource_keys: set[str] | None = None,
    **_: Any,
) -> Any:
    """Declare a function ``load(context) -> value`` as an input manager (Dagster's
    ``@input_manager``): register it in ``Definitions(resources=...)`` and name its key in
    ``AssetIn(input_manager_key=...)``."""

    def decorate(fn: Callable[..., Any]) -> IOManagerDefinition:
        return IOManagerDefinition(
            lambda: _LoadFunction(fn), config_schema, description, required_resource_keys
        )

    return decorate(load_fn) if load_fn is not None else decorate


def with_resources(assets: Iterable[Any], resource_defs: Mapping[str, Any]) -> list[Any]:
    """Dagster's ``with_resources``: copies of ``assets`` that bring ``resource_defs`` with
    them; ``Definitions`` adds those resources (its own of the same name win)."""
    bound = []
    for assets_def in assets:
        copied = copy.copy(assets_def)
        copied.bound_resources = {**getattr(assets_def, "bound_resources", {}), **resource_defs}
        bound.append(copied)
    return bound
