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

import contextvars
import hashlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

from assetgraph.context import AssetExecutionContext
from assetgraph.definitions.asset_decorator import asset
from assetgraph.definitions.assets import CONTEXT_PARAM, AssetIn, AssetOut, AssetsDefinition
from assetgraph.definitions.multi_assets import multi_asset
from assetgraph.definitions.outputs import Output
from assetgraph.errors import DefinitionError
from assetgraph.versions.code import source_code_version

_STEP_CONTEXT: contextvars.ContextVar[Any] = contextvars.ContextVar("assetgraph_op_context")

OpExecutionContext = AssetExecutionContext
"""Dagster's op context: here the step's ``AssetExecutionContext`` itself (the same class)."""


class OpDefinition:
    """A function that is one part of a ``@graph_asset``; call it inside the composition."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        required_resource_keys: Sequence[str] | set[str] | None = None,
    ) -> None:
        if not callable(fn):
            raise DefinitionError(f"@op must decorate a function, got {type(fn).__name__}.")
        self.fn = fn
        self.name = name or fn.__name__
        self.description = description if description is not None else inspect.getdoc(fn)
        self.tags = dict(tags or {})
        self.required_resource_keys = frozenset(required_resource_keys or ())
        self._params = list(inspect.signature(fn).parameters.values())
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        context = _STEP_CONTEXT.get(None)
        args = tuple(_value_of(a) for a in args)
        kwargs = {k: _value_of(v) for k, v in kwargs.items()}
        if context is None:  # a direct call (a unit test): the caller passes everything
            return self.fn(*args, **kwargs)
        injected = self._injected(context, kwargs)
        free = [
            p
            for p in self._params
            if p.name not in injected and p.name not in kwargs and p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        if len(args) > len(free):
            raise TypeError(
                f"op '{self.name}' takes {len(free)} input(s) ({', '.join(p.name for p in free)}) "
                f"but was called with {len(args)}."
            )
        positional = {param.name: value for param, value in zip(free, args, strict=False)}
        return self.fn(**injected, **positional, **kwargs)

    def _injected(self, context: Any, given: Mapping[str, Any]) -> dict[str, Any]:
        injected: dict[str, Any] = {}
        for param in self._params:
            if param.name in given:
                continue
            annotation = _resolved(param.annotation, self.fn)
            kind = getattr(annotation, "__assetgraph_kind__", None)
            if param.name == CONTEXT_PARAM or kind == "context" or _names_context(annotation):
                injected[param.name] = context
            elif kind == "config":
                injected[param.name] = annotation.model_validate(self._config(context))
            elif kind == "resource":
                injected[param.name] = getattr(context.resources, param.name)
        return injected

    def _config(self, context: Any) -> Mapping[str, Any]:
        ops = context.run_config.get("ops", {})
        entry = ops.get(self.name, {}) if isinstance(ops, Mapping) else {}
        if isinstance(entry, Mapping) and isinstance(entry.get("config"), Mapping):
            return dict(entry["config"])
        return dict(entry) if isinstance(entry, Mapping) else {}

    def __repr__(self) -> str:
        return f"<OpDefinition {self.name}>"


@overload
def op(fn: Callable[..., Any], /) -> OpDefinition: ...


@overload
def op(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    required_resource_keys: set[str] | None = None,
    **ignored: Any,
) -> Callable[[Callable[..., Any]], OpDefinition]: ...


def op(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    required_resource_keys: set[str] | None = None,
    **ignored: Any,
) -> OpDefinition | Callable[[Callable[..., Any]], OpDefinition]:
    """Declare an op: a function called by a ``@graph_asset`` composition.

    Dagster's ``ins``, ``out``, ``retry_policy`` and ``code_version`` are accepted; types
    come from annotations and the step's retry policy applies to the whole graph asset.
    """
    unknown = set(ignored) - {"ins", "out", "retry_policy", "code_version", "pool"}
    if unknown:
        raise DefinitionError(f"@op got unknown argument(s): {', '.join(sorted(unknown))}.")

    def decorate(func: Callable[..., Any]) -> OpDefinition:
        return OpDefinition(
            func,
            name=name,
            description=description,
            tags=tags,
            required_resource_keys=required_resource_keys,
        )

    return decorate(fn) if fn is not None else decorate


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
        token = _STEP_CONTEXT.set(kwargs.pop(CONTEXT_PARAM))
        try:
            result = compose(**kwargs)
        finally:
            _STEP_CONTEXT.reset(token)
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


def _value_of(value: Any) -> Any:
    """An op's ``Output(value)`` is the value for the ops that consume it."""
    return value.value if isinstance(value, Output) else value


def _resolved(annotation: Any, fn: Callable[..., Any]) -> Any:
    if not isinstance(annotation, str):
        return annotation
    namespace = getattr(fn, "__globals__", {})
    try:
        return eval(annotation, dict(namespace))
    except Exception:
        return annotation


def _names_context(annotation: Any) -> bool:
    if isinstance(annotation, str):  # a string annotation naming a class not in scope
        return annotation.rsplit(".", 1)[-1] in {"AssetExecutionContext", "OpExecutionContext"}
    return getattr(annotation, "__name__", "") in {
        "AssetExecutionContext",
        "OpExecutionContext",
    }
