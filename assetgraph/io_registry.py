"""Where the core finds IO manager implementations: by ``"module:Class"`` name, never by import.

The IO managers of ``io_managers/`` are plug-ins. The core (execution, the CLI, the UI)
names them here as text and loads one with ``importlib`` only when a run needs it, so no
module of ``assetgraph`` imports ``io_managers`` (an import contract in ``pyproject.toml``
checks it). A name is either one of ``BUILTIN_IO_MANAGERS`` (``"pickle"``, ``"memory"``, ...)
or a reference ``"package.module:ClassName"`` to any IO manager class.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from assetgraph.errors import DefinitionError, did_you_mean
from assetgraph.io import IOManager

BUILTIN_IO_MANAGERS: dict[str, str] = {
    "memory": "io_managers.memory:InMemoryIOManager",
    "pickle": "io_managers.pickle:PickleIOManager",
    "parquet": "io_managers.parquet:ParquetIOManager",
    "sql": "io_managers.sql:SQLTableIOManager",
    "duckdb": "io_managers.duckdb:DuckDBIOManager",
    "deltalake": "io_managers.delta_lake:DeltaLakeIOManager",
}
"""The IO managers shipped with assetgraph, by short name."""

DEFAULT_IO_MANAGER = "pickle"
"""The IO manager of the ``"io_manager"`` key when ``Definitions`` gives none: pickle files."""


def io_manager_class(name: str) -> Callable[..., IOManager]:
    """The IO manager class that ``name`` (a built-in name or ``"module:Class"``) refers to.

    Raises:
        DefinitionError: the name is neither a built-in name nor an importable
            ``module:Class`` whose class is an ``IOManager``; the message names it.
    """
    reference = BUILTIN_IO_MANAGERS.get(name, name)
    module_name, _, class_name = reference.partition(":")
    if not module_name or not class_name:
        raise DefinitionError(
            f"IO manager '{name}': expected a built-in name ({', '.join(BUILTIN_IO_MANAGERS)}) "
            f"or 'package.module:ClassName'." + did_you_mean(name, BUILTIN_IO_MANAGERS)
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise DefinitionError(
            f"IO manager '{name}': cannot import module '{module_name}' ({exc})."
        ) from exc
    found = getattr(module, class_name, None)
    if not isinstance(found, type) or not issubclass(found, IOManager):
        raise DefinitionError(
            f"IO manager '{name}': module '{module_name}' has no IOManager class '{class_name}'."
        )
    return found


def default_io_manager(storage_dir: Path) -> IOManager:
    """The default IO manager of a run: ``DEFAULT_IO_MANAGER`` storing under ``storage_dir``."""
    return io_manager_class(DEFAULT_IO_MANAGER)(storage_dir)
