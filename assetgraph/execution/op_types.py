"""Type checks of an op's inputs and outputs, as Dagster runs them.

An input or output whose type is a ``DagsterType`` (``In(dagster_type=...)``,
``Out(dagster_type=...)``, or the parameter's / return annotation) has its value checked:
inputs before the op runs, outputs after. A failed check fails the step with
``DagsterTypeCheckDidNotPass`` naming the op, the input or output, and the type.
Plain Python annotations and ``Nothing`` are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from assetgraph.definitions.dagster_types import DagsterType, is_nothing
from assetgraph.definitions.op_definition import resolved_annotation
from assetgraph.definitions.op_plan import FlatOp
from assetgraph.definitions.signatures import cached_signature
from assetgraph.errors import DagsterTypeCheckDidNotPass


def check_op_inputs(flat_op: FlatOp, kwargs: Mapping[str, Any], context: Any) -> None:
    """Check each input value against its ``DagsterType``, before the op runs."""
    for name, dagster_type in _input_types(flat_op):
        if name in kwargs:
            _check(dagster_type, kwargs[name], context, f"Op '{flat_op.handle}' input '{name}'")


def check_op_outputs(
    flat_op: FlatOp,
    outputs: Mapping[str, Any],
    dynamic: Mapping[str, Mapping[str, Any]],
    context: Any,
) -> None:
    """Check each produced output (each mapped value of a dynamic one) against its type."""
    for name, dagster_type in _output_types(flat_op):
        where = f"Op '{flat_op.handle}' output '{name}'"
        if name in outputs:
            _check(dagster_type, outputs[name], context, where)
        for key, value in dynamic.get(name, {}).items():
            _check(dagster_type, value, context, f"{where} (mapping key '{key}')")


def _check(dagster_type: DagsterType, value: Any, context: Any, where: str) -> None:
    result = dagster_type.type_check(context, value)
    if not result.success:
        detail = f": {result.description}" if result.description else ""
        raise DagsterTypeCheckDidNotPass(
            f"{where}: type check of {dagster_type.name} failed{detail}",
            metadata=result.metadata,
        )


def _input_types(flat_op: FlatOp) -> Iterator[tuple[str, DagsterType]]:
    op_def = flat_op.op
    params = cached_signature(op_def.fn, op_def.name).parameters
    for name in op_def.input_names():
        in_def = op_def.ins.get(name)
        declared = in_def.dagster_type if in_def is not None else None
        if declared is None and name in params:
            declared = resolved_annotation(params[name].annotation, op_def.fn)
        if isinstance(declared, DagsterType) and not is_nothing(declared):
            yield name, declared


def _output_types(flat_op: FlatOp) -> Iterator[tuple[str, DagsterType]]:
    op_def = flat_op.op
    returned = resolved_annotation(
        cached_signature(op_def.fn, op_def.name).return_annotation, op_def.fn
    )
    for name, out in op_def.outs.items():
        declared = out.dagster_type
        if declared is None and len(op_def.outs) == 1:
            declared = returned
        if isinstance(declared, DagsterType) and not is_nothing(declared):
            yield name, declared
