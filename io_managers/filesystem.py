"""Dagster's ``FilesystemIOManager``: pickle files on local disk (our pickle IO manager)."""

from __future__ import annotations

import os
from typing import Any

from assetgraph.definitions.config_schema import Field, StringSource
from assetgraph.definitions.resource_functions import IOManagerDefinition
from io_managers.pickle import PickleIOManager


class FilesystemIOManager(PickleIOManager):
    """Pickles each (asset, partition) value to a file under ``base_dir``.

    As in Dagster, ``base_dir=None`` stores under the instance's storage folder
    (``$ASSETGRAPH_HOME/storage``). Layout and behaviour are ``PickleIOManager``'s: one file
    per partition; several partitions load as a dict keyed by partition.
    """

    def __init__(self, base_dir: str | os.PathLike[str] | None = None, *, fsync: bool = False):
        super().__init__(base_dir, fsync=fsync)


def _filesystem_io_manager(init_context: Any) -> FilesystemIOManager:
    return FilesystemIOManager(init_context.resource_config.get("base_dir"))


fs_io_manager = IOManagerDefinition(
    _filesystem_io_manager,
    config_schema={"base_dir": Field(StringSource, is_required=False)},
    description="Dagster's fs_io_manager: FilesystemIOManager, configured with base_dir.",
)
"""Dagster's older ``fs_io_manager`` (``.configured({"base_dir": ...})``)."""
