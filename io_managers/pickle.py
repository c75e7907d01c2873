"""The default IO manager: one pickle file per (asset, partition) under a base directory.

Layout: ``<base_dir>/<key part>/.../<last part>`` for an unpartitioned asset, and
``<base_dir>/<key part>/.../<last part>/<partition file name>`` with one file per partition
for a partitioned one. The partition file name is the partition key percent-encoded by
``partition_file_name``: letters, digits, ``-``, ``_`` and ``.`` stay as they are, every
other character becomes ``%XX`` (``2025-01-31`` stays ``2025-01-31``; hourly
``2025-01-31-13:00`` becomes ``2025-01-31-13%3A00``; multi-dimensional ``2025-01-01|eu``
becomes ``2025-01-01%7Ceu``). So no partition key can name a folder, escape the base
directory, or use a character some file systems refuse.

A value is written to a temporary file in the same folder, then renamed over the old one,
so a reader finds either the old value or the new one, never a part of either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from assetgraph import settings
from assetgraph.errors import StorageError
from assetgraph.io import InputContext, IOManager, OutputContext
from assetgraph.keys import AssetKey
from assetgraph.versions.digests import HashingWriter
from io_managers.files import open_temp_beside

_NO_FOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
"""Refuses to open a symlink (0 where the system has no such flag: ``_path`` checks)."""
_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)


def partition_file_name(partition_key: str) -> str:
    """The file name (without suffix) that stores ``partition_key``: percent-encoded.

    Every character but ASCII letters, digits, ``-``, ``_`` and ``.`` is encoded as UTF-8
    ``%XX``, and so is a leading ``.`` (no hidden files, no ``..``), so the name is one
    path segment on every file system and object store, and distinct keys get distinct names.
    """
    name = quote(partition_key, safe="-_.")
    if name.startswith("."):
        name = "%2E" + name[1:]
    return name or "%00empty"


def missing_value_error(
    asset_key: AssetKey, partition_keys: tuple[str, ...], where: str
) -> StorageError:
    """The error for a value that was never stored: names asset, partitions and place."""
    if partition_keys:
        shown = ", ".join(f"'{key}'" for key in partition_keys[:5])
        more = f" and {len(partition_keys) - 5} more" if len(partition_keys) > 5 else ""
        if len(partition_keys) == 1:
            what = f"Asset '{asset_key}' partition {shown} has"
        else:
            what = f"Asset '{asset_key}' partitions {shown}{more} have"
    else:
        what = f"Asset '{asset_key}' has"
    return StorageError(
        f"{what} no stored value at {where}: materialize it first "
        "(select it with '+' to include upstream assets)."
    )


class PickleIOManager(IOManager):
    """Pickles values to files under ``base_dir`` (default ``$ASSETGRAPH_HOME/storage``).

    Storing several partitions at once (a single-run backfill) takes a mapping
    ``{partition_key: value}`` holding exactly those keys; loading several partitions
    returns such a mapping, in key order; loading one returns its value.

    The rename makes every write atomic against a crashed process. ``fsync=True`` also
    flushes each file to disk before the rename, so a power loss cannot lose it either;
    it costs a disk flush per value.
    """

    def __new__(cls, base_dir: Any = None, *args: Any, **kwargs: Any) -> PickleIOManager:
        # An fsspec URL (s3://bucket/prefix, ...) gets the object-store implementation, so
        # the local-file code below stays a plain, fast path.
        if (
            cls is PickleIOManager
            and "://" in str(base_dir or "")
            and not str(base_dir).startswith("file://")
        ):
            from io_managers.object_store import ObjectStorePickleIOManager

            return super().__new__(ObjectStorePickleIOManager)
        return super().__new__(cls)

    def __init__(self, base_dir: str | os.PathLike[str] | None = None, *, fsync: bool = False):
        if base_dir is None:
            base_dir = settings.home() / "storage"
        self.base_dir = Path(base_dir).absolute()
        self.fsync = fsync

    def path_for(self, asset_key: AssetKey, partition_key: str | None = None) -> Path:
        """Where the value of ``asset_key`` (and partition) is stored."""
        return Path(self._path(asset_key, partition_key))

    def _path(
        self, asset_key: AssetKey, partition_key: str | None, *, check_file: bool = True
    ) -> str:
        """``path_for`` as a string, refusing a place outside the base directory.

        Asset key parts and partition file names are single path segments (neither can be
        ``..``), so only a symlink can lead outside: the folder's real path is checked
        once per folder (and cached while it exists), the file itself (a symlink?) with
        ``check_file``. A write needs no file check: the rename that ends it replaces a
        symlink at the path, never what the link points to; ``_open_to_read`` checks a
        file only when it is a symlink.
        """
        folder = self._asset_folder(asset_key)
        if partition_key is not None:
            path = os.path.join(folder, partition_file_name(partition_key))
        else:
            path, folder = folder, self._asset_folder(asset_key, parent=True)
        inside = self._checked_folders().get(folder)
        if inside is None:
            real = os.path.realpath(folder)
            base = os.path.join(self._real_base(), "")
            inside = real == base[:-1] or real.startswith(base)
            if inside and os.path.isdir(real):
                self._checked_folders()[folder] = True
        if inside and check_file and os.path.islink(path):
            real = os.path.realpath(path)
            inside = real.startswith(os.path.join(self._real_base(), ""))
        if not inside:
            resolved = os.path.realpath(path)
            where = f" partition '{partition_key}'" if partition_key is not None else ""
            raise StorageError(
                f"Asset '{asset_key}'{where} would be stored at {resolved}, "
                f"outside the IO manager's base directory {self.base_dir}: refusing."
            )
        return path

    def _asset_folder(self, asset_key: AssetKey, *, parent: bool = False) -> str:
        """``<base_dir>/<key parts>`` (``parent``: without the last part), kept per key."""
        folders: dict[tuple[AssetKey, bool], str] | None = self.__dict__.get("_asset_folders")
        if folders is None:
            folders = self.__dict__["_asset_folders"] = {}
        folder = folders.get((asset_key, parent))
        if folder is None:
            parts = asset_key.path[:-1] if parent else asset_key.path
            folder = folders[(asset_key, parent)] = os.path.join(self._base_str(), *parts)
        return folder

    def _open_to_read(self, asset_key: AssetKey, partition_key: str | None) -> BinaryIO:
        """The stored file, open for reading. It is opened without following a symlink
        (one system call, no ``lstat`` first); a symlink is followed only once
        ``_path`` has found that it leads inside the base directory."""
        path = self._path(asset_key, partition_key, check_file=_NO_FOLLOW == 0)
        try:
            fd = os.open(path, os.O_RDONLY | _NO_FOLLOW | _CLOEXEC)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            fd = os.open(self._path(asset_key, partition_key), os.O_RDONLY | _CLOEXEC)
        return os.fdopen(fd, "rb")

    def host_local_storage(self) -> str | None:
        return str(self.base_dir)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for cached in ("_real_base_dir", "_base_dir_str", "_folders_inside", "_asset_folders"):
            state.pop(cached, None)
        return state

    def _base_str(self) -> str:
        base = self.__dict__.get("_base_dir_str")
        if base is None:
            base = self.__dict__["_base_dir_str"] = str(self.base_dir)
        return base

    def _checked_folders(self) -> dict[str, bool]:
        folders: dict[str, bool] | None = self.__dict__.get("_folders_inside")
        if folders is None:
            folders = self.__dict__["_folders_inside"] = {}
        return folders

    def _real_base(self) -> str:
        real = self.__dict__.get("_real_base_dir")
        if real is None:
            real = self.__dict__["_real_base_dir"] = os.path.realpath(self.base_dir)
        return real

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        keys = context.partition_keys
        if len(keys) <= 1:
            values: dict[str | None, Any] = {keys[0] if keys else None: obj}
        else:
            values = {k: v for k, v in _values_by_partition(context, obj).items()}
        paths = {key: self._path(context.asset_key, key, check_file=False) for key in values}
        # Stage every file first and rename only when all are written, so a failure
        # leaves every partition with its old value.
        staged: list[tuple[str, str]] = []
        try:
            for key, value in values.items():
                tmp_name, version = self._write_temp(paths[key], value)
                staged.append((tmp_name, paths[key]))
                context.set_data_version(version, key)
            for tmp_name, path in staged:
                os.replace(tmp_name, path)
        except BaseException:
            for tmp_name, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp_name)
            raise
        if len(paths) == 1:
            context.add_output_metadata({"path": next(iter(paths.values()))})
        else:
            folder = self.base_dir.joinpath(*context.asset_key.path)
            context.add_output_metadata({"path": str(folder), "partitions": len(paths)})

    def _write_temp(self, path: str, value: Any) -> tuple[str, str]:
        """Write ``value`` beside ``path``; returns the temp file and a digest of its bytes."""
        try:
            fd, tmp_name = open_temp_beside(path)
        except FileNotFoundError:  # the asset's first value: make its folder
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp_name = open_temp_beside(path)
        try:
            with os.fdopen(fd, "wb") as handle:
                writer = HashingWriter(handle)
                pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)
                if self.fsync:
                    handle.flush()
                    os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        return tmp_name, writer.digest()

    def load_input(self, context: InputContext) -> Any:
        keys = context.partition_keys
        if len(keys) <= 1:
            return self._load_one(context.asset_key, keys[0] if keys else None)
        paths = {key: self._path(context.asset_key, key) for key in keys}
        missing = tuple(key for key, path in paths.items() if not os.path.isfile(path))
        if missing:
            folder = self.base_dir.joinpath(*context.asset_key.path)
            raise missing_value_error(context.asset_key, missing, str(folder))
        return {key: self._load_one(context.asset_key, key) for key in keys}

    def _load_one(self, asset_key: AssetKey, partition_key: str | None) -> Any:
        try:
            with self._open_to_read(asset_key, partition_key) as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            partitions = (partition_key,) if partition_key is not None else ()
            path = self._path(asset_key, partition_key)
            raise missing_value_error(asset_key, partitions, str(path)) from None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            where = f" partition '{partition_key}'" if partition_key is not None else ""
            path = self._path(asset_key, partition_key)
            raise StorageError(
                f"The stored value of asset '{asset_key}'{where} at {path} cannot be loaded "
                f"({type(exc).__name__}: {exc}); re-materialize the asset."
            ) from exc


def _values_by_partition(context: OutputContext, obj: Any) -> Mapping[str, Any]:
    keys = context.partition_keys
    if not isinstance(obj, Mapping) or set(obj) != set(keys):
        got = (
            f"a mapping with keys {sorted(map(str, obj))[:5]}"
            if isinstance(obj, Mapping)
            else type(obj).__name__
        )
        raise StorageError(
            f"Asset '{context.asset_key}' is stored for {len(keys)} partitions at once "
            f"({context.partition_key_range}); PickleIOManager needs a mapping "
            f"{{partition_key: value}} with exactly those keys, got {got}."
        )
    return {key: obj[key] for key in keys}
