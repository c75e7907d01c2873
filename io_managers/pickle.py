"""The default IO manager: one pickle file per asset under a base directory.

Files live at ``<base_dir>/<key part>/.../<last part>`` (partitioned assets: a folder per
asset with one file per partition). A value is written to a temporary file in the same
folder, flushed to disk, then renamed over the old one, so a reader finds either the old
value or the new one, never a part of either.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.keys import AssetKey


class PickleIOManager(IOManager):
    """Pickles values to files under ``base_dir`` (default ``$ASSETGRAPH_HOME/storage``).

    The rename makes every write atomic against a crashed process. ``fsync=True`` also
    flushes each file to disk before the rename, so a power loss cannot lose it either;
    it costs a disk flush per value.
    """

    def __init__(self, base_dir: str | os.PathLike[str] | None = None, *, fsync: bool = False):
        if base_dir is None:
            home = os.environ.get("ASSETGRAPH_HOME") or ".assetgraph"
            base_dir = Path(home) / "storage"
        self.base_dir = Path(base_dir).absolute()
        self.fsync = fsync

    def path_for(self, asset_key: AssetKey, partition_key: str | None = None) -> Path:
        """Where the value of ``asset_key`` (and partition) is stored."""
        path = self.base_dir.joinpath(*asset_key.path)
        if partition_key is not None:
            path = path / partition_key
        resolved = path.resolve()
        if not resolved.is_relative_to(self.base_dir.resolve()):
            raise StorageError(
                f"Asset '{asset_key}' partition '{partition_key}' would be stored at {resolved}, "
                f"outside the IO manager's base directory {self.base_dir}: refusing."
            )
        return path

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        path = self.path_for(context.asset_key, context.partition_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
                if self.fsync:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        context.add_output_metadata({"path": str(path)})

    def load_input(self, context: InputContext) -> Any:
        path = self.path_for(context.asset_key, context.partition_key)
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            where = f" partition '{context.partition_key}'" if context.partition_key else ""
            raise StorageError(
                f"Asset '{context.asset_key}'{where} has no stored value at {path}: "
                "materialize it first (select it with '+' to include upstream assets)."
            ) from None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            raise StorageError(
                f"The stored value of asset '{context.asset_key}' at {path} cannot be loaded "
                f"({type(exc).__name__}: {exc}); re-materialize the asset."
            ) from exc
