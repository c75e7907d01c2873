"""Dagster's ``AssetsDefinition.from_graph`` and ``from_op``: assets computed by an existing
``@graph`` or ``@op``, as ``@graph_asset`` / ``@graph_multi_asset`` compute theirs.

Keys follow Dagster: a graph's (or op's) inputs read the assets named as the inputs (or
``keys_by_input_name``); one output named ``result`` is the asset named as the graph (with
``key_prefix``), other outputs are assets named as the outputs (or ``keys_by_output_name``).
The graph runs in one step, its ops called in order, as for ``@graph_asset``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assetgraph.definitions.assets import AssetIn, AssetOut, AssetsDefinition, as_prefix
from assetgraph.definitions.op_definition import OpDefinition
from assetgraph.definitions.op_graph import GraphDefinition
from assetgraph.definitions.ops import graph_asset, graph_multi_asset
from assetgraph.definitions.outputs import DEFAULT_OUTPUT_NAME
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.versions.code import source_code_version

_PER_OUTPUT = {
    "descriptions_by_output_name": "description",
    "metadata_by_output_name": "metadata",
    "tags_by_output_name": "tags",
    "code_versions_by_output_name": "code_version",
    "group_names_by_output_name": "group_name",
    "owners_by_output_name": "owners",
    "automation_conditions_by_output_name": "automation_condition",
}
"""Dagster's per-output arguments -> the ``AssetOut`` field each sets."""


def assets_from_graph(graph_def: GraphDefinition, **options: Any) -> AssetsDefinition:
    """The assets a ``@graph`` computes (Dagster's ``AssetsDefinition.from_graph``)."""
    compose = graph_def.compose_fn
    if compose is None:
        raise DefinitionError(
            f"AssetsDefinition.from_graph: graph '{graph_def.name}' was built from node_defs "
            "and dependencies; write it with @graph (or @graph_asset) to make assets of it."
        )
    return _assets(
        compose,
        name=graph_def.name,
        what=f"graph '{graph_def.name}'",
        input_names=graph_def.input_names(),
        output_names=list(graph_def.outs) or list(graph_def.output_refs),
        **options,
    )


def assets_from_op(op_def: OpDefinition, **options: Any) -> AssetsDefinition:
    """The assets an ``@op`` computes (Dagster's ``AssetsDefinition.from_op``)."""
    inputs = op_def.input_names()

    def call_op(**values: Any) -> Any:
        return op_def(**values)

    call_op.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in inputs]
    )
    call_op.__name__ = call_op.__qualname__ = op_def.name
    call_op.__module__ = op_def.fn.__module__
    call_op.__doc__ = op_def.fn.__doc__
    options.setdefault("code_version", source_code_version(op_def.fn))
    return _assets(
        call_op,
        name=op_def.name,
        what=f"op '{op_def.name}'",
        input_names=inputs,
        output_names=list(op_def.output_defs()),
        **options,
    )


def _assets(
    compose: Callable[..., Any],
    *,
    name: str,
    what: str,
    input_names: Sequence[str],
    output_names: Sequence[str],
    keys_by_input_name: Mapping[str, CoercibleToAssetKey] | None = None,
    keys_by_output_name: Mapping[str, CoercibleToAssetKey] | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group_name: str | None = None,
    partitions_def: Any = None,
    partition_mappings: Mapping[str, Any] | None = None,
    backfill_policy: Any = None,
    code_version: str | None = None,
    **options: Any,
) -> AssetsDefinition:
    """Dagster's arguments of ``from_graph`` / ``from_op``, for ``compose``."""
    per_output = {arg: dict(options.pop(arg, None) or {}) for arg in _PER_OUTPUT}
    _refuse_unsupported(what, options)
    given_keys = {n: AssetKey.from_user(k) for n, k in (keys_by_input_name or {}).items()}
    _check_names(what, "keys_by_input_name", given_keys, input_names)
    mappings = dict(partition_mappings or {})
    ins = {
        input_name: AssetIn(
            key=given_keys.get(input_name, AssetKey((input_name,))),
            partition_mapping=mappings.get(input_name),
        )
        for input_name in input_names
    }
    output_keys = {n: AssetKey.from_user(k) for n, k in (keys_by_output_name or {}).items()}
    _check_names(what, "keys_by_output_name", output_keys, output_names)
    prefix = as_prefix(key_prefix)
    common: dict[str, Any] = {
        "ins": ins,
        "partitions_def": partitions_def,
        "backfill_policy": backfill_policy,
    }
    if code_version is not None:
        common["code_version"] = code_version
    if list(output_names) in ([], [DEFAULT_OUTPUT_NAME]):
        key = output_keys.get(DEFAULT_OUTPUT_NAME, AssetKey((*prefix, name)))
        fields = _output_fields(per_output, DEFAULT_OUTPUT_NAME)
        return graph_asset(**{**common, "key": key, "group_name": group_name, **fields})(compose)
    outs = {
        output: AssetOut(
            key=output_keys.get(output, AssetKey((*prefix, output))),
            **{"group_name": group_name, **_output_fields(per_output, output)},
        )
        for output in output_names
    }
    return graph_multi_asset(outs=outs, name=name, **common)(compose)


def _output_fields(per_output: Mapping[str, Mapping[str, Any]], output: str) -> dict[str, Any]:
    return {
        _PER_OUTPUT[arg]: values[output] for arg, values in per_output.items() if output in values
    }


def _check_names(what: str, argument: str, given: Mapping[str, Any], names: Sequence[str]) -> None:
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise DefinitionError(
            f"AssetsDefinition for {what}: {argument} names {', '.join(unknown)}, which it does "
            f"not have; it has {', '.join(names) or 'none'}."
        )


def _refuse_unsupported(what: str, options: Mapping[str, Any]) -> None:
    given = sorted(arg for arg, value in options.items() if value)
    if given:
        raise DefinitionError(
            f"AssetsDefinition for {what}: {', '.join(given)} not supported; pass resources "
            "to Definitions(resources=...) and declare checks with @asset_check."
        )
