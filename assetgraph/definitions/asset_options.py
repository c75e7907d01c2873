"""Checks of what ``@asset``, ``@multi_asset`` and source assets are given.

Each function takes one option as the user wrote it and returns it checked and
normalized, or raises a ``DefinitionError`` naming the asset and the option at fault.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.assets import (
    DEFAULT_GROUP,
    AssetsDefinition,
    as_prefix,
    source_location,
)
from assetgraph.definitions.backfill import BackfillPolicy
from assetgraph.definitions.check_specs import AssetCheckSpec
from assetgraph.definitions.config_schema import as_field
from assetgraph.definitions.retry import RetryPolicy
from assetgraph.definitions.schemas import is_pandera_schema
from assetgraph.definitions.specs import kind_tags
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.partitions.definitions import PartitionsDefinition

if TYPE_CHECKING:
    from assetgraph.definitions.policies import AutomationPolicy


def check_callable(func: object, decorator: str) -> None:
    if not callable(func):
        raise DefinitionError(
            f"{decorator} must decorate a function, got {type(func).__name__} {func!r}."
        )


def full_key(
    key: CoercibleToAssetKey | None,
    name: str | None,
    key_prefix: str | Sequence[str] | None,
    func: Callable[..., Any],
) -> AssetKey:
    """``key`` when given (exclusive with ``name``/``key_prefix``, as in Dagster)."""
    if key is None:
        return AssetKey((*as_prefix(key_prefix), name or func.__name__))
    if name is not None or key_prefix is not None:
        raise DefinitionError(
            f"Asset '{func.__name__}' ({source_location(func)}): Cannot specify a name or key "
            "prefix for @asset when the key argument is provided."
        )
    return AssetKey.from_user(key)


def check_kinds(
    kinds: Iterable[str] | None, compute_kind: str | None, asset_name: str
) -> dict[str, str]:
    """The ``dagster/kind/...`` tags of ``kinds`` (at most three, as Dagster allows)."""
    if compute_kind is not None and kinds:
        raise DefinitionError(
            f"Asset '{asset_name}': Cannot specify compute_kind and kinds on the @asset decorator."
        )
    if compute_kind is not None and not isinstance(compute_kind, str):
        raise DefinitionError(f"Asset '{asset_name}': compute_kind must be a string.")
    if isinstance(kinds, str):
        kinds = [kinds]
    names = list(dict.fromkeys(kinds or ()))
    if len(names) > 3:
        raise DefinitionError(
            f"Asset '{asset_name}': Assets can have at most three kinds currently "
            f"(got {', '.join(map(str, names))})."
        )
    if not all(isinstance(kind, str) and kind for kind in names):
        raise DefinitionError(f"Asset '{asset_name}': each of kinds must be a non-empty string.")
    # compute_kind is also shown as a kind, as @multi_asset records it.
    return kind_tags(names or ([compute_kind] if compute_kind else []))


def check_group(group: str | None, asset_name: str) -> str:
    group = group or DEFAULT_GROUP
    if not isinstance(group, str) or not group.replace("_", "").replace("-", "").isalnum():
        raise DefinitionError(
            f"Asset '{asset_name}': invalid group name {group!r}; use letters, digits, '_' and '-'."
        )
    return group


def check_tags(tags: Mapping[str, str] | None, asset_name: str) -> dict[str, str]:
    checked: dict[str, str] = {}
    for tag_key, tag_value in (tags or {}).items():
        if not isinstance(tag_key, str) or not isinstance(tag_value, str):
            raise DefinitionError(
                f"Asset '{asset_name}': tag {tag_key!r}: {tag_value!r} must map a string to a "
                "string."
            )
        checked[tag_key] = tag_value
    return checked


def check_schema(schema: Any, asset_name: str) -> Any:
    if schema is None:
        return None
    if not is_pandera_schema(schema):
        raise DefinitionError(
            f"Asset '{asset_name}': schema= must be a pandera DataFrameSchema or a "
            f"DataFrameModel class, got {type(schema).__name__} {schema!r}."
        )
    return schema


def check_partitioning(
    name: str,
    func: Callable[..., Any],
    partitions_def: object,
    backfill_policy: object,
) -> None:
    if partitions_def is not None and not isinstance(partitions_def, PartitionsDefinition):
        raise DefinitionError(
            f"Asset '{name}' ({source_location(func)}): partitions_def must be a partitions "
            f"definition such as DailyPartitionsDefinition(...), got "
            f"{type(partitions_def).__name__}."
        )
    if backfill_policy is not None and not isinstance(backfill_policy, BackfillPolicy):
        raise DefinitionError(
            f"Asset '{name}': backfill_policy must be a BackfillPolicy, got "
            f"{type(backfill_policy).__name__}."
        )


def legacy_automation_policy(policy: object, asset_name: str) -> AutomationPolicy | None:
    """Dagster's ``auto_materialize_policy=``, mapped to an automation policy (warns)."""
    if policy is None:
        return None
    # automation.legacy sits above definitions/ (a known exception in pyproject.toml).
    from assetgraph.automation.legacy import automation_policy_for

    return automation_policy_for(policy, asset_name)


def with_step_options(
    built: AssetsDefinition, retry_policy: object, pool: object
) -> AssetsDefinition:
    """Attach how the step runs: its retry policy and its concurrency pool."""
    if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
        raise DefinitionError(
            f"Asset '{built.name}': retry_policy must be a RetryPolicy, got "
            f"{type(retry_policy).__name__}."
        )
    if pool is not None and (not isinstance(pool, str) or not pool.strip()):
        raise DefinitionError(f"Asset '{built.name}': pool must be a non-empty name, got {pool!r}.")
    built.retry_policy = retry_policy
    built.pool = pool
    return built


def check_resource_keys(keys: Iterable[str] | None, asset_name: str) -> frozenset[str]:
    """Dagster's ``required_resource_keys``: resources the asset reads from its context."""
    if keys is None:
        return frozenset()
    if isinstance(keys, str) or not all(isinstance(k, str) and k for k in keys):
        raise DefinitionError(
            f"Asset '{asset_name}': required_resource_keys must be a set of resource names, "
            f"such as {{'db'}}; got {keys!r}."
        )
    return frozenset(keys)


def check_own_check_specs(specs: Sequence[Any] | None, built: AssetsDefinition) -> tuple[Any, ...]:
    """``check_specs`` of an asset: each an ``AssetCheckSpec`` on one of its keys, names unique."""
    if not specs:
        return ()
    seen: set[str] = set()
    for spec in specs:
        if not isinstance(spec, AssetCheckSpec):
            raise DefinitionError(
                f"Asset '{built.name}': check_specs must hold AssetCheckSpec objects, got "
                f"{type(spec).__name__}."
            )
        if spec.asset_key not in built.keys:
            raise DefinitionError(
                f"Asset '{built.name}': check spec '{spec.name}' is on asset '{spec.asset_key}', "
                f"which this definition does not materialize "
                f"({', '.join(k.to_string() for k in built.keys)})."
            )
        if spec.check_key in seen:
            raise DefinitionError(
                f"Asset '{built.name}': check spec '{spec.check_key}' given twice."
            )
        if spec.partitions_def is not None and spec.partitions_def != built.partitions_def:
            raise DefinitionError(
                f"Asset '{built.name}': check spec '{spec.check_key}' has partitions_def="
                f"{spec.partitions_def!r}, not the asset's ({built.partitions_def!r}): a check "
                "runs with its asset, once per partition; give it the asset's partitions_def."
            )
        seen.add(spec.check_key)
    return tuple(specs)


def check_config_schema(schema: Any, built: AssetsDefinition) -> Any:
    """Dagster's ``config_schema`` of an asset, as a ``Field``; None when not given.

    An asset reads its config either from ``context.op_config`` (``config_schema``) or
    from a ``Config`` parameter, not both, as in Dagster.
    """
    if schema is None:
        return None
    if built.config_param is not None:
        raise DefinitionError(
            f"Asset '{built.name}' has both config_schema= and a Config parameter "
            f"('{built.config_param[0]}'): keep one."
        )
    try:
        return as_field(schema)
    except DefinitionError as exc:
        raise DefinitionError(f"Asset '{built.name}': config_schema: {exc}") from None


def docstring(func: Callable[..., Any]) -> str | None:
    doc = inspect.getdoc(func)
    return doc or None
