"""``@multi_asset``: one function that materializes several assets, as Dagster declares it.

Outputs come from ``outs={name: AssetOut(...)}`` or from ``specs=[AssetSpec(...)]`` (the
output name of a spec is its key as a Python identifier, parts joined by ``__``).
``can_subset=True`` lets a run build only the selected outputs: the function reads
``context.selected_output_names`` / ``context.selected_asset_keys`` and returns only
those. ``internal_asset_deps`` (or each spec's ``deps``) say which upstream keys each
output depends on, when that is fewer than all of the function's inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.asset_options import (
    check_callable,
    check_group,
    check_own_check_specs,
    check_resource_keys,
    check_schema,
    check_tags,
    with_step_options,
)
from assetgraph.definitions.assets import (
    DEFAULT_IO_MANAGER_KEY,
    AssetIn,
    AssetOut,
    AssetOutputSpec,
    AssetsDefinition,
    as_prefix,
)
from assetgraph.definitions.automation_condition import check_automation_condition
from assetgraph.definitions.parameters import definition_from_function
from assetgraph.definitions.policies import check_policies
from assetgraph.definitions.specs import AssetSpec, as_asset_deps, kind_tags
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.definitions.automation_condition import AutomationCondition
    from assetgraph.definitions.backfill import BackfillPolicy
    from assetgraph.definitions.policies import AutomationPolicy, FreshnessPolicy
    from assetgraph.definitions.retry import RetryPolicy
    from assetgraph.partitions.definitions import PartitionsDefinition


def multi_asset(
    *,
    outs: Mapping[str, AssetOut] | None = None,
    specs: Sequence[AssetSpec] | None = None,
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    description: str | None = None,
    can_subset: bool = False,
    internal_asset_deps: Mapping[str, set[AssetKey]] | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group: str | None = None,
    group_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    op_tags: Mapping[str, Any] | None = None,
    compute_kind: str | None = None,
    code_version: str | None = None,
    io_manager_key: str | None = None,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
    retry_policy: RetryPolicy | None = None,
    pool: str | None = None,
    freshness_policy: FreshnessPolicy | None = None,
    automation_policy: AutomationPolicy | None = None,
    automation_condition: AutomationCondition | None = None,
    required_resource_keys: Iterable[str] | None = None,  # read as context.resources.<key>
    check_specs: Sequence[Any] | None = None,  # checks the function reports on
) -> Callable[[Callable[..., Any]], AssetsDefinition]:
    """Declare a function that materializes several assets in one step.

    The function returns one value per output, as a tuple in the order of ``outs``, or
    yields/returns ``Output(value, output_name=...)`` objects. An output's key is
    ``AssetOut.key``, else ``key_prefix + (output name,)``. An output with
    ``is_required=False`` (a spec with ``skippable=True``) may be left out. With
    ``can_subset=True`` a run that selects some of the keys runs the function for those
    only; returning an unselected output is then an error (as in Dagster since 1.8).
    ``tags`` are asset tags; ``op_tags`` are accepted and not used. ``compute_kind``
    is recorded as a kind of every output. ``freshness_policy``,
    ``automation_policy`` and ``automation_condition`` apply to every output that does not
    set its own.
    """
    if bool(outs) == bool(specs):
        raise DefinitionError(
            "@multi_asset needs its outputs in exactly one of outs={name: AssetOut(...)} or "
            "specs=[AssetSpec(...)]."
        )

    def decorate(func: Callable[..., Any]) -> AssetsDefinition:
        check_callable(func, "@multi_asset")
        op_name = name or func.__name__
        shared = _Shared(
            key_prefix=as_prefix(key_prefix),
            group=group or group_name,
            tags={**(tags or {}), **kind_tags([compute_kind] if compute_kind else ())},
            code_version=code_version,
            io_manager_key=io_manager_key,
            freshness_policy=freshness_policy,
            automation_policy=automation_policy,
            partitions_def=partitions_def,
            automation_condition=automation_condition,
        )
        pdef = partitions_def
        internal: dict[str, set[AssetKey]] = {}
        all_deps = list(as_asset_deps(deps, f"@multi_asset '{op_name}': deps=[...]"))
        if outs:
            built_specs = [_spec_from_out(op_name, n, out, shared) for n, out in outs.items()]
        else:
            built_specs = []
            for spec in specs or ():
                built_specs.append(_spec_from_asset_spec(op_name, spec, shared))
                pdef = _same_partitions(op_name, pdef, spec)
                if not ins:  # with loaded inputs too, every output reads all of them
                    internal[built_specs[-1].output_name] = {d.asset_key for d in spec.deps}
                all_deps.extend(dep for dep in spec.deps if dep not in all_deps)
        for output_name, keys in (internal_asset_deps or {}).items():
            internal[output_name] = {AssetKey.from_user(key) for key in keys}
        _check_unique_keys(op_name, built_specs)
        built = definition_from_function(
            func, op_name, built_specs, ins, all_deps, pdef, backfill_policy
        )
        built.__doc__ = description or built.__doc__
        built.can_subset = bool(can_subset)
        built.outputs_from_specs = not outs
        built.internal_deps = _internal_deps(op_name, built_specs, internal)
        built = with_step_options(built, retry_policy, pool)
        built.required_resource_keys = check_resource_keys(required_resource_keys, op_name)
        built.check_specs = check_own_check_specs(check_specs, built)
        return built

    return decorate


class _Shared:
    """What the multi-asset declares for every output that does not declare its own."""

    def __init__(self, **fields: Any) -> None:
        self.key_prefix: tuple[str, ...] = fields["key_prefix"]
        self.group: str | None = fields["group"]
        self.tags: dict[str, str] = fields["tags"]
        self.code_version: str | None = fields["code_version"]
        self.io_manager_key: str | None = fields["io_manager_key"]
        self.freshness_policy: FreshnessPolicy | None = fields["freshness_policy"]
        self.automation_policy: AutomationPolicy | None = fields["automation_policy"]
        self.partitions_def: PartitionsDefinition | None = fields["partitions_def"]
        self.automation_condition: AutomationCondition | None = fields["automation_condition"]


def _spec_from_out(op_name: str, output_name: str, out: Any, shared: _Shared) -> AssetOutputSpec:
    if not isinstance(out, AssetOut):
        raise DefinitionError(
            f"@multi_asset '{op_name}': outs['{output_name}'] must be an AssetOut, "
            f"got {type(out).__name__}."
        )
    if out.key is not None:
        key = AssetKey.from_user(out.key)
    else:
        prefix = as_prefix(out.key_prefix) if out.key_prefix is not None else shared.key_prefix
        key = AssetKey((*prefix, output_name))
    out_freshness = out.freshness_policy or shared.freshness_policy
    # An output's own policy or condition wins over the multi-asset's (either kind).
    out_condition = out.automation_condition or (
        shared.automation_condition if out.automation_policy is None else None
    )
    out_automation = out.automation_policy or (
        shared.automation_policy if out_condition is None else None
    )
    check_policies(key.to_string(), out_freshness, out_automation, shared.partitions_def)
    check_automation_condition(key.to_string(), out_condition, out_automation)
    return AssetOutputSpec(
        key=key,
        output_name=output_name,
        group=check_group(out.group or out.group_name or shared.group, key.to_string()),
        tags=check_tags(
            {**shared.tags, **(out.tags or {}), **kind_tags(out.kinds)}, key.to_string()
        ),
        description=out.description,
        metadata=dict(out.metadata or {}),
        owners=tuple(out.owners or ()),
        code_version=out.code_version or shared.code_version,
        io_manager_key=out.io_manager_key or shared.io_manager_key or DEFAULT_IO_MANAGER_KEY,
        schema=check_schema(out.schema, key.to_string()),
        freshness_policy=out_freshness,
        automation_policy=out_automation,
        automation_condition=out_condition,
        is_required=bool(out.is_required),
        dagster_type=out.dagster_type,
    )


def _spec_from_asset_spec(op_name: str, spec: Any, shared: _Shared) -> AssetOutputSpec:
    if not isinstance(spec, AssetSpec):
        raise DefinitionError(
            f"@multi_asset '{op_name}': specs=[...] must hold AssetSpec objects, got "
            f"{type(spec).__name__} {spec!r}."
        )
    key = spec.key
    condition = spec.automation_condition or shared.automation_condition
    policy = None if condition is not None else shared.automation_policy
    check_automation_condition(key.to_string(), condition, policy)
    return AssetOutputSpec(
        key=key,
        output_name=output_name_of(key),
        group=check_group(spec.group_name or shared.group, key.to_string()),
        tags=check_tags({**shared.tags, **spec.tags_with_kinds}, key.to_string()),
        description=spec.description,
        metadata=dict(spec.metadata),
        owners=spec.owners,
        code_version=spec.code_version or shared.code_version,
        io_manager_key=shared.io_manager_key or DEFAULT_IO_MANAGER_KEY,
        freshness_policy=shared.freshness_policy,
        automation_policy=policy,
        automation_condition=condition,
        is_required=not spec.skippable,
    )


def output_name_of(key: AssetKey) -> str:
    """Dagster's output name for a spec's key: its parts joined by ``__``, as an identifier."""
    return "__".join(key.path).replace("-", "_").replace(".", "_")


def _same_partitions(op_name: str, pdef: Any, spec: AssetSpec) -> Any:
    if spec.partitions_def is None or spec.partitions_def is pdef:
        return pdef
    if pdef is not None and spec.partitions_def != pdef:
        raise DefinitionError(
            f"@multi_asset '{op_name}': AssetSpec('{spec.key}') has a partitions_def that "
            "differs from the multi-asset's; every output of one function shares its partitions."
        )
    return spec.partitions_def


def _check_unique_keys(op_name: str, specs: Sequence[AssetOutputSpec]) -> None:
    seen: set[AssetKey] = set()
    for spec in specs:
        if spec.key in seen:
            raise DefinitionError(f"@multi_asset '{op_name}' declares the key '{spec.key}' twice.")
        seen.add(spec.key)


def _internal_deps(
    op_name: str, specs: Sequence[AssetOutputSpec], internal: Mapping[str, set[AssetKey]]
) -> dict[AssetKey, frozenset[AssetKey]]:
    """Output key -> its upstream keys, from output names; unknown names are refused."""
    by_name = {spec.output_name: spec.key for spec in specs}
    found: dict[AssetKey, frozenset[AssetKey]] = {}
    for output_name, keys in internal.items():
        if output_name not in by_name:
            raise DefinitionError(
                f"@multi_asset '{op_name}': internal_asset_deps names '{output_name}', which is "
                f"not one of its outputs ({', '.join(by_name)})."
            )
        found[by_name[output_name]] = frozenset(keys)
    return found
