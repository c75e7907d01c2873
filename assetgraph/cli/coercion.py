"""Flag, string and path options coerced without pydantic.

Recent typer coerces every option value through a pydantic ``TypeAdapter`` built when
the command runs, so any command (``assetgraph list`` too) imports pydantic, a tenth of a
second or more, even for options left unset. A string or a path, what most options take,
needs no such machinery, nor does a flag: ``use_plain_coercion`` gives those parameters
typer's own checks (``coerce_cli_path``: exists, file or folder, readable...) on a
``Path`` made directly.
Every other type, any unusual value, and a typer without this machinery keep typer's own
coercion.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # typer's runtime coercion (0.2x and later); older typer coerces through click
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path
except ImportError:  # pragma: no cover - depends on the installed typer
    RuntimeParam = None  # type: ignore[assignment,misc]


def use_plain_coercion(param: Any) -> None:
    """Coerce ``param`` without pydantic when it is a flag or takes one string or path."""
    if RuntimeParam is None or getattr(param, "_runtime_param", False) is not None:
        return
    descriptor = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    if descriptor is None or info is None or info.parser is not None or descriptor.is_file:
        return
    if descriptor.annotation is bool:
        param._runtime_param = _PlainFlag(info, bool, descriptor)
    elif descriptor.annotation is str:
        param._runtime_param = _PlainString(info, str, descriptor)
    elif descriptor.annotation is Path and info.path_type is None:
        param._runtime_param = _PlainPath(info, Path, descriptor)


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _Plain(RuntimeParam):
        """Typer's coercion for the values handled here; its own for any other value."""

        descriptor: Any

        def _typer_coercion(self, value: Any, param: Any, ctx: Any) -> Any:
            return build_runtime_param(self.descriptor)._coerce_value(value, param, ctx)

    @dataclass(frozen=True)
    class _PlainFlag(_Plain):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return value if isinstance(value, bool) else self._typer_coercion(value, param, ctx)

    @dataclass(frozen=True)
    class _PlainString(_Plain):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return value if isinstance(value, str) else self._typer_coercion(value, param, ctx)

    @dataclass(frozen=True)
    class _PlainPath(_Plain):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if not isinstance(value, str | Path):
                return self._typer_coercion(value, param, ctx)
            return coerce_cli_path(
                Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx
            )
