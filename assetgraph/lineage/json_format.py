"""The lineage document as JSON, schema version 1 (``lineage.schema.json`` beside this file).

Top level:

- ``schema_version``: ``"1"``; bumped when a field changes meaning or is removed (new
  optional fields do not bump it).
- ``generated_at``: when the export was made, ISO 8601 with time zone (UTC).
- ``producer``: ``"assetgraph <version>"``.
- ``assets``: one object per asset, in topological order (upstreams first).

Each asset:

- ``key`` (``"a/b"``) and ``key_path`` (``["a", "b"]``);
- ``group``, ``description`` (or null), ``tags`` (object of strings), ``owners`` (list);
- ``code_version``: the declared one, or the hash of the function's normalized source;
- ``io_manager_key``: the IO manager that stores it;
- ``partitions``: null when unpartitioned, else the definition: ``kind`` (``time_window``,
  ``static``, ``dynamic``, ``multi``, or ``other``), ``type`` (its class name) and per kind
  ``cron_schedule``, ``fmt``, ``timezone``, ``start``, ``end`` (ISO 8601 or null),
  ``end_offset`` / ``keys_count``, ``first_keys`` (up to 10) / ``name`` / ``dimensions``
  (list of ``{name, partitions}``) / ``repr``;
- ``upstream``: list of ``{key, partition_mapping}``; the mapping is null between
  unpartitioned assets, else ``{type, params, text}`` (``type`` the class name, ``params``
  its public fields, ``text`` a one-line form such as
  ``TimeWindowPartitionMapping(start_offset=-6, end_offset=0)``);
- ``downstream``: list of keys. Both lists hold every direct neighbour, including those
  outside ``--select``;
- ``status``: ``status`` (``materialized``, ``partial``, ``stale``, ``missing`` or
  ``failed``), ``last_materialization`` (``{run_id, timestamp}`` or null; unpartitioned
  assets only) and ``partitions`` (``{total, materialized, failed, missing, stale}`` or
  null when unpartitioned; ``stale`` counts materialized partitions that are out of date).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from assetgraph import __version__
from assetgraph.lineage.model import LineageAsset, LineageDocument, MappingDescription

SCHEMA_VERSION = "1"
SCHEMA_FILE = "lineage.schema.json"


def lineage_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every JSON lineage document satisfies."""
    text = resources.files("assetgraph.lineage").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def to_json_dict(document: LineageDocument) -> dict[str, Any]:
    """The document as plain JSON-serializable data (schema version 1)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso_time(document.generated_at),
        "producer": f"assetgraph {__version__}",
        "assets": [_asset(asset) for asset in document.assets],
    }


def render_json(document: LineageDocument) -> str:
    """The document as indented JSON text, ending with a newline."""
    return json.dumps(to_json_dict(document), indent=2, ensure_ascii=False) + "\n"


def iso_time(moment: datetime | float) -> str:
    """ISO 8601 in UTC with an explicit offset (naive datetimes are taken as UTC)."""
    if isinstance(moment, (int, float)):
        moment = datetime.fromtimestamp(moment, UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _asset(asset: LineageAsset) -> dict[str, Any]:
    status = asset.status
    counts = status.partitions
    return {
        "key": asset.key.to_string(),
        "key_path": list(asset.key.path),
        "group": asset.group,
        "description": asset.description,
        "tags": dict(asset.tags),
        "owners": list(asset.owners),
        "code_version": asset.code_version,
        "io_manager_key": asset.io_manager_key,
        "partitions": None if asset.partitions is None else dict(asset.partitions),
        "upstream": [
            {"key": up.key.to_string(), "partition_mapping": _mapping(up.partition_mapping)}
            for up in asset.upstream
        ],
        "downstream": [key.to_string() for key in asset.downstream],
        "status": {
            "status": status.status,
            "last_materialization": None
            if status.last_run_id is None or status.last_materialized_at is None
            else {
                "run_id": status.last_run_id,
                "timestamp": iso_time(status.last_materialized_at),
            },
            "partitions": None
            if counts is None
            else {
                "total": counts.total,
                "materialized": counts.materialized,
                "failed": counts.failed,
                "missing": counts.missing,
                "stale": counts.stale,
            },
        },
    }


def _mapping(mapping: MappingDescription | None) -> dict[str, Any] | None:
    if mapping is None:
        return None
    return {"type": mapping.kind, "params": dict(mapping.params), "text": mapping.text}
