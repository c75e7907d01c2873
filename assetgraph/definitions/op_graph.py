"""Dagster's ``@graph`` and ``@job``: ops wired together by a composition function.

The body is traced once, when it is decorated (``op_composition.trace``): each op or graph
it invokes becomes a node. A graph is reusable: invoke it inside another graph or job
(nested graphs), or make a job of it with ``to_job(...)``. ``@job`` is a graph made a job
at once. A graph's outputs are what its body returns: one output (``"result"``), a dict
by output name (``out={"x": GraphOut(), ...}``), or nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

from assetgraph.definitions.hooks import as_hook_set
from assetgraph.definitions.op_composition import (
    Node,
    NodeOutputs,
    OutputRef,
    current_composition,
    trace,
)
from assetgraph.definitions.op_definition import PendingNodeInvocation
from assetgraph.definitions.op_io import GraphOut, Out
from assetgraph.definitions.op_jobs import OpJobDefinition, check_job_name
from assetgraph.definitions.outputs import DEFAULT_OUTPUT_NAME
from assetgraph.errors import DefinitionError, did_you_mean


@dataclass(frozen=True)
class DependencyDefinition:
    """In ``GraphDefinition(dependencies=...)``: an input fed by output ``output`` of
    node ``node``."""

    node: str
    output: str = DEFAULT_OUTPUT_NAME
    description: str | None = None


@dataclass(frozen=True)
class MultiDependencyDefinition:
    """An input fed by several outputs (fan-in), as a list in this order."""

    dependencies: Sequence[DependencyDefinition]


@dataclass(frozen=True)
class NodeInvocation:
    """A node of ``GraphDefinition(dependencies=...)`` under an alias, with tags."""

    name: str
    alias: str | None = None
    tags: Mapping[str, str] | None = None


class GraphDefinition:
    """Ops wired together; a node of another graph, or a job (``to_job``).

    Made by ``@graph`` (or ``@job``) from a composition function, or, as Dagster's
    constructor, from ``node_defs`` and ``dependencies``: ``{node: {input:
    DependencyDefinition(upstream_node, output)}}``, node keys a name or ``NodeInvocation``.
    """

    def __init__(
        self,
        name: str,
        node_defs: Sequence[Any] | None = None,
        dependencies: Mapping[Any, Mapping[str, Any]] | None = None,
        description: str | None = None,
        config: Any = None,
        tags: Mapping[str, str] | None = None,
        **unsupported: Any,
    ) -> None:
        given = [key for key, value in unsupported.items() if value is not None]
        if given:
            raise DefinitionError(
                f"GraphDefinition '{name}': {', '.join(sorted(given))} not supported; write the "
                "graph with @graph, whose body wires inputs and returns outputs."
            )
        self.name = name
        self.nodes: list[Any] = _nodes_of(name, node_defs or (), dependencies or {})
        self._input_names: list[str] = []
        self.output_refs: dict[str, Any] = {}
        self.description = description
        self.config = config
        self.tags = dict(tags or {})
        self.outs: dict[str, GraphOut] = {}
        self.compose_fn: Callable[..., Any] | None = None
        """The ``@graph`` body it was traced from (None when built from ``node_defs``)."""

    @classmethod
    def traced(
        cls,
        name: str,
        *,
        nodes: list[Any],
        input_names: list[str],
        output_refs: Mapping[str, Any],
        description: str | None,
        config: Any,
        tags: Mapping[str, str] | None,
        outs: Mapping[str, GraphOut],
    ) -> GraphDefinition:
        """The graph a composition function's trace made."""
        graph = cls(name, description=description, config=config, tags=tags)
        graph.nodes = nodes
        graph._input_names = list(input_names)
        graph.output_refs = dict(output_refs)
        graph.outs = dict(outs)
        return graph

    # -- the node protocol (op_composition) ------------------------------------------------

    def input_names(self) -> list[str]:
        return list(self._input_names)

    def output_defs(self) -> Mapping[str, Any]:
        return {name: Out(is_required=False) for name in self.output_refs}

    @property
    def node_names(self) -> list[str]:
        return [node.name for node in self.nodes]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        composition = current_composition()
        if composition is None:
            raise DefinitionError(
                f"Graph '{self.name}' can only be invoked inside a @job or @graph body; run "
                f"it with {self.name}.execute_in_process() or make a job with .to_job()."
            )
        return composition.invoke(self, args, kwargs)

    def alias(self, name: str) -> PendingNodeInvocation:
        """This graph under another node name."""
        return PendingNodeInvocation(self, node_alias=name)

    def tag(self, tags: Mapping[str, str]) -> PendingNodeInvocation:
        return PendingNodeInvocation(self, tags=dict(tags))

    def with_hooks(self, hook_defs: Iterable[Any]) -> PendingNodeInvocation:
        """This graph with hooks for every op in it."""
        return PendingNodeInvocation(self, hooks=as_hook_set(hook_defs, f"graph '{self.name}'"))

    def to_job(
        self,
        name: str | None = None,
        description: str | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        config: Any = None,
        tags: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        executor_def: Any = None,
        op_retry_policy: Any = None,
        input_values: Mapping[str, Any] | None = None,
        run_tags: Mapping[str, Any] | None = None,
        hooks: Any = None,
        logger_defs: Any = None,
        partitions_def: Any = None,
        op_selection: Any = None,
        asset_layer: Any = None,
    ) -> OpJobDefinition:
        """A job that runs this graph: its resources, default run config, tags, retry
        policy for ops without one, and values for the graph's inputs."""
        job_name = name or self.name
        if partitions_def is not None:
            raise DefinitionError(
                f"Job '{job_name}': partitioned op jobs are not supported; use partitioned "
                "assets and define_asset_job(partitions_def=...)."
            )
        return OpJobDefinition.of_graph(
            self,
            name=check_job_name(job_name),
            description=description or self.description,
            resource_defs=resource_defs,
            config=config,
            tags=tags,
            run_tags=run_tags,
            metadata=metadata,
            executor_def=executor_def,
            op_retry_policy=op_retry_policy,
            input_values=input_values,
            hooks=as_hook_set(hooks, f"Job '{job_name}'"),
            logger_defs=logger_defs,
        )

    def execute_in_process(
        self,
        run_config: Any = None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        raise_on_error: bool = True,
        op_selection: Any = None,
        input_values: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Any:
        """Run this graph as a job, in this process (Dagster's ``GraphDefinition`` method)."""
        return self.to_job().execute_in_process(
            run_config=run_config,
            instance=instance,
            resources=resources,
            raise_on_error=raise_on_error,
            op_selection=op_selection,
            input_values=input_values,
            tags=tags,
        )

    def __repr__(self) -> str:
        return f"<GraphDefinition {self.name}>"


def _build_graph(
    fn: Callable[..., Any],
    name: str | None,
    description: str | None,
    config: Any,
    tags: Mapping[str, str] | None,
    out: Any,
) -> GraphDefinition:
    graph_name = name or fn.__name__
    params = [
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    nodes, returned = trace(graph_name, fn, params)
    outs = _graph_outs(out)
    graph = GraphDefinition.traced(
        graph_name,
        nodes=nodes,
        input_names=params,
        output_refs=_output_refs(graph_name, returned, outs),
        description=description if description is not None else inspect.getdoc(fn),
        config=config,
        tags=tags,
        outs=outs,
    )
    graph.compose_fn = fn
    return graph


def _nodes_of(
    graph_name: str, node_defs: Sequence[Any], dependencies: Mapping[Any, Mapping[str, Any]]
) -> list[Any]:
    """The nodes of Dagster's ``GraphDefinition(node_defs, dependencies)``, upstream first."""
    by_name = {definition.name: definition for definition in node_defs}
    invocations: dict[str, tuple[Any, Mapping[str, str], Mapping[str, Any]]] = {}
    for key, inputs in dependencies.items():
        invocation = key if isinstance(key, NodeInvocation) else NodeInvocation(str(key))
        if invocation.name not in by_name:
            raise DefinitionError(
                f"GraphDefinition '{graph_name}': dependencies name node '{invocation.name}', "
                f"which node_defs lacks." + did_you_mean(invocation.name, list(by_name))
            )
        node_name = invocation.alias or invocation.name
        invocations[node_name] = (by_name[invocation.name], invocation.tags or {}, inputs)
    for name, definition in by_name.items():
        if not any(d is definition for d, _, _ in invocations.values()):
            invocations[name] = (definition, {}, {})
    ordered: list[Any] = []
    placed: set[str] = set()
    while len(ordered) < len(invocations):
        ready = [
            name
            for name, (_, _, inputs) in invocations.items()
            if name not in placed and all(up in placed for up in _upstream(inputs))
        ]
        if not ready:
            raise DefinitionError(
                f"GraphDefinition '{graph_name}': its dependencies form a cycle or name a node "
                "that does not exist."
            )
        for name in ready:
            definition, tags, inputs = invocations[name]
            wired = {input_name: _ref(dep) for input_name, dep in inputs.items()}
            ordered.append(Node(name, definition, wired, dict(tags)))
            placed.add(name)
    return ordered


def _upstream(inputs: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for dep in inputs.values():
        deps = dep.dependencies if isinstance(dep, MultiDependencyDefinition) else [dep]
        found.extend(d.node for d in deps)
    return found


def _ref(dep: Any) -> Any:
    if isinstance(dep, MultiDependencyDefinition):
        return [OutputRef(d.node, d.output) for d in dep.dependencies]
    if isinstance(dep, DependencyDefinition):
        return OutputRef(dep.node, dep.output)
    raise DefinitionError(f"Expected a DependencyDefinition, got {dep!r}.")


def _graph_outs(out: Any) -> dict[str, GraphOut]:
    if out is None:
        return {}
    if isinstance(out, GraphOut):
        return {DEFAULT_OUTPUT_NAME: out}
    if isinstance(out, Mapping):
        return dict(out)
    raise DefinitionError(f"@graph out must be a GraphOut or a dict of them, got {out!r}.")


def _output_refs(graph_name: str, returned: Any, outs: Mapping[str, GraphOut]) -> dict[str, Any]:
    """The graph's outputs by name, from what its body returned."""
    if returned is None:
        if outs:
            raise DefinitionError(
                f"Graph '{graph_name}' declares outputs {', '.join(outs)} but its body returns "
                "nothing: return them (a dict by output name)."
            )
        return {}
    if isinstance(returned, OutputRef):
        name = next(iter(outs)) if len(outs) == 1 else DEFAULT_OUTPUT_NAME
        return {name: returned}
    if isinstance(returned, NodeOutputs):
        returned = dict(returned.items())
    if isinstance(returned, tuple) and outs and len(returned) == len(outs):
        returned = dict(zip(outs, returned, strict=True))
    if isinstance(returned, Mapping):
        missing = [name for name in outs if name not in returned]
        if missing:
            raise DefinitionError(
                f"Graph '{graph_name}' returns no value for output(s) {', '.join(missing)}."
            )
        return dict(returned)
    raise DefinitionError(
        f"Graph '{graph_name}' returned {type(returned).__name__}: return an op's output, a "
        "dict of them by output name, or nothing."
    )


@overload
def graph(fn: Callable[..., Any], /) -> GraphDefinition: ...


@overload
def graph(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    config: Any = None,
    tags: Mapping[str, str] | None = None,
    out: Any = None,
    ins: Any = None,
) -> Callable[[Callable[..., Any]], GraphDefinition]: ...


def graph(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    config: Any = None,
    tags: Mapping[str, str] | None = None,
    out: Any = None,
    ins: Any = None,
) -> GraphDefinition | Callable[[Callable[..., Any]], GraphDefinition]:
    """Declare a graph: the ops its body invokes, wired by the values it passes.

    ``config``: default config of the graph's ops (``{op_name: {"config": {...}}}``);
    ``out``: ``GraphOut``s when the body returns a dict of several outputs; ``ins``
    (``GraphIn``s) only describes the body's parameters.
    """

    def decorate(func: Callable[..., Any]) -> GraphDefinition:
        return _build_graph(func, name, description, config, tags, out)

    return decorate(fn) if fn is not None else decorate


@overload
def job(fn: Callable[..., Any], /) -> OpJobDefinition: ...


@overload
def job(fn: None = None, /, **job_args: Any) -> Callable[[Callable[..., Any]], OpJobDefinition]: ...


def job(
    fn: Callable[..., Any] | None = None, /, **job_args: Any
) -> OpJobDefinition | Callable[[Callable[..., Any]], OpJobDefinition]:
    """Declare an op job: a graph (its body) made a job at once.

    Takes ``to_job``'s arguments: ``name``, ``description``, ``resource_defs``, ``config``,
    ``tags``, ``run_tags``, ``metadata``, ``executor_def``, ``op_retry_policy``,
    ``input_values``.
    """
    unknown = set(job_args) - set(inspect.signature(GraphDefinition.to_job).parameters)
    if unknown:
        raise DefinitionError(f"@job got unknown argument(s): {', '.join(sorted(unknown))}.")

    def decorate(func: Callable[..., Any]) -> OpJobDefinition:
        name = job_args.get("name") or func.__name__
        built = _build_graph(func, name, job_args.get("description"), None, None, None)
        return built.to_job(**job_args)

    return decorate(fn) if fn is not None else decorate
