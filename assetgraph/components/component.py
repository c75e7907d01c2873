"""Dagster's ``Component``: a reusable piece of a code location that builds ``Definitions``,
instantiated by a ``defs.yaml`` file (``type:`` and ``attributes:``) or by a
``@component_instance`` function in a Python module of the ``defs/`` folder."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pydantic

from assetgraph.components.resolution import Resolvable
from assetgraph.errors import DefinitionError

if TYPE_CHECKING:
    from assetgraph.components.context import ComponentLoadContext
    from assetgraph.definitions.definitions import Definitions


class Component(ABC):
    """Subclass it and implement ``build_defs(context)``; mix in ``Resolvable`` (with
    ``Model`` or ``@dataclass``) to instantiate it from YAML attributes."""

    @abstractmethod
    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        """The definitions this component contributes to the code location."""

    @classmethod
    def get_model_cls(cls) -> type[pydantic.BaseModel] | None:
        """The model YAML attributes are validated against (None: takes no attributes)."""
        if issubclass(cls, Resolvable):
            return cls.model()
        return None

    @classmethod
    def get_additional_scope(cls) -> Mapping[str, Any]:
        """Names added to the templates of this component's YAML."""
        return {}

    @classmethod
    def load(cls, attributes: Any, context: ComponentLoadContext) -> Component:
        """The component from its validated attributes (None when it takes none)."""
        if issubclass(cls, Resolvable):
            built: Component = cls.resolve_from_model(
                context.resolution_context.at_path("attributes"), attributes
            )
            return built
        return cls()


ComponentLoader = Callable[["ComponentLoadContext"], Component]


def component_instance(fn: ComponentLoader) -> ComponentLoader:
    """Mark a function ``fn(context) -> Component`` of a ``defs/`` module: the loader
    builds the component it returns (Dagster's ``@component_instance``)."""
    fn.__dict__["__assetgraph_component_instance__"] = True
    return fn


def is_component_instance(obj: object) -> bool:
    """Whether ``obj`` is a ``@component_instance`` function."""
    return callable(obj) and getattr(obj, "__assetgraph_component_instance__", False) is True


def template_var(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a function of a component class (static, or taking the load context) or of a
    ``template_vars_module`` whose value is a template name (Dagster's ``@template_var``)."""
    fn.__dict__["__assetgraph_template_var__"] = True
    return fn


def is_template_var(obj: object) -> bool:
    """Whether ``obj`` is a ``@template_var`` function (a staticmethod's too)."""
    fn = getattr(obj, "__func__", obj)
    return callable(fn) and getattr(fn, "__assetgraph_template_var__", False) is True


def checked_defs(defs: object, where: str) -> Definitions:
    """``defs``, refused unless it is a ``Definitions`` (what ``build_defs`` returns)."""
    from assetgraph.definitions.definitions import Definitions

    if not isinstance(defs, Definitions):
        raise DefinitionError(
            f"{where}: build_defs returned {type(defs).__name__}; it must return Definitions."
        )
    return defs
