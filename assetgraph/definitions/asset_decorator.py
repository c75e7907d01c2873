"""``@asset``: declare a function as the definition of one asset.

The options are checked by ``assetgraph.definitions.asset_options``; the parameters
become the asset's lineage in ``assetgraph.definitions.parameters``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from assetgraph.definitions.asset_options import (
    check_callable,
    check_config_schema,
    check_group,
    check_kinds,
    check_own_check_specs,
    check_resource_keys,
    check_schema,
    check_tags,
    docstring,
    full_key,
    legacy_automation_policy,
    with_step_options,
)
from assetgraph.definitions.assets import (
    DEFAULT_IO_MANAGER_KEY,
    AssetIn,
    AssetOutputSpec,
    AssetsDefinition,
)
from assetgraph.definitions.automation_condition import check_automation_condition
from assetgraph.definitions.legacy_freshness import one_freshness_policy
from assetgraph.definitions.parameters import definition_from_function
from assetgraph.definitions.policies import check_policies
from assetgraph.definitions.signatures import annotated_schema
from assetgraph.keys import CoercibleToAssetKey

if TYPE_CHECKING:
    from assetgraph.definitions.automation_condition import AutomationCondition
    from assetgraph.definitions.backfill import BackfillPolicy
    from assetgraph.definitions.policies import AutomationPolicy, FreshnessPolicy
    from assetgraph.definitions.retry import RetryPolicy
    from assetgraph.partitions.definitions import PartitionsDefinition

F = TypeVar("F", bound=Callable[..., Any])


@overload
def asset(fn: F, /) -> AssetsDefinition: ...


@overload
def asset(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group: str | None = None,
    group_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    owners: Sequence[str] | None = None,
    code_version: str | None = None,
    io_manager_key: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
    schema: Any = None,
    retry_policy: RetryPolicy | None = None,
    pool: str | None = None,
    freshness_policy: FreshnessPolicy | None = None,
    automation_policy: AutomationPolicy | None = None,
    automation_condition: AutomationCondition | None = None,
    # Dagster names: see assetgraph.automation.legacy and Definitions.
    required_resource_keys: Iterable[str] | None = None,
    auto_materialize_policy: Any = None,
    legacy_freshness_policy: FreshnessPolicy | None = None,
    # Dagster names: the full key, kinds, and the checks the asset reports.
    key: CoercibleToAssetKey | None = None,
    compute_kind: str | None = None,
    kinds: Iterable[str] | None = None,
    check_specs: Sequence[Any] | None = None,
    config_schema: Any = None,
    dagster_type: Any = None,
    output_required: bool = True,
    non_argument_deps: Iterable[Any] | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]: ...


def asset(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    group: str | None = None,
    group_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    owners: Sequence[str] | None = None,
    code_version: str | None = None,
    io_manager_key: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
    schema: Any = None,
    retry_policy: RetryPolicy | None = None,
    pool: str | None = None,
    freshness_policy: FreshnessPolicy | None = None,
    automation_policy: AutomationPolicy | None = None,
    automation_condition: AutomationCondition | None = None,
    # Dagster names: see assetgraph.automation.legacy and Definitions.
    required_resource_keys: Iterable[str] | None = None,
    auto_materialize_policy: Any = None,
    legacy_freshness_policy: FreshnessPolicy | None = None,
    # Dagster names: the full key, kinds, and the checks the asset reports.
    key: CoercibleToAssetKey | None = None,
    compute_kind: str | None = None,
    kinds: Iterable[str] | None = None,
    check_specs: Sequence[Any] | None = None,
    config_schema: Any = None,
    dagster_type: Any = None,
    output_required: bool = True,
    non_argument_deps: Iterable[Any] | None = None,
) -> AssetsDefinition | Callable[[Callable[..., Any]], AssetsDefinition]:
    """Declare a function as the definition of one asset.

    The asset key is ``key_prefix + (name or the function's name)``. Parameters name the
    upstream assets (see the module docstring); ``ins`` renames or tunes them and ``deps``
    adds upstreams that are only ordered before this one, not loaded. ``group_name`` is
    accepted as Dagster's spelling of ``group``. ``partitions_def`` splits the asset into
    partitions; ``backfill_policy`` says how many of them one step materializes.
    ``schema`` (a pandera ``DataFrameSchema`` or ``DataFrameModel``; by default the model
    of a ``pandera.typing.DataFrame[Model]`` return annotation) is validated before the
    value is stored. ``retry_policy`` retries a failed step; ``pool`` names a concurrency
    pool whose limit (``Definitions(pools={...})``) caps how many of its steps run at
    once, across runs. ``freshness_policy`` bounds how old the asset's data may be and
    ``automation_policy`` (assetgraph's) or ``automation_condition`` (Dagster's
    ``AutomationCondition``) says when ``assetgraph automate`` builds it;
    ``legacy_freshness_policy`` is Dagster's spelling of a ``maximum_lag_minutes`` policy.
    ``config_schema`` (Dagster's config types, ``assetgraph.definitions.config_schema``)
    checks the asset's run config, which the function reads as ``context.op_config``.
    ``dagster_type`` (a ``DagsterType``) checks the value before it is stored.
    ``output_required=False`` lets the function yield no ``Output``: the asset is then not
    materialized and the assets downstream of it are skipped. ``non_argument_deps`` is
    Dagster's older spelling of ``deps``.
    """

    def decorate(func: Callable[..., Any]) -> AssetsDefinition:
        check_callable(func, "@asset")
        asset_key = full_key(key, name, key_prefix, func)
        asset_name = asset_key.name if key is not None else (name or func.__name__)
        freshness = one_freshness_policy(
            freshness_policy, legacy_freshness_policy, f"@asset '{asset_name}'"
        )
        check_policies(asset_name, freshness, automation_policy, partitions_def)
        check_automation_condition(asset_name, automation_condition, automation_policy)
        legacy_policy = legacy_automation_policy(auto_materialize_policy, asset_name)
        spec = AssetOutputSpec(
            key=asset_key,
            output_name="result",
            group=check_group(group or group_name, asset_name),
            tags={
                **check_tags(tags, asset_name),
                **check_kinds(kinds, compute_kind, asset_name),
            },
            description=description if description is not None else docstring(func),
            metadata=dict(metadata or {}),
            owners=tuple(owners or ()),
            code_version=code_version,
            io_manager_key=io_manager_key or DEFAULT_IO_MANAGER_KEY,
            schema=(
                check_schema(schema, asset_name) if schema is not None else annotated_schema(func)
            ),
            freshness_policy=freshness,
            automation_policy=automation_policy or legacy_policy,
            automation_condition=automation_condition,
            dagster_type=dagster_type,
            is_required=bool(output_required),
        )
        all_deps = [*(deps or ()), *(non_argument_deps or ())]
        built = definition_from_function(
            func, asset_name, [spec], ins, all_deps or deps, partitions_def, backfill_policy
        )
        built = with_step_options(built, retry_policy, pool)
        built.required_resource_keys = check_resource_keys(required_resource_keys, asset_name)
        built.compute_kind = compute_kind
        built.check_specs = check_own_check_specs(check_specs, built)
        built.config_schema = check_config_schema(config_schema, built)
        return built

    if fn is not None:
        return decorate(fn)
    return decorate
