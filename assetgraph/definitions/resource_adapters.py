"""Dagster's resource classes that build another object when a run starts:
``ConfigurableResourceFactory[T]`` (``create_resource(context)`` returns the resource),
``ConfigurableLegacyResourceAdapter`` and ``ConfigurableLegacyIOManagerAdapter`` (a
``@resource`` / ``@io_manager`` function configured by the class's fields), and
``ResourceDependency[T]`` (a field that holds a plain resource object).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from assetgraph.definitions.config import ConfigurableResource, resolve_env_vars
from assetgraph.definitions.resource_functions import InitResourceContext

T = TypeVar("T")

ResourceDependency = Annotated[T, "assetgraph.resource_dependency"]
"""``ResourceDependency[T]``: a field of a ``ConfigurableResource`` holding a plain object."""


class ConfigurableResourceFactory(ConfigurableResource, Generic[T]):
    """Configured like a ``ConfigurableResource``; its ``create_resource(context)`` makes
    the object assets receive, when a run starts (``EnvVar`` fields read first)."""

    def create_resource(self, context: Any) -> T:
        """The resource of a run; ``context.resource_config`` holds this object's fields."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement create_resource(self, context)."
        )

    def build_for_run(
        self, name: str, run_id: str, built: Mapping[str, Any]
    ) -> tuple[Any, Callable[[], None] | None]:
        resolved = resolve_env_vars(self, name)
        context = InitResourceContext(
            resource_config=resolved.model_dump(), run_id=run_id, resource_name=name
        )
        return resolved.create_resource(context), None


class ConfigurableLegacyResourceAdapter(ConfigurableResource):
    """A ``@resource`` function (``wrapped_resource``) configured by this class's fields."""

    @property
    def wrapped_resource(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define wrapped_resource.")

    def build_for_run(
        self, name: str, run_id: str, built: Mapping[str, Any]
    ) -> tuple[Any, Callable[[], None] | None]:
        fields = resolve_env_vars(self, name).model_dump()
        value: tuple[Any, Callable[[], None] | None] = self.wrapped_resource.configured(
            fields
        ).build_for_run(name, run_id, built)
        return value


class ConfigurableLegacyIOManagerAdapter(ConfigurableResource):
    """An ``@io_manager`` function (``wrapped_io_manager``) configured by this class's fields."""

    __assetgraph_kind__: ClassVar[str] = "io_manager_definition"

    @property
    def wrapped_io_manager(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define wrapped_io_manager.")

    def build_io_manager(self, key: str) -> Any:
        fields = resolve_env_vars(self, key).model_dump()
        return self.wrapped_io_manager.configured(fields).build_io_manager(key)
