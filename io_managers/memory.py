"""An IO manager that keeps values in this process's memory: for tests and notebooks."""

from __future__ import annotations

from typing import Any

from assetgraph.definitions.resource_functions import IOManagerDefinition
from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.keys import AssetKey


class InMemoryIOManager(IOManager):
    """Holds each (asset, partition) value in a dict; nothing survives the process."""

    def __init__(self) -> None:
        self.values: dict[tuple[AssetKey, str | None], Any] = {}

    def host_local_storage(self) -> str | None:
        return "the memory of the process that runs each step"

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.values[(context.asset_key, context.partition_key)] = obj

    def load_input(self, context: InputContext) -> Any:
        if len(context.partition_keys) > 1:  # several partitions: a dict by key, as pickle
            return {key: self._load_one(context.asset_key, key) for key in context.partition_keys}
        return self._load_one(context.asset_key, context.partition_key)

    def _load_one(self, asset_key: AssetKey, partition_key: str | None) -> Any:
        slot = (asset_key, partition_key)
        if slot not in self.values:
            where = f" partition '{partition_key}'" if partition_key else ""
            raise StorageError(
                f"No value in memory for asset '{asset_key}'{where}: the in-memory IO "
                "manager keeps values only for the process that materialized them."
            )
        return self.values[slot]


def _in_memory_io_manager(init_context: Any) -> InMemoryIOManager:
    return InMemoryIOManager()


mem_io_manager = IOManagerDefinition(
    _in_memory_io_manager, description="Dagster's mem_io_manager: an InMemoryIOManager."
)
"""Dagster's older ``mem_io_manager``: a new ``InMemoryIOManager`` for each run."""
