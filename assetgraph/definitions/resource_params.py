"""``ResourceParam[T]``: a parameter that receives a plain (non-pydantic) resource.

Annotate ``def my_asset(db: ResourceParam[MyClient])`` to be given
``Definitions(resources={"db": MyClient(...)})`` by the parameter's name, as in Dagster.
A leaf module: it imports nothing of assetgraph.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, TypeVar

T = TypeVar("T")

RESOURCE_PARAM_MARKER = "assetgraph/resource_param"

ResourceParam = Annotated[T, RESOURCE_PARAM_MARKER]
"""``ResourceParam[T]``: the parameter is the resource of its name, of type ``T``."""

Resource = Annotated[T, RESOURCE_PARAM_MARKER]
"""Dagster's ``Resource[T]``: the same as ``ResourceParam[T]``."""


def resource_param_type(annotation: Any) -> type | None:
    """The class a ``ResourceParam[...]`` annotation names (``object`` when it is not a
    class), or None when ``annotation`` is not a ``ResourceParam``."""
    if typing.get_origin(annotation) is not Annotated:
        return None
    if RESOURCE_PARAM_MARKER not in getattr(annotation, "__metadata__", ()):
        return None
    inner = typing.get_args(annotation)[0]
    origin = typing.get_origin(inner) or inner
    return origin if isinstance(origin, type) else object
