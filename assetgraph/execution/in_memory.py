"""``materialize_to_memory``: Dagster's test helper, a run whose values stay in memory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.asset_selection import AssetSelection
from assetgraph.definitions.assets import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.definitions import Definitions, is_io_manager
from assetgraph.errors import DefinitionError
from assetgraph.execution.materialize import SelectionArg, as_definitions, materialize
from assetgraph.execution.result import ExecuteInProcessResult
from assetgraph.io_registry import io_manager_class
from assetgraph.storage.instance import Instance

if TYPE_CHECKING:
    from assetgraph.definitions.config import RunConfig


def materialize_to_memory(
    assets: Definitions | Sequence[AssetsDefinition | AssetChecksDefinition],
    run_config: Mapping[str, Any] | RunConfig | None = None,
    instance: Instance | None = None,
    resources: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    selection: SelectionArg | AssetSelection = None,
    *,
    current_time: datetime | None = None,
) -> ExecuteInProcessResult:
    """Materialize ``assets`` in this process, every IO manager replaced by one in memory.

    As Dagster's: nothing is written to disk (the run is still recorded in ``instance``,
    an ephemeral one by default), ``result.output_for(key)`` reads the values back, a failed
    run raises unless ``raise_on_error=False``, and ``resources`` may not hold an IO manager
    (this function replaces them all).
    """
    given_io_managers = sorted(
        name for name, value in (resources or {}).items() if is_io_manager(value)
    )
    if given_io_managers:
        raise DefinitionError(
            "materialize_to_memory: resources "
            + ", ".join(repr(name) for name in given_io_managers)
            + " are IO managers; materialize_to_memory replaces every IO manager with an "
            "in-memory one. Leave them out, or call materialize() to use them."
        )
    defs = as_definitions(assets, resources)
    io_keys = {DEFAULT_IO_MANAGER_KEY, *defs.io_managers}
    io_keys.update(spec.io_manager_key for assets_def in defs.assets for spec in assets_def.specs)
    memory = io_manager_class("memory")()
    in_memory = defs.with_resources(dict.fromkeys(sorted(io_keys), memory))
    return materialize(
        in_memory,
        selection=selection,
        instance=instance,
        run_config=run_config,
        tags=tags,
        raise_on_error=raise_on_error,
        partition_key=partition_key,
        current_time=current_time,
    )
