"""Dagster's ``DagsterType``, ``TypeCheck`` and ``Nothing``.

``Nothing`` marks an input that carries no value, only order
(``AssetIn(dagster_type=Nothing)``: the function has no parameter for it). A
``DagsterType`` wraps a type check; ``type_check(context, value)`` returns a
``TypeCheck``, and ``check_value`` raises ``DagsterTypeCheckDidNotPass`` on failure.

A leaf module: it imports nothing of assetgraph but ``errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assetgraph.errors import DagsterTypeCheckDidNotPass


@dataclass(frozen=True)
class TypeCheck:
    """The result of a type check: ``success``, with a description and metadata."""

    success: bool
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


class DagsterType:
    """A named type with a check function ``type_check_fn(context, value)`` that returns a
    bool or a ``TypeCheck`` (Dagster's)."""

    def __init__(
        self,
        type_check_fn: Callable[[Any, Any], bool | TypeCheck],
        name: str | None = None,
        description: str | None = None,
        typing_type: Any = Any,
        metadata: Mapping[str, Any] | None = None,
        **_: Any,
    ) -> None:
        self.type_check_fn = type_check_fn
        self.name: str = name or str(getattr(type_check_fn, "__name__", "DagsterType"))
        self.description = description
        self.typing_type = typing_type
        self.metadata = dict(metadata or {})

    @property
    def display_name(self) -> str:
        return self.name

    def type_check(self, context: Any, value: Any) -> TypeCheck:
        """Run the check; a bool result becomes a ``TypeCheck``."""
        result = self.type_check_fn(context, value)
        if isinstance(result, TypeCheck):
            return result
        if not isinstance(result, bool):
            raise DagsterTypeCheckDidNotPass(
                f"Type check of {self.name} returned {type(result).__name__}; it must return "
                "a bool or a TypeCheck."
            )
        return TypeCheck(success=result)

    def check_value(self, value: Any, where: str) -> None:
        """Raise ``DagsterTypeCheckDidNotPass`` naming ``where`` when ``value`` fails."""
        result = self.type_check(None, value)
        if not result.success:
            detail = f": {result.description}" if result.description else ""
            raise DagsterTypeCheckDidNotPass(
                f"{where}: type check of {self.name} failed{detail}", metadata=result.metadata
            )

    def __repr__(self) -> str:
        return f"DagsterType({self.name})"


Nothing = DagsterType(lambda _context, value: value is None, name="Nothing", typing_type=None)
"""An input or output with no value, only order (Dagster's ``Nothing``)."""


def is_nothing(dagster_type: Any) -> bool:
    """Whether ``dagster_type`` is ``Nothing``."""
    return dagster_type is Nothing
