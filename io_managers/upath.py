"""Dagster's ``UPathIOManager``: a base class for IO managers that store one file per
(asset, partition) under a base path, local or any fsspec URL.

Subclass it, set ``extension`` (e.g. ``".parquet"``) and implement
``dump_to_path(context, obj, path)`` and ``load_from_path(context, path)``. Paths are
``base_path / <asset key parts>`` plus the extension, and ``base_path / <asset key
parts> / <partition key>`` plus the extension for a partition, as in Dagster. Loading
several partitions returns ``{partition_key: value}``; missing partitions are an error
unless the input's metadata says ``allow_missing_partitions``. ``base_path`` is a
``upath.UPath`` when universal-pathlib is installed (the ``fsspec`` extra), else a
``pathlib.Path``; as in Dagster it defaults to the working directory. Dagster's
overridable methods keep their names (``_get_path``, ``_get_paths_for_partitions``,
``get_asset_relative_path``, ``get_path_for_partition``, ``path_exists``...).
"""

from __future__ import annotations

import os
from abc import abstractmethod
from pathlib import Path
from typing import Any

from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from io_managers.pickle import missing_value_error


def as_upath(path: Any) -> Any:
    """``path`` as a ``UPath`` when universal-pathlib is installed, else a ``Path``."""
    try:
        from upath import UPath
    except ImportError:
        if isinstance(path, str) and "://" in path:
            raise StorageError(
                f"UPathIOManager: '{path}' is a URL; install universal-pathlib (the fsspec "
                "extra of assetgraph) to store there."
            ) from None
        return Path(path)
    return path if isinstance(path, UPath) else UPath(path)


class UPathIOManager(IOManager):
    """Stores each (asset, partition) value as one file; see the module docstring."""

    extension: str | None = None

    def __init__(self, base_path: Any = None) -> None:
        self._base_path = as_upath(base_path if base_path is not None else ".")

    @property
    def base_path(self) -> Any:
        return self._base_path

    @base_path.setter
    def base_path(self, value: Any) -> None:
        self._base_path = as_upath(value)

    @abstractmethod
    def dump_to_path(self, context: OutputContext, obj: Any, path: Any) -> None:
        """Write ``obj`` to ``path``."""

    @abstractmethod
    def load_from_path(self, context: InputContext, path: Any) -> Any:
        """Read the value stored at ``path``."""

    # Paths, as Dagster builds them; override to change the layout.
    def path_exists(self, path: Any) -> bool:
        return bool(path.exists())

    def make_directory(self, path: Any) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def unlink(self, path: Any) -> None:
        path.unlink()

    def get_asset_relative_path(self, context: InputContext | OutputContext) -> Any:
        return as_upath(os.path.join(*context.asset_key.path))

    def get_path_for_partition(
        self, context: InputContext | OutputContext, path: Any, partition: str
    ) -> Any:
        return path / partition

    def _with_extension(self, path: Any) -> Any:
        return path.with_name(path.name + self.extension) if self.extension else path

    def _get_path_without_extension(self, context: InputContext | OutputContext) -> Any:
        return as_upath(self.base_path) / self.get_asset_relative_path(context)

    def _get_path(self, context: InputContext | OutputContext) -> Any:
        """Where an unpartitioned asset's value is stored."""
        return self._with_extension(self._get_path_without_extension(context))

    def _get_paths_for_partitions(self, context: InputContext | OutputContext) -> dict[str, Any]:
        """Partition key -> where that partition's value is stored."""
        base = self._get_path_without_extension(context)
        return {
            key: self._with_extension(self.get_path_for_partition(context, base, key))
            for key in context.partition_keys
        }

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        keys = context.partition_keys
        if len(keys) > 1:
            raise StorageError(
                f"{type(self).__name__}: asset '{context.asset_key}' stores {len(keys)} "
                "partitions in one step, but a UPathIOManager writes one file per partition: "
                "give the asset BackfillPolicy.multi_run(1)."
            )
        path = self._get_paths_for_partitions(context)[keys[0]] if keys else self._get_path(context)
        self.make_directory(path.parent)
        self.dump_to_path(context, obj, path)
        context.add_output_metadata({"path": str(path)})

    def load_input(self, context: InputContext) -> Any:
        keys = context.partition_keys
        if not keys:
            return self._load(context, self._get_path(context), ())
        paths = self._get_paths_for_partitions(context)
        if len(keys) == 1:
            return self._load(context, paths[keys[0]], keys)
        allow_missing = bool(context.metadata.get("allow_missing_partitions", False))
        values: dict[str, Any] = {}
        for key, path in paths.items():
            if allow_missing and not self.path_exists(path):
                continue
            values[key] = self._load(context, path, (key,))
        return values

    def _load(self, context: InputContext, path: Any, keys: tuple[str, ...]) -> Any:
        if not self.path_exists(path):
            raise missing_value_error(context.asset_key, keys, str(path))
        return self.load_from_path(context, path)
