"""What a schedule or sensor runs: its job (an object or a job name), its ``target`` or
``asset_selection``, resolved against the code location to asset keys.

A job is anything with a ``name`` that the ``Definitions`` knows (``define_asset_job``);
its assets are read from what the job resolved (``asset_keys``/``selection``) so that this
module does not depend on how jobs are built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assetgraph.errors import DefinitionError, UsageError, did_you_mean
from assetgraph.keys import AssetKey


def job_name_of(job: Any) -> str | None:
    """The name of ``job`` (a job object or a job name), None for no job."""
    if job is None:
        return None
    if isinstance(job, str):
        return job
    name = getattr(job, "name", None)
    if not isinstance(name, str):
        raise DefinitionError(
            f"job= must be a job (define_asset_job(...)) or a job name, got {type(job).__name__}."
        )
    return name


def find_job(defs: Any, name: str, fallback: Any = None) -> Any:
    """The job called ``name`` in ``defs``, resolved (``defs.get_job_def``); else
    ``fallback`` (the job object a schedule or sensor was given) resolved against ``defs``;
    a usage error naming the known jobs if neither."""
    getter = getattr(defs, "get_job_def", None)
    if callable(getter):
        try:
            return getter(name)
        except Exception:  # not a job of defs: try the fallback, then report
            pass
    jobs = list(getattr(defs, "jobs", None) or ())
    for job in [*jobs, fallback]:
        if job is not None and not isinstance(job, str) and getattr(job, "name", None) == name:
            resolve = getattr(job, "resolve_for", None)
            return resolve(defs) if callable(resolve) else job
    known = [str(getattr(job, "name", job)) for job in jobs]
    raise UsageError(
        f"No job named '{name}' in the code location (jobs: {', '.join(known) or 'none'})."
        f"{did_you_mean(name, known)}"
    )


def keys_of(defs: Any, selection: Any) -> list[AssetKey]:
    """The asset keys ``selection`` names, in topological order, sources left out.

    ``selection``: None (every asset), a selection string, an ``AssetKey``, an asset
    definition, an ``AssetSelection`` (anything with ``resolve``), a job, or a list of them.
    """
    from assetgraph.selection import select_assets

    graph = defs.graph
    found: set[AssetKey] = set()
    for item in _items(selection):
        if item is None:
            found.update(graph.all_keys)
        elif isinstance(item, str):
            found.update(select_assets(graph, [item]))
        elif isinstance(item, AssetKey):
            found.add(item)
        elif _is_job(item):
            found.update(job_keys(defs, item))
        elif hasattr(item, "resolve"):
            found.update(_resolve_selection(defs, item))
        elif isinstance(getattr(item, "keys", None), tuple | list | frozenset | set):
            found.update(item.keys)
        elif isinstance(getattr(item, "key", None), AssetKey):
            found.add(item.key)
        elif isinstance(item, list | tuple) and all(isinstance(part, str) for part in item):
            found.add(AssetKey(tuple(item)))
        else:
            raise DefinitionError(
                f"Cannot select assets with {type(item).__name__} {item!r}: use asset keys, "
                "asset definitions, a selection string or an AssetSelection."
            )
    for key in found:
        if not graph.has(key):
            raise UsageError(f"The selection names asset '{key}', which the definitions lack.")
    return [key for key in graph.toposort(found) if not graph.is_source(key)]


def job_partitions_def(defs: Any, job: Any) -> Any:
    """The partitions definition of ``job``: its own, else the one its assets share."""
    own = getattr(job, "partitions_def", None)
    if own is not None:
        return own
    found = {defs.graph.partitions_def(key) for key in job_keys(defs, job)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _items(selection: Any) -> Iterable[Any]:
    if selection is None or isinstance(selection, str | AssetKey) or _is_job(selection):
        return [selection]
    if hasattr(selection, "resolve"):
        return [selection]
    if isinstance(selection, list | tuple | set | frozenset):
        if selection and all(isinstance(part, str) for part in selection):
            return list(selection)  # a list of selection strings
        return list(selection)
    return [selection]


def _is_job(item: Any) -> bool:
    markers = ("selection", "asset_keys", "execute_in_process")
    return (
        isinstance(getattr(item, "name", None), str)
        and any(hasattr(item, marker) for marker in markers)
        and not hasattr(item, "fn")
        and not hasattr(item, "resolve")
    )


def job_keys(defs: Any, job: Any) -> list[AssetKey]:
    """The assets a job runs (sources left out), from what it resolved or its selection."""
    resolved = getattr(job, "asset_keys", None)
    if callable(resolved):
        resolved = resolved(defs)
    if resolved is not None and not isinstance(resolved, str):
        keys = [k if isinstance(k, AssetKey) else AssetKey.from_user(k) for k in resolved]
        return keys
    return keys_of(defs, getattr(job, "selection", None))


def _resolve_selection(defs: Any, selection: Any) -> set[AssetKey]:
    for argument in (defs.graph, defs.assets):
        try:
            resolved = selection.resolve(argument)
        except (TypeError, AttributeError):
            continue
        return {k if isinstance(k, AssetKey) else AssetKey.from_user(k) for k in resolved}
    raise DefinitionError(f"Cannot resolve the asset selection {selection!r}.")


__all__ = ["find_job", "job_keys", "job_name_of", "job_partitions_def", "keys_of"]
