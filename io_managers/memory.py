"""An IO manager that keeps values in this process's memory: for tests and notebooks."""

from __future__ import annotations

from typing import Any

from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.keys import AssetKey


class InMemoryIOManager(IOManager):
    """Holds each (asset, partition) value in a dict; nothing survives the process."""

    def __init__(self) -> None:
        self.values: dict[tuple[AssetKey, str | None], Any] = {}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.values[(context.asset_key, context.partition_key)] = obj

    def load_input(self, context: InputContext) -> Any:
        slot = (context.asset_key, context.partition_key)
        if slot not in self.values:
            where = f" partition '{context.partition_key}'" if context.partition_key else ""
            raise StorageError(
                f"No value in memory for asset '{context.asset_key}'{where}: the in-memory IO "
                "manager keeps values only for the process that materialized them."
            )
        return self.values[slot]
