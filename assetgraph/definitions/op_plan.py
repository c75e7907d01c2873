"""A job's graph flattened into the ops it runs, in order, each wired to its sources.

Nested graphs are inlined: an op inside graph ``g`` has the handle ``g.op`` (Dagster's node
path), a graph's inputs are replaced by what feeds them and its outputs by the outputs of
the ops inside. Invocation order is a topological order (a body can only pass on refs it
already holds), so the flat list is the order ops run in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from assetgraph.definitions.op_composition import Collected, InputRef, Node, OutputRef
from assetgraph.definitions.op_definition import OpDefinition
from assetgraph.errors import DefinitionError


@dataclass(frozen=True)
class Source:
    """The output ``output`` of op ``handle``; ``item``: the value of the mapping key being
    run (the op that reads it is mapped over that output's keys)."""

    handle: str
    output: str
    item: bool = False


@dataclass(frozen=True)
class Collect:
    """Every value of the dynamic (or mapped) output ``source``, as one list."""

    source: Source


@dataclass(frozen=True)
class JobInput:
    """A top-level input of the job's graph: from ``input_values`` or run config."""

    name: str


InputSource: TypeAlias = Source | Collect | JobInput | tuple[Any, ...]
"""Where an op input comes from; a tuple is a fan-in of several sources."""


@dataclass(frozen=True)
class FlatOp:
    """One op of a job, as it runs: its handle, definition, sources and options."""

    handle: str
    op: OpDefinition
    inputs: Mapping[str, InputSource]
    tags: Mapping[str, str] = field(default_factory=dict)
    retry_policy: Any = None
    graph_config: Mapping[str, Any] = field(default_factory=dict)
    """Defaults for this op's run config entry given by an enclosing ``@graph(config=)``."""
    hooks: frozenset[Any] = frozenset()
    """Hooks of its invocation and of the graph invocations around it (``with_hooks``)."""

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.handle.split("."))

    @property
    def mapped_over(self) -> Source | None:
        """The dynamic output this op runs once per mapping key of, if any."""
        for source in _sources(self.inputs.values()):
            if source.item:
                return source
        return None


@dataclass
class FlatGraph:
    """The ops of a graph, and where each of its outputs (and its graphs' outputs) come
    from, by node handle."""

    ops: list[FlatOp] = field(default_factory=list)
    outputs: dict[str, InputSource] = field(default_factory=dict)
    graph_outputs: dict[str, dict[str, InputSource]] = field(default_factory=dict)


def flatten(graph: Any) -> FlatGraph:
    """The ops of ``graph`` (a ``GraphDefinition``) in the order they run."""
    flat = FlatGraph()
    bindings: dict[str, InputSource] = {name: JobInput(name) for name in graph.input_names()}
    flat.outputs = _flatten_into(flat, graph, (), bindings, {}, frozenset())
    return flat


def _flatten_into(
    flat: FlatGraph,
    graph: Any,
    prefix: tuple[str, ...],
    bindings: Mapping[str, InputSource],
    config: Mapping[str, Any],
    hooks: frozenset[Any],
) -> dict[str, InputSource]:
    """Add ``graph``'s ops under ``prefix``; the sources of its outputs."""
    outputs_of: dict[str, dict[str, InputSource]] = {}
    graph_config = {**_ops_section(getattr(graph, "config", None)), **config}
    for node in graph.nodes:
        handle = ".".join((*prefix, node.name))
        inputs = {
            name: _resolve(value, outputs_of, bindings, graph.name, handle)
            for name, value in node.inputs.items()
        }
        node_config = graph_config.get(node.name, {})
        if isinstance(node.definition, OpDefinition):
            flat.ops.append(_flat_op(node, handle, inputs, node_config, hooks | node.hooks))
            outputs_of[node.name] = {
                name: Source(handle, name, item=_mapped(inputs)) for name in node.definition.outs
            }
        else:
            inner_config = node_config.get("ops", {}) if isinstance(node_config, Mapping) else {}
            inner_hooks = hooks | node.hooks
            path = (*prefix, node.name)
            outs = _flatten_into(flat, node.definition, path, inputs, inner_config, inner_hooks)
            if _mapped(inputs):
                outs = {name: _itemized(src) for name, src in outs.items()}
            outputs_of[node.name] = outs
            flat.graph_outputs[handle] = outs
    returned = graph.output_refs
    return {
        name: _resolve(ref, outputs_of, bindings, graph.name, graph.name)
        for name, ref in returned.items()
    }


def _flat_op(
    node: Node, handle: str, inputs: dict[str, InputSource], config: Any, hooks: frozenset[Any]
) -> FlatOp:
    op_def: OpDefinition = node.definition
    return FlatOp(
        handle=handle,
        op=op_def,
        inputs=inputs,
        tags={**op_def.tags, **node.tags},
        retry_policy=node.retry_policy,
        graph_config=config if isinstance(config, Mapping) else {},
        hooks=hooks,
    )


def _resolve(
    value: Any,
    outputs_of: Mapping[str, Mapping[str, InputSource]],
    bindings: Mapping[str, InputSource],
    graph_name: str,
    where: str,
) -> InputSource:
    if isinstance(value, InputRef):
        if value.name not in bindings:
            raise DefinitionError(f"Graph '{graph_name}' has no input '{value.name}'.")
        return bindings[value.name]
    if isinstance(value, Collected):
        inner = _resolve(value.ref, outputs_of, bindings, graph_name, where)
        if not isinstance(inner, Source):
            raise DefinitionError(f"Node '{where}': .collect() needs an op's dynamic output.")
        return Collect(Source(inner.handle, inner.output))
    if isinstance(value, OutputRef):
        source = outputs_of[value.node][value.output]
        if isinstance(source, Source) and value.item and not source.item:
            return Source(source.handle, source.output, item=True)
        return source
    if isinstance(value, list | tuple):
        return tuple(_resolve(v, outputs_of, bindings, graph_name, where) for v in value)
    raise DefinitionError(f"Node '{where}': cannot wire {value!r}.")


def _mapped(inputs: Mapping[str, InputSource]) -> bool:
    return any(source.item for source in _sources(inputs.values()))


def _itemized(source: InputSource) -> InputSource:
    return Source(source.handle, source.output, item=True) if isinstance(source, Source) else source


def _sources(values: Sequence[Any] | Any) -> list[Source]:
    found: list[Source] = []
    for value in values:
        if isinstance(value, Source):
            found.append(value)
        elif isinstance(value, tuple):
            found.extend(_sources(value))
    return found


def _ops_section(config: Any) -> dict[str, Any]:
    """The ``ops:`` part of a graph's config (``{"ops": {...}}`` or the ops mapping itself)."""
    if not isinstance(config, Mapping):
        return {}
    if "ops" in config and isinstance(config["ops"], Mapping):
        return dict(config["ops"])
    return dict(config)
