"""``dbt_assets``: a dbt project's models, seeds and snapshots as one subsettable multi-asset.

Two shapes, one name:

- ``dbt_assets("path/to/project", select=..., exclude=...)`` returns the assets; building
  any of them runs ``dbt build`` for exactly those (partitioned ones with the partition's
  window as dbt vars);
- ``@dbt_assets(manifest=..., project=...)`` decorates a function, as dagster-dbt does;
  the function usually runs ``yield from dbt.cli(["build"], context=context).stream()``.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, overload

from assetgraph.dbt.nodes import DbtNodes, build_dbt_nodes, remember_nodes
from assetgraph.dbt.project import DbtProject, as_project, read_manifest
from assetgraph.dbt.resource import current_dbt_nodes, run_dbt
from assetgraph.dbt.translator import DagsterDbtTranslator
from assetgraph.definitions.assets import AssetsDefinition
from assetgraph.definitions.multi_assets import multi_asset
from assetgraph.errors import DefinitionError

PartitionVars = Callable[[Any], Mapping[str, Any]]


@overload
def dbt_assets(
    project_dir: DbtProject | str | os.PathLike[str],
    *,
    manifest: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    project: DbtProject | None = None,
    profiles_dir: str | os.PathLike[str] | None = None,
    target: str | None = None,
    select: str = "fqn:*",
    exclude: str | None = None,
    selector: str | None = None,
    name: str | None = None,
    io_manager_key: str | None = None,
    partitions_def: Any = None,
    backfill_policy: Any = None,
    dagster_dbt_translator: DagsterDbtTranslator | None = None,
    partition_vars: PartitionVars | None = None,
    retry_policy: Any = None,
    pool: str | None = None,
    op_tags: Mapping[str, Any] | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> AssetsDefinition: ...


@overload
def dbt_assets(
    project_dir: None = None,
    *,
    manifest: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    project: DbtProject | None = None,
    profiles_dir: str | os.PathLike[str] | None = None,
    target: str | None = None,
    select: str = "fqn:*",
    exclude: str | None = None,
    selector: str | None = None,
    name: str | None = None,
    io_manager_key: str | None = None,
    partitions_def: Any = None,
    backfill_policy: Any = None,
    dagster_dbt_translator: DagsterDbtTranslator | None = None,
    partition_vars: PartitionVars | None = None,
    retry_policy: Any = None,
    pool: str | None = None,
    op_tags: Mapping[str, Any] | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition]: ...


def dbt_assets(
    project_dir: DbtProject | str | os.PathLike[str] | None = None,
    *,
    manifest: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    project: DbtProject | None = None,
    profiles_dir: str | os.PathLike[str] | None = None,
    target: str | None = None,
    select: str = "fqn:*",
    exclude: str | None = None,
    selector: str | None = None,
    name: str | None = None,
    io_manager_key: str | None = None,
    partitions_def: Any = None,
    backfill_policy: Any = None,
    dagster_dbt_translator: DagsterDbtTranslator | None = None,
    partition_vars: PartitionVars | None = None,
    retry_policy: Any = None,
    pool: str | None = None,
    op_tags: Mapping[str, Any] | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> AssetsDefinition | Callable[[Callable[..., Any]], AssetsDefinition]:
    """The models, seeds and snapshots of a dbt project as assets (with dbt tests as checks).

    Args:
        project_dir: the dbt project (a folder or ``DbtProject``): returns the assets, whose
            function runs ``dbt build`` for the selected ones. Leave it out to decorate a
            function instead (dagster-dbt's shape), with ``manifest=`` or ``project=``.
        manifest: a ``manifest.json`` path (or its loaded JSON) for the decorator shape.
        project: the ``DbtProject`` whose manifest to use (parsed when it is out of date).
        profiles_dir: the folder of ``profiles.yml`` (default: the project's, else ~/.dbt).
        target: the profile target to run against.
        select: dbt's node selection (``fqn:*``: the whole project).
        exclude: dbt's node exclusion.
        name: the step's name (default ``dbt_<project name>`` or the function's name); two
            ``dbt_assets`` of one project need different names.
        io_manager_key: the IO manager Python assets read these tables through (e.g. a
            ``DuckDBIOManager`` on dbt's DuckDB file); dbt writes them, not the IO manager.
        partitions_def: partitions of every selected model; a run passes the partition's
            window as dbt vars (see ``partition_vars``).
        partition_vars: the vars of a partitioned run; default ``min_date``/``max_date`` (the
            window, ISO, end excluded) and ``partition_key``/``partition_key_end``.
        dagster_dbt_translator: how dbt nodes become keys, groups, owners, ... (subclass it).
    """
    if selector is not None:
        raise DefinitionError(
            "dbt_assets(selector=...): dbt YAML selectors are not supported; use select= "
            "and exclude= with dbt's selection syntax."
        )
    translator = dagster_dbt_translator or DagsterDbtTranslator()
    options: dict[str, Any] = {
        "io_manager_key": io_manager_key,
        "partitions_def": partitions_def,
        "backfill_policy": backfill_policy,
        "retry_policy": retry_policy,
        "pool": pool,
        "op_tags": op_tags,
        "required_resource_keys": required_resource_keys,
    }
    if project_dir is not None:
        dbt_project = as_project(project_dir, profiles_dir, target)
        nodes = _nodes(dbt_project, None, translator, select, exclude, partitions_def)
        build = _build_function(dbt_project, partition_vars or default_partition_vars)
        return _define(build, nodes, name or _default_name(nodes, dbt_project), options)
    manifest_project = project if project is not None else _project_of_manifest(manifest)
    nodes = _nodes(manifest_project, manifest, translator, select, exclude, partitions_def)

    def decorate(fn: Callable[..., Any]) -> AssetsDefinition:
        return _define(fn, nodes, name or fn.__name__, options)

    return decorate


def default_partition_vars(context: Any) -> dict[str, Any]:
    """dbt vars for the step's partitions: their time window and first/last keys."""
    keys = list(context.partition_keys)
    found: dict[str, Any] = {"partition_key": keys[0], "partition_key_end": keys[-1]}
    window = getattr(context.partitions_def, "time_window_for_partition_key", None)
    if window is not None:
        start, end = context.partition_time_window
        found["min_date"], found["max_date"] = start.isoformat(), end.isoformat()
    return found


def _build_function(project: DbtProject, partition_vars: PartitionVars) -> Callable[..., Any]:
    def build(context: Any) -> Any:
        args = ["build"]
        if context.partitions_def is not None and context.partition_keys:
            args += ["--vars", json.dumps(dict(partition_vars(context)))]
        yield from run_dbt(project, args, context).stream()

    return build


def _define(
    fn: Callable[..., Any], nodes: DbtNodes, name: str, options: Mapping[str, Any]
) -> AssetsDefinition:
    if not nodes.specs:
        raise DefinitionError(
            f"dbt_assets '{name}': select={nodes.select!r}"
            + (f" exclude={nodes.exclude!r}" if nodes.exclude else "")
            + " selects no model, seed or snapshot of the dbt project."
        )

    @functools.wraps(fn)
    def with_nodes(*args: Any, **kwargs: Any) -> Iterator[Any]:
        # A generator, so that what the function yielded before it raised (the models dbt
        # built before one failed) reaches the step, which records it.
        token = current_dbt_nodes.set(nodes)
        try:
            result = fn(*args, **kwargs)
            if inspect.isgenerator(result) or isinstance(result, list | tuple):
                yield from result
            elif result is not None:
                yield result
        finally:
            current_dbt_nodes.reset(token)

    built = multi_asset(
        specs=list(nodes.specs),
        check_specs=list(nodes.check_specs),
        name=name,
        can_subset=True,
        compute_kind="dbt",
        **{k: v for k, v in options.items() if v is not None},
    )(with_nodes)
    remember_nodes(with_nodes, nodes)  # for get_asset_key_for_model and friends
    return built


def _nodes(
    project: DbtProject | None,
    manifest: Any,
    translator: DagsterDbtTranslator,
    select: str,
    exclude: str | None,
    partitions_def: Any,
) -> DbtNodes:
    if manifest is not None:
        loaded = read_manifest(manifest)
    elif project is not None:
        loaded = project.manifest()
    else:
        raise DefinitionError(
            "@dbt_assets needs manifest=path/to/manifest.json or project=DbtProject(...)."
        )
    selected = None
    if project is not None:
        selected = project.selected_unique_ids(select, exclude)
    elif select.strip() not in ("fqn:*", "*") or exclude:
        raise DefinitionError(
            f"@dbt_assets(select={select!r}, exclude={exclude!r}) needs the dbt project to "
            "select with: pass project=DbtProject(project_dir)."
        )
    return build_dbt_nodes(loaded, translator, selected, select, exclude, partitions_def)


def _project_of_manifest(manifest: Any) -> DbtProject | None:
    """The project a ``<project>/target/manifest.json`` path belongs to, when it is one."""
    if manifest is None or isinstance(manifest, Mapping):
        return None
    candidate = Path(manifest).resolve().parent.parent
    if (candidate / "dbt_project.yml").is_file():
        return DbtProject(candidate, target_path=Path(manifest).resolve().parent)
    return None


def _default_name(nodes: DbtNodes, project: DbtProject) -> str:
    """``dbt_<project name from dbt_project.yml>``."""
    name = (nodes.manifest.get("metadata") or {}).get("project_name") or project.name
    return "dbt_" + "".join(c if c.isalnum() else "_" for c in str(name))
