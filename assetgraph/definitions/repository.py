"""Dagster's ``@repository``: a function returning the definitions of a code location.

The function returns a list of assets, asset checks, jobs (op jobs, asset jobs; a graph
becomes a job of its name), schedules and sensors, or Dagster's dict form
``{"jobs": {...}, "schedules": {...}, ...}``; ``@repository`` makes a ``Definitions`` of
them, which a code location loads as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, overload

from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.checks import AssetChecksDefinition
from assetgraph.definitions.definitions import Definitions
from assetgraph.definitions.jobs import JobDefinition, UnresolvedAssetJobDefinition
from assetgraph.definitions.op_graph import GraphDefinition
from assetgraph.definitions.specs import AssetSpec
from assetgraph.errors import DefinitionError

_KINDS = {
    "ScheduleDefinition": "schedules",
    "SensorDefinition": "sensors",
    "AssetSensorDefinition": "sensors",
    "RunStatusSensorDefinition": "sensors",
}


@overload
def repository(fn: Callable[[], Any], /) -> Definitions: ...


@overload
def repository(
    fn: None = None, /, *, name: str | None = None, description: str | None = None, **ignored: Any
) -> Callable[[Callable[[], Any]], Definitions]: ...


def repository(
    fn: Callable[[], Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    **ignored: Any,
) -> Definitions | Callable[[Callable[[], Any]], Definitions]:
    """The ``Definitions`` of what the decorated function returns (see the module doc)."""

    def decorate(func: Callable[[], Any]) -> Definitions:
        returned = func()
        if isinstance(returned, Mapping):
            returned = [obj for group in returned.values() for obj in _values(group)]
        if not isinstance(returned, Iterable):
            raise DefinitionError(
                f"@repository '{name or func.__name__}' must return a list of definitions, got "
                f"{type(returned).__name__}."
            )
        found = _sorted(name or func.__name__, returned)
        return Definitions(
            assets=found["assets"],
            asset_checks=found["asset_checks"],
            jobs=found["jobs"],
            schedules=found["schedules"],
            sensors=found["sensors"],
        )

    return decorate(fn) if fn is not None else decorate


def _values(group: Any) -> list[Any]:
    if isinstance(group, Mapping):
        return list(group.values())
    return list(group)


def _sorted(repo: str, objects: Iterable[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {
        "assets": [],
        "asset_checks": [],
        "jobs": [],
        "schedules": [],
        "sensors": [],
    }
    for obj in objects:
        kind = _KINDS.get(type(obj).__name__) or next(
            (_KINDS[base.__name__] for base in type(obj).__mro__ if base.__name__ in _KINDS), None
        )
        if kind is not None:
            found[kind].append(obj)
        elif isinstance(obj, AssetChecksDefinition):
            found["asset_checks"].append(obj)
        elif isinstance(obj, AssetsDefinition | AssetSpec):
            found["assets"].append(obj)
        elif isinstance(obj, JobDefinition | UnresolvedAssetJobDefinition):
            found["jobs"].append(obj)
        elif isinstance(obj, GraphDefinition):  # as Dagster's repository: a job of the graph
            found["jobs"].append(obj.to_job())
        else:
            raise DefinitionError(
                f"@repository '{repo}' returned {type(obj).__name__} ({obj!r}): return assets, "
                "asset checks, jobs, schedules and sensors."
            )
    return found
