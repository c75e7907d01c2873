"""Chunks of values small enough for one SQL ``IN`` list."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

IN_CHUNK = 900
"""Most values bound in one ``IN`` list (SQLite allows 999 variables in older builds)."""

T = TypeVar("T")


def chunked(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
