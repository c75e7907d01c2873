"""Dagster's ``evaluate_automation_conditions``: one automation tick in a test, no runs.

It evaluates the automation conditions (and policies) of ``defs`` against what
``instance`` holds, at ``evaluation_time`` (default: now), exactly as the daemon would,
but launches nothing and records no tick: the result says what would be requested, and
its ``cursor``, passed to the next call, carries the state a daemon keeps between ticks
(so a requested asset is not requested again until something new happens).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assetgraph.automation.evaluator import CursorState, Evaluation, evaluate
from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.selection_syntax import parse_selection
from assetgraph.errors import UsageError
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset
from assetgraph.storage.automation_store import AutomationStore


@dataclass(frozen=True, slots=True)
class AutomationConditionsCursor:
    """The state kept from one ``evaluate_automation_conditions`` call to the next."""

    evaluator: str
    data_times: str
    conditions: str | None


@dataclass(frozen=True, slots=True)
class RequestedSubset:
    """The partitions of one asset requested this tick (``size``; ``partition_keys``)."""

    subset: PartitionsSubset

    @property
    def size(self) -> int:
        return len(self.subset)

    @property
    def partition_keys(self) -> set[str]:
        return set(self.subset.keys())


@dataclass(frozen=True, slots=True)
class AssetConditionResult:
    """One asset's result: ``true_subset``, the partitions its condition requests."""

    asset_key: AssetKey
    true_subset: RequestedSubset


class EvaluateAutomationConditionsResult:
    """What one evaluation would request (``total_requested``, ``get_num_requested(key)``,
    ``get_requested_partitions(key)``), per-asset ``results``, and the ``cursor`` to pass
    to the next call."""

    def __init__(
        self,
        evaluation: Evaluation,
        cursor: AutomationConditionsCursor,
        selected: set[AssetKey] | None = None,
    ) -> None:
        self._requested: Mapping[AssetKey, PartitionsSubset] = {
            key: subset
            for key, subset in evaluation.requested.items()
            if subset and (selected is None or key in selected)
        }
        self.cursor = cursor
        self.evaluation_time = evaluation.now
        self.results = [
            AssetConditionResult(key, RequestedSubset(subset))
            for key, subset in sorted(self._requested.items(), key=lambda kv: kv[0].to_string())
        ]

    @property
    def total_requested(self) -> int:
        """How many (asset, partition) pairs would be requested."""
        return sum(len(subset) for subset in self._requested.values())

    def get_num_requested(self, asset_key: Any) -> int:
        """How many partitions of ``asset_key`` would be requested (1 or 0 unpartitioned)."""
        subset = self._requested.get(AssetKey.from_user(asset_key))
        return 0 if subset is None else len(subset)

    def get_requested_partitions(self, asset_key: Any) -> set[str]:
        """The partition keys of ``asset_key`` that would be requested."""
        subset = self._requested.get(AssetKey.from_user(asset_key))
        return set() if subset is None else set(subset.keys())

    def __repr__(self) -> str:
        return f"<EvaluateAutomationConditionsResult total_requested={self.total_requested}>"


def evaluate_automation_conditions(
    defs: Definitions | Sequence[AssetsDefinition | AssetChecksDefinition],
    instance: Any,
    asset_selection: Any = None,
    evaluation_time: datetime | None = None,
    cursor: AutomationConditionsCursor | None = None,
) -> EvaluateAutomationConditionsResult:
    """Evaluate the automation conditions of ``defs`` (a ``Definitions`` or a list of
    assets) against ``instance`` at ``evaluation_time``, launching nothing; pass the
    result's ``cursor`` to the next call. ``asset_selection`` limits what is counted."""
    definitions = defs if isinstance(defs, Definitions) else _definitions_of(defs)
    storage = getattr(instance, "storage", None)
    if storage is None:
        raise UsageError(
            "evaluate_automation_conditions: instance= must be an Instance (for example "
            f"DagsterInstance.ephemeral()), got {type(instance).__name__}."
        )
    now = evaluation_time or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    evaluation = evaluate(
        definitions,
        AutomationStore(storage),
        now,
        cursor=None if cursor is None else CursorState.from_text(cursor.evaluator),
        data_times_text=None if cursor is None else cursor.data_times,
        conditions_text=None if cursor is None else cursor.conditions,
    )
    if isinstance(asset_selection, str):
        asset_selection = parse_selection(asset_selection)
    selected = None if asset_selection is None else set(asset_selection.resolve(definitions.graph))
    next_cursor = AutomationConditionsCursor(
        evaluation.cursor.to_text(),
        evaluation.data_times.to_cursor(),
        evaluation.condition_cursor,
    )
    return EvaluateAutomationConditionsResult(evaluation, next_cursor, selected)


def _definitions_of(objects: Iterable[Any]) -> Definitions:
    items = list(objects)
    checks = [obj for obj in items if isinstance(obj, AssetChecksDefinition)]
    assets = [obj for obj in items if not isinstance(obj, AssetChecksDefinition)]
    return Definitions(assets, asset_checks=checks)
