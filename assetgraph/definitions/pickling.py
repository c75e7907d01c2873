"""Pickling decorated definitions by reference, so they reach worker processes.

``@asset`` replaces a module's function with an ``AssetsDefinition``; pickle would then
refuse the function (the module attribute is no longer the same object). Definitions that
are module attributes are pickled as "the attribute ``qualname`` of ``module``" instead.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def reduce_by_reference(obj: object, fn: Callable[..., Any]) -> tuple[Any, ...] | None:
    """``__reduce__`` value naming ``obj`` by module and qualname, when that finds it."""
    module = getattr(fn, "__module__", None)
    qualname = getattr(fn, "__qualname__", None)
    if not module or not qualname or "<locals>" in qualname:
        return None
    loaded = sys.modules.get(module)
    if loaded is None or _lookup(loaded, qualname) is not obj:
        return None
    return (load_by_reference, (module, qualname))


def load_by_reference(module: str, qualname: str) -> Any:
    """The object ``qualname`` of ``module`` (imported if needed)."""
    return _lookup(importlib.import_module(module), qualname)


def _lookup(root: Any, qualname: str) -> Any:
    value = root
    for part in qualname.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def reduce_by_value(obj: object) -> tuple[Any, ...]:
    """``__reduce__`` value rebuilding ``obj`` from its class and ``__dict__``."""
    return (rebuild, (type(obj), dict(vars(obj))))


def rebuild(cls: type[Any], state: dict[str, Any]) -> Any:
    """An instance of ``cls`` with ``state`` as its attributes, ``__init__`` not called."""
    obj = object.__new__(cls)
    obj.__dict__.update(state)
    return obj
