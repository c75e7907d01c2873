"""assetgraph: assets from parameter names, partitioned materialization, staleness, freshness.

This module is the whole public API. Names are resolved on first use, so that
``import assetgraph`` stays cheap; anything not listed in ``__all__`` may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # definitions
    "AssetKey": "assetgraph.keys",
    "asset": "assetgraph.assets",
    "multi_asset": "assetgraph.assets",
    "AssetIn": "assetgraph.assets",
    "AssetOut": "assetgraph.assets",
    "AssetSpec": "assetgraph.assets",
    "AssetsDefinition": "assetgraph.assets",
    "Definitions": "assetgraph.definitions",
    "AssetGraph": "assetgraph.graph",
    "load_definitions": "assetgraph.code_location",
    "Config": "assetgraph.config",
    "ConfigurableResource": "assetgraph.config",
    "Output": "assetgraph.outputs",
    "DataVersion": "assetgraph.outputs",
    "AssetExecutionContext": "assetgraph.context",
    "IOManager": "assetgraph.io",
    "InputContext": "assetgraph.io",
    "OutputContext": "assetgraph.io",
    # selection and planning
    "select_assets": "assetgraph.selection",
    "ExecutionPlan": "assetgraph.planner",
    # execution
    "materialize": "assetgraph.execution.materialize",
    "MaterializeResult": "assetgraph.execution.result",
    # storage
    "Instance": "assetgraph.storage.instance",
    "RunStatus": "assetgraph.storage.records",
    # errors
    "AssetgraphError": "assetgraph.errors",
    "DefinitionError": "assetgraph.errors",
    "CodeLocationLoadError": "assetgraph.errors",
    "UsageError": "assetgraph.errors",
    "SelectionError": "assetgraph.errors",
    "RunConfigError": "assetgraph.errors",
    "ResourceError": "assetgraph.errors",
    "StepFailure": "assetgraph.errors",
    "RunFailure": "assetgraph.errors",
    "StorageError": "assetgraph.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assetgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from assetgraph.assets import AssetIn, AssetOut, AssetsDefinition, AssetSpec, asset, multi_asset
    from assetgraph.code_location import load_definitions
    from assetgraph.config import Config, ConfigurableResource
    from assetgraph.context import AssetExecutionContext
    from assetgraph.definitions import Definitions
    from assetgraph.errors import (
        AssetgraphError,
        CodeLocationLoadError,
        DefinitionError,
        ResourceError,
        RunConfigError,
        RunFailure,
        SelectionError,
        StepFailure,
        StorageError,
        UsageError,
    )
    from assetgraph.execution.materialize import materialize
    from assetgraph.execution.result import MaterializeResult
    from assetgraph.graph import AssetGraph
    from assetgraph.io import InputContext, IOManager, OutputContext
    from assetgraph.keys import AssetKey
    from assetgraph.outputs import DataVersion, Output
    from assetgraph.planner import ExecutionPlan
    from assetgraph.selection import select_assets
    from assetgraph.storage.instance import Instance
    from assetgraph.storage.records import RunStatus
