"""Values as objects under an fsspec URL (``s3://bucket/prefix``, ``gs://...``, ``memory://...``).

The pickle and Parquet IO managers use this when their ``base_dir`` is a URL, so that Dask
workers on other machines share one store. The local-disk paths of those IO managers do
not come through here.

A write is whole or absent. One value on an object store (S3, GCS, Azure) is one put,
which those stores make atomic: a reader sees the old object or the new one, never a part,
even when the writer dies mid-upload. Several values of one step (the partitions of a
single-run backfill), and any value on a file system without atomic puts (SFTP, HDFS,
...), are first put under temporary keys in the ``.tmp/`` folder under the base URL, and
only when all are staged is each moved to its final key (on S3 a server-side copy, itself
atomic, then a delete of the temporary key): a failure while staging changes no value. A
worker that dies mid-write leaves at most a temporary object, which no reader ever looks at
(an object store's lifecycle rule on ``.tmp/`` can expire them).

Errors of the file system (the store unreachable, credentials refused) become a
``StorageError`` that names the asset and the URL, so a step's failure says where it was
writing; a ``RetryPolicy`` on the asset retries it when the store is back.

fsspec, and the file system's own package (s3fs for ``s3://``), are imported on first use.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import posixpath
import uuid
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from assetgraph.errors import StorageError
from assetgraph.io import InputContext, OutputContext
from assetgraph.keys import AssetKey
from assetgraph.versions.digests import HashingWriter
from io_managers.pickle import (
    PickleIOManager,
    _values_by_partition,
    missing_value_error,
    partition_file_name,
)

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem  # type: ignore[import-untyped]

TEMP_FOLDER = ".tmp"
"""The folder under the base URL that holds objects being written."""

T = TypeVar("T")


def is_url(base_dir: object) -> bool:
    """True when ``base_dir`` is an fsspec URL other than a local ``file://`` one."""
    text = str(base_dir) if base_dir is not None else ""
    return "://" in text and not text.startswith("file://")


class ObjectStore:
    """One base URL of an fsspec file system: paths of values, whole writes, reads."""

    def __init__(self, url: str, storage_options: Mapping[str, Any] | None = None) -> None:
        self.url = url.rstrip("/")
        self.storage_options: dict[str, Any] = dict(storage_options or {})
        self._fs: AbstractFileSystem | None = None
        self._root = ""

    def __getstate__(self) -> dict[str, Any]:
        # File system objects hold connections and event loops; each worker makes its own.
        return {"url": self.url, "storage_options": self.storage_options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["url"], state["storage_options"])  # type: ignore[misc]

    @property
    def fs(self) -> AbstractFileSystem:
        if self._fs is None:
            try:
                from fsspec.core import url_to_fs  # type: ignore[import-untyped]

                fs, root = url_to_fs(self.url, **self.storage_options)
            except ImportError as exc:
                raise StorageError(
                    f"Storing values at {self.url} needs fsspec and the package of its "
                    f"protocol ({exc}): pip install 'assetgraph[s3]' (or gcsfs, adlfs, ...)."
                ) from exc
            self._fs, self._root = fs, str(root).rstrip("/")
        return self._fs

    @property
    def root(self) -> str:
        _ = self.fs
        return self._root

    def path_for(self, asset_key: AssetKey, partition_key: str | None, suffix: str) -> str:
        """The object path of ``asset_key``'s value (or partition); never outside the root.

        Unpartitioned: ``<root>/<key parts><suffix>``; partitioned:
        ``<root>/<key parts>/<partition file name><suffix>``.
        """
        parts = list(asset_key.path)
        if partition_key is None:
            parts[-1] += suffix
        else:
            parts.append(partition_file_name(partition_key) + suffix)
        root = self.root
        path = posixpath.normpath(posixpath.join(root, *parts))
        if not path.startswith(root.rstrip("/") + "/") or f"/{TEMP_FOLDER}/" in path[len(root) :]:
            where = f" partition '{partition_key}'" if partition_key is not None else ""
            raise StorageError(
                f"Asset '{asset_key}'{where} would be stored at {path}, outside the IO "
                f"manager's base URL {self.url} or in its folder of temporary objects "
                f"'{TEMP_FOLDER}/': refusing; rename the asset."
            )
        return path

    def url_of(self, path: str) -> str:
        """The full URL of ``path`` (with its protocol), as messages show it."""
        return str(self.fs.unstrip_protocol(path))

    def folder_of(self, asset_key: AssetKey) -> str:
        return posixpath.join(self.root, *asset_key.path)

    # Writing.

    def write_all(self, asset_key: AssetKey, objects: Iterable[tuple[str, bytes]]) -> None:
        """Store each ``(path, data)`` whole: stage all under temporary keys, then move each
        into place, so a failure before the moves changes no value."""
        fs = self.fs
        objects = list(objects)
        if len(objects) == 1 and self._is_object_store():
            # One put is atomic on an object store (S3, GCS and Azure never show part of an
            # object, nor a multipart upload before it completes): no temporary key needed.
            path, data = objects[0]
            self._call(asset_key, path, "write", partial(fs.pipe_file, path, data))
            return
        staged: list[tuple[str, str]] = []
        try:
            for path, data in objects:
                temp = self._temp_path(path)
                self._call(asset_key, path, "write", partial(fs.pipe_file, temp, data))
                staged.append((temp, path))
            for temp, path in staged:
                self._call(asset_key, path, "write", partial(fs.mv, temp, path))
        except BaseException:
            for temp, _ in staged:
                with contextlib.suppress(Exception):  # the store may be why we are here
                    if fs.exists(temp):
                        fs.rm(temp)
            raise

    def _temp_path(self, path: str) -> str:
        name = f"{uuid.uuid4().hex}-{posixpath.basename(path)}"
        temp = posixpath.join(self.root, TEMP_FOLDER, name)
        if not self._is_object_store():
            self.fs.makedirs(posixpath.dirname(temp), exist_ok=True)
            self.fs.makedirs(posixpath.dirname(path), exist_ok=True)
        return temp

    def _is_object_store(self) -> bool:
        """Object stores have no folders to create (and ``makedirs`` of a bucket creates it)."""
        protocol = self.fs.protocol
        names = (protocol,) if isinstance(protocol, str) else tuple(protocol)
        return any(name in ("s3", "s3a", "gs", "gcs", "az", "abfs", "abfss") for name in names)

    # Reading.

    def read(self, asset_key: AssetKey, partition_key: str | None, path: str) -> bytes:
        """The bytes at ``path``; a StorageError naming the asset when none are stored."""
        fs = self.fs
        try:
            data: bytes = self._call(asset_key, path, "read", lambda: fs.cat_file(path))
        except FileNotFoundError:
            partitions = (partition_key,) if partition_key is not None else ()
            raise missing_value_error(asset_key, partitions, self.url_of(path)) from None
        return data

    def names_in(self, asset_key: AssetKey, folder: str) -> set[str]:
        """The object names directly under ``folder`` (fresh, not from a listing cache)."""
        fs = self.fs

        def listing() -> list[str]:
            fs.invalidate_cache(folder)
            try:
                return [str(p) for p in fs.ls(folder, detail=False)]
            except FileNotFoundError:
                return []

        listed = self._call(asset_key, folder, "list", listing)
        return {posixpath.basename(p.rstrip("/")) for p in listed}

    def _call(self, asset_key: AssetKey, path: str, verb: str, action: Callable[[], T]) -> T:
        """Run ``action``; a failure of the store becomes a StorageError naming the URL."""
        try:
            return action()
        except (FileNotFoundError, StorageError):
            raise
        except Exception as exc:
            raise StorageError(
                f"Cannot {verb} the value of asset '{asset_key}' at {self.url_of(path)}: "
                f"{type(exc).__name__}: {exc}. Check that the object store is reachable and "
                "its credentials are valid; a RetryPolicy on the asset retries the step."
            ) from exc


class ObjectStorePickleIOManager(PickleIOManager):
    """``PickleIOManager`` on an fsspec URL: one pickled object per (asset, partition).

    Made by ``PickleIOManager("s3://bucket/prefix")`` (any URL but ``file://``); the layout
    is the local one's, under the URL. ``storage_options`` go to the fsspec file system
    (credentials, ``endpoint_url``, ...); without them the protocol's own defaults apply
    (for s3fs: the ``AWS_*`` environment variables and files).
    """

    def __init__(
        self,
        base_dir: str | None = None,
        *,
        fsync: bool = False,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        if base_dir is None or not is_url(base_dir):
            raise StorageError(
                f"ObjectStorePickleIOManager needs an fsspec URL such as s3://bucket/prefix, "
                f"got {base_dir!r}: use PickleIOManager for a local folder."
            )
        self.store = ObjectStore(str(base_dir), storage_options)
        self.base_dir = self.store.url  # type: ignore[assignment]
        self.fsync = fsync

    def host_local_storage(self) -> str | None:
        return None

    def object_path(self, asset_key: AssetKey, partition_key: str | None = None) -> str:
        """The object path (without protocol) of ``asset_key``'s value or partition."""
        return self.store.path_for(asset_key, partition_key, "")

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        keys = context.partition_keys
        if len(keys) <= 1:
            values: dict[str | None, Any] = {keys[0] if keys else None: obj}
        else:
            values = {k: v for k, v in _values_by_partition(context, obj).items()}
        objects: list[tuple[str, bytes]] = []
        for key, value in values.items():
            writer = io.BytesIO()
            hashing = HashingWriter(writer)
            pickle.dump(value, hashing, protocol=pickle.HIGHEST_PROTOCOL)
            context.set_data_version(hashing.digest(), key)
            objects.append((self.object_path(context.asset_key, key), writer.getvalue()))
        self.store.write_all(context.asset_key, objects)
        if len(objects) == 1:
            context.add_output_metadata({"path": self.store.url_of(objects[0][0])})
        else:
            folder = self.store.url_of(self.store.folder_of(context.asset_key))
            context.add_output_metadata({"path": folder, "partitions": len(objects)})

    def load_input(self, context: InputContext) -> Any:
        keys = context.partition_keys
        if len(keys) <= 1:
            return self._load_object(context.asset_key, keys[0] if keys else None)
        folder = self.store.folder_of(context.asset_key)
        present = self.store.names_in(context.asset_key, folder)
        missing = tuple(k for k in keys if partition_file_name(k) not in present)
        if missing:
            raise missing_value_error(context.asset_key, missing, self.store.url_of(folder))
        return {key: self._load_object(context.asset_key, key) for key in keys}

    def _load_object(self, asset_key: AssetKey, partition_key: str | None) -> Any:
        path = self.object_path(asset_key, partition_key)
        data = self.store.read(asset_key, partition_key, path)
        try:
            return pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            where = f" partition '{partition_key}'" if partition_key is not None else ""
            raise StorageError(
                f"The stored value of asset '{asset_key}'{where} at {self.store.url_of(path)} "
                f"cannot be loaded ({type(exc).__name__}: {exc}); re-materialize the asset."
            ) from exc
