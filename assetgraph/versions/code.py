"""Default code versions: a hash of a function's source, blind to formatting.

The source is parsed and unparsed, so comments and whitespace vanish; docstrings,
decorators and the function's own name are dropped before hashing. Hashes are cached per
code object, so a thousand assets made by one factory function are hashed once.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import textwrap
from collections.abc import Callable
from types import CodeType
from typing import Any

_CACHE: dict[object, str] = {}


def source_code_version(fn: Callable[..., Any]) -> str:
    """A 16-hex-digit hash of ``fn``'s normalized source (or bytecode, if no source)."""
    target = inspect.unwrap(fn) if hasattr(fn, "__wrapped__") else fn
    cache_key: object = getattr(target, "__code__", target)
    cached = _CACHE.get(cache_key)
    if cached is None:
        cached = hashlib.sha256(_normalized_source(target).encode()).hexdigest()[:16]
        _CACHE[cache_key] = cached
    return cached


def _normalized_source(fn: Callable[..., Any]) -> str:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return _bytecode_fingerprint(getattr(fn, "__code__", None), repr(fn))
    node = tree.body[0] if tree.body else tree
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        node.decorator_list = []
        node.name = "_"
    for inner in ast.walk(node):
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
            _drop_docstring(inner)
    return ast.unparse(node)


def _drop_docstring(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module,
) -> None:
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        node.body = body[1:] or [ast.Pass()]


def _bytecode_fingerprint(code: CodeType | None, fallback: str) -> str:
    """Used only when the source is unavailable (a REPL, a lambda on a shared line)."""
    if code is None:
        return fallback
    consts = [
        _bytecode_fingerprint(c, "") if isinstance(c, CodeType) else repr(c) for c in code.co_consts
    ]
    return f"{code.co_code.hex()}|{consts}|{code.co_names}|{code.co_varnames}"
