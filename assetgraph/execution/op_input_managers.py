"""Op inputs loaded by an input manager: ``In(input_manager_key=...)`` (Dagster's).

Ops pass values in memory; an input that names an input manager (an ``InputManager``, an
IO manager, or a function made by ``@input_manager``) is loaded by that resource's
``load_input`` instead, inside the op's step. Its ``InputContext`` carries the input's
name, its per-input run config (``ops: {op: {inputs: {name: {...}}}}``) as ``config``,
and ``upstream_output`` (the op output wired to it; None when nothing is wired or the op
selection leaves that op out). The value of the wired output is not handed over: as in
Dagster, the manager decides what to load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from assetgraph.definitions.op_plan import FlatOp, Source
from assetgraph.errors import ResourceError, did_you_mean
from assetgraph.io import InputContext, OutputContext
from assetgraph.keys import AssetKey


@dataclass(frozen=True)
class ManagedInput:
    """An input value still to load: the step loads it (``load``) just before the op runs,
    so a manager that raises fails the op's step, not the run."""

    flat_op: FlatOp
    name: str
    upstream: Source | None
    config: Any

    def load(self, resources: SimpleNamespace, run_id: str) -> Any:
        in_def = self.flat_op.op.ins[self.name]
        key = in_def.input_manager_key
        manager = getattr(resources, str(key))
        context = InputContext(
            asset_key=_key(in_def.asset_key, self.name),
            run_id=run_id,
            resources=resources,
            metadata=dict(in_def.metadata),
            name=self.name,
            upstream_output=self._upstream_output(resources, run_id),
            config=self.config,
            dagster_type=in_def.dagster_type,
        )
        load_input = getattr(manager, "load_input", None)
        if not callable(load_input):
            raise ResourceError(
                f"Op '{self.flat_op.handle}': resource '{key}' (a {type(manager).__name__}) "
                f"cannot load input '{self.name}': give an InputManager, an IO manager or an "
                "@input_manager function under that key."
            )
        with context:
            return load_input(context)

    def _upstream_output(self, resources: SimpleNamespace, run_id: str) -> OutputContext | None:
        if self.upstream is None:
            return None
        return OutputContext(
            asset_key=AssetKey((self.upstream.output,)),
            run_id=run_id,
            step_key=self.upstream.handle,
            resources=resources,
            name=self.upstream.output,
        )


def managed_inputs(flat_op: FlatOp) -> list[str]:
    """The op's inputs that an input manager loads."""
    return [name for name, in_def in flat_op.op.ins.items() if in_def.input_manager_key]


def input_manager_keys(ops: Sequence[FlatOp], declared: Mapping[str, Any]) -> set[str]:
    """The resource keys of the ops' input managers; a ``ResourceError`` names an input
    whose manager is not given."""
    keys: set[str] = set()
    for flat_op in ops:
        for name in managed_inputs(flat_op):
            key = str(flat_op.op.ins[name].input_manager_key)
            if key not in declared:
                raise ResourceError(
                    f"Op '{flat_op.handle}': input '{name}' is loaded by input manager "
                    f"'{key}', which is not given: add it to the job's resource_defs or "
                    "Definitions(resources=...)." + did_you_mean(key, list(declared))
                )
            keys.add(key)
    return keys


def input_config(run_config: Mapping[str, Any], flat_op: FlatOp, name: str) -> Any:
    """The run config of one input: ``ops: {op: {inputs: {name: ...}}}`` (None if none)."""
    entry: Any = run_config.get("ops", run_config.get("solids", {}))
    for depth, part in enumerate(flat_op.path):
        if depth > 0:
            entry = entry.get("ops", {}) if isinstance(entry, Mapping) else {}
        entry = entry.get(part, {}) if isinstance(entry, Mapping) else {}
    inputs = entry.get("inputs", {}) if isinstance(entry, Mapping) else {}
    return inputs.get(name) if isinstance(inputs, Mapping) else None


def _key(declared: Any, name: str) -> AssetKey:
    """The input's asset key when ``In(asset_key=...)`` gives one, else its name (as
    ``build_input_context`` does)."""
    return AssetKey((name,)) if declared is None else AssetKey.from_user(declared)
