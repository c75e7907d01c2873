"""The execution context handed to an asset function that takes a ``context`` parameter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any, ClassVar

from assetgraph.errors import AssetgraphError
from assetgraph.keys import AssetKey

_user_logger = logging.getLogger("assetgraph.user")


class StepLog:
    """``context.log``: messages go to Python logging and to the run's event log."""

    def __init__(self, step_key: str, sink: Callable[[str, str], None]) -> None:
        self._step_key = step_key
        self._sink = sink

    def _emit(self, level: int, msg: str, *args: Any) -> None:
        text = msg % args if args else str(msg)
        _user_logger.log(level, "[%s] %s", self._step_key, text)
        self._sink(logging.getLevelName(level), text)

    def debug(self, msg: str, *args: Any) -> None:
        self._emit(logging.DEBUG, msg, *args)

    def info(self, msg: str, *args: Any) -> None:
        self._emit(logging.INFO, msg, *args)

    def warning(self, msg: str, *args: Any) -> None:
        self._emit(logging.WARNING, msg, *args)

    warn = warning

    def error(self, msg: str, *args: Any) -> None:
        self._emit(logging.ERROR, msg, *args)

    def exception(self, msg: str, *args: Any) -> None:
        self._emit(logging.ERROR, msg, *args)


class AssetExecutionContext:
    """What an asset function can know and do while it runs.

    ``log`` records messages in the run's event log; ``add_output_metadata`` attaches
    metadata to the materialization; ``resources`` holds the run's resources by name.
    """

    __assetgraph_kind__: ClassVar[str] = "context"

    def __init__(
        self,
        *,
        run_id: str,
        step_key: str,
        asset_keys: tuple[AssetKey, ...],
        resources: SimpleNamespace,
        log: StepLog,
        run_config: Mapping[str, Any] | None = None,
        partition_key: str | None = None,
    ) -> None:
        self.run_id = run_id
        self.step_key = step_key
        self.asset_keys = asset_keys
        self.resources = resources
        self.log = log
        self.run_config = dict(run_config or {})
        self._partition_key = partition_key
        self.output_metadata: dict[AssetKey, dict[str, Any]] = {key: {} for key in asset_keys}

    @property
    def asset_key(self) -> AssetKey:
        """The key being materialized (a multi-asset has several: use ``asset_keys``)."""
        if len(self.asset_keys) != 1:
            raise AssetgraphError(
                f"Step '{self.step_key}' materializes {len(self.asset_keys)} assets; use "
                "context.asset_keys."
            )
        return self.asset_keys[0]

    @property
    def has_partition_key(self) -> bool:
        return self._partition_key is not None

    @property
    def partition_key(self) -> str:
        """The partition being materialized; an error for an unpartitioned asset."""
        if self._partition_key is None:
            raise AssetgraphError(
                f"Step '{self.step_key}' is not partitioned, so it has no partition_key."
            )
        return self._partition_key

    def add_output_metadata(
        self, metadata: Mapping[str, Any], output_name: str | None = None, *, asset_key: Any = None
    ) -> None:
        """Attach metadata to the materialization of this step's asset.

        For a multi-asset, name the asset with ``asset_key`` (or ``output_name``).
        """
        target = self._target_key(output_name, asset_key)
        self.output_metadata[target].update(metadata)

    def _target_key(self, output_name: str | None, asset_key: Any) -> AssetKey:
        if asset_key is not None:
            key = AssetKey.from_user(asset_key)
            if key not in self.output_metadata:
                raise AssetgraphError(f"Step '{self.step_key}' does not materialize '{key}'.")
            return key
        if output_name is not None:
            for key in self.asset_keys:
                if key.name == output_name:
                    return key
            raise AssetgraphError(f"Step '{self.step_key}' has no output named '{output_name}'.")
        return self.asset_key
