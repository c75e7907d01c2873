"""Reading an asset function's signature: once per code object, string annotations resolved.

Asset functions are inspected when they are declared (``@asset``, ``@multi_asset``,
``@asset_check``) and when their inputs are shaped at run time; a thousand assets made
by one factory function share one signature. ``from __future__ import annotations``
makes annotations strings: dotted names are looked up directly (far cheaper than
``eval``), and an annotation that cannot be resolved stays a string.
"""

from __future__ import annotations

import builtins
import inspect
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

from assetgraph.definitions.schemas import schema_from_annotation
from assetgraph.errors import DefinitionError

_SIGNATURES: dict[object, inspect.Signature] = {}
"""Signatures by what determines them, so assets made by one factory read theirs once."""


def cached_signature(func: Callable[..., Any], name: str) -> inspect.Signature:
    """The signature of ``func`` (asset ``name``), read once per code object."""
    key = _signature_key(func)
    cached = _SIGNATURES.get(key) if key is not None else None
    if cached is None:
        cached = _read_signature(func, name)
        if key is not None:
            _SIGNATURES[key] = cached
    return cached


def _signature_key(func: Callable[..., Any]) -> object | None:
    """What a plain function's signature depends on, or None (not cached) if unhashable."""
    code = getattr(func, "__code__", None)
    if code is None or inspect.unwrap(func) is not func:
        return None
    try:
        key = (
            code,
            func.__defaults__,
            tuple(sorted((func.__kwdefaults__ or {}).items())),
            tuple(sorted(func.__annotations__.items())),
            id(func.__globals__),
        )
        hash(key)
    except (TypeError, AttributeError):
        return None
    return key


def _read_signature(func: Callable[..., Any], name: str) -> inspect.Signature:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError) as exc:
        raise DefinitionError(f"Asset '{name}': cannot read its signature: {exc}") from exc
    namespace = getattr(inspect.unwrap(func), "__globals__", {})
    params = [
        param.replace(annotation=_resolve_annotation(param.annotation, namespace))
        if isinstance(param.annotation, str)
        else param
        for param in signature.parameters.values()
    ]
    return signature.replace(parameters=params)


def resolved_return_annotation(func: Callable[..., Any], name: str) -> Any:
    """``func``'s return annotation, resolved when a string; None when it has none."""
    annotation = cached_signature(func, name).return_annotation
    if annotation is inspect.Signature.empty:
        return None
    if isinstance(annotation, str):
        namespace = getattr(inspect.unwrap(func), "__globals__", {})
        return _resolve_annotation(annotation, namespace)
    return annotation


_DOTTED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _resolve_annotation(text: str, namespace: Mapping[str, Any]) -> Any:
    """The object a string annotation names (``from __future__ import annotations``).

    Dotted names are looked up directly, which is far cheaper than ``eval``; anything else
    is evaluated; an annotation that cannot be resolved stays a string (a plain upstream).
    """
    if _DOTTED_NAME.match(text):
        head, *rest = text.split(".")
        if head in namespace:
            value = namespace[head]
        elif hasattr(builtins, head):
            value = getattr(builtins, head)
        else:
            return text
        for part in rest:
            value = getattr(value, part, None)
            if value is None:
                return text
        return value
    try:
        return eval(text, dict(namespace))
    except Exception:
        return text


def annotated_schema(func: Callable[..., Any]) -> Any:
    """The model of a ``pandera.typing.DataFrame[Model]`` return annotation (or of pandera's
    Polars ``pandera.typing.polars.DataFrame[Model]`` / ``LazyFrame[Model]``, under any
    imported name), else None."""
    annotation = getattr(inspect.unwrap(func), "__annotations__", {}).get("return")
    if annotation is None or "pandera" not in sys.modules:
        return None  # a pandera annotation means the user's module imported pandera
    if isinstance(annotation, str):
        if "[" not in annotation:
            return None
        namespace = getattr(inspect.unwrap(func), "__globals__", {})
        annotation = _resolve_annotation(annotation, namespace)
    return schema_from_annotation(annotation)
