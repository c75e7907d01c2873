"""Asset jobs: ``define_asset_job`` names a selection of assets to run together, as in Dagster.

``define_asset_job(name, selection)`` returns an unresolved job; ``Definitions(jobs=[...])``
resolves it against the code location's asset graph into a ``JobDefinition`` (its keys,
its partitions definition inferred from the selected assets, its config and tags), which
``defs.get_job_def(name)`` returns and ``assetgraph materialize --job NAME`` runs.

For schedules and sensors (``job=``): a job object and a job name both name a job of the
``Definitions``; ``defs.get_job_def(name)`` finds it, and ``job.asset_keys``,
``job.partitions_def``, ``job.run_tags_for_run()`` and ``job.run_config_for()`` say what a run
of it builds and with which tags and config.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assetgraph.definitions.check_specs import AssetCheckKey
from assetgraph.definitions.hooks import HookDefinition, as_hook_set
from assetgraph.errors import (
    AssetgraphError,
    DefinitionError,
    RunConfigError,
    SelectionError,
    UsageError,
    did_you_mean,
)
from assetgraph.keys import AssetKey, CoercibleToAssetKey

if TYPE_CHECKING:
    from assetgraph.automation.requests import RunRequest
    from assetgraph.definitions.asset_selection import AssetSelection
    from assetgraph.definitions.definitions import Definitions
    from assetgraph.definitions.partitioned_config import PartitionedConfig
    from assetgraph.definitions.retry import RetryPolicy
    from assetgraph.execution.result import ExecuteInProcessResult
    from assetgraph.partitions.definitions import PartitionsDefinition
    from assetgraph.storage.instance import Instance

JOB_TAG = "assetgraph/job"
"""Run tag naming the job a run belongs to (Dagster shows the job name on each run)."""
IMPLICIT_ASSET_JOB_NAME = "__ASSET_JOB"
"""The name of the job of every asset (``Definitions.get_implicit_global_asset_job_def``)."""
PARTITION_TAG = "dagster/partition"
"""The partition a run of a partitioned job builds (or picks config for)."""
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_EXECUTORS = ("in_process", "multiprocess")


@dataclass(frozen=True, eq=False)
class UnresolvedAssetJobDefinition:
    """A job made by ``define_asset_job``: its selection is resolved by ``Definitions``."""

    name: str
    selection: AssetSelection
    config: Mapping[str, Any] | None = None
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    run_tags: Mapping[str, str] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    partitions_def: PartitionsDefinition | None = None
    executor_def: str | None = None
    op_retry_policy: RetryPolicy | None = None
    partitioned_config: PartitionedConfig | None = None
    hook_defs: frozenset[HookDefinition] = frozenset()

    def run_request_for_partition(self, partition_key: str, **kwargs: Any) -> RunRequest:
        """A ``RunRequest`` for one partition of this job (Dagster's helper)."""
        return run_request_for_partition(self.name, partition_key, **kwargs)

    def resolve_for(self, defs: Definitions) -> JobDefinition:
        """This job against ``defs``: its keys, and the partitions definition they share."""
        graph = defs.graph
        try:
            keys = self.selection.resolve(graph)
        except SelectionError as exc:
            raise DefinitionError(f"Job '{self.name}': {exc}") from None
        ordered = tuple(graph.toposort(keys))
        checks = self.selection.resolve_checks(defs)
        check_keys = tuple(sorted(checks, key=lambda c: (c.asset_key.to_string(), c.name)))
        partitions_def = self.partitions_def
        if self.partitioned_config is not None:
            _check_partitioned_config(self.name, self.partitioned_config, ordered, defs)
        elif partitions_def is None:
            partitions_def = _shared_partitions_def(self.name, ordered, defs)
        return JobDefinition(
            name=self.name,
            asset_keys=ordered,
            definitions=defs,
            asset_check_keys=check_keys,
            config=self.config,
            description=self.description,
            tags=dict(self.tags),
            run_tags=None if self.run_tags is None else dict(self.run_tags),
            metadata=dict(self.metadata),
            partitions_def=partitions_def,
            executor_def=self.executor_def,
            op_retry_policy=self.op_retry_policy,
            unresolved=self,
            partitioned_config=self.partitioned_config,
            hook_defs=self.hook_defs,
        )


@dataclass(frozen=True, eq=False)
class JobDefinition:
    """A job resolved against a code location: what a run of it builds, and how."""

    name: str
    asset_keys: tuple[AssetKey, ...]
    definitions: Definitions = field(repr=False)
    config: Mapping[str, Any] | None = None
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    run_tags: Mapping[str, str] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    partitions_def: PartitionsDefinition | None = None
    executor_def: str | None = None
    op_retry_policy: RetryPolicy | None = None
    unresolved: UnresolvedAssetJobDefinition | None = field(default=None, repr=False)
    partitioned_config: PartitionedConfig | None = None
    hook_defs: frozenset[HookDefinition] = frozenset()
    """Hooks run after each step of the job's runs (``hooks=``)."""
    asset_check_keys: tuple[AssetCheckKey, ...] = ()
    """The asset checks a run of the job runs: those of its assets in their steps, the
    others alone, on what is stored (a job of ``checks_for_assets(...)``)."""

    def run_request_for_partition(self, partition_key: str, **kwargs: Any) -> RunRequest:
        """A ``RunRequest`` for one partition of this job (Dagster's helper)."""
        return run_request_for_partition(self.name, partition_key, **kwargs)

    def runs_partitions_of_assets(self) -> bool:
        """False when a partition of this job only picks config (its partitioned config's),
        its assets being unpartitioned."""
        if self.partitioned_config is None:
            return True
        graph = self.definitions.graph
        return any(graph.partitions_def(key) is not None for key in self.asset_keys)

    @property
    def selection(self) -> AssetSelection:
        """The job's assets and checks, as a selection."""
        return self.selection_for_run(self.asset_keys)

    def selection_for_run(self, keys: Sequence[AssetKey]) -> AssetSelection:
        """``keys`` (the job's or a subset) with the job's checks on what a run of them
        builds, plus the job's checks that run alone when the run is of the whole job."""
        from assetgraph.definitions.asset_selection import AssetSelection

        whole = set(keys) == set(self.asset_keys)
        checks = [c for c in self.asset_check_keys if whole or c.asset_key in set(keys)]
        return AssetSelection.assets(*keys).without_checks() | AssetSelection.checks(*checks)

    def run_tags_for_run(
        self, tags: Mapping[str, str] | None = None, partition_key: str | None = None
    ) -> dict[str, str]:
        """The tags of a run of this job: ``run_tags`` (else ``tags``, as in Dagster), the
        partitioned config's tags of ``partition_key``, the job's name under
        ``assetgraph/job``, then ``tags`` given for this run."""
        base = dict(self.tags if self.run_tags is None else self.run_tags)
        if self.partitioned_config is not None and partition_key is not None:
            base.update(self.partitioned_config.get_tags_for_partition_key(partition_key))
            base[PARTITION_TAG] = partition_key
        return {**base, JOB_TAG: self.name, **(tags or {})}

    def run_config_for(
        self, run_config: Any = None, partition_key: str | None = None
    ) -> dict[str, Any]:
        """The job's config (with a partitioned config, the config of ``partition_key``)
        with ``run_config`` (a mapping, or an object with Dagster's ``to_config_dict()``)
        merged over it: ``run_config`` wins."""
        override = _check_config(self.name, run_config, RunConfigError) or {}
        base = dict(self.config or {})
        if self.partitioned_config is not None:
            if partition_key is None:
                raise UsageError(
                    f"Job '{self.name}' has a partitioned config: name the partition to run "
                    "(partition_key=..., --partition)."
                )
            base = self.partitioned_config.get_run_config_for_partition_key(partition_key)
        return _merge(base, override)

    def keys_for_run(self, asset_selection: Sequence[CoercibleToAssetKey] | None) -> list[AssetKey]:
        """The job's keys, or the subset ``asset_selection`` names (each must be in the job)."""
        if asset_selection is None:
            return list(self.asset_keys)
        wanted = [AssetKey.from_user(key) for key in asset_selection]
        known = set(self.asset_keys)
        for key in wanted:
            if key not in known:
                raise UsageError(
                    f"Asset '{key}' is not part of job '{self.name}'."
                    + did_you_mean(key.to_string(), [k.to_string() for k in self.asset_keys])
                )
        return [key for key in self.asset_keys if key in set(wanted)]

    def definitions_for_run(self, resources: Mapping[str, Any] | None = None) -> Definitions:
        """The code location a run of this job uses: with ``resources`` added, and the job's
        ``op_retry_policy`` as the default retry policy."""
        defs = self.definitions.with_resources(resources) if resources else self.definitions
        if self.op_retry_policy is not None:
            defs = copy.copy(defs)
            defs.retry_policy = self.op_retry_policy
        return defs

    def execute_in_process(
        self,
        run_config: Any = None,
        instance: Instance | None = None,
        partition_key: str | None = None,
        raise_on_error: bool = True,
        op_selection: Sequence[str] | None = None,
        asset_selection: Sequence[CoercibleToAssetKey] | None = None,
        tags: Mapping[str, str] | None = None,
        resources: Mapping[str, Any] | None = None,
    ) -> ExecuteInProcessResult:
        """Run this job's assets in this process, as one run, and return its result.

        Without ``instance`` the run goes to an ephemeral instance (nothing persists), as in
        Dagster. ``partition_key`` runs one partition; the tags
        ``dagster/asset_partition_range_start`` / ``_end`` run a range. ``asset_selection``
        runs a subset of the job. With ``raise_on_error`` (the default) a failed run raises.
        """
        # The one place a definition runs itself (Dagster's API): execution is imported here,
        # on use, under an import-linter exception declared in pyproject.toml.
        from assetgraph.execution.materialize import materialize
        from assetgraph.execution.observe import observe_in_process

        if op_selection is not None:
            asset_selection = [*(asset_selection or ()), *op_selection]
        run_tags = self.run_tags_for_run(tags, partition_key)
        start, end = run_tags.get(PARTITION_RANGE_START_TAG), run_tags.get(PARTITION_RANGE_END_TAG)
        if (start is None) != (end is None):
            raise UsageError(
                f"Job '{self.name}': give both {PARTITION_RANGE_START_TAG} and "
                f"{PARTITION_RANGE_END_TAG} tags, or neither."
            )
        keys = self.keys_for_run(asset_selection)
        if not keys and not self.asset_check_keys:
            raise UsageError(
                f"Job '{self.name}' selects no assets and no checks: there is nothing to run."
            )
        defs = self.definitions_for_run(resources)
        if keys and all(defs.graph.is_observable_source(key) for key in keys):
            # A job of observable source assets observes them (Dagster's observation job).
            return observe_in_process(
                defs, keys, instance=instance, tags=run_tags, raise_on_error=raise_on_error
            )
        return materialize(
            defs,
            selection=self.selection_for_run(keys),
            instance=instance,
            run_config=self.run_config_for(run_config, partition_key),
            tags=run_tags,
            raise_on_error=raise_on_error,
            partition_key=partition_key if self.runs_partitions_of_assets() else None,
            partition_range=None if start is None or end is None else f"{start}...{end}",
        )

    def bound_to(self, defs: Definitions) -> JobDefinition:
        """This job for ``defs`` (a copy of the Definitions it was resolved against)."""
        return self if defs is self.definitions else dataclasses.replace(self, definitions=defs)


def define_asset_job(
    name: str,
    selection: Any = None,
    config: Any = None,
    description: str | None = None,
    tags: Mapping[str, Any] | None = None,
    run_tags: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    partitions_def: PartitionsDefinition | None = None,
    executor_def: Any = None,
    hooks: Any = None,
    op_retry_policy: RetryPolicy | None = None,
) -> UnresolvedAssetJobDefinition:
    """A job that materializes the assets ``selection`` names (every asset when None).

    ``selection``: an ``AssetSelection``, a selection string (Dagster's syntax), or a list
    of strings, ``AssetKey``s or asset definitions. ``config``: run config used by each run
    (a run's own config is merged over it). ``tags`` go on each run unless ``run_tags`` is
    given. ``partitions_def`` is inferred from the selected assets when they share one.
    ``executor_def`` (``"in_process"`` / ``"multiprocess"`` or Dagster's executor objects)
    is recorded; ``assetgraph materialize --job`` takes ``--executor``. ``hooks``
    (``@success_hook`` / ``@failure_hook``) run after each asset step of the job's runs.
    ``op_retry_policy`` is the retry policy of assets without their own.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise DefinitionError(
            f"define_asset_job: invalid job name {name!r}: use letters, digits and '_' only."
        )
    from assetgraph.definitions.asset_selection import AssetSelection

    try:
        resolved_selection = (
            AssetSelection.all() if selection is None else AssetSelection.from_coercible(selection)
        )
    except SelectionError as exc:
        raise DefinitionError(f"Job '{name}': {exc}") from None
    from assetgraph.definitions.partitioned_config import PartitionedConfig

    partitioned_config = config if isinstance(config, PartitionedConfig) else None
    if partitioned_config is not None:
        if partitions_def is not None and partitions_def != partitioned_config.partitions_def:
            raise DefinitionError(
                f"Job '{name}': partitions_def differs from the partitions of its partitioned "
                "config; give one of them."
            )
        partitions_def, config = partitioned_config.partitions_def, None
    return UnresolvedAssetJobDefinition(
        name=name,
        selection=resolved_selection,
        config=_check_config(name, config),
        partitioned_config=partitioned_config,
        description=description,
        tags=_string_tags(name, tags, "tags"),
        run_tags=None if run_tags is None else _string_tags(name, run_tags, "run_tags"),
        metadata=dict(metadata or {}),
        partitions_def=partitions_def,
        executor_def=_executor_name(name, executor_def),
        op_retry_policy=op_retry_policy,
        hook_defs=as_hook_set(hooks, f"define_asset_job('{name}')"),
    )


def _check_config(
    name: str, config: Any, error: type[AssetgraphError] = DefinitionError
) -> dict[str, Any] | None:
    """``config`` as a run config mapping; ``error`` when it is not one."""
    if config is None:
        return None
    to_dict = getattr(config, "to_config_dict", None)  # Dagster's RunConfig
    if callable(to_dict):
        config = to_dict()
    if not isinstance(config, Mapping):
        raise error(
            f"Job '{name}': config must be a run config mapping (or a RunConfig), got "
            f"{type(config).__name__}; ConfigMapping is not supported."
        )
    return dict(config)


def run_request_for_partition(
    job_name: str,
    partition_key: str,
    run_key: str | None = None,
    tags: Mapping[str, str] | None = None,
    asset_selection: Sequence[CoercibleToAssetKey] | None = None,
    run_config: Mapping[str, Any] | None = None,
    current_time: Any = None,
    dynamic_partitions_store: Any = None,
) -> RunRequest:
    """A ``RunRequest`` naming ``job_name`` and ``partition_key``."""
    from assetgraph.automation.requests import RunRequest

    return RunRequest(
        run_key=run_key,
        run_config=run_config,
        tags=tags,
        job_name=job_name,
        asset_selection=None if asset_selection is None else list(asset_selection),
        partition_key=partition_key,
    )


def _check_partitioned_config(
    name: str, config: PartitionedConfig, keys: Sequence[AssetKey], defs: Definitions
) -> None:
    """A job's partitioned assets must share its partitioned config's definition."""
    for key in keys:
        found = defs.graph.partitions_def(key)
        if found is not None and found != config.partitions_def:
            raise DefinitionError(
                f"Job '{name}': asset '{key}' is partitioned by {found!r}, but the job's "
                f"partitioned config by {config.partitions_def!r}; they must be the same."
            )


def _string_tags(name: str, tags: Mapping[str, Any] | None, what: str) -> dict[str, str]:
    checked: dict[str, str] = {}
    for key, value in (tags or {}).items():
        if not isinstance(key, str):
            raise DefinitionError(f"Job '{name}': {what} keys must be strings, got {key!r}.")
        checked[key] = value if isinstance(value, str) else _json(value)
    return checked


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _executor_name(name: str, executor_def: Any) -> str | None:
    if executor_def is None:
        return None
    executor = executor_def if isinstance(executor_def, str) else getattr(executor_def, "name", "")
    if executor not in _EXECUTORS:
        raise DefinitionError(
            f"Job '{name}': executor_def {executor_def!r} is not supported: use "
            f"{' or '.join(repr(e) for e in _EXECUTORS)}."
        )
    return str(executor)


def _shared_partitions_def(
    name: str, keys: Sequence[AssetKey], defs: Definitions
) -> PartitionsDefinition | None:
    """The partitions definition the job's partitioned assets share, or a DefinitionError."""
    found: list[tuple[AssetKey, PartitionsDefinition]] = []
    for key in keys:
        pdef = defs.graph.partitions_def(key)
        if pdef is not None and all(pdef != seen for _, seen in found):
            found.append((key, pdef))
    if len(found) > 1:
        listed = "; ".join(f"'{key}': {pdef!r}" for key, pdef in found)
        raise DefinitionError(
            f"Job '{name}' selects partitioned assets with different partitions definitions "
            f"({listed}). Selected assets must share one partitions definition: split the job, "
            "or give define_asset_job(partitions_def=...)."
        )
    return found[0][1] if found else None


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def check_jobs(
    jobs: Sequence[Any], referenced: Sequence[Any], defs: Definitions
) -> dict[str, JobDefinition]:
    """The jobs of ``Definitions(jobs=...)`` and those its schedules and sensors reference,
    resolved against ``defs``, by name; two different jobs of one name are refused."""
    found: dict[str, Any] = {}
    for obj in [*jobs, *referenced]:
        if not isinstance(obj, UnresolvedAssetJobDefinition | JobDefinition):
            if obj in jobs:
                raise DefinitionError(
                    f"Definitions(jobs=[...]) got {type(obj).__name__} ({obj!r}); expected a "
                    "job made by define_asset_job(...), @job or graph.to_job(...)."
                )
            continue  # a job name: the schedule or sensor resolves it later
        previous = found.get(obj.name)
        if previous is not None and _origin(previous) is not _origin(obj):
            raise DefinitionError(
                f"Definitions has two different jobs named '{obj.name}': rename one."
            )
        found[obj.name] = obj
    resolved: dict[str, JobDefinition] = {}
    for job_name, obj in found.items():
        if isinstance(obj, JobDefinition):  # e.g. from Definitions.merge: resolve it again
            source = obj.unresolved
            resolved[job_name] = obj.bound_to(defs) if source is None else source.resolve_for(defs)
        else:
            resolved[job_name] = obj.resolve_for(defs)
    return resolved


def _origin(job: UnresolvedAssetJobDefinition | JobDefinition) -> object:
    """What made ``job``: the same ``define_asset_job`` call counts once, however resolved."""
    if isinstance(job, JobDefinition) and job.unresolved is not None:
        return job.unresolved
    return job


def find_job(jobs: Mapping[str, JobDefinition], name: str) -> JobDefinition:
    """The job called ``name``, or a UsageError with the nearest job names."""
    job = jobs.get(name)
    if job is None:
        names = ", ".join(sorted(jobs)) or "none"
        raise UsageError(f"Unknown job '{name}' (jobs: {names})." + did_you_mean(name, list(jobs)))
    return job
