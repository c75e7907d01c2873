"""From an asset function's parameters to its lineage: inputs, resources, config, context.

Each parameter of an asset function names an upstream asset, except ``context``, a
parameter annotated with a ``ConfigurableResource`` subclass (a resource), and one
annotated with a ``Config`` subclass (run config). Upstream names are resolved to keys
later, by the asset graph, which knows every asset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.asset_options import check_partitioning
from assetgraph.definitions.assets import (
    CONTEXT_PARAM,
    AssetIn,
    AssetOutputSpec,
    AssetsDefinition,
    InputSpec,
    source_location,
)
from assetgraph.definitions.dagster_types import is_nothing
from assetgraph.definitions.resource_params import resource_param_type
from assetgraph.definitions.signatures import cached_signature
from assetgraph.definitions.specs import as_asset_deps
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.definitions.backfill import BackfillPolicy
    from assetgraph.partitions.definitions import PartitionsDefinition


def definition_from_function(
    func: Callable[..., Any],
    name: str,
    specs: Sequence[AssetOutputSpec],
    ins: Mapping[str, AssetIn] | None,
    deps: Iterable[Any] | None,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
) -> AssetsDefinition:
    """The definition of ``func`` (asset or multi-asset ``name``, building ``specs``):
    what each parameter is (see the module docstring), ``ins`` renaming or tuning
    inputs, ``deps`` adding upstreams that are ordered before it but not loaded."""
    check_partitioning(name, func, partitions_def, backfill_policy)
    ins = dict(ins or {})
    params = cached_signature(func, name).parameters
    nothing_ins = {
        n: i
        for n, i in ins.items()
        if n not in params and is_nothing(getattr(i, "dagster_type", None))
    }
    unknown_ins = sorted(set(ins) - set(params) - set(nothing_ins))
    if unknown_ins:
        raise DefinitionError(
            f"Asset '{name}' ({source_location(func)}): ins={{...}} names "
            f"{', '.join(repr(p) for p in unknown_ins)}, which "
            f"{'is not a parameter' if len(unknown_ins) == 1 else 'are not parameters'} "
            f"of the function. Parameters: {', '.join(params) or 'none'}."
        )
    context_param: str | None = None
    resource_params: dict[str, type] = {}
    config_param: tuple[str, type] | None = None
    inputs: list[InputSpec] = []
    for param in params.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            star = "*" if param.kind is param.VAR_POSITIONAL else "**"
            raise DefinitionError(
                f"Asset '{name}' ({source_location(func)}) takes {star}{param.name}: asset "
                "functions must name each upstream asset as its own parameter."
            )
        if param.kind is param.POSITIONAL_ONLY:
            raise DefinitionError(
                f"Asset '{name}' ({source_location(func)}): parameter '{param.name}' is "
                "positional-only; assets receive their inputs by name, so drop the '/'."
            )
        kind = getattr(param.annotation, "__assetgraph_kind__", None)
        if param.name in ins:
            asset_in = ins[param.name]
            if not isinstance(asset_in, AssetIn):
                raise DefinitionError(
                    f"Asset '{name}': ins['{param.name}'] must be an AssetIn, "
                    f"got {type(asset_in).__name__}."
                )
            inputs.append(
                InputSpec(
                    param=param.name,
                    name=AssetKey((*asset_in.key_prefix, param.name)),
                    key=asset_in.key,
                    partition_mapping=asset_in.partition_mapping,
                    metadata=asset_in.metadata,
                    input_manager_key=asset_in.input_manager_key,
                )
            )
        elif param.name == CONTEXT_PARAM or kind == "context":
            context_param = param.name
        elif (plain_resource := resource_param_type(param.annotation)) is not None:
            resource_params[param.name] = plain_resource
        elif kind == "resource":
            resource_params[param.name] = param.annotation
        elif kind == "config":
            if config_param is not None:
                raise DefinitionError(
                    f"Asset '{name}' has two Config parameters ('{config_param[0]}' and "
                    f"'{param.name}'); merge them into one Config class."
                )
            config_param = (param.name, param.annotation)
        else:
            inputs.append(InputSpec(param=param.name, name=_param_key(param.name, name, func)))
    for (
        in_name,
        asset_in,
    ) in nothing_ins.items():  # Dagster's ins={...: AssetIn(dagster_type=Nothing)}
        inputs.append(
            InputSpec(
                param=None,
                name=AssetKey((*asset_in.key_prefix, in_name)),
                key=asset_in.key,
                partition_mapping=asset_in.partition_mapping,
            )
        )
    for dep in as_asset_deps(deps, f"Asset '{name}' ({source_location(func)}): deps=[...]"):
        key = dep.asset_key
        explicit = key if len(key.path) > 1 else None  # a bare name resolves like a parameter
        inputs.append(
            InputSpec(param=None, name=key, key=explicit, partition_mapping=dep.partition_mapping)
        )
    return AssetsDefinition(
        fn=func,
        name=name,
        specs=specs,
        inputs=inputs,
        context_param=context_param,
        resource_params=resource_params,
        config_param=config_param,
        partitions_def=partitions_def,
        backfill_policy=backfill_policy,
    )


def _param_key(param: str, asset_name: str, func: Callable[..., Any]) -> AssetKey:
    try:
        return AssetKey((param,))
    except DefinitionError as exc:  # pragma: no cover - Python identifiers are valid key parts
        raise DefinitionError(f"Asset '{asset_name}' ({source_location(func)}): {exc}") from exc
