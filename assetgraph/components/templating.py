"""Templates in ``defs.yaml`` values, as Dagster's components render them.

A string holding ``{{ expression }}`` is rendered against a scope: ``env`` (``env.NAME`` or
``env("NAME", default)``), ``project_root``, ``context`` (the component's load context),
``automation_condition`` (``automation_condition.eager()``) and the names a component adds
(``get_additional_scope``, ``@template_var``). A string that is one expression and nothing
else becomes the expression's value (an object, a list, a number); otherwise each
expression is replaced by its text. Expressions are the Jinja subset users write: names,
attributes, calls, subscripts, literals and ``+``; anything else is refused.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping
from typing import Any

from assetgraph.errors import DefinitionError

_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
_ALLOWED = (
    ast.Expression,
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.Subscript,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.keyword,
    ast.Load,
    ast.BinOp,
    ast.Add,
)


class EnvScope:
    """``env`` in templates: ``env.NAME`` (None when unset) or ``env("NAME", default)``."""

    def __getattr__(self, name: str) -> str | None:
        if name.startswith("__"):
            raise AttributeError(name)
        return os.environ.get(name)

    def __call__(self, name: str, default: str | None = None) -> str | None:
        return os.environ.get(name, default)


def base_scope() -> dict[str, Any]:
    """The names every template sees (before the load context adds its own)."""
    from assetgraph.definitions.automation_condition import AutomationCondition

    return {"env": EnvScope(), "automation_condition": AutomationCondition}


def render(value: Any, scope: Mapping[str, Any], where: str) -> Any:
    """``value`` with the templates of its strings rendered, through lists and mappings."""
    if isinstance(value, str):
        return _render_text(value, scope, where)
    if isinstance(value, Mapping):
        return {k: render(v, scope, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [render(v, scope, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def _render_text(text: str, scope: Mapping[str, Any], where: str) -> Any:
    whole = _EXPRESSION.fullmatch(text.strip())
    if whole is not None:
        return _evaluate(whole.group(1), scope, where)
    return _EXPRESSION.sub(lambda m: str(_evaluate(m.group(1), scope, where)), text)


def _evaluate(expression: str, scope: Mapping[str, Any], where: str) -> Any:
    source = expression.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise DefinitionError(
            f"{where}: template '{{{{ {source} }}}}' is not valid: {exc.msg}."
        ) from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED) or (
            isinstance(node, ast.Attribute) and node.attr.startswith("_")
        ):
            raise DefinitionError(
                f"{where}: template '{{{{ {source} }}}}' uses {type(node).__name__}, which "
                "templates do not support; use names, attributes, calls and literals."
            )
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    missing = sorted(names - set(scope))
    if missing:
        raise DefinitionError(
            f"{where}: template '{{{{ {source} }}}}' names {', '.join(missing)}, which is not in "
            f"scope; available: {', '.join(sorted(scope))}."
        )
    try:
        return eval(compile(tree, where, "eval"), {"__builtins__": {}}, dict(scope))
    except Exception as exc:
        raise DefinitionError(
            f"{where}: template '{{{{ {source} }}}}' failed: {type(exc).__name__}: {exc}"
        ) from exc
