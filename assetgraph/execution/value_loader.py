"""Dagster's ``AssetValueLoader``: load stored asset values outside a run, through the
IO managers of a ``Definitions`` (``defs.load_asset_value(key)``, or several with
``with defs.get_asset_value_loader() as loader:``)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from assetgraph.errors import UsageError, did_you_mean
from assetgraph.execution.resources import io_managers_for, resources_for_run
from assetgraph.execution.step import stored_annotation
from assetgraph.io import InputContext
from assetgraph.keys import AssetKey, CoercibleToAssetKey

if TYPE_CHECKING:
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.storage.instance import Instance


class AssetValueLoader:
    """Loads asset values with the IO managers and resources of ``defs``; resources are set
    up on first use and torn down when the loader is closed (the ``with`` block ends)."""

    def __init__(self, defs: Definitions, instance: Instance | None = None) -> None:
        from assetgraph.storage.instance import Instance

        self._defs = defs
        self._instance = instance if instance is not None else Instance.get()
        self._stack = ExitStack()
        self._resources: Any = None
        self._io_managers: Any = None

    def __enter__(self) -> AssetValueLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Tear down the resources set up for loading."""
        self._stack.close()
        self._resources = None

    def load_asset_value(
        self,
        asset_key: CoercibleToAssetKey,
        *,
        python_type: type | None = None,
        partition_key: str | None = None,
        input_definition_metadata: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        **_: Any,
    ) -> Any:
        """The stored value of ``asset_key`` (one partition with ``partition_key``), as its
        IO manager loads it for a downstream asset annotated with ``python_type``."""
        key = AssetKey.from_user(asset_key)
        graph = self._defs.graph
        if not graph.has(key):
            raise UsageError(
                f"load_asset_value: asset '{key}' is not in these Definitions."
                + did_you_mean(key.to_string(), graph.key_strings())
            )
        spec = graph.spec(key)
        if self._resources is None:
            run = resources_for_run(self._defs.resources, "EPHEMERAL", needed=())
            self._resources = self._stack.enter_context(run)
            self._io_managers = io_managers_for(self._defs, self._instance.storage_dir, ())
        context = InputContext(
            asset_key=key,
            run_id="EPHEMERAL",
            resources=self._resources,
            metadata={**spec.metadata, **(input_definition_metadata or metadata or {})},
            partition_key=partition_key,
            partitions_def=graph.partitions_def(key),
            annotation=python_type if python_type is not None else stored_annotation(graph, key),
        )
        return self._io_managers[spec.io_manager_key].load_input(context)
