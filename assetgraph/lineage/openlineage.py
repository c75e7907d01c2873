"""A run's steps as OpenLineage RunEvents (spec 2-0-2), written as JSON Lines.

For each step of the run that started, a ``START`` event, then ``COMPLETE`` (it succeeded)
or ``FAIL`` (it raised; the error goes in an ``errorMessage`` run facet). A step still
running, or killed with its run, has only ``START``; a skipped step never started and has
none.

Identifiers: the run's id (32 hex digits) is the parent run's ``runId`` as a UUID; each
step's ``runId`` is ``uuid5(parent runId, step key)`` (a partitioned step's key names its
partitions, ``daily[2025-01-01]``), so exporting twice gives the same ids. Every step's run
carries a ``parent`` facet naming the run (job ``assetgraph.run``). The job of a step is
``{namespace, name: step name}`` (the step key without its partitions, so every partition
of an asset is a run of one job); the namespace is ``assetgraph`` unless given.

Datasets (``outputs``: the step's assets; ``inputs``: their upstream assets outside the
step) are named from where the IO manager put them, after OpenLineage's naming spec:

- a file (``path`` metadata of the pickle and parquet IO managers): namespace ``file``,
  name the absolute path (a partitioned asset: its folder); a remote fsspec path
  ``s3://bucket/key``: namespace ``s3://bucket``, name ``/key``;
- a table (``table`` metadata of the SQL and DuckDB IO managers): namespace the IO
  manager's database URL with the password hidden, name the table;
- otherwise (in-memory IO manager, never materialized): namespace ``assetgraph://``, name
  the asset key.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assetgraph.keys import AssetKey
from assetgraph.storage.records import EventRecord, EventType

if TYPE_CHECKING:
    from assetgraph.graph import AssetGraph
    from assetgraph.storage.sql_storage import SqlStorage

SPEC_SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"
PARENT_FACET_URL = (
    "https://openlineage.io/spec/facets/1-0-1/ParentRunFacet.json#/$defs/ParentRunFacet"
)
ERROR_FACET_URL = (
    "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet"
)
PRODUCER = "https://github.com/assetgraph/assetgraph"
DEFAULT_NAMESPACE = "assetgraph"
RUN_JOB_NAME = "assetgraph.run"
FALLBACK_NAMESPACE = "assetgraph://"


@dataclass(frozen=True, slots=True)
class Dataset:
    """An OpenLineage dataset identifier."""

    namespace: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"namespace": self.namespace, "name": self.name}


@dataclass(frozen=True, slots=True)
class StepAssets:
    """The asset keys (string form) a step writes and the ones it reads from other steps."""

    outputs: tuple[str, ...]
    inputs: tuple[str, ...]


def export_run_events(
    graph: AssetGraph,
    io_managers: Mapping[str, Any],
    storage: SqlStorage,
    run_id: str,
    selected: Iterable[AssetKey] | None = None,
    namespace: str = DEFAULT_NAMESPACE,
) -> list[dict[str, Any]]:
    """The OpenLineage events of run ``run_id`` (full id), limited to the steps of
    ``selected`` (default: of every asset of ``graph``; the instance may hold steps of
    other code locations, or of assets this one no longer has, which are left out)."""
    events = storage.events_for_run(run_id)
    steps = steps_of(graph)
    if selected is not None:
        wanted = {key.to_string() for key in selected}
        steps = {name: s for name, s in steps.items() if wanted.intersection(s.outputs)}
    events = [e for e in events if e.step_key is None or step_name(e.step_key) in steps]
    datasets = locate_datasets(graph, io_managers, storage, events, steps.values())
    return run_events(run_id, events, steps, datasets, namespace)


def render_jsonl(events: Sequence[Mapping[str, Any]]) -> str:
    """One compact JSON event per line."""
    return "".join(json.dumps(event, ensure_ascii=False) + "\n" for event in events)


def steps_of(graph: AssetGraph) -> dict[str, StepAssets]:
    """Step key -> the assets it writes and reads, for every asset definition of ``graph``."""
    steps: dict[str, StepAssets] = {}
    for assets_def in graph.assets_defs:
        outputs = tuple(key.to_string() for key in assets_def.keys)
        inputs = {
            parent.to_string(): None
            for key in assets_def.keys
            for parent in graph.parents(key)
            if parent not in assets_def.keys
        }
        steps[assets_def.step_name] = StepAssets(outputs, tuple(inputs))
    return steps


def locate_datasets(
    graph: AssetGraph,
    io_managers: Mapping[str, Any],
    storage: SqlStorage,
    events: Sequence[EventRecord],
    steps: Iterable[StepAssets],
) -> dict[str, Dataset]:
    """Asset key -> its dataset, from the run's materializations, else the latest ones."""
    metadata: dict[str, tuple[Mapping[str, Any], bool]] = {}
    for event in events:
        if event.event_type is EventType.ASSET_MATERIALIZATION and event.asset_key:
            found = event.payload.get("metadata") or {}
            metadata.setdefault(event.asset_key, (found, event.partition_key is not None))
    wanted = {key for step in steps for key in (*step.outputs, *step.inputs)}
    unknown = sorted(wanted - metadata.keys())
    if unknown:
        # One bulk query for the assets this run did not write.
        for (key, partition), record in storage.latest_materializations(unknown).items():
            metadata.setdefault(key, (record.metadata, partition is not None))
    datasets = {}
    for key in sorted(wanted):
        found, partitioned = metadata.get(key, ({}, False))
        manager_url = None
        asset_key = AssetKey.from_user(key)
        if graph.has(asset_key):
            manager_url = database_url(io_managers.get(graph.spec(asset_key).io_manager_key))
        datasets[key] = dataset_for(key, found, partitioned, manager_url)
    return datasets


def database_url(io_manager: Any) -> str | None:
    """The database URL of a table IO manager (SQL: its ``url``; DuckDB: its file)."""
    url = getattr(io_manager, "url", None)
    if isinstance(url, str):
        return url
    path = getattr(io_manager, "path", None)
    if type(io_manager).__name__ == "DuckDBIOManager" and isinstance(path, str):
        return "duckdb:///" + (path if path == ":memory:" else os.path.abspath(path))
    return None


def hide_password(url: str) -> str:
    """``url`` with its password replaced by ``***`` (SQLAlchemy's rendering)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@", 1)[-1] if "@" in url else url


def dataset_for(
    key: str, metadata: Mapping[str, Any], partitioned: bool, database_url: str | None
) -> Dataset:
    """The dataset of asset ``key`` stored where ``metadata`` says (see the module doc)."""
    table = metadata.get("table")
    if isinstance(table, str) and database_url is not None:
        return Dataset(hide_password(database_url), table)
    path = metadata.get("path")
    if isinstance(path, str) and table is None:
        if partitioned and "partitions" not in metadata:
            # One partition's file: the asset is the folder that holds every partition.
            path = path.rstrip("/").rsplit("/", 1)[0] if "://" in path else os.path.dirname(path)
        scheme, sep, rest = path.partition("://")
        if sep:
            authority, _, name = rest.partition("/")
            return Dataset(f"{scheme}://{authority}", "/" + name)
        return Dataset("file", os.path.abspath(path))
    return Dataset(FALLBACK_NAMESPACE, key)


def run_events(
    run_id: str,
    events: Sequence[EventRecord],
    steps: Mapping[str, StepAssets],
    datasets: Mapping[str, Dataset],
    namespace: str = DEFAULT_NAMESPACE,
) -> list[dict[str, Any]]:
    """START, then COMPLETE or FAIL, for each step of ``steps`` in the run's ``events``
    that started.

    Events come in the order of the steps' starts; a step's pair is together.
    """
    parent_id = run_uuid(run_id)
    parent = {
        "_producer": PRODUCER,
        "_schemaURL": PARENT_FACET_URL,
        "run": {"runId": str(parent_id)},
        "job": {"namespace": namespace, "name": RUN_JOB_NAME},
    }
    by_step: dict[str, list[EventRecord]] = {}
    for event in events:
        if event.step_key is not None:
            by_step.setdefault(event.step_key, []).append(event)
    out: list[dict[str, Any]] = []
    for step_key, step_events in by_step.items():
        name = step_name(step_key)
        assets = steps.get(name)
        if assets is None:  # not an asset of this code location
            continue
        base = {
            "job": {"namespace": namespace, "name": name},
            "inputs": [_dataset(datasets, key) for key in assets.inputs],
            "outputs": [_dataset(datasets, key) for key in assets.outputs],
            "producer": PRODUCER,
            "schemaURL": SPEC_SCHEMA_URL,
        }
        out.extend(_step_pair(step_events, str(uuid.uuid5(parent_id, step_key)), parent, base))
    return out


def step_name(step_key: str) -> str:
    """The asset definition's step name of a step key: ``daily[2025-01-01]`` -> ``daily``."""
    # Asset keys never hold '[', so the first one starts the partition suffix.
    return step_key.split("[", 1)[0]


def _step_pair(
    events: Sequence[EventRecord],
    step_run_id: str,
    parent: Mapping[str, Any],
    base: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """START, and COMPLETE or FAIL when the step ended, for one step's events."""
    ends = (EventType.STEP_SUCCESS, EventType.STEP_FAILURE)
    start = next((e for e in events if e.event_type is EventType.STEP_START), None)
    end = next((e for e in events if e.event_type in ends), None)
    if start is None:
        return []
    facets: dict[str, Any] = {"parent": parent}
    pair = [_event("START", start.timestamp, {"runId": step_run_id, "facets": facets}, base)]
    if end is None:
        return pair
    if end.event_type is EventType.STEP_SUCCESS:
        run = {"runId": step_run_id, "facets": facets}
        return [*pair, _event("COMPLETE", end.timestamp, run, base)]
    error = end.payload.get("error") or {}
    message = {
        "_producer": PRODUCER,
        "_schemaURL": ERROR_FACET_URL,
        "message": str(error.get("message") or end.message or "step failed"),
        "programmingLanguage": "python",
    }
    if error.get("traceback"):
        message["stackTrace"] = str(error["traceback"])
    run = {"runId": step_run_id, "facets": {**facets, "errorMessage": message}}
    return [*pair, _event("FAIL", end.timestamp, run, base)]


def _dataset(datasets: Mapping[str, Dataset], key: str) -> dict[str, str]:
    return datasets.get(key, Dataset(FALLBACK_NAMESPACE, key)).to_json()


def run_uuid(run_id: str) -> uuid.UUID:
    """Our run id (32 hex digits) as a UUID; any other id maps to a stable uuid5."""
    try:
        return uuid.UUID(hex=run_id)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"assetgraph:run:{run_id}")


def _event(
    event_type: str, timestamp: float, run: Mapping[str, Any], base: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "eventType": event_type,
        "eventTime": datetime.fromtimestamp(timestamp, UTC).isoformat(),
        "run": dict(run),
        **base,
    }
