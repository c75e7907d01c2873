"""``DataVersion`` and ``DataProvenance``: what data an asset holds, and what made it.

A leaf module (it imports only keys and digests), so the execution context can hand a
``DataProvenance`` to user code without importing the definitions layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from assetgraph.keys import AssetKey
from assetgraph.versions.digests import digest_text


@dataclass(frozen=True, slots=True)
class DataVersion:
    """An identifier of the data an asset holds; equal versions mean equal data."""

    value: str


DATA_VERSION_TAG = "dagster/data_version"
"""The tag under which an event log entry shows the data version it recorded (Dagster's)."""


def extract_data_version_from_entry(entry: Any) -> DataVersion | None:
    """The data version a stored materialization or observation recorded (Dagster's), read
    from an ``EventLogEntry``; None when it recorded none."""
    event = getattr(entry, "dagster_event", None)
    if event is None:
        return None
    data = event.asset_materialization or event.asset_observation
    version = (getattr(data, "tags", None) or {}).get(DATA_VERSION_TAG)
    return None if version is None else DataVersion(str(version))


class DataProvenance(NamedTuple):
    """What produced a materialization (Dagster's): the code version of the asset, the
    data version of each input it read, and whether its own data version was given by
    the user (else derived from code and inputs). ``input_storage_ids`` holds the inputs'
    keys (assetgraph records no event id per input: each is None)."""

    code_version: str
    input_data_versions: Mapping[AssetKey, DataVersion]
    input_storage_ids: Mapping[AssetKey, int | None]
    is_user_provided: bool

    def has_input_asset(self, key: AssetKey) -> bool:
        return key in self.input_data_versions and key in self.input_storage_ids


def provenance_from_payload(payload: Mapping[str, Any]) -> DataProvenance | None:
    """The provenance a stored materialization payload records; None when it has no code
    version (a materialization reported by user code, not computed by a step)."""
    code_version = payload.get("code_version")
    if not isinstance(code_version, str):
        return None
    read = payload.get("input_versions") or {}
    inputs = {
        AssetKey.from_user(key): _one_version(by_partition) for key, by_partition in read.items()
    }
    return DataProvenance(
        code_version=code_version,
        input_data_versions=inputs,
        input_storage_ids=dict.fromkeys(inputs),
        is_user_provided=bool(payload.get("data_version_is_user_provided")),
    )


def _one_version(by_partition: Any) -> DataVersion:
    """One upstream's version: the one partition's, else a digest of all those read."""
    if isinstance(by_partition, Mapping) and len(by_partition) == 1:
        [version] = by_partition.values()
        if isinstance(version, str):
            return DataVersion(version)
    return DataVersion(digest_text(repr(sorted(dict(by_partition or {}).items()))))
