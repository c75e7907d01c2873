"""The execution context handed to an asset function that takes a ``context`` parameter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar

from assetgraph.errors import AssetgraphError
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.partitions.key_range import PartitionKeyRange
    from assetgraph.partitions.time_window import TimeWindow

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
        partition_keys: Sequence[str] = (),
        partitions_def: PartitionsDefinition | None = None,
        input_partitions: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.run_id = run_id
        self.step_key = step_key
        self.asset_keys = asset_keys
        self.resources = resources
        self.log = log
        self.run_config = dict(run_config or {})
        self._partition_keys: tuple[str, ...] = tuple(partition_keys)
        self.partitions_def = partitions_def
        self._input_partitions = {k: tuple(v) for k, v in (input_partitions or {}).items()}
        self.output_metadata: dict[AssetKey, dict[str, Any]] = {key: {} for key in asset_keys}
        self.data_versions: dict[AssetKey, str] = {}

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
    def partition_keys(self) -> list[str]:
        """Every partition this step materializes, in definition order (empty: unpartitioned)."""
        return list(self._partition_keys)

    @property
    def has_partition_key(self) -> bool:
        """True when the step materializes exactly one partition."""
        return len(self._partition_keys) == 1

    @property
    def has_partition_key_range(self) -> bool:
        """True when the step materializes partitions (one or a range)."""
        return bool(self._partition_keys)

    @property
    def partition_key(self) -> str:
        """The partition being materialized; an error unless there is exactly one."""
        if len(self._partition_keys) != 1:
            what = (
                "is not partitioned"
                if not self._partition_keys
                else (
                    f"materializes {len(self._partition_keys)} partitions at once (a single-run "
                    "backfill); use context.partition_key_range or context.partition_keys"
                )
            )
            raise AssetgraphError(f"Step '{self.step_key}' {what}, so it has no partition_key.")
        return self._partition_keys[0]

    @property
    def partition_key_range(self) -> PartitionKeyRange:
        """The first and last partition this step materializes."""
        if not self._partition_keys:
            raise AssetgraphError(
                f"Step '{self.step_key}' is not partitioned, so it has no partition_key_range."
            )
        from assetgraph.partitions.key_range import PartitionKeyRange

        return PartitionKeyRange(self._partition_keys[0], self._partition_keys[-1])

    @property
    def partition_time_window(self) -> TimeWindow:
        """From the start of the first partition's window to the end of the last's."""
        from assetgraph.partitions.time_window import TimeWindow, TimeWindowPartitionsDefinition

        pdef = self.partitions_def
        if not isinstance(pdef, TimeWindowPartitionsDefinition) or not self._partition_keys:
            raise AssetgraphError(
                f"Step '{self.step_key}' is not partitioned by time windows, so it has no "
                "partition_time_window."
            )
        first = pdef.time_window_for_partition_key(self._partition_keys[0])
        last = pdef.time_window_for_partition_key(self._partition_keys[-1])
        return TimeWindow(first.start, last.end)

    def asset_partition_keys_for_input(self, input_name: str) -> list[str]:
        """The partition keys this step reads from the upstream asset of ``input_name``."""
        if input_name not in self._input_partitions:
            raise AssetgraphError(
                f"Step '{self.step_key}' has no input named '{input_name}'. Inputs: "
                f"{', '.join(self._input_partitions) or 'none'}."
            )
        return list(self._input_partitions[input_name])

    def add_output_metadata(
        self, metadata: Mapping[str, Any], output_name: str | None = None, *, asset_key: Any = None
    ) -> None:
        """Attach metadata to the materialization of this step's asset.

        For a multi-asset, name the asset with ``asset_key`` (or ``output_name``).
        """
        target = self._target_key(output_name, asset_key)
        self.output_metadata[target].update(metadata)

    def set_data_version(
        self, data_version: Any, output_name: str | None = None, *, asset_key: Any = None
    ) -> None:
        """Declare the data version of what this step returns (a ``DataVersion`` or a string).

        Equal versions mean equal data: a rebuild that keeps its version leaves downstream
        assets fresh. For a multi-asset, name the asset with ``asset_key`` or ``output_name``.
        """
        value = getattr(data_version, "value", data_version)
        if not isinstance(value, str) or not value:
            raise AssetgraphError(
                f"Step '{self.step_key}': a data version must be a non-empty string or "
                f"DataVersion, got {data_version!r}."
            )
        self.data_versions[self._target_key(output_name, asset_key)] = value

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
