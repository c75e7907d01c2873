"""Dagster's ``@definitions``: a function at the top of a code location that returns its
``Definitions``; the loader calls it (``load_definitions`` / ``-f`` / ``-m``) when the module
holds no ``Definitions`` object itself. ``file_relative_path`` is here too."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assetgraph.errors import DefinitionError

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions


class LazyDefinitions:
    """A function returning ``Definitions``, called when the code location loads."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.__name__ = getattr(fn, "__name__", "definitions")
        self.__doc__ = fn.__doc__

    def __call__(self, context: Any = None) -> Definitions:
        from assetgraph.definitions.definitions import Definitions

        takes_context = bool(inspect.signature(self.fn).parameters)
        built = self.fn(context) if takes_context else self.fn()
        if not isinstance(built, Definitions):
            raise DefinitionError(
                f"@definitions function '{self.__name__}' returned {type(built).__name__}; "
                "it must return a Definitions object."
            )
        Definitions.validate_loadable(built)  # a defs folder's parts are checked as a whole
        return built

    def __repr__(self) -> str:
        return f"<@definitions {self.__name__}>"


def definitions(fn: Callable[..., Any]) -> LazyDefinitions:
    """Mark a function that returns the code location's ``Definitions`` (Dagster ≥ 1.10)."""
    if not callable(fn):
        raise DefinitionError(f"@definitions must decorate a function, got {type(fn).__name__}.")
    return LazyDefinitions(fn)


def file_relative_path(dunderfile: str, relative_path: str) -> str:
    """``relative_path`` taken from the folder of the file ``dunderfile`` (pass
    ``__file__``), as Dagster's helper does."""
    return os.path.join(os.path.dirname(dunderfile), relative_path)


def script_relative_path(file_path: str) -> str:
    """``file_path`` taken from the folder of the file that calls this (Dagster's older
    helper: ``file_relative_path(__file__, file_path)`` without passing ``__file__``)."""
    caller = sys._getframe(1).f_globals.get("__file__")
    if caller is None:
        raise ValueError(
            f"script_relative_path({file_path!r}) was called from code that has no file; "
            "use file_relative_path(__file__, path) or an absolute path."
        )
    return file_relative_path(caller, file_path)
