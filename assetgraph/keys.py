"""Asset keys: a tuple of strings, written with ``/`` between parts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assetgraph.errors import DefinitionError

_PART = re.compile(r"^[A-Za-z0-9_\-.]+$")
MAX_PART_LENGTH = 200
"""The longest part of a key. IO managers store an asset under a file or folder named by
each part, and write through a temporary file named ``.<part>.<pid>-<thread>-<n>.tmp`` (the
parquet IO manager adds ``.parquet``): up to 53 characters more, which must stay under the
255-byte name limit of common file systems."""


@dataclass(frozen=True, slots=True, order=True)
class AssetKey:
    """The identity of an asset: ``AssetKey(("warehouse", "orders"))`` is ``warehouse/orders``."""

    path: tuple[str, ...]
    _hash: int = field(init=False, repr=False, compare=False)
    """``hash(path)``, computed once: keys are hashed in every dictionary lookup."""

    def __post_init__(self) -> None:
        if isinstance(self.path, str):
            object.__setattr__(self, "path", tuple(self.path.split("/")))
        elif not isinstance(self.path, tuple):
            object.__setattr__(self, "path", tuple(self.path))
        if not self.path:
            raise DefinitionError("An asset key needs at least one part.")
        for part in self.path:
            if not isinstance(part, str) or not _PART.match(part) or part in (".", ".."):
                raise DefinitionError(
                    f"Invalid asset key part {part!r} in {'/'.join(map(str, self.path))!r}: "
                    "use letters, digits, '_', '-' and '.' only (and not '.' or '..' alone)."
                )
            if len(part) > MAX_PART_LENGTH:
                raise DefinitionError(
                    f"Invalid asset key part '{part[:40]}...' ({len(part)} characters): use at "
                    f"most {MAX_PART_LENGTH} characters per part, so that the files IO managers "
                    "store it in stay within the 255-byte file name limit; choose a shorter name."
                )
        object.__setattr__(self, "_hash", hash(self.path))

    @staticmethod
    def from_user(value: CoercibleToAssetKey) -> AssetKey:
        """Accept ``AssetKey``, ``"a/b"``, ``"a"`` or a sequence of parts."""
        if isinstance(value, AssetKey):
            return value
        if isinstance(value, str):
            return AssetKey(tuple(value.split("/")))
        return AssetKey(tuple(value))

    @property
    def name(self) -> str:
        """The last part of the key."""
        return self.path[-1]

    @property
    def prefix(self) -> tuple[str, ...]:
        """Every part but the last."""
        return self.path[:-1]

    def to_string(self) -> str:
        """The ``a/b/c`` form used on the command line and in storage."""
        return "/".join(self.path)

    def to_user_string(self) -> str:
        """Dagster's name for ``to_string()``: ``a/b/c``."""
        return self.to_string()

    def with_prefix(self, prefix: str | Sequence[str]) -> AssetKey:
        """This key under ``prefix`` (one part as a string, or a sequence of parts)."""
        parts = (prefix,) if isinstance(prefix, str) else tuple(prefix)
        return AssetKey((*parts, *self.path))

    # Written out rather than generated: dicts keyed by asset keys are looked up hundreds of
    # thousands of times in a tick, and the generated methods wrap ``path`` in a tuple first.
    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        # String hashes differ between processes: another process recomputes the hash.
        return (AssetKey, (self.path,))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.path == other.path

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"AssetKey({self.to_string()!r})"


CoercibleToAssetKey = AssetKey | str | Sequence[str]
