"""Data versions: short, stable digests that say whether two stored values are the same.

A materialization's data version is, in order of preference: the one the asset function
gives (``Output(data_version=...)`` / ``context.set_data_version``), a content hash its IO
manager reports for what it wrote (``OutputContext.set_data_version``), or a digest of the
asset's code version and the data versions of everything it read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, BinaryIO

DIGEST_CHARS = 16


def digest_text(text: str) -> str:
    """A short SHA-256 digest of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def derived_data_version(
    code_version: str, input_versions: Mapping[str, Mapping[str, str | None]]
) -> str:
    """The data version of an output nobody versioned: code version + what was read."""
    payload = json.dumps([code_version, input_versions], sort_keys=True, separators=(",", ":"))
    return digest_text(payload)


INPUT_VERSIONS_LIMIT = 1000
"""Past this many partitions read from one upstream, only their digest is recorded."""


def read_versions_record(read: dict[str, str | None]) -> dict[str, str | None]:
    """What a materialization records of the data versions it read from one upstream
    asset (partition key -> version): each one, or past ``INPUT_VERSIONS_LIMIT``
    partitions ``{"__digest__": ..., "__count__": ...}``, a digest that no single
    partition matches (it still changes when any version read changes). A small ``read``
    is returned as it is, not copied."""
    if len(read) <= INPUT_VERSIONS_LIMIT:
        return read
    text = "\n".join(f"{k}={v}" for k, v in sorted(read.items()))
    return {"__digest__": digest_text(text), "__count__": str(len(read))}


def frame_data_version(frame: Any) -> str:
    """A content digest of a pandas DataFrame: its columns, dtypes and every value."""
    import pandas as pd

    hasher = hashlib.sha256()
    hasher.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    if len(frame):
        hashes = pd.util.hash_pandas_object(frame, index=True)
        hasher.update(hashes.to_numpy().tobytes())
    return hasher.hexdigest()[:DIGEST_CHARS]


class HashingWriter:
    """Writes bytes to ``target`` while hashing them, so a value is hashed as it is stored."""

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self._hasher = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self._hasher.update(data)
        return self._target.write(data)

    def digest(self) -> str:
        return self._hasher.hexdigest()[:DIGEST_CHARS]
