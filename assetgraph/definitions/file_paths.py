"""``file_relative_path``: a path next to a code location's file, as Dagster's helper."""

from __future__ import annotations

import os


def file_relative_path(dunderfile: str, relative_path: str) -> str:
    """``relative_path`` joined to the folder of ``dunderfile`` (pass ``__file__``)."""
    return os.path.join(os.path.dirname(dunderfile), relative_path)


__all__ = ["file_relative_path"]
