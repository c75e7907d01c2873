"""Op jobs: a graph of ops made a job (``@job``, ``graph.to_job``), as in Dagster.

An ``OpJobDefinition`` is a ``JobDefinition`` with no assets of its own: its run executes
the graph's ops (``op_plan.flatten``) in order, each one step of the run, recorded in the
run storage like any run. Run config is Dagster's: ``ops: {op: {config: {...}, inputs:
{...}}}``, nested graphs as ``ops: {graph: {ops: {op: ...}}}``; it is checked for every op
before any runs (``op_configs``), and an error names the op and the field.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from assetgraph.definitions.hooks import HookDefinition
from assetgraph.definitions.jobs import JobDefinition
from assetgraph.definitions.loggers import check_logger_defs
from assetgraph.definitions.op_config import (
    has_required_fields,
    validate_config_class,
    validate_schema,
)
from assetgraph.definitions.op_definition import NO_DEFAULT as _NO_DEFAULT
from assetgraph.definitions.op_plan import FlatGraph, FlatOp, JobInput, Source, flatten
from assetgraph.errors import DefinitionError, RunConfigError, UsageError, did_you_mean

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.definitions.retry import RetryPolicy
    from assetgraph.storage.instance import Instance

_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_NO_VALUE = object()


def check_job_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise DefinitionError(f"Invalid job name {name!r}: use letters, digits and '_' only.")
    return name


@dataclass(frozen=True, eq=False)
class OpJobDefinition(JobDefinition):
    """A job that runs a graph of ops (see the module doc)."""

    graph_def: Any = None
    resource_defs: Mapping[str, Any] = field(default_factory=dict)
    input_values: Mapping[str, Any] = field(default_factory=dict)
    flat: FlatGraph = field(default_factory=FlatGraph, repr=False)
    logger_defs: Mapping[str, Any] = field(default_factory=dict)
    """Loggers that receive the run's log messages (``@job(logger_defs=...)``)."""

    is_op_job = True

    @classmethod
    def of_graph(
        cls,
        graph: Any,
        *,
        name: str,
        description: str | None,
        resource_defs: Mapping[str, Any] | None,
        config: Any,
        tags: Mapping[str, Any] | None,
        run_tags: Mapping[str, Any] | None,
        metadata: Mapping[str, Any] | None,
        executor_def: Any,
        op_retry_policy: RetryPolicy | None,
        input_values: Mapping[str, Any] | None,
        hooks: frozenset[HookDefinition] = frozenset(),
        logger_defs: Mapping[str, Any] | None = None,
    ) -> OpJobDefinition:
        to_dict = getattr(config, "to_config_dict", None)  # Dagster's RunConfig
        if callable(to_dict):
            config = to_dict()
        if config is not None and not isinstance(config, Mapping):
            raise DefinitionError(
                f"Job '{name}': config must be a run config mapping (or a RunConfig), got "
                f"{type(config).__name__}; ConfigMapping is not supported."
            )
        return cls(
            name=name,
            asset_keys=(),
            definitions=cast("Definitions", None),  # bound by Definitions(jobs=[...])
            config=None if config is None else dict(config),
            description=description,
            tags={str(k): str(v) for k, v in (tags or {}).items()},
            run_tags=None if run_tags is None else {str(k): str(v) for k, v in run_tags.items()},
            metadata=dict(metadata or {}),
            executor_def=getattr(executor_def, "name", executor_def),
            op_retry_policy=op_retry_policy,
            graph_def=graph,
            resource_defs=dict(resource_defs or {}),
            input_values=dict(input_values or {}),
            flat=flatten(graph),
            hook_defs=hooks,
            logger_defs=check_logger_defs(logger_defs, f"Job '{name}'"),
        )

    # -- what a run of it does -------------------------------------------------------------

    @property
    def op_handles(self) -> list[str]:
        """The handle of every op the job runs, in order (``graph.op`` when nested)."""
        return [op.handle for op in self.flat.ops]

    def ops_for_run(self, op_selection: Sequence[str] | None) -> list[FlatOp]:
        """The ops a run executes: all, or those ``op_selection`` names (Dagster's syntax:
        ``"name"``, ``"*name"`` with its upstream, ``"name*"`` with its downstream)."""
        if not op_selection:
            return list(self.flat.ops)
        chosen: set[str] = set()
        for text in op_selection:
            chosen |= self._select(text)
        return [op for op in self.flat.ops if op.handle in chosen]

    def _select(self, text: str) -> set[str]:
        name = text.strip("*+")
        up = _levels(text[: len(text) - len(text.lstrip("*+"))])
        down = _levels(text[len(text.rstrip("*+")) :])
        handles = [h for h in self.op_handles if h == name or h.startswith(f"{name}.")]
        if not handles:
            raise UsageError(
                f"Op selection '{text}' names no op of job '{self.name}'."
                + did_you_mean(name, self.op_handles)
            )
        found = set(handles)
        upstream = {op.handle: {s.handle for s in _sources_of(op)} for op in self.flat.ops}
        frontier = set(handles)
        while up > 0 and frontier:
            frontier = {u for h in frontier for u in upstream.get(h, ())} - found
            found |= frontier
            up -= 1
        frontier = set(handles)
        while down > 0 and frontier:
            frontier = {h for h, ups in upstream.items() if ups & frontier} - found
            found |= frontier
            down -= 1
        return found

    def op_configs(self, run_config: Mapping[str, Any]) -> dict[str, Any]:
        """Each op's checked config by handle (a ``Config`` instance, a checked value, or
        None), from run config merged over the job's; a ``RunConfigError`` names the op
        and field at fault, or an op in run config that the job lacks."""
        ops_section = _ops_section(run_config)
        self._check_known(ops_section)
        configs: dict[str, Any] = {}
        for flat_op in self.flat.ops:
            entry = _entry_for(ops_section, flat_op)
            given = entry.get("config", _NO_VALUE) if isinstance(entry, Mapping) else _NO_VALUE
            configs[flat_op.handle] = _checked_config(flat_op, given)
        return configs

    def op_inputs(
        self,
        run_config: Mapping[str, Any],
        input_values: Mapping[str, Any],
        ops: Sequence[FlatOp] | None = None,
    ) -> dict[tuple[str, str], Any]:
        """Values of inputs wired to nothing (or, with ``ops`` a selection, to an op left
        out), by (handle, input): from ``input_values`` (top inputs of the graph), run config
        ``ops: {op: {inputs: {...}}}`` or ``In(default_value)``; a ``RunConfigError`` names
        an input that has none."""
        ops_section = _ops_section(run_config)
        values = {**self.input_values, **input_values}
        found: dict[tuple[str, str], Any] = {}
        selected = {op.handle for op in (self.flat.ops if ops is None else ops)}
        for flat_op in self.flat.ops if ops is None else ops:
            entry = _entry_for(ops_section, flat_op)
            given = entry.get("inputs", {}) if isinstance(entry, Mapping) else {}
            for name in flat_op.op.input_names():
                source = flat_op.inputs.get(name)
                in_def = flat_op.op.ins.get(name)
                if in_def is not None and (in_def.is_nothing or in_def.input_manager_key):
                    continue  # nothing to pass, or its input manager loads it
                if isinstance(source, JobInput):
                    if source.name not in values:
                        raise RunConfigError(
                            f"Job '{self.name}': input '{source.name}' of the graph has no "
                            "value: pass input_values={...}."
                        )
                    found[(flat_op.handle, name)] = values[source.name]
                elif source is None or not _within(source, selected):
                    found[(flat_op.handle, name)] = _unwired_value(
                        self.name, flat_op, name, given, in_def, source is not None
                    )
        return found

    def _check_known(self, ops_section: Mapping[str, Any]) -> None:
        top = {op.path[0] for op in self.flat.ops}
        for name in ops_section:
            if name not in top:
                raise RunConfigError(
                    f"Run config names op '{name}', which job '{self.name}' does not have."
                    + did_you_mean(name, sorted(top))
                )

    def run_resources(
        self,
        resources: Mapping[str, Any] | None = None,
        run_config: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The resources of a run: the code location's, the job's, then those given; a
        ``@resource`` named in run config ``resources: {name: {config: {...}}}`` is
        configured with it."""
        base = dict(getattr(self.definitions, "resources", None) or {})
        found = {**base, **self.resource_defs, **(resources or {})}
        section = (run_config or {}).get("resources") or {}
        for name, entry in section.items():
            if name not in found:
                raise RunConfigError(
                    f"Run config configures resource '{name}', which job '{self.name}' does "
                    "not have." + did_you_mean(name, list(found))
                )
            config = entry.get("config", entry) if isinstance(entry, Mapping) else entry
            configure = getattr(found[name], "configured", None)
            if not callable(configure) or not isinstance(config, Mapping):
                raise RunConfigError(
                    f"Resource '{name}' cannot be configured from run config: configure it "
                    "where it is defined (resource_defs= or Definitions(resources=...))."
                )
            found[name] = configure(config)
        return found

    def execute_in_process(
        self,
        run_config: Any = None,
        instance: Instance | None = None,
        partition_key: str | None = None,
        raise_on_error: bool = True,
        op_selection: Sequence[str] | None = None,
        asset_selection: Any = None,
        tags: Mapping[str, str] | None = None,
        resources: Mapping[str, Any] | None = None,
        input_values: Mapping[str, Any] | None = None,
        run_id: str | None = None,
    ) -> Any:
        """Run the job's ops in this process, as one recorded run; its result.

        Without ``instance`` the run goes to an ephemeral instance (nothing persists), as in
        Dagster. ``op_selection`` runs some ops; ``input_values`` feed the graph's inputs;
        with ``raise_on_error`` (the default) a failed run raises ``RunFailure``.
        """
        # The one place a definition runs itself (Dagster's API): execution is imported here,
        # on use, under an import-linter exception declared in pyproject.toml.
        from assetgraph.execution.op_run import execute_op_job

        if partition_key is not None:
            raise UsageError(f"Job '{self.name}' is an op job: it has no partitions.")
        return execute_op_job(
            self,
            run_config=self.run_config_for(run_config),
            instance=instance,
            resources=resources,
            raise_on_error=raise_on_error,
            op_selection=op_selection,
            tags=self.run_tags_for_run(tags),
            input_values=input_values or {},
            run_id=run_id,
        )

    def bound_to(self, defs: Definitions) -> OpJobDefinition:
        return self if defs is self.definitions else dataclasses.replace(self, definitions=defs)


def _levels(marks: str) -> float:
    """How many levels a selection's ``*`` (all) or ``+`` (one each) marks reach."""
    return float("inf") if "*" in marks else float(len(marks))


def validate_run_config(job_def: Any, run_config: Any = None) -> dict[str, Any]:
    """Dagster's ``validate_run_config``: ``run_config`` (merged over the job's) checked as a
    run of ``job_def`` would check it; the merged config, or a ``RunConfigError``."""
    merged = job_def.run_config_for(run_config)
    op_configs = getattr(job_def, "op_configs", None)
    if callable(op_configs):
        op_configs(merged)
        job_def.op_inputs(merged, {})
    return dict(merged)


def _sources_of(flat_op: FlatOp) -> list[Source]:
    found: list[Source] = []
    for value in flat_op.inputs.values():
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, Source):
                found.append(item)
            elif isinstance(item, tuple):
                stack.extend(item)
            elif hasattr(item, "source"):
                found.append(item.source)
    return found


def _ops_section(run_config: Mapping[str, Any]) -> Mapping[str, Any]:
    ops = run_config.get("ops", run_config.get("solids", {}))
    if not isinstance(ops, Mapping):
        raise RunConfigError(f"Run config 'ops' must be a mapping, got {type(ops).__name__}.")
    return ops


def _entry_for(ops_section: Mapping[str, Any], flat_op: FlatOp) -> Mapping[str, Any]:
    """The run config entry of ``flat_op`` (nested graphs under ``ops:``), over its
    graph's defaults."""
    entry: Any = ops_section
    for depth, part in enumerate(flat_op.path):
        if depth > 0:
            entry = entry.get("ops", {}) if isinstance(entry, Mapping) else {}
        entry = entry.get(part, {}) if isinstance(entry, Mapping) else {}
    defaults = dict(flat_op.graph_config)
    if not isinstance(entry, Mapping):
        entry = {"config": entry}
    merged = {**defaults, **entry}
    if "config" not in merged and merged and not set(merged) & {"inputs", "outputs"}:
        merged = {"config": merged}  # the shorthand ops: {op: {field: value}}
    return merged


def _checked_config(flat_op: FlatOp, given: Any) -> Any:
    op_def = flat_op.op
    if op_def.configured_config is not None:  # op.configured(...): its config is fixed
        given = op_def.configured_config
    config_class = op_def.config_class
    value = None if given is _NO_VALUE else given
    if config_class is not None:
        return validate_config_class(flat_op.handle, config_class, value)
    if op_def.config_schema is not None:
        if given is _NO_VALUE and has_required_fields(op_def.config_schema):
            raise RunConfigError(
                f"Op '{flat_op.handle}' needs config and run config gives none: add "
                f"ops: {{{flat_op.path[-1]}: {{config: {{...}}}}}}."
            )
        return validate_schema(flat_op.handle, op_def.config_schema, value)
    if given is not _NO_VALUE and given not in (None, {}):
        return given  # config for an op without a schema: passed on unchecked, as Dagster's Any
    return None


def _within(source: Any, selected: set[str]) -> bool:
    """Whether every op ``source`` reads from is in ``selected``."""
    if isinstance(source, Source):
        return source.handle in selected
    if isinstance(source, tuple):
        return all(_within(s, selected) for s in source)
    inner = getattr(source, "source", None)
    return inner is None or _within(inner, selected)


def _unwired_value(
    job: str, flat_op: FlatOp, name: str, given: Any, in_def: Any, left_out: bool = False
) -> Any:
    if isinstance(given, Mapping) and name in given:
        value = given[name]
        return value["value"] if isinstance(value, Mapping) and set(value) == {"value"} else value
    if in_def is not None and in_def.has_default:
        return in_def.default_value
    default = flat_op.op.parameter_default(name)
    if default is not _NO_DEFAULT:
        return default
    why = (
        "reads an op the op selection leaves out: select that op too (e.g. '*op'), or set"
        if left_out
        else "is not wired to any output and has no value: wire it, give In(default_value=...), "
        "or set"
    )
    raise RunConfigError(
        f"Job '{job}': input '{name}' of op '{flat_op.handle}' {why} ops: "
        f"{{{flat_op.path[-1]}: {{inputs: {{{name}: ...}}}}}} in run config."
    )
