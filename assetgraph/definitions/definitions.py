"""``Definitions``: the assets, resources and IO managers of one code location."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from assetgraph.collector import garbage_collection_held
from assetgraph.definitions.assets import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from assetgraph.definitions.checks import SCHEMA_CHECK_NAME, AssetChecksDefinition
from assetgraph.definitions.external_assets import ExternalAsset, external_asset_for_key
from assetgraph.definitions.jobs import (
    IMPLICIT_ASSET_JOB_NAME,
    UnresolvedAssetJobDefinition,
    check_jobs,
    find_job,
)
from assetgraph.definitions.loggers import check_logger_defs
from assetgraph.definitions.merging import merged_arguments
from assetgraph.definitions.retry import RetryPolicy
from assetgraph.definitions.specs import AssetSpec, AssetSpecs
from assetgraph.errors import DefinitionError, ResourceError, UsageError, did_you_mean
from assetgraph.graph import AssetGraph
from assetgraph.io import InputManager
from assetgraph.keys import AssetKey

if TYPE_CHECKING:
    from assetgraph.automation.schedules import ScheduleDefinition
    from assetgraph.automation.sensors import SensorDefinition
    from assetgraph.definitions.jobs import JobDefinition
    from assetgraph.definitions.retry import RetryPolicy

_Named = TypeVar("_Named")

_RESOURCES_CHECKED_LATER: ContextVar[bool] = ContextVar("resources_checked_later", default=False)


@contextmanager
def resources_checked_later() -> Iterator[None]:
    """Within the block, ``Definitions`` leave out the check that the resources and IO
    managers their assets need are given: a ``defs/`` folder declares assets in one module
    and resources in another, as Dagster allows. Check the combined ``Definitions`` with
    ``Definitions.validate_loadable`` after the block."""
    token = _RESOURCES_CHECKED_LATER.set(True)
    try:
        yield
    finally:
        _RESOURCES_CHECKED_LATER.reset(token)


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
    ``sensors`` are run by ``assetgraph automate``. ``jobs`` are ``define_asset_job(...)``
    jobs, resolved here against the assets (jobs a schedule or sensor names by object are
    added too); ``get_job_def(name)`` returns one. ``loggers`` (``@logger`` definitions)
    receive the ``context.log`` lines of every run of the code location.
    """

    def __init__(
        self,
        assets: Iterable[AssetsDefinition | AssetSpec] | None = (),
        *,
        resources: Mapping[str, Any] | None = None,
        io_managers: Mapping[str, Any] | None = None,
        asset_checks: Iterable[AssetChecksDefinition] = (),
        pools: Mapping[str, int] | None = None,
        retry_policy: RetryPolicy | None = None,
        schedules: Iterable[ScheduleDefinition] = (),
        sensors: Iterable[SensorDefinition] = (),
        jobs: Iterable[Any] = (),
        loggers: Mapping[str, Any] | None = None,
    ) -> None:
        self.pools: dict[str, int] = _check_pools(pools)
        self.loggers: dict[str, Any] = check_logger_defs(loggers, "Definitions", "loggers")
        self.origin: tuple[str, str] | None = None  # where load_definitions found it
        self.retry_policy = _check_retry_policy(retry_policy)
        # Dagster's ``assets=None`` (a location with resources only) is no assets
        with garbage_collection_held():  # thousands of long-lived objects, no cycles to find
            self.assets: tuple[AssetsDefinition, ...] = tuple(_check_assets(assets or ()))
        self.asset_checks: tuple[AssetChecksDefinition, ...] = tuple(
            _check_asset_checks(asset_checks)
        )
        self.resources: dict[str, Any] = dict(resources or {})
        for assets_def in self.assets:  # Dagster's with_resources(assets, resource_defs)
            for name, value in getattr(assets_def, "bound_resources", {}).items():
                self.resources.setdefault(name, value)
        self.io_managers: dict[str, Any] = dict(io_managers or {})
        for name, value in self.resources.items():
            if is_io_manager(value):
                self.io_managers.setdefault(name, value)
        with garbage_collection_held():
            self.graph = _graph_with_checked_assets(self.assets, self.asset_checks)
        if not _RESOURCES_CHECKED_LATER.get():
            self._check_resources()
        self.checks_by_asset: dict[AssetKey, tuple[AssetChecksDefinition, ...]] = _checks_by_asset(
            self.asset_checks, self.graph
        )
        # Automation (schedules and sensors): see assetgraph.automation.
        self.schedules: tuple[ScheduleDefinition, ...] = _check_automation(schedules, "schedules")
        self.sensors: tuple[SensorDefinition, ...] = _check_automation(sensors, "sensors")
        # Jobs (define_asset_job), with those the schedules and sensors reference: see
        # assetgraph.definitions.jobs.
        self.jobs: tuple[JobDefinition, ...] = _check_jobs(self, jobs)

    def get_asset_value_loader(self, instance: Any = None) -> Any:
        """An ``AssetValueLoader`` (Dagster's): ``with defs.get_asset_value_loader() as
        loader: loader.load_asset_value(key)`` loads stored values through the IO managers
        of these Definitions; resources are torn down when the block ends."""
        from assetgraph.execution.value_loader import AssetValueLoader

        return AssetValueLoader(self, instance)

    def load_asset_value(
        self,
        asset_key: Any,
        *,
        python_type: type | None = None,
        instance: Any = None,
        partition_key: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Any:
        """The stored value of ``asset_key`` as its IO manager loads it (Dagster's)."""
        with self.get_asset_value_loader(instance) as loader:
            return loader.load_asset_value(
                asset_key,
                python_type=python_type,
                partition_key=partition_key,
                metadata=dict(metadata or {}),
            )

    def with_resources(self, resources: Mapping[str, Any]) -> Definitions:
        """A copy with ``resources`` added (replacing those of the same name)."""
        merged = copy.copy(self)
        merged.resources = {**self.resources, **resources}
        merged.io_managers = dict(self.io_managers)
        for name, value in resources.items():
            if is_io_manager(value):
                merged.io_managers[name] = value
        merged._check_resources()
        return merged

    @staticmethod
    def merge(*def_sets: Definitions) -> Definitions:
        """One ``Definitions`` holding everything of ``def_sets``, as Dagster's does.

        A name given twice (an asset key, a resource or IO manager key bound to different
        objects, a schedule, sensor or job, a pool with different limits) is an error that
        names it; so are two different default retry policies.
        """
        for position, defs in enumerate(def_sets):
            if not isinstance(defs, Definitions):
                raise DefinitionError(
                    f"Definitions.merge: argument {position + 1} is a {type(defs).__name__}, "
                    "not Definitions."
                )
        return Definitions(**merged_arguments(def_sets))

    def map_asset_specs(
        self, *, func: Callable[[AssetSpec], AssetSpec], selection: Any = None
    ) -> Definitions:
        """A copy whose assets (those of ``selection`` when given: a selection string or an
        ``AssetSelection``) have their specs passed through ``func``, as Dagster's does:
        the group, tags, kinds, owners, metadata, description, code version and automation
        condition change, deps may be added, keys stay."""
        from assetgraph.definitions.asset_selection import AssetSelection
        from assetgraph.definitions.spec_mapping import mapped

        keys: set[AssetKey] | None = None
        if selection is not None:
            chosen = (
                AssetSelection.from_string(selection, include_sources=True)
                if isinstance(selection, str)
                else AssetSelection.from_coercible(selection)
            )
            keys = chosen.resolve(self)
        arguments = merged_arguments([self])
        arguments["assets"] = [mapped(a, func, keys) for a in self.assets]
        return Definitions(**arguments)

    map_resolved_asset_specs = map_asset_specs

    def resolve_all_asset_specs(self) -> list[AssetSpec]:
        """The ``AssetSpec`` of every asset, in order (Dagster's; also
        ``get_all_asset_specs``)."""
        from assetgraph.definitions.spec_mapping import spec_of

        return [spec_of(a, output) for a in self.assets for output in a.specs]

    get_all_asset_specs = resolve_all_asset_specs

    def resolve_assets_def(self, key: Any) -> AssetsDefinition:
        """The definition that builds asset ``key`` (Dagster's; also ``get_assets_def``)."""
        wanted = AssetKey.from_user(key)
        for assets_def in self.assets:
            if wanted in assets_def.keys:
                return assets_def
        known = [k.to_string() for a in self.assets for k in a.keys]
        hint = did_you_mean(str(wanted), known)
        raise UsageError(f"No asset '{wanted}' in these Definitions.{hint}")

    get_assets_def = resolve_assets_def

    def get_job_def(self, name: str) -> JobDefinition:
        """The job called ``name`` (``define_asset_job``), or a UsageError naming the nearest."""
        if name == IMPLICIT_ASSET_JOB_NAME:
            return self.get_implicit_global_asset_job_def()
        return find_job({job.name: job for job in self.jobs}, name).bound_to(self)

    def get_all_job_defs(self) -> list[JobDefinition]:
        """Every job of the code location, in declaration order."""
        return [job.bound_to(self) for job in self.jobs]

    def get_implicit_global_asset_job_def(self) -> JobDefinition:
        """The job of every materializable asset (Dagster's ``__ASSET_JOB``)."""
        from assetgraph.definitions.asset_selection import AssetSelection

        job = UnresolvedAssetJobDefinition(IMPLICIT_ASSET_JOB_NAME, AssetSelection.all())
        return job.resolve_for(self)

    def get_schedule_def(self, name: str) -> ScheduleDefinition:
        """The schedule called ``name`` (resolved against these definitions, as a schedule
        built from a partitioned asset job needs), or a UsageError naming the nearest."""
        found: ScheduleDefinition = _find_named(self.schedules, name, "schedule")
        return found.resolved_for(self)

    def get_sensor_def(self, name: str) -> SensorDefinition:
        """The sensor called ``name``, or a UsageError naming the nearest."""
        return _find_named(self.sensors, name, "sensor")

    def get_asset_graph(self) -> AssetGraph:
        """The validated asset graph."""
        return self.graph

    # Dagster >= 1.10 names of the getters above.
    resolve_job_def = get_job_def
    resolve_all_job_defs = get_all_job_defs
    resolve_implicit_global_asset_job_def = get_implicit_global_asset_job_def
    resolve_schedule_def = get_schedule_def
    resolve_sensor_def = get_sensor_def
    resolve_asset_graph = get_asset_graph

    @staticmethod
    def validate_loadable(defs: Definitions) -> None:
        """Raise if ``defs`` could not run: an asset needs a resource or IO manager that is
        not given (Dagster's). Skipped inside ``resources_checked_later()``."""
        if not _RESOURCES_CHECKED_LATER.get():
            defs._check_resources()

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
                provided = self.resources[param]
                if not isinstance(provided, annotation) and not _built_at_run(provided):
                    raise ResourceError(
                        f"Asset '{assets_def.name}': resource '{param}' is a "
                        f"{type(self.resources[param]).__name__}, but the parameter is annotated "
                        f"{annotation.__name__}."
                    )
            for key in sorted(getattr(assets_def, "required_resource_keys", ())):
                if key not in self.resources:
                    raise ResourceError(
                        f"Asset '{assets_def.name}' ({assets_def.source_location}) requires the "
                        f"resource '{key}' (required_resource_keys), which Definitions does not "
                        f"provide: add resources={{'{key}': ...}}."
                        + did_you_mean(key, self.resources)
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
    flat = [a for obj in assets for a in (obj if isinstance(obj, AssetSpecs) else (obj,))]
    for obj in flat:
        if isinstance(obj, AssetSpec):  # Dagster: a bare spec is an external asset
            obj = ExternalAsset(obj, defined_at=f"AssetSpec('{obj.key}')")
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


def _graph_with_checked_assets(
    assets: Sequence[AssetsDefinition], checks: Iterable[AssetChecksDefinition]
) -> AssetGraph:
    """The graph of ``assets``, with an external asset for each asset a check names that
    no definition has (Dagster does the same: checks may watch what others write)."""
    graph = AssetGraph(assets)
    unknown = {
        spec.asset_key: check
        for check in checks
        for spec in check.specs
        if not graph.has(spec.asset_key)
    }
    if not unknown:
        return graph
    stubs = [
        external_asset_for_key(key, f"asset check '{check.name}'", "checked by")
        for key, check in unknown.items()
    ]
    return AssetGraph([*assets, *stubs])


def _checks_by_asset(
    checks: Iterable[AssetChecksDefinition], graph: AssetGraph
) -> dict[AssetKey, tuple[AssetChecksDefinition, ...]]:
    """Each asset's checks in declaration order; unknown assets and duplicate names refused."""
    known = {key.to_string() for key in graph.all_keys}
    by_asset: dict[AssetKey, list[AssetChecksDefinition]] = {}
    for check in checks:
        for spec in check.specs:
            if spec.asset_key.to_string() not in known:
                raise DefinitionError(
                    f"Asset check '{spec.name}' ({check.source_location}) checks asset "
                    f"'{spec.asset_key}', which Definitions does not have."
                    + did_you_mean(spec.asset_key.to_string(), known)
                )
        for key in _check_hosts(check, graph):
            if check.name == SCHEMA_CHECK_NAME and graph.spec(key).schema is not None:
                raise DefinitionError(
                    f"Asset check '{check.name}' ({check.source_location}): asset '{key}' has "
                    f"a schema, whose validation is recorded as '{SCHEMA_CHECK_NAME}'; rename "
                    "the check."
                )
            siblings = by_asset.setdefault(key, [])
            same = next((c for c in siblings if c.name == check.name), None)
            if same is not None:
                raise DefinitionError(
                    f"Asset '{key}' has two checks named '{check.name}': at "
                    f"{same.source_location} and at {check.source_location}. Give one a "
                    "different name=."
                )
            siblings.append(check)
    return {key: tuple(found) for key, found in by_asset.items()}


def _check_hosts(check: AssetChecksDefinition, graph: AssetGraph) -> list[AssetKey]:
    """The assets in whose steps ``check`` runs: each checked asset for checks that run
    per asset (``build_metadata_bounds_checks``), else the one host."""
    if getattr(check, "runs_per_asset", False):
        return list(dict.fromkeys(spec.asset_key for spec in check.specs))
    return [_multi_check_host(check, graph) if check.is_multi else check.asset_key]


def _multi_check_host(check: AssetChecksDefinition, graph: AssetGraph) -> AssetKey:
    """The checked asset in whose step a ``@multi_asset_check`` runs: the one every other
    checked asset is upstream of (or made by the same function)."""
    keys = list(dict.fromkeys(spec.asset_key for spec in check.specs))
    for host in reversed(graph.toposort(keys)):
        ancestors: set[AssetKey] = set()
        stack = [host]
        while stack:
            for parent in graph.parents(stack.pop()):
                if parent not in ancestors:
                    ancestors.add(parent)
                    stack.append(parent)
        made_with = set(graph.assets_def(host).keys)
        if all(key in ancestors or key in made_with for key in keys):
            return host
    raise DefinitionError(
        f"@multi_asset_check '{check.name}' ({check.source_location}) checks "
        f"{', '.join(k.to_string() for k in keys)}, but none of them is downstream of all the "
        "others; assetgraph runs a multi-asset check in the step of its last asset, so split "
        "it into one check per independent asset."
    )


def is_io_manager(value: object) -> bool:
    """True for an IO manager object or an ``@io_manager`` definition."""
    if getattr(value, "__assetgraph_kind__", None) == "io_manager_definition":
        return True  # an @io_manager function, called when a run starts
    if isinstance(value, InputManager) or callable(getattr(value, "create_io_manager", None)):
        return True  # an input manager, or a ConfigurableIOManagerFactory
    return callable(getattr(value, "handle_output", None)) and callable(
        getattr(value, "load_input", None)
    )


def _check_jobs(defs: Definitions, jobs: Iterable[Any]) -> tuple[JobDefinition, ...]:
    """The jobs given, and those the schedules and sensors reference, resolved."""
    referenced = [getattr(obj, "job", None) for obj in (*defs.schedules, *defs.sensors)]
    for sensor in defs.sensors:
        referenced.extend(getattr(sensor, "jobs", None) or ())
    given = list(jobs)
    named = [obj for obj in referenced if obj is not None and not isinstance(obj, str)]
    return tuple(check_jobs(given, named, defs).values())


def _find_named(objects: Iterable[_Named], name: str, what: str) -> _Named:
    found = {str(getattr(obj, "name", "")): obj for obj in objects}
    if name not in found:
        raise UsageError(
            f"Unknown {what} '{name}' ({what}s: {', '.join(found) or 'none'})."
            + did_you_mean(name, found)
        )
    return found[name]


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


def _built_at_run(value: object) -> bool:
    """An ``@resource`` function, a resource factory or one configured at launch: its value,
    built when a run starts, is not checked here."""
    if callable(getattr(value, "build_for_run", None)) or hasattr(value, "resource_class"):
        return True
    return getattr(value, "__assetgraph_kind__", None) in (
        "resource_definition",
        "io_manager_definition",
    )
