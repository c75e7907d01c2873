"""Dagster's ``@op`` and ``@graph_asset``: one asset computed by a few ops, in one step.

``@graph_asset`` turns a composition function into an asset; when the asset's step runs,
the composition is called and each op it calls runs as a plain Python call, in order, in
that step. An op with a ``context`` parameter (or one annotated with an execution context)
receives the step's context; a parameter annotated with a ``Config`` subclass receives the
op's run config (``ops: {op_name: {config: {...}}}``, else the class's defaults); one
annotated with a ``ConfigurableResource`` subclass receives the resource of its name.
Parameters of the composition function are upstream assets, as for ``@asset``.

Ops are not separate steps: there is no per-op retry, caching or re-execution (see the
migration guide).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

from assetgraph.context import AssetExecutionContext
from assetgraph.definitions.asset_decorator import asset
from assetgraph.definitions.assets import CONTEXT_PARAM, AssetIn, AssetOut, AssetsDefinition
from assetgraph.definitions.multi_assets import multi_asset
from assetgraph.definitions.op_definition import GRAPH_ASSET_STEP, OpDefinition, op
from assetgraph.errors import DefinitionError
from assetgraph.versions.code import source_code_version

__all__ = ["OpDefinition", "OpExecutionContext", "graph_asset", "graph_multi_asset", "op"]

OpExecutionContext = AssetExecutionContext
"""Dagster's op context: the step's ``AssetExecutionContext`` (an op of a job gets an
``OpContext``, a subclass)."""


@overload
def graph_asset(compose_fn: Callable[..., Any], /) -> AssetsDefinition: ...


@overload
def graph_asset(
    compose_fn: None = None, /, **asset_args: Any
) -> Callable[[Callable[..., Any]], AssetsDefinition]: ...


def graph_asset(
    compose_fn: Callable[..., Any] | None = None, /, **asset_args: Any
) -> AssetsDefinition | Callable[[Callable[..., Any]], AssetsDefinition]:
    """Declare an asset computed by the ops its composition function calls, in one step.

    Takes ``@asset``'s arguments (``name``, ``key_prefix``, ``group_name``, ``ins``,
    ``partitions_def``, ``metadata``, ...). The code version, unless given, hashes the
    composition and every op it names, so editing an op marks the asset changed.
    """

    def decorate(func: Callable[..., Any]) -> AssetsDefinition:
        asset_args.setdefault("code_version", _graph_code_version(func))
        asset_args.setdefault("description", inspect.getdoc(func))
        built = asset(**_check_args(asset_args, func))(_step_function(func, single=True))
        built.op_names = _op_names(func)  # type: ignore[attr-defined]
        return built

    return decorate(compose_fn) if compose_fn is not None else decorate


def graph_multi_asset(
    *,
    outs: Mapping[str, AssetOut],
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    **multi_asset_args: Any,
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Several assets computed by ops in one step: the composition returns one value per
    output, as a tuple in the order of ``outs`` or a dict by output name."""

    def decorate(func: Callable[..., Any]) -> AssetsDefinition:
        multi_asset_args.setdefault("code_version", _graph_code_version(func))
        step_fn = _step_function(func, single=False, output_names=list(outs))
        built = multi_asset(outs=outs, name=name or func.__name__, ins=ins, **multi_asset_args)(
            step_fn
        )
        built.op_names = _op_names(func)  # type: ignore[attr-defined]
        return built

    return decorate


def _check_args(args: dict[str, Any], func: Callable[..., Any]) -> dict[str, Any]:
    args = dict(args)
    args.pop("config", None)  # graph-level config mapping: op config comes from run config
    if "resource_defs" in args:
        raise DefinitionError(
            f"@graph_asset '{func.__name__}': resource_defs is not supported; pass resources "
            "to Definitions(resources={...})."
        )
    return args


def _step_function(
    compose: Callable[..., Any], *, single: bool, output_names: Sequence[str] = ()
) -> Callable[..., Any]:
    """The asset function: the composition's parameters plus ``context``; it calls the
    composition with the step's context made current for the ops."""
    params = list(inspect.signature(compose).parameters.values())
    if any(p.name == CONTEXT_PARAM for p in params):
        raise DefinitionError(
            f"@graph_asset '{compose.__name__}': the composition function cannot take "
            "'context'; give it to the ops that need it."
        )

    def run_graph(**kwargs: Any) -> Any:
        token = GRAPH_ASSET_STEP.set(kwargs.pop(CONTEXT_PARAM))
        try:
            result = compose(**kwargs)
        finally:
            GRAPH_ASSET_STEP.reset(token)
        if not single and isinstance(result, Mapping):
            missing = [n for n in output_names if n not in result]
            if missing:
                raise DefinitionError(
                    f"@graph_multi_asset '{compose.__name__}' returned no value for "
                    f"{', '.join(missing)}."
                )
            return tuple(result[n] for n in output_names)
        return result

    context_param = inspect.Parameter(CONTEXT_PARAM, inspect.Parameter.KEYWORD_ONLY)
    keyword_params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]
    run_graph.__signature__ = inspect.Signature([context_param, *keyword_params])  # type: ignore[attr-defined]
    run_graph.__name__ = compose.__name__
    run_graph.__qualname__ = compose.__qualname__
    run_graph.__module__ = compose.__module__
    run_graph.__doc__ = compose.__doc__
    run_graph.__wrapped__ = compose  # type: ignore[attr-defined]
    return run_graph


def _ops_named(compose: Callable[..., Any]) -> list[OpDefinition]:
    """The ops a composition function names (module-level ops it calls)."""
    namespace = getattr(compose, "__globals__", {})
    code = getattr(compose, "__code__", None)
    found = (namespace.get(name) for name in sorted(set(code.co_names if code else ())))
    return [obj for obj in found if isinstance(obj, OpDefinition)]


def _op_names(compose: Callable[..., Any]) -> frozenset[str]:
    return frozenset(found.name for found in _ops_named(compose))


def _graph_code_version(compose: Callable[..., Any]) -> str:
    """A hash of the composition's source and of every op it names."""
    parts = [source_code_version(compose)]
    parts.extend(f"{found.name}:{source_code_version(found.fn)}" for found in _ops_named(compose))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
