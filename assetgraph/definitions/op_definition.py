"""Dagster's ``@op``: a function that is one node of a job or graph, or of a ``@graph_asset``.

An op's parameters are, in order: an optional context (named ``context``, or annotated
with the execution context), then its inputs. A parameter annotated with a ``Config``
subclass receives the op's config, and one annotated with a ``ConfigurableResource``
subclass the resource of its name; neither is an input. ``ins={"start": In(Nothing)}``
adds an input that only orders ops. ``out=`` names the outputs (one ``"result"`` by
default; ``DynamicOut`` for many values by mapping key).

Invoked inside a ``@job`` / ``@graph`` body, an op adds a node and returns refs to its
outputs (``assetgraph.definitions.op_composition``); inside a ``@graph_asset`` step it runs
at once; anywhere else (a unit test) it is a plain call of the function, with a context
built for it when it takes one and none is given.
"""

from __future__ import annotations

import contextvars
import copy
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

from assetgraph.definitions.hooks import HookDefinition, as_hook_set
from assetgraph.definitions.op_composition import current_composition
from assetgraph.definitions.op_config import is_config_class
from assetgraph.definitions.op_context import build_op_context
from assetgraph.definitions.op_io import DynamicOutput, In, Out, ins_of, outs_of
from assetgraph.definitions.outputs import Output
from assetgraph.definitions.resource_params import resource_param_type
from assetgraph.definitions.retry import RetryPolicy
from assetgraph.errors import DefinitionError

GRAPH_ASSET_STEP: contextvars.ContextVar[Any] = contextvars.ContextVar("assetgraph_op_context")
"""The step context of the ``@graph_asset`` whose composition is running (ops run at once)."""

NO_DEFAULT: Any = inspect.Parameter.empty
"""What ``OpDefinition.parameter_default`` returns for a parameter without a default."""

CONTEXT_NAMES = frozenset({"context", "_context", "context_", "_"})
"""Names of a first parameter that receives the op's context (as Dagster's)."""
_CONTEXT_CLASSES = frozenset({"AssetExecutionContext", "OpExecutionContext"})


@dataclass(frozen=True)
class OpParameters:
    """What each parameter of an op function is."""

    context: str | None
    config: tuple[str, Any] | None
    resources: tuple[str, ...]
    inputs: tuple[str, ...]
    """Inputs passed to the function, in signature order."""
    keyword_only: frozenset[str] = field(default_factory=frozenset)


class OpDefinition:
    """An op: a function that is one node of a job or graph (see the module doc)."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        required_resource_keys: Sequence[str] | set[str] | None = None,
        ins: Mapping[str, In] | None = None,
        out: Any = None,
        config_schema: Any = None,
        retry_policy: RetryPolicy | None = None,
        code_version: str | None = None,
    ) -> None:
        if not callable(fn):
            raise DefinitionError(f"@op must decorate a function, got {type(fn).__name__}.")
        self.fn = fn
        self.name = name or fn.__name__
        self.description = description if description is not None else inspect.getdoc(fn)
        self.tags = dict(tags or {})
        self.required_resource_keys = frozenset(required_resource_keys or ())
        self.ins: dict[str, In] = ins_of(ins, self.name)
        self.outs: dict[str, Out] = outs_of(out, self.name)
        self.config_schema = config_schema
        self.retry_policy = retry_policy
        self.code_version = code_version
        self._params = list(inspect.signature(fn).parameters.values())
        self.parameters = _classify(self)
        self.configured_config: Any = None
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    # -- the node protocol (op_composition) ------------------------------------------------

    def input_names(self) -> list[str]:
        """Every input, in order: the function's, then ``ins`` it does not take (Nothing)."""
        names = list(self.parameters.inputs)
        return names + [name for name in self.ins if name not in names]

    def output_defs(self) -> Mapping[str, Out]:
        return self.outs

    def parameter_default(self, name: str) -> Any:
        """The function's default for parameter ``name`` (``NO_DEFAULT`` when none)."""
        for param in self._params:
            if param.name == name:
                return param.default
        return NO_DEFAULT

    def configured(self, config: Any, name: str | None = None) -> OpDefinition:
        """A copy of this op (named ``name``) whose config is always ``config``, checked
        against its schema when a run starts (Dagster's ``configured``)."""
        copied = copy.copy(self)
        copied.name = name or self.name
        copied.configured_config = config
        return copied

    @property
    def config_class(self) -> type | None:
        """The ``Config`` subclass the function takes, if any."""
        return None if self.parameters.config is None else self.parameters.config[1]

    # -- invocation ------------------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        composition = current_composition()
        if composition is not None:
            return composition.invoke(self, args, kwargs)
        context = GRAPH_ASSET_STEP.get(None)
        args = tuple(_value_of(a) for a in args)
        kwargs = {k: _value_of(v) for k, v in kwargs.items()}
        if context is None:
            return self._direct_call(args, kwargs)
        return self._call_in_step(context, args, kwargs)

    def alias(self, name: str) -> PendingNodeInvocation:
        """This op under another node name (to invoke it twice in one graph)."""
        return PendingNodeInvocation(self, node_alias=name)

    def tag(self, tags: Mapping[str, str]) -> PendingNodeInvocation:
        """This op with ``tags`` added to its node."""
        return PendingNodeInvocation(self, tags=dict(tags))

    def with_retry_policy(self, retry_policy: RetryPolicy) -> PendingNodeInvocation:
        """This op with ``retry_policy`` for its node."""
        return PendingNodeInvocation(self, retry_policy=retry_policy)

    def with_hooks(self, hook_defs: Iterable[Any]) -> PendingNodeInvocation:
        """This op with hooks (``@success_hook`` / ``@failure_hook``) for its node."""
        return PendingNodeInvocation(self, hooks=as_hook_set(hook_defs, f"op '{self.name}'"))

    def _direct_call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """A unit test's call: the arguments as given; a context built when it takes one
        and none is given (Dagster's ``build_op_context()``)."""
        context_name = self.parameters.context
        if context_name is not None and context_name not in kwargs:
            first = args[0] if args else None
            if not _is_context(first):
                args = (build_op_context(), *args)
            if callable(getattr(args[0], "bind_op", None)):
                args[0].bind_op(self)
        return self.fn(*args, **kwargs)

    def _call_in_step(self, context: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Inside a ``@graph_asset`` step: context, config and resources injected."""
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
        result = self.fn(**injected, **positional, **kwargs)
        if any(out.is_dynamic for out in self.outs.values()):
            return DynamicValues.of(self.name, result)
        return result

    def _injected(self, context: Any, given: Mapping[str, Any]) -> dict[str, Any]:
        injected: dict[str, Any] = {}
        params = self.parameters
        if params.context is not None and params.context not in given:
            injected[params.context] = context
        if params.config is not None and params.config[0] not in given:
            injected[params.config[0]] = params.config[1].model_validate(self._config(context))
        for name in params.resources:
            if name not in given:
                injected[name] = getattr(context.resources, name)
        return injected

    def _config(self, context: Any) -> Mapping[str, Any]:
        ops = context.run_config.get("ops", {})
        entry = ops.get(self.name, {}) if isinstance(ops, Mapping) else {}
        if isinstance(entry, Mapping) and isinstance(entry.get("config"), Mapping):
            return dict(entry["config"])
        return dict(entry) if isinstance(entry, Mapping) else {}

    def __repr__(self) -> str:
        return f"<OpDefinition {self.name}>"


@dataclass(frozen=True)
class PendingNodeInvocation:
    """An op or graph with a node alias, tags, retry policy or hooks, waiting to be
    invoked."""

    definition: Any
    node_alias: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    retry_policy: RetryPolicy | None = None
    hooks: frozenset[HookDefinition] = frozenset()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        composition = current_composition()
        if composition is None:
            raise DefinitionError(
                f"'{self.definition.name}' with an alias, tags or retry policy can only be "
                "invoked inside a @job or @graph body."
            )
        return composition.invoke(
            self.definition,
            args,
            kwargs,
            alias=self.node_alias,
            tags={**getattr(self.definition, "tags", {}), **self.tags},
            retry_policy=self.retry_policy,
            hooks=self.hooks,
        )

    def alias(self, name: str) -> PendingNodeInvocation:
        return replace(self, node_alias=name)

    def tag(self, tags: Mapping[str, str]) -> PendingNodeInvocation:
        return replace(self, tags={**self.tags, **tags})

    def with_retry_policy(self, retry_policy: RetryPolicy) -> PendingNodeInvocation:
        return replace(self, retry_policy=retry_policy)

    def with_hooks(self, hook_defs: Iterable[Any]) -> PendingNodeInvocation:
        where = f"'{self.definition.name}'"
        return replace(self, hooks=self.hooks | as_hook_set(hook_defs, where))


@overload
def op(fn: Callable[..., Any], /) -> OpDefinition: ...


@overload
def op(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Any = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    **ignored: Any,
) -> Callable[[Callable[..., Any]], OpDefinition]: ...


def op(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Any = None,
    config_schema: Any = None,
    required_resource_keys: set[str] | None = None,
    tags: Mapping[str, str] | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    **ignored: Any,
) -> OpDefinition | Callable[[Callable[..., Any]], OpDefinition]:
    """Declare an op: a node of a ``@job`` / ``@graph`` (or a step of a ``@graph_asset``).

    ``ins``/``out`` as Dagster's (``In``, ``Out``, ``DynamicOut``); ``config_schema`` or a
    ``Config`` parameter for op config (``context.op_config`` / the parameter);
    ``required_resource_keys`` for ``context.resources.NAME``; ``retry_policy`` per op.
    ``pool`` is accepted and not used.
    """
    unknown = set(ignored) - {"pool"}
    if unknown:
        raise DefinitionError(f"@op got unknown argument(s): {', '.join(sorted(unknown))}.")

    def decorate(func: Callable[..., Any]) -> OpDefinition:
        return OpDefinition(
            func,
            name=name,
            description=description,
            tags=tags,
            required_resource_keys=required_resource_keys,
            ins=ins,
            out=out,
            config_schema=config_schema,
            retry_policy=retry_policy,
            code_version=code_version,
        )

    return decorate(fn) if fn is not None else decorate


def _classify(definition: OpDefinition) -> OpParameters:
    """Which parameters of the op function are context, config, resources and inputs."""
    context: str | None = None
    config: tuple[str, Any] | None = None
    resources: list[str] = []
    inputs: list[str] = []
    for position, param in enumerate(definition._params):
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = resolved_annotation(param.annotation, definition.fn)
        kind = getattr(annotation, "__assetgraph_kind__", None)
        if position == 0 and (
            param.name in CONTEXT_NAMES or kind == "context" or _names_context(annotation)
        ):
            context = param.name
        elif is_config_class(annotation):
            config = (param.name, annotation)
        elif kind == "resource" or _is_resource_param(annotation):
            resources.append(param.name)
        elif param.name in definition.ins and definition.ins[param.name].is_nothing:
            raise DefinitionError(
                f"@op '{definition.name}': input '{param.name}' is In(Nothing), which passes "
                "no value: remove the parameter from the function."
            )
        else:
            inputs.append(param.name)
    unknown = [n for n in definition.ins if n not in inputs and not definition.ins[n].is_nothing]
    if unknown and any(p.kind is p.VAR_KEYWORD for p in definition._params):
        inputs.extend(unknown)  # passed through the function's **kwargs
    elif unknown:
        raise DefinitionError(
            f"@op '{definition.name}': ins names {', '.join(repr(u) for u in unknown)}, which "
            "the function does not take (only In(Nothing) inputs may be left out)."
        )
    return OpParameters(context, config, tuple(resources), tuple(inputs))


def _is_resource_param(annotation: Any) -> bool:
    """Dagster's ``ResourceParam[T]`` / ``Resource[T]`` annotations."""
    return resource_param_type(annotation) is not None


def _is_context(value: Any) -> bool:
    return getattr(type(value), "__assetgraph_kind__", None) == "context"


class DynamicValues:
    """What a ``DynamicOut`` op returns inside a ``@graph_asset`` step: its values by mapping
    key, to ``.map`` over (an op or function per value) and ``.collect`` into a list."""

    def __init__(self, items: Sequence[tuple[str, Any]]) -> None:
        self.items = list(items)

    @classmethod
    def of(cls, op_name: str, result: Any) -> DynamicValues:
        outputs = list(result or ())
        wrong = [o for o in outputs if not isinstance(o, DynamicOutput)]
        if wrong:
            raise DefinitionError(
                f"op '{op_name}' has a DynamicOut but produced {type(wrong[0]).__name__}: "
                "yield (or return a list of) DynamicOutput(value, mapping_key=...)."
            )
        return cls([(o.mapping_key, o.value) for o in outputs])

    def map(self, fn: Callable[[Any], Any]) -> DynamicValues:
        """``fn`` called once per value, under the same mapping keys."""
        return DynamicValues([(key, _value_of(fn(value))) for key, value in self.items])

    def collect(self) -> list[Any]:
        """Every value, in the order they were produced."""
        return [value for _, value in self.items]


def _value_of(value: Any) -> Any:
    """An op's ``Output(value)`` is the value for the ops that consume it."""
    return value.value if isinstance(value, Output) else value


def resolved_annotation(annotation: Any, fn: Callable[..., Any]) -> Any:
    """``annotation`` evaluated in ``fn``'s module when it is a string (else as given)."""
    if not isinstance(annotation, str):
        return annotation
    namespace = getattr(fn, "__globals__", {})
    try:
        return eval(annotation, dict(namespace))
    except Exception:
        return annotation


def _names_context(annotation: Any) -> bool:
    if isinstance(annotation, str):  # a string annotation naming a class not in scope
        return annotation.rsplit(".", 1)[-1] in _CONTEXT_CLASSES
    return getattr(annotation, "__name__", "") in _CONTEXT_CLASSES
