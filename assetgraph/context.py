"""The execution context handed to an asset function that takes a ``context`` parameter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar

from assetgraph.errors import AssetgraphError
from assetgraph.keys import AssetKey
from assetgraph.versions.provenance import DataProvenance, provenance_from_payload

if TYPE_CHECKING:
    from assetgraph.definitions.check_specs import AssetCheckKey
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.partitions.key_range import PartitionKeyRange
    from assetgraph.partitions.multi import MultiPartitionKey
    from assetgraph.partitions.time_window import TimeWindow

_user_logger = logging.getLogger("assetgraph.user")
_DAGSTER_LOGGER = "assetgraph.dagster"
_current_step_log: ContextVar[StepLog | None] = ContextVar("assetgraph_step_log", default=None)


class StepLog:
    """``context.log``: messages go to Python logging and to the run's event log."""

    def __init__(self, step_key: str, sink: Callable[[str, str], None]) -> None:
        self._step_key = step_key
        self._sink = sink

    def _emit(self, level: int, msg: str, *args: Any) -> None:
        text = msg % args if args else str(msg)
        _user_logger.log(
            level,
            "[%s] %s",
            self._step_key,
            text,
            extra={"step_key": self._step_key, "step_text": text},  # for live displays
        )
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

    def record(self, level: str, text: str) -> None:
        """Add a message to the run's event log only (it was already logged elsewhere)."""
        self._sink(level, text)

    def capturing(self) -> _Capture:
        """While open, ``get_dagster_logger()`` records also go to this step's event log."""
        return _Capture(self)


class _Capture:
    def __init__(self, log: StepLog) -> None:
        self._log = log
        self._token: Any = None

    def __enter__(self) -> None:
        self._token = _current_step_log.set(self._log)

    def __exit__(self, *exc: object) -> None:
        _current_step_log.reset(self._token)


class _StepLogHandler(logging.Handler):
    """Forwards ``get_dagster_logger()`` records to the event log of the running step."""

    def emit(self, record: logging.LogRecord) -> None:
        log = _current_step_log.get()
        if log is not None:
            log.record(record.levelname, record.getMessage())


def build_asset_context(
    resources: Mapping[str, Any] | None = None,
    resources_config: Mapping[str, Any] | None = None,
    asset_config: Any = None,
    instance: Any = None,
    partition_key: str | None = None,
    partition_key_range: PartitionKeyRange | None = None,
    run_tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
) -> AssetExecutionContext:
    """A context for calling an asset function directly, in a unit test (Dagster's).

    ``my_asset(build_asset_context(partition_key="2025-01-01"))`` runs the function with
    that partition; the context learns the asset's keys and partitions definition when the
    asset is called with it. ``resources`` are reachable as ``context.resources.NAME``;
    ``instance`` (e.g. ``Instance.ephemeral()``) as ``context.instance``; ``asset_config``
    becomes ``context.run_config``. ``resources_config`` and ``run_tags`` are accepted
    and not used.
    """
    if partition_key is not None and partition_key_range is not None:
        raise AssetgraphError(
            "build_asset_context() takes partition_key or partition_key_range, not both."
        )
    context = AssetExecutionContext(
        run_id=run_id or "EPHEMERAL",
        step_key="build_asset_context",
        asset_keys=(),
        resources=SimpleNamespace(**dict(resources or {})),
        log=StepLog("build_asset_context", lambda level, text: None),
        run_config=asset_config if isinstance(asset_config, Mapping) else None,
        partition_keys=(partition_key,) if partition_key is not None else (),
        instance=instance,
    )
    context._direct = True
    context._pending_range = partition_key_range
    context._asset_config = asset_config
    context.op_config = asset_config
    return context


def get_dagster_logger(name: str | None = None) -> logging.Logger:
    """A ``logging.Logger`` whose records, made while a step runs, reach its event log.

    As Dagster's: use it in code called by an asset (a helper, a resource) that has no
    ``context``. Records also propagate to Python logging as usual.
    """
    return logging.getLogger(f"{_DAGSTER_LOGGER}.{name}") if name else _dagster_base_logger()


def _dagster_base_logger() -> logging.Logger:
    """The parent of every ``get_dagster_logger()`` logger (and of IO contexts' ``log``)."""
    base = logging.getLogger(_DAGSTER_LOGGER)
    if not any(isinstance(h, _StepLogHandler) for h in base.handlers):
        base.addHandler(_StepLogHandler())
        base.setLevel(logging.DEBUG)
    return base


_dagster_base_logger()  # installed once a step can run, so children need no call first


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
        output_names: Mapping[AssetKey, str] | None = None,
        instance: Any = None,
        input_partitions_defs: Mapping[str, PartitionsDefinition | None] | None = None,
        check_keys: Sequence[AssetCheckKey] = (),
    ) -> None:
        self.run_id = run_id
        self._check_keys = frozenset(check_keys)
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
        self._output_names = dict(output_names or {})
        self._instance = instance
        self._direct = False
        self._pending_range: PartitionKeyRange | None = None
        self._asset_config: Any = None
        self._input_defs = dict(input_partitions_defs or {})
        self.logged_events: list[Any] = []
        self.op_config: Any = None
        """The asset's config (Dagster's ``context.op_config``): checked against its
        ``config_schema`` with defaults filled in, or its ``Config`` parameter's fields."""

    def __enter__(self) -> AssetExecutionContext:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def bind_to(self, assets_def: Any) -> None:
        """Make a ``build_asset_context()`` context describe ``assets_def`` (direct calls).

        Each direct call binds it anew, so one context may serve several assets. A
        context of a running step already describes its step: this does nothing to it.
        """
        if not self._direct:
            return
        pending = self._pending_range
        self.asset_keys = tuple(assets_def.keys)
        self.step_key = assets_def.step_name
        self._output_names = {spec.key: spec.output_name for spec in assets_def.specs}
        self.output_metadata = {key: {} for key in self.asset_keys}
        self.partitions_def = assets_def.partitions_def
        if pending is not None and self.partitions_def is not None:
            self._partition_keys = tuple(self.partitions_def.get_partition_keys_in_range(pending))
        elif pending is not None:
            raise AssetgraphError(
                f"build_asset_context(partition_key_range={pending}) was given, but "
                f"'{assets_def.name}' is not partitioned."
            )

    # -- Dagster's names for what the step builds -----------------------------------------

    @property
    def run(self) -> Any:
        """This run, as Dagster's ``context.run``: a ``DagsterRun`` (``run_id``, ``job_name``,
        ``tags``, ``run_config``, ``status``), from the instance when it recorded the run."""
        get_run = getattr(self._instance, "get_run_by_id", None)
        recorded = get_run(self.run_id) if callable(get_run) else None
        if recorded is not None:
            return recorded
        return SimpleNamespace(  # no instance (a context built for a test): what is known
            run_id=self.run_id,
            job_name="__ASSET_JOB",
            tags={},
            run_config=self.run_config,
            asset_selection=frozenset(key.to_string() for key in self.asset_keys),
        )

    dagster_run = run

    def has_tag(self, key: str) -> bool:
        """Whether this run has tag ``key``."""
        return key in self._tags_of_run()

    def get_tag(self, key: str) -> str | None:
        """The value of this run's tag ``key`` (None when it has none)."""
        return self._tags_of_run().get(key)

    def _tags_of_run(self) -> Mapping[str, str]:
        return dict(getattr(self.run, "tags", None) or {})

    def get_asset_provenance(
        self, asset_key: Any, partition_key: str | None = None
    ) -> DataProvenance | None:
        """What produced the latest materialization of ``asset_key`` (one partition of it):
        its code version and the data versions it read, as Dagster's; None when it was
        never materialized by a step."""
        storage = getattr(self.instance, "storage", None)
        if storage is None:
            return None
        key = AssetKey.from_user(asset_key).to_string()
        record = storage.latest_materializations([key]).get((key, partition_key))
        if record is None:
            return None
        payload = storage.event_payloads([record.event_id]).get(record.event_id, {})
        return provenance_from_payload(payload)

    """Dagster's other name for ``run``."""

    @property
    def selected_asset_keys(self) -> set[AssetKey]:
        """The keys this step builds: all of a multi-asset's, or the selected subset."""
        return set(self.asset_keys)

    @property
    def selected_asset_check_keys(self) -> set[AssetCheckKey]:
        """The keys of the ``check_specs`` this step reports: those of its selected assets."""
        return set(self._check_keys)

    @property
    def selected_output_names(self) -> set[str]:
        """The output names of ``selected_asset_keys`` (``"result"`` for an ``@asset``)."""
        return {self._output_names.get(key, "result") for key in self.asset_keys}

    @property
    def op_execution_context(self) -> AssetExecutionContext:
        """Dagster's op-level context; here the same object, which has every attribute."""
        return self

    @property
    def instance(self) -> Any:
        """The run's ``Instance``: dynamic partitions, latest materializations."""
        if self._instance is None:
            raise AssetgraphError(
                f"Step '{self.step_key}': context.instance is not available: a worker process "
                "cannot reach an ephemeral (in-memory) instance, and build_asset_context() "
                "has one only when given instance=... . Run in-process, or use an instance "
                "with a database file or URL."
            )
        return self._instance

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
    def multi_partition_key(self) -> MultiPartitionKey:
        """The partition being materialized as a ``MultiPartitionKey`` (its
        ``keys_by_dimension``); an error unless the asset is multi-partitioned."""
        from assetgraph.partitions.multi import MultiPartitionsDefinition

        key = self.partition_key
        if not isinstance(self.partitions_def, MultiPartitionsDefinition):
            raise AssetgraphError(
                f"Step '{self.step_key}' is not multi-partitioned (its partitions definition is "
                f"{self.partitions_def!r}): use context.partition_key."
            )
        return self.partitions_def.get_partition_key_from_str(key)

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
        """From the start of the first partition's window to the end of the last's.

        A ``TimeWindow`` named tuple: ``start, end = context.partition_time_window``.
        """
        return _window(self.partitions_def, self._partition_keys, f"step '{self.step_key}'")

    def asset_partition_keys_for_input(self, input_name: str) -> list[str]:
        """The partition keys this step reads from the upstream asset of ``input_name``."""
        if input_name not in self._input_partitions:
            raise AssetgraphError(
                f"Step '{self.step_key}' has no input named '{input_name}'. Inputs: "
                f"{', '.join(self._input_partitions) or 'none'}."
            )
        return list(self._input_partitions[input_name])

    def asset_partition_key_for_input(self, input_name: str) -> str:
        """The one partition key read from ``input_name``; an error when it reads several."""
        keys = self.asset_partition_keys_for_input(input_name)
        if len(keys) != 1:
            raise AssetgraphError(
                f"Step '{self.step_key}' reads {len(keys)} partitions of input '{input_name}', "
                "so it has no single partition key: use asset_partition_key_range_for_input."
            )
        return keys[0]

    def asset_partition_key_range_for_input(self, input_name: str) -> PartitionKeyRange:
        """The first and last partition read from ``input_name``."""
        from assetgraph.partitions.key_range import PartitionKeyRange

        keys = self.asset_partition_keys_for_input(input_name)
        if not keys:
            raise AssetgraphError(
                f"Step '{self.step_key}': input '{input_name}' is not partitioned, so it has "
                "no partition key range."
            )
        return PartitionKeyRange(keys[0], keys[-1])

    def asset_partitions_time_window_for_input(self, input_name: str) -> TimeWindow:
        """From the start of the first window read from ``input_name`` to the end of the last."""
        keys = self.asset_partition_keys_for_input(input_name)
        return _window(self._input_defs.get(input_name), keys, f"input '{input_name}'")

    def asset_partitions_def_for_input(self, input_name: str) -> PartitionsDefinition | None:
        """How the asset read by ``input_name`` is partitioned (None: not partitioned)."""
        self.asset_partition_keys_for_input(input_name)  # the error for an unknown name
        return self._input_defs.get(input_name)

    def _check_output(self, output_name: str | None) -> None:
        names = set(self._output_names.values()) | {"result"}
        if output_name is not None and output_name not in names:
            raise AssetgraphError(
                f"Step '{self.step_key}' has no output named '{output_name}'. Outputs: "
                f"{', '.join(sorted(names - {'result'}) or ['result'])}."
            )

    def asset_partition_key_for_output(self, output_name: str | None = "result") -> str:
        """The partition being materialized (every output of a step shares its partitions)."""
        self._check_output(output_name)
        return self.partition_key

    def asset_partition_keys_for_output(self, output_name: str | None = "result") -> list[str]:
        """Every partition being materialized, in definition order."""
        self._check_output(output_name)
        return self.partition_keys

    def asset_partition_key_range_for_output(
        self, output_name: str | None = "result"
    ) -> PartitionKeyRange:
        """The first and last partition being materialized."""
        self._check_output(output_name)
        return self.partition_key_range

    def asset_partitions_time_window_for_output(
        self, output_name: str | None = "result"
    ) -> TimeWindow:
        """From the start of the first window being materialized to the end of the last."""
        self._check_output(output_name)
        return self.partition_time_window

    def asset_partitions_def_for_output(
        self, output_name: str | None = "result"
    ) -> PartitionsDefinition | None:
        """How the step's assets are partitioned (None: not partitioned)."""
        self._check_output(output_name)
        return self.partitions_def

    def log_event(self, event: Any) -> None:
        """Record ``event`` in the run's event log, as Dagster's ``context.log_event``: an
        ``AssetObservation``, or an ``AssetMaterialization`` of an asset written outside
        an IO manager (typically external); the step checks its type when it records it."""
        self.logged_events.append(event)

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


def _window(pdef: PartitionsDefinition | None, keys: Sequence[str], what: str) -> TimeWindow:
    """The time window from the first of ``keys`` to the end of the last, under ``pdef``."""
    from assetgraph.partitions.time_window import TimeWindow, TimeWindowPartitionsDefinition

    if not isinstance(pdef, TimeWindowPartitionsDefinition) or not keys:
        raise AssetgraphError(
            f"{what[0].upper()}{what[1:]} is not partitioned by time windows, so it has no "
            "partition time window."
        )
    first = pdef.time_window_for_partition_key(keys[0])
    last = pdef.time_window_for_partition_key(keys[-1])
    return TimeWindow(first.start, last.end)


AssetCheckExecutionContext = AssetExecutionContext
"""Dagster's name for the context a check receives; here the asset's execution context."""
