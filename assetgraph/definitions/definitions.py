"""``Definitions``: the assets, resources and IO managers of one code location."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.assets import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from assetgraph.definitions.checks import SCHEMA_CHECK_NAME, AssetChecksDefinition
from assetgraph.errors import DefinitionError, ResourceError, did_you_mean
from assetgraph.graph import AssetGraph
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.automation.schedules import ScheduleDefinition
    from assetgraph.automation.sensors import SensorDefinition
    from assetgraph.definitions.retry import RetryPolicy


class Definitions:
    """Everything a code location declares, validated when it is built.

    ``resources`` maps names to resource objects, injected into asset parameters annotated
    with a resource class. ``io_managers`` maps IO manager keys to IO managers; the default
    key ``"io_manager"`` falls back to the pickle IO manager under ``$ASSETGRAPH_HOME``. An
    IO manager may also be given in ``resources``, as in Dagster. ``asset_checks`` are
    ``@asset_check`` functions; each must check an asset of ``assets``. ``pools`` limits how
    many steps of each concurrency pool (``@asset(pool=...)``) run at once, across runs
    (also read from ``[tool.assetgraph.pools]``); ``retry_policy`` is the default for
    assets without their own. ``assets`` may hold source assets (``SourceAsset``,
    ``@observable_source_asset``) beside ``@asset`` definitions. ``schedules`` and
    ``sensors`` are run by ``assetgraph automate``.
    """

    def __init__(
        self,
        assets: Iterable[AssetsDefinition] = (),
        *,
        resources: Mapping[str, Any] | None = None,
        io_managers: Mapping[str, Any] | None = None,
        asset_checks: Iterable[AssetChecksDefinition] = (),
        pools: Mapping[str, int] | None = None,
        retry_policy: RetryPolicy | None = None,
        schedules: Iterable[ScheduleDefinition] = (),
        sensors: Iterable[SensorDefinition] = (),
    ) -> None:
        self.pools: dict[str, int] = _check_pools(pools)
        self.origin: tuple[str, str] | None = None  # where load_definitions found it
        self.retry_policy = _check_retry_policy(retry_policy)
        self.assets: tuple[AssetsDefinition, ...] = tuple(_check_assets(assets))
        self.asset_checks: tuple[AssetChecksDefinition, ...] = tuple(
            _check_asset_checks(asset_checks)
        )
        self.resources: dict[str, Any] = dict(resources or {})
        self.io_managers: dict[str, Any] = dict(io_managers or {})
        for name, value in self.resources.items():
            if _is_io_manager(value):
                self.io_managers.setdefault(name, value)
        self.graph = AssetGraph(self.assets)
        self._check_resources()
        self.checks_by_asset: dict[AssetKey, tuple[AssetChecksDefinition, ...]] = _checks_by_asset(
            self.asset_checks, self.graph
        )
        # Automation (schedules and sensors): see assetgraph.automation.
        self.schedules: tuple[ScheduleDefinition, ...] = _check_automation(schedules, "schedules")
        self.sensors: tuple[SensorDefinition, ...] = _check_automation(sensors, "sensors")

    def with_resources(self, resources: Mapping[str, Any]) -> Definitions:
        """A copy with ``resources`` added (replacing those of the same name)."""
        merged = copy.copy(self)
        merged.resources = {**self.resources, **resources}
        merged.io_managers = dict(self.io_managers)
        for name, value in resources.items():
            if _is_io_manager(value):
                merged.io_managers[name] = value
        merged._check_resources()
        return merged

    def get_asset_graph(self) -> AssetGraph:
        """The validated asset graph."""
        return self.graph

    def _check_resources(self) -> None:
        for assets_def in self.assets:
            for param, annotation in assets_def.resource_params.items():
                if param not in self.resources:
                    raise ResourceError(
                        f"Asset '{assets_def.name}' ({assets_def.source_location}) needs the "
                        f"resource '{param}' ({annotation.__name__}), which Definitions does not "
                        f"provide: add resources={{'{param}': {annotation.__name__}(...)}}."
                        + did_you_mean(param, self.resources)
                    )
                if not isinstance(self.resources[param], annotation):
                    raise ResourceError(
                        f"Asset '{assets_def.name}': resource '{param}' is a "
                        f"{type(self.resources[param]).__name__}, but the parameter is annotated "
                        f"{annotation.__name__}."
                    )
            for spec in assets_def.specs:
                io_key = spec.io_manager_key
                if io_key != DEFAULT_IO_MANAGER_KEY and io_key not in self.io_managers:
                    raise ResourceError(
                        f"Asset '{spec.key}' uses io_manager_key='{io_key}', but Definitions has "
                        f"no IO manager of that name: add io_managers={{'{io_key}': ...}}."
                        + did_you_mean(io_key, self.io_managers)
                    )


def _check_pools(pools: Mapping[str, int] | None) -> dict[str, int]:
    checked: dict[str, int] = {}
    for name, limit in (pools or {}).items():
        if not isinstance(name, str) or not name or not isinstance(limit, int) or limit < 1:
            raise DefinitionError(
                f"Definitions(pools=...): pool {name!r} needs a positive integer limit, got "
                f"{limit!r}."
            )
        checked[name] = limit
    return checked


def _check_retry_policy(policy: object) -> RetryPolicy | None:
    from assetgraph.definitions.retry import RetryPolicy

    if policy is not None and not isinstance(policy, RetryPolicy):
        raise DefinitionError(
            f"Definitions(retry_policy=...) must be a RetryPolicy, got {type(policy).__name__}."
        )
    return policy


def _check_assets(assets: Iterable[Any]) -> list[AssetsDefinition]:
    if isinstance(assets, AssetsDefinition):
        assets = [assets]
    checked: list[AssetsDefinition] = []
    seen: set[int] = set()
    for obj in assets:
        if not isinstance(obj, AssetsDefinition):
            name = getattr(obj, "__qualname__", repr(obj))
            hint = (
                " Decorate it with @asset (or @observable_source_asset)."
                if callable(obj)
                else " For data written elsewhere, use SourceAsset(key)."
                if isinstance(obj, str | AssetKey)
                else ""
            )
            raise DefinitionError(
                f"Definitions(assets=[...]) got {name!r} ({type(obj).__name__}), which is not "
                f"an asset.{hint}"
            )
        if id(obj) not in seen:
            seen.add(id(obj))
            checked.append(obj)
    return checked


def _check_asset_checks(checks: Iterable[Any]) -> list[AssetChecksDefinition]:
    if isinstance(checks, AssetChecksDefinition):
        checks = [checks]
    found: list[AssetChecksDefinition] = []
    for obj in checks:
        if not isinstance(obj, AssetChecksDefinition):
            name = getattr(obj, "__qualname__", repr(obj))
            hint = " Decorate it with @asset_check(asset=...)." if callable(obj) else ""
            raise DefinitionError(
                f"Definitions(asset_checks=[...]) got {name!r} ({type(obj).__name__}), which is "
                f"not an asset check.{hint}"
            )
        if all(obj is not seen for seen in found):
            found.append(obj)
    return found


def _checks_by_asset(
    checks: Iterable[AssetChecksDefinition], graph: AssetGraph
) -> dict[AssetKey, tuple[AssetChecksDefinition, ...]]:
    """Each asset's checks in declaration order; unknown assets and duplicate names refused."""
    known = {key.to_string() for key in graph.all_keys}
    by_asset: dict[AssetKey, list[AssetChecksDefinition]] = {}
    for check in checks:
        key = check.asset_key
        if key.to_string() not in known:
            raise DefinitionError(
                f"Asset check '{check.name}' ({check.source_location}) checks asset '{key}', "
                "which Definitions does not have." + did_you_mean(key.to_string(), known)
            )
        if check.name == SCHEMA_CHECK_NAME and graph.spec(key).schema is not None:
            raise DefinitionError(
                f"Asset check '{check.name}' ({check.source_location}): asset '{key}' has a "
                f"schema, whose validation is recorded as '{SCHEMA_CHECK_NAME}'; rename the check."
            )
        siblings = by_asset.setdefault(key, [])
        same = next((c for c in siblings if c.name == check.name), None)
        if same is not None:
            raise DefinitionError(
                f"Asset '{key}' has two checks named '{check.name}': at {same.source_location} "
                f"and at {check.source_location}. Give one a different name=."
            )
        siblings.append(check)
    return {key: tuple(found) for key, found in by_asset.items()}


def _is_io_manager(value: object) -> bool:
    return callable(getattr(value, "handle_output", None)) and callable(
        getattr(value, "load_input", None)
    )


def _check_automation(objects: Iterable[Any], what: str) -> tuple[Any, ...]:
    """Schedules or sensors, type-checked, with unique names."""
    from assetgraph.automation.schedules import ScheduleDefinition
    from assetgraph.automation.sensors import SensorDefinition

    expected = ScheduleDefinition if what == "schedules" else SensorDefinition
    found: dict[str, Any] = {}
    for obj in objects:
        if not isinstance(obj, expected):
            hint = "ScheduleDefinition(...)" if what == "schedules" else "an @sensor function"
            raise DefinitionError(
                f"Definitions({what}=[...]) got {type(obj).__name__}; expected {hint}."
            )
        if obj.name in found:
            raise DefinitionError(f"Definitions({what}=[...]) has two named '{obj.name}'.")
        found[obj.name] = obj
    return tuple(found.values())
