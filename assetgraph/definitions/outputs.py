"""Values an asset function may return besides the bare value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class DataVersion:
    """An identifier of the data an asset holds; equal versions mean equal data."""

    value: str


@dataclass(frozen=True, slots=True)
class Output:
    """A returned value with metadata, a data version, or the output it belongs to.

    ``output_name`` picks the output of a ``@multi_asset``; it defaults to the only one.
    """

    value: Any
    metadata: Mapping[str, Any] = field(default_factory=dict)
    data_version: DataVersion | None = None
    output_name: str | None = None
