"""What a custom ``AutomationCondition`` sees and returns: Dagster's ``AutomationContext``
and ``AutomationResult``.

A subclass of ``AutomationCondition`` that defines ``evaluate(self, context)`` is a custom
operand: at each tick it gets the asset's ``candidate_subset`` (every partition that exists
now) and the ``evaluation_time``, and returns ``AutomationResult(true_subset, context=...)``
with the partitions for which it holds (``context.get_empty_subset()`` for none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey
from assetgraph.partitions.subset import PartitionsSubset


@dataclass(frozen=True, slots=True)
class AutomationContext:
    """One evaluation of a custom condition, for one asset at one tick."""

    key: AssetKey
    evaluation_time: datetime
    candidate_subset: PartitionsSubset
    empty_subset: PartitionsSubset
    condition: Any = None

    @property
    def asset_key(self) -> AssetKey:
        return self.key

    @property
    def partitions_def(self) -> Any:
        return self.candidate_subset.partitions_def

    def get_empty_subset(self) -> PartitionsSubset:
        """No partition: what a condition returns when it holds for none."""
        return self.empty_subset


class AutomationResult:
    """What a custom condition's ``evaluate`` returns: the partitions it holds for."""

    def __init__(
        self, true_subset: PartitionsSubset, context: AutomationContext | None = None, **_: Any
    ) -> None:
        if not isinstance(true_subset, PartitionsSubset):
            where = "" if context is None else f" (asset '{context.key}')"
            raise DefinitionError(
                f"AutomationResult{where} needs a subset of partitions: start from "
                "context.candidate_subset or context.get_empty_subset(), got "
                f"{type(true_subset).__name__}."
            )
        self.true_subset = true_subset
        self.context = context
