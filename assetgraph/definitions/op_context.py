"""The context an op of a job receives, and ``build_op_context`` for unit tests.

``OpContext`` is an ``AssetExecutionContext`` (so ``OpExecutionContext`` annotations and
``isinstance`` checks hold) that also knows its op: ``op_config``, ``op_def``,
``op_handle``, ``retry_number`` and the mapping key of a mapped (dynamic) op.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from assetgraph.context import AssetExecutionContext, StepLog


class OpContext(AssetExecutionContext):
    """What an op can know and do while it runs (Dagster's ``OpExecutionContext``)."""

    def __init__(
        self,
        *,
        run_id: str,
        step_key: str,
        resources: SimpleNamespace,
        log: StepLog,
        op_config: Any = None,
        run_config: Mapping[str, Any] | None = None,
        instance: Any = None,
        op_def: Any = None,
        mapping_key: str | None = None,
        retry_number: int = 0,
        partition_key: str | None = None,
        tags: Mapping[str, str] | None = None,
        job_name: str | None = None,
    ) -> None:
        super().__init__(
            run_id=run_id,
            step_key=step_key,
            asset_keys=(),
            resources=resources,
            log=log,
            run_config=run_config,
            partition_keys=(partition_key,) if partition_key is not None else (),
            instance=instance,
        )
        self.op_config = op_config
        self.op_def = op_def
        self._mapping_key = mapping_key
        self.retry_number = retry_number
        self.run_tags: dict[str, str] = dict(tags or {})
        self.job_name = job_name

    @property
    def op_handle(self) -> str:
        """The op's node path in its job (``graph.op``), without a mapping key."""
        return self.step_key.split("[", 1)[0]

    @property
    def node_handle(self) -> str:
        return self.op_handle

    def get_mapping_key(self) -> str | None:
        """The mapping key this run of a mapped op handles (None for an op not mapped)."""
        return self._mapping_key

    def has_tag(self, key: str) -> bool:
        return key in self.run_tags

    def get_tag(self, key: str) -> str | None:
        return self.run_tags.get(key)

    def bind_op(self, op_def: Any) -> None:
        """Name the op a ``build_op_context()`` context is handed to (direct calls)."""
        if self.op_def is None:
            self.op_def = op_def
            self.step_key = str(getattr(op_def, "name", self.step_key))


def build_op_context(
    resources: Mapping[str, Any] | None = None,
    op_config: Any = None,
    resources_config: Mapping[str, Any] | None = None,
    instance: Any = None,
    config: Any = None,
    partition_key: str | None = None,
    mapping_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
) -> OpContext:
    """A context for calling an op function directly, in a unit test (Dagster's).

    ``resources`` are reachable as ``context.resources.NAME``; ``op_config`` (or
    ``config``) as ``context.op_config``; ``instance`` as ``context.instance``.
    ``resources_config`` is accepted and not used.
    """
    return OpContext(
        run_id=run_id or "EPHEMERAL",
        step_key="build_op_context",
        resources=SimpleNamespace(**dict(resources or {})),
        log=StepLog("build_op_context", lambda level, text: None),
        op_config=op_config if op_config is not None else config,
        instance=instance,
        mapping_key=mapping_key,
        partition_key=partition_key,
        tags=run_tags,
    )
