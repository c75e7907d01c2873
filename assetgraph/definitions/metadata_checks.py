"""Dagster's metadata check builders: asset checks judged on an asset's materializations.

``build_metadata_bounds_checks`` passes while a numeric metadata entry of the latest
materialization is within bounds; ``build_column_schema_change_checks`` passes while the
latest materialization's ``dagster/column_schema`` equals the previous one's. Each returns
one definition with one check per asset (Dagster's shape); each check runs in its own
asset's step, on the materialization the step is making (its metadata from the returned
``Output`` / ``MaterializeResult``, ``add_output_metadata`` and the value), compared with
what the instance holds. Called directly with a context, a definition judges what the
instance holds. Severity is ``WARN`` unless given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assetgraph.definitions.check_evaluation import CheckEvaluation
from assetgraph.definitions.check_specs import AssetCheckSpec, checked_asset_keys
from assetgraph.definitions.checks import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
)
from assetgraph.definitions.metadata import (
    MetadataValue,
    TableSchema,
    metadata_from_stored,
    normalize_metadata,
)
from assetgraph.errors import DefinitionError
from assetgraph.keys import AssetKey

COLUMN_SCHEMA = "dagster/column_schema"
Metadata = Mapping[str, MetadataValue]


class MaterializationRule(Protocol):
    """What a check requires of the latest materialization (given the ones before it)."""

    @property
    def materializations_needed(self) -> int:
        """How many of the latest materializations ``judge`` reads."""
        ...

    def judge(self, history: Sequence[Metadata]) -> tuple[bool, str]:
        """``history``: the metadata of the latest materializations, newest first."""
        ...


@dataclass(frozen=True, slots=True)
class BoundsRule:
    """A numeric metadata entry of the latest materialization lies within bounds."""

    metadata_key: str
    min_value: float | None
    max_value: float | None
    exclusive_min: bool
    exclusive_max: bool
    materializations_needed: int = 1

    def judge(self, history: Sequence[Metadata]) -> tuple[bool, str]:
        if not history:
            return False, "Asset has not been materialized"
        entry = history[0].get(self.metadata_key)
        if entry is None:
            return False, f"Metadata key `{self.metadata_key}` not found"
        value = entry.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, f"Value `{value}` is not a number"
        low, high = self.min_value, self.max_value
        if low is not None and (value <= low if self.exclusive_min else value < low):
            return False, f"Value `{value}` is less than {_or_equal(self.exclusive_min)}{low}"
        if high is not None and (value >= high if self.exclusive_max else value > high):
            return False, f"Value `{value}` is greater than {_or_equal(self.exclusive_max)}{high}"
        return True, f"Value `{value}` is within range"

    def describe(self) -> str:
        text = f"Checks that the latest materialization has metadata value `{self.metadata_key}`"
        if self.min_value is not None:
            text += f" greater than {_or_equal(not self.exclusive_min)}{self.min_value}"
        if self.max_value is not None:
            joined = "and " if self.min_value is not None else ""
            text += f" {joined}less than {_or_equal(not self.exclusive_max)}{self.max_value}"
        return text


def _or_equal(inclusive: bool) -> str:
    return "or equal to " if inclusive else ""


@dataclass(frozen=True, slots=True)
class SchemaChangeRule:
    """The column schema of the latest materialization equals the previous one's."""

    materializations_needed: int = 2

    def judge(self, history: Sequence[Metadata]) -> tuple[bool, str]:
        if len(history) < 2:
            return True, "The asset has been materialized fewer than 2 times"
        latest, previous = (_column_types(m.get(COLUMN_SCHEMA)) for m in history[:2])
        if latest is None:
            return False, "Latest materialization has no column schema metadata"
        if previous is None:
            return False, "Previous materialization has no column schema metadata"
        added = [name for name in latest if name not in previous]
        removed = [name for name in previous if name not in latest]
        retyped = [n for n in latest if n in previous and latest[n] != previous[n]]
        if not (added or removed or retyped):
            return True, "No changes to column schema between previous and latest materialization"
        text = "Column schema changed between previous and latest materialization."
        if added:
            text += f"\n\nAdded columns: {', '.join(added)}"
        if removed:
            text += f"\n\nRemoved columns: {', '.join(removed)}"
        if retyped:
            text += "\n\nColumn type changes:"
            text += "".join(f"\n- {n}: {previous[n]} -> {latest[n]}" for n in retyped)
        return False, text


def _column_types(entry: MetadataValue | None) -> dict[str, str] | None:
    """Column name -> type of a ``TableSchema`` metadata entry (stored or in memory)."""
    if entry is None:
        return None
    schema = entry.value
    if isinstance(schema, TableSchema):
        return {column.name: column.type for column in schema.columns}
    columns = schema.get("columns") if isinstance(schema, Mapping) else None
    if not isinstance(columns, list):
        return None
    return {str(c.get("name")): str(c.get("type")) for c in columns if isinstance(c, Mapping)}


class MaterializationChecks(AssetChecksDefinition):
    """Checks of one rule on several assets, each run in its own asset's step."""

    runs_per_asset = True

    def __init__(
        self,
        name: str,
        rule: MaterializationRule,
        specs: Sequence[AssetCheckSpec],
        severity: AssetCheckSeverity,
    ) -> None:
        self.rule = rule
        self.severity = AssetCheckSeverity(severity)

        def judge_stored(context: Any) -> Iterator[AssetCheckResult]:
            for spec in self.specs:
                yield self.result(spec.asset_key, _stored_history(context, spec, rule))

        super().__init__(
            fn=judge_stored,
            name=name,
            asset_key=specs[0].asset_key,
            blocking=False,
            description=specs[0].description,
            value_param=None,
            context_param="context",
            specs=specs,
        )

    def result(self, key: AssetKey, history: Sequence[Metadata]) -> AssetCheckResult:
        passed, description = self.rule.judge(history)
        spec = next(s for s in self.specs if s.asset_key == key)
        return AssetCheckResult(
            passed=passed,
            description=description,
            severity=self.severity,
            check_name=spec.name,
            asset_key=key,
        )

    def evaluate_in_step(
        self, key: AssetKey, context: Any, materializing: Mapping[str, Any]
    ) -> CheckEvaluation:
        """In ``key``'s step: judge the materialization being made (``materializing``, its
        metadata) after the ones the instance holds."""
        spec = next(s for s in self.specs if s.asset_key == key)
        latest = metadata_from_stored(normalize_metadata(materializing))
        earlier = _stored_history(context, spec, self.rule, self.rule.materializations_needed - 1)
        result = self.result(key, [latest, *earlier])
        return CheckEvaluation(
            check_name=spec.name,
            asset_key=key,
            passed=result.passed,
            blocking=False,
            severity=self.severity,
            description=result.description,
            location=self.source_location,
        )

    def __reduce__(self) -> Any:
        return (MaterializationChecks, (self.name, self.rule, self.specs, self.severity))


def _stored_history(
    context: Any, spec: AssetCheckSpec, rule: MaterializationRule, limit: int | None = None
) -> list[Metadata]:
    """The metadata of the asset's latest stored materializations, newest first."""
    count = rule.materializations_needed if limit is None else limit
    instance = getattr(context, "instance", None) if count > 0 else None
    if instance is None:
        return []
    page = instance.fetch_materializations(spec.asset_key, limit=count)
    return [dict(record.asset_materialization.metadata) for record in page.records]


def build_metadata_bounds_checks(
    *,
    assets: Sequence[Any],
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    metadata_key: str,
    min_value: float | None = None,
    max_value: float | None = None,
    exclusive_min: bool = False,
    exclusive_max: bool = False,
) -> list[AssetChecksDefinition]:
    """Checks (one per asset, named ``<metadata_key>_bounds_check``) that pass while the
    metadata entry ``metadata_key`` of the asset's latest materialization is a number
    within ``min_value``..``max_value`` (inclusive unless ``exclusive_*``)."""
    where = "build_metadata_bounds_checks"
    if min_value is None and max_value is None:
        raise DefinitionError(f"{where}: at least one of `min_value` or `max_value` must be set")
    if min_value is not None and max_value is not None and min_value > max_value:
        raise DefinitionError(f"{where}: `min_value` may not be greater than `max_value`")
    rule = BoundsRule(metadata_key, min_value, max_value, exclusive_min, exclusive_max)
    check_name = f"{re.sub(r'[^A-Za-z0-9_]', '_', metadata_key)}_bounds_check"
    specs = [
        AssetCheckSpec(check_name, asset=key, description=rule.describe())
        for key in checked_asset_keys(assets, where)
    ]
    return [MaterializationChecks(check_name, rule, specs, severity)]


def build_column_schema_change_checks(
    *,
    assets: Sequence[Any],
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
) -> list[AssetChecksDefinition]:
    """Checks (one per asset, named ``column_schema_change``) that pass while the
    ``dagster/column_schema`` of the asset's latest materialization equals the previous
    one's; a failure lists the added, removed and retyped columns."""
    description = (
        "Checks whether there are changes to column schema between the asset's two most "
        "recent materializations"
    )
    specs = [
        AssetCheckSpec("column_schema_change", asset=key, description=description)
        for key in checked_asset_keys(assets, "build_column_schema_change_checks")
    ]
    return [MaterializationChecks("column_schema_change", SchemaChangeRule(), specs, severity)]
