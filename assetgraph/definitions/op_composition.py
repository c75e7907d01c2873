"""Tracing the body of a ``@job`` or ``@graph``: which nodes it invokes and how they connect.

A composition function is called once, when the job or graph is defined, with a
``Composition`` made current. Each op or graph invoked in it becomes a ``Node``; what the
invocation returns is not a value but an ``OutputRef`` naming the node's output, which the
body passes on to other invocations. So the function's calls are the graph's edges, as in
Dagster. A dynamic output (``DynamicOut``) gives a ref whose ``.map(fn)`` calls ``fn`` with
a ref to one mapped value (the ops ``fn`` invokes run once per mapping key) and whose
``.collect()`` gathers every value into one list input.

This module knows nodes only through the ``NodeDefinition`` protocol, so ops, graphs and
jobs import it and not each other.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from assetgraph.errors import DefinitionError

_CURRENT: contextvars.ContextVar[Composition | None] = contextvars.ContextVar(
    "assetgraph_composition", default=None
)


class NodeDefinition(Protocol):
    """What an invocation needs of an op or graph: its name, inputs and outputs."""

    @property
    def name(self) -> str: ...

    def input_names(self) -> list[str]: ...

    def output_defs(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class OutputRef:
    """An output of a node in the graph being composed (not its value).

    ``dynamic``: many values by mapping key (use ``.map`` or ``.collect``); ``item``: one
    of those values, inside the function given to ``.map``.
    """

    node: str
    output: str
    dynamic: bool = False
    item: bool = False

    def map(self, fn: Callable[[OutputRef], Any]) -> Any:
        """Call ``fn`` on each value of this dynamic output: the ops it invokes run once per
        mapping key; what it returns is dynamic too."""
        if not self.dynamic:
            raise DefinitionError(
                f"Output '{self.output}' of node '{self.node}' is not dynamic: .map() applies "
                "only to a DynamicOut (or to what a .map() returned)."
            )
        return _as_dynamic(fn(replace(self, dynamic=False, item=True)))

    def collect(self) -> Collected:
        """All values of this dynamic output, as one list input."""
        if not self.dynamic:
            raise DefinitionError(
                f"Output '{self.output}' of node '{self.node}' is not dynamic: .collect() "
                "applies only to a DynamicOut (or to what a .map() returned)."
            )
        return Collected(self)


@dataclass(frozen=True)
class Collected:
    """Every value of a dynamic output, gathered in mapping-key order into one list."""

    ref: OutputRef


@dataclass(frozen=True)
class InputRef:
    """An input of the graph being composed."""

    name: str


class NodeOutputs:
    """The outputs of a node with several: unpack them in order, or by name."""

    def __init__(self, refs: Mapping[str, OutputRef]) -> None:
        self._refs = dict(refs)

    def __iter__(self) -> Iterator[OutputRef]:
        return iter(self._refs.values())

    def __len__(self) -> int:
        return len(self._refs)

    def __getitem__(self, key: int | str) -> OutputRef:
        if isinstance(key, int):
            return list(self._refs.values())[key]
        return self._refs[key]

    def __getattr__(self, name: str) -> OutputRef:
        refs = self.__dict__.get("_refs", {})
        if name in refs:
            found: OutputRef = refs[name]
            return found
        raise AttributeError(f"no output named '{name}' (outputs: {', '.join(refs)})")

    def items(self) -> list[tuple[str, OutputRef]]:
        return list(self._refs.items())


@dataclass
class Node:
    """One invocation in a composition: which definition, under which name, wired how."""

    name: str
    definition: Any
    inputs: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)
    retry_policy: Any = None
    hooks: frozenset[Any] = frozenset()
    """``HookDefinition``s run after this node's ops (``with_hooks``)."""

    @property
    def mapped(self) -> bool:
        """Whether this node runs once per mapping key of a dynamic output."""
        return any(_has_item(value) for value in self.inputs.values())


@dataclass
class Composition:
    """The nodes a composition function invoked, in invocation order."""

    graph_name: str
    nodes: list[Node] = field(default_factory=list)

    def invoke(
        self,
        definition: NodeDefinition,
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        *,
        alias: str | None = None,
        tags: Mapping[str, str] | None = None,
        retry_policy: Any = None,
        hooks: frozenset[Any] = frozenset(),
    ) -> Any:
        """Add a node for ``definition`` wired to ``args`` / ``kwargs``; its output refs."""
        name = self._unique_name(alias or definition.name)
        inputs = self._bind(definition, name, args, kwargs)
        node = Node(name, definition, inputs, dict(tags or {}), retry_policy, hooks)
        self.nodes.append(node)
        outs = definition.output_defs()
        refs = {
            out_name: OutputRef(
                name,
                out_name,
                dynamic=bool(getattr(out, "is_dynamic", False)) and not node.mapped,
                item=node.mapped,
            )
            for out_name, out in outs.items()
        }
        if not refs:
            return None
        if len(refs) == 1:
            return next(iter(refs.values()))
        return NodeOutputs(refs)

    def _unique_name(self, name: str) -> str:
        taken = {node.name for node in self.nodes}
        if name not in taken:
            return name
        n = 2
        while f"{name}_{n}" in taken:
            n += 1
        return f"{name}_{n}"

    def _bind(
        self, definition: NodeDefinition, name: str, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> dict[str, Any]:
        where = f"In '{self.graph_name}', node '{name}'"
        names = definition.input_names()
        if len(args) > len(names):
            raise DefinitionError(
                f"{where} was given {len(args)} positional inputs but has {len(names)} "
                f"({', '.join(names) or 'none'})."
            )
        bound = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in names:
                raise DefinitionError(
                    f"{where} has no input '{key}' (inputs: {', '.join(names) or 'none'})."
                )
            if key in bound:
                raise DefinitionError(f"{where}: input '{key}' is given twice.")
            bound[key] = value
        for key, value in bound.items():
            _check_wired(where, key, value)
        return bound


def _check_wired(where: str, input_name: str, value: Any) -> None:
    """An input must be wired to an output, a graph input, or a list of outputs."""
    if isinstance(value, OutputRef | InputRef | Collected):
        if isinstance(value, OutputRef) and value.dynamic:
            raise DefinitionError(
                f"{where}: input '{input_name}' is wired to dynamic output '{value.output}' "
                f"of '{value.node}'; use .map(...) to run per value or .collect() to gather."
            )
        return
    if isinstance(value, list | tuple) and all(isinstance(v, OutputRef) for v in value):
        return
    raise DefinitionError(
        f"{where}: input '{input_name}' must be the output of another op or graph (or a "
        f"list of them), got {type(value).__name__}. Pass constants as config or "
        "input_values, or give the In a default_value."
    )


def _has_item(value: Any) -> bool:
    if isinstance(value, OutputRef):
        return value.item
    if isinstance(value, list | tuple):
        return any(_has_item(v) for v in value)
    return False


def _as_dynamic(result: Any) -> Any:
    """What ``fn`` returned inside ``.map(fn)``, as dynamic outputs."""
    if isinstance(result, OutputRef):
        return replace(result, item=False, dynamic=True)
    if isinstance(result, NodeOutputs):
        return NodeOutputs({k: _as_dynamic(v) for k, v in result.items()})
    if isinstance(result, tuple):
        return tuple(_as_dynamic(v) for v in result)
    if isinstance(result, Mapping):
        return {k: _as_dynamic(v) for k, v in result.items()}
    return result


def current_composition() -> Composition | None:
    """The composition being traced, if a ``@job`` / ``@graph`` body is running."""
    return _CURRENT.get()


def trace(
    graph_name: str, fn: Callable[..., Any], input_names: Sequence[str]
) -> tuple[list[Node], Any]:
    """Call the composition function ``fn`` with refs to its inputs; its nodes and what it
    returned (refs to the graph's outputs)."""
    composition = Composition(graph_name)
    token = _CURRENT.set(composition)
    try:
        returned = fn(**{name: InputRef(name) for name in input_names})
    finally:
        _CURRENT.reset(token)
    return composition.nodes, returned
