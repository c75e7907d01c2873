"""Dagster's ``build_input_context`` and ``build_output_context``: IO manager contexts for
unit tests of an IO manager's ``load_input`` and ``handle_output``.

Resources given as ``@resource`` definitions are built now. When one of them ``yield``s
its value, as in Dagster, the context must be used as a context manager (``with
build_output_context(resources=...) as context:``): reading ``context.resources``
outside the block is a ``DagsterInvariantViolationError``, and the resource is torn down
when the block exits (or when the context is dropped).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

from assetgraph.definitions.resource_functions import InitResourceContext, ResourceDefinition
from assetgraph.errors import DagsterInvariantViolationError
from assetgraph.io import InputContext, OutputContext
from assetgraph.keys import AssetKey, CoercibleToAssetKey
from assetgraph.partitions.key_range import PartitionKeyRange


def build_output_context(
    step_key: str | None = None,
    name: str | None = None,
    definition_metadata: Mapping[str, Any] | None = None,
    run_id: str | None = None,
    config: Any = None,
    dagster_type: Any = None,
    version: str | None = None,
    resource_config: Any = None,
    resources: Mapping[str, Any] | None = None,
    asset_key: CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partitions_def: Any = None,
    metadata: Mapping[str, Any] | None = None,
) -> OutputContext:
    """An ``OutputContext`` for calling ``handle_output`` directly (Dagster's).

    Without ``asset_key`` the context's key is the output's ``name`` (or ``step_key``).
    """
    built, teardown = _built_resources(resources)
    context = _BuiltOutputContext(
        asset_key=_key(asset_key, name or step_key),
        run_id=run_id or "EPHEMERAL",
        step_key=step_key or "build_output_context",
        resources=built,
        metadata=dict(definition_metadata or metadata or {}),
        partition_key=partition_key,
        partitions_def=asset_partitions_def,
        name=name or "result",
        config=config,
        resource_config=resource_config,
        dagster_type=dagster_type,
    )
    context.teardown.extend(teardown)
    context.__dict__["generators"] = bool(teardown)
    return context


def build_input_context(
    name: str | None = None,
    config: Any = None,
    definition_metadata: Mapping[str, Any] | None = None,
    upstream_output: OutputContext | None = None,
    dagster_type: Any = None,
    resource_config: Any = None,
    resources: Mapping[str, Any] | None = None,
    asset_key: CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partition_key_range: PartitionKeyRange | None = None,
    asset_partitions_def: Any = None,
    instance: Any = None,
    metadata: Mapping[str, Any] | None = None,
) -> InputContext:
    """An ``InputContext`` for calling ``load_input`` directly (Dagster's).

    Without ``asset_key`` the key is ``upstream_output``'s, else the input's ``name``.
    """
    built, teardown = _built_resources(resources)
    if asset_key is None and upstream_output is not None:
        key = upstream_output.asset_key
    else:
        key = _key(asset_key, name)
    keys: tuple[str, ...] = ()
    if asset_partition_key_range is not None and asset_partitions_def is not None:
        keys = tuple(asset_partitions_def.get_partition_keys_in_range(asset_partition_key_range))
    context = _BuiltInputContext(
        asset_key=key,
        run_id="EPHEMERAL",
        resources=built,
        metadata=dict(definition_metadata or metadata or {}),
        partition_key=partition_key,
        partition_keys=keys,
        partition_key_range=asset_partition_key_range,
        partitions_def=asset_partitions_def,
        name=name,
        upstream_output=upstream_output,
        config=config,
        resource_config=resource_config,
        dagster_type=dagster_type,
    )
    context.teardown.extend(teardown)
    context.__dict__["generators"] = bool(teardown)
    return context


def _scoped_resources(context: Any, slot: Any, builder: str) -> Any:
    state = context.__dict__
    if state.get("generators") and not state.get("entered"):
        raise DagsterInvariantViolationError(
            "At least one provided resource is a generator, but attempting to access "
            "resources outside of context manager scope. You can use the following syntax to "
            f"open a context manager: `with {builder}(...) as context:`"
        )
    return slot.__get__(context)


class _BuiltOutputContext(OutputContext):
    """An ``OutputContext`` made by ``build_output_context``: see the module docstring."""

    resources = property(
        lambda self: _scoped_resources(self, _OUTPUT_RESOURCES, "build_output_context"),
        lambda self, value: _OUTPUT_RESOURCES.__set__(self, value),
    )

    def __enter__(self) -> Any:
        self.__dict__["entered"] = True
        return self

    def __del__(self) -> None:
        self.__exit__()


class _BuiltInputContext(InputContext):
    """An ``InputContext`` made by ``build_input_context``: see the module docstring."""

    resources = property(
        lambda self: _scoped_resources(self, _INPUT_RESOURCES, "build_input_context"),
        lambda self, value: _INPUT_RESOURCES.__set__(self, value),
    )

    def __enter__(self) -> Any:
        self.__dict__["entered"] = True
        return self

    def __del__(self) -> None:
        self.__exit__()


_OUTPUT_RESOURCES: Any = OutputContext.__dict__["resources"]
_INPUT_RESOURCES: Any = InputContext.__dict__["resources"]


def _key(asset_key: CoercibleToAssetKey | None, fallback: str | None) -> AssetKey:
    if asset_key is not None:
        return AssetKey.from_user(asset_key)
    return AssetKey((fallback or "result",))


def _built_resources(
    resources: Mapping[str, Any] | None,
) -> tuple[SimpleNamespace, list[Callable[[], None]]]:
    """The resources by name, ``@resource`` definitions built; what tears them down."""
    built: dict[str, Any] = {}
    teardown: list[Callable[[], None]] = []
    for name, value in (resources or {}).items():
        if not isinstance(value, ResourceDefinition):
            built[name] = value
            continue
        context = InitResourceContext(
            resource_config=value.resource_config(name), resources=built, resource_name=name
        )
        takes_context = bool(inspect.signature(value.resource_fn).parameters)
        made = value.resource_fn(context) if takes_context else value.resource_fn()
        if inspect.isgenerator(made):
            generator = made
            made = next(generator)
            teardown.append(functools.partial(_finish, generator))
        built[name] = made
    return SimpleNamespace(**built), teardown


def _finish(generator: Any) -> None:
    try:
        next(generator)
    except StopIteration:
        return
