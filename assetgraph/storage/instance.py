"""``Instance``: where a deployment keeps its metadata database and its stored values."""

from __future__ import annotations

import os
import tempfile
import time
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assetgraph import settings
from assetgraph.errors import UsageError
from assetgraph.settings import (  # re-exported: where callers have found them
    DEFAULT_HOME as DEFAULT_HOME,
    HOME_ENV as HOME_ENV,
    STORAGE_URL_ENV as STORAGE_URL_ENV,
)
from assetgraph.storage.instance_queries import InstanceQueries
from assetgraph.storage.sql_storage import SqlStorage
from assetgraph.storage.user_events import RUNLESS_RUN_ID, is_asset_event, user_event_record


class Instance(InstanceQueries):
    """The metadata database (``storage``) and the home folder of stored values.

    ``Instance.from_env()`` reads ``ASSETGRAPH_HOME`` (default ``./.assetgraph``) and
    ``ASSETGRAPH_STORAGE_URL`` (default: SQLite at ``$ASSETGRAPH_HOME/assetgraph.db``);
    ``Instance.ephemeral()`` keeps everything in memory and a temporary folder, for tests.
    Dagster's read API (``get_runs``, ``get_event_records``, ``fetch_materializations``...)
    comes from ``InstanceQueries``.
    """

    def __init__(
        self, storage_url: str | None = None, home: str | os.PathLike[str] | None = None
    ) -> None:
        self.home = Path(home if home is not None else DEFAULT_HOME).absolute()
        settings.check_home(self.home, "home")
        self.storage_url = storage_url or f"sqlite:///{self.home / 'assetgraph.db'}"
        self.storage = SqlStorage(self.storage_url)

    @classmethod
    def from_env(cls) -> Instance:
        """The instance named by ``ASSETGRAPH_HOME`` and ``ASSETGRAPH_STORAGE_URL``."""
        return cls(storage_url=settings.storage_url(), home=settings.home())

    @classmethod
    def get(cls) -> Instance:
        """Dagster's ``DagsterInstance.get()``: the same as ``from_env()``."""
        return cls.from_env()

    @classmethod
    def ephemeral(cls) -> Instance:
        """An in-memory database and a temporary home, removed when the instance is freed."""
        folder = tempfile.TemporaryDirectory(prefix="assetgraph-")
        instance = cls(storage_url="sqlite://", home=folder.name)
        weakref.finalize(instance, folder.cleanup)
        return instance

    def add_dynamic_partitions(self, name: str, keys: Iterable[str]) -> int:
        """Add keys to the ``DynamicPartitionsDefinition`` called ``name``; returns how many
        were new. Keys are validated; a bad one refuses the whole call."""
        return self.storage.add_dynamic_partitions(name, keys)

    def delete_dynamic_partitions(self, name: str, keys: Iterable[str]) -> int:
        """Remove keys from ``name`` (stored values are kept); returns how many existed."""
        return self.storage.delete_dynamic_partitions(name, keys)

    def delete_dynamic_partition(self, name: str, key: str) -> None:
        """Remove one key from ``name`` (Dagster's name; stored values are kept)."""
        self.storage.delete_dynamic_partitions(name, [key])

    def get_dynamic_partitions(self, name: str) -> list[str]:
        """The keys of ``name``, in the order they were added."""
        return self.storage.get_dynamic_partitions(name)

    def has_dynamic_partition(self, name: str, key: str) -> bool:
        return self.storage.has_dynamic_partition(name, key)

    def dynamic_partitions_count(self, name: str) -> int:
        return self.storage.dynamic_partitions_count(name)

    def dynamic_partition_keys_between(self, name: str, start: int, stop: int) -> list[str]:
        return self.storage.dynamic_partition_keys_between(name, start, stop)

    def dynamic_partition_indices(self, name: str, keys: Iterable[str]) -> dict[str, int]:
        return self.storage.dynamic_partition_indices(name, keys)

    def dynamic_partition_keys_at(self, name: str, indices: Iterable[int]) -> dict[int, str]:
        return self.storage.dynamic_partition_keys_at(name, indices)

    def dynamic_partitions_generation(self, name: str) -> int:
        return self.storage.dynamic_partitions_generation(name)

    def report_runless_asset_event(self, asset_event: Any) -> None:
        """Record an ``AssetMaterialization`` or ``AssetObservation`` made outside any run
        (Dagster's), e.g. by the system that writes an external asset."""
        if not is_asset_event(asset_event):
            raise UsageError(
                "report_runless_asset_event takes an AssetMaterialization or an "
                f"AssetObservation, got {type(asset_event).__name__}."
            )
        self.storage.store_events([user_event_record(asset_event, RUNLESS_RUN_ID, time.time())])

    @property
    def storage_dir(self) -> Path:
        """Where the default pickle IO manager stores values: ``<home>/storage``."""
        return self.home / "storage"

    def __repr__(self) -> str:
        return f"Instance(storage_url={self.storage.display_url!r}, home='{self.home}')"


DagsterInstance = Instance
"""Dagster's name for the instance: ``DagsterInstance.get()``, ``DagsterInstance.ephemeral()``."""
