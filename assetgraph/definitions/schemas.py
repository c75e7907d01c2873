"""Recognising pandera schemas without importing pandera: a leaf shared by assets and checks.

``@asset(schema=...)`` and a ``pandera.typing.DataFrame[Model]`` return annotation are
checked here when an asset is defined; they are evaluated (with pandera) by
``assetgraph.definitions.checks`` when the asset runs.
"""

from __future__ import annotations

import typing
from typing import Any


def schema_from_annotation(annotation: Any) -> Any:
    """The pandera model of a ``pandera.typing.DataFrame[Model]`` annotation, else None.

    Recognised without importing pandera: the generic's origin lives in ``pandera.typing``.
    """
    origin = typing.get_origin(annotation)
    if origin is None or not getattr(origin, "__module__", "").startswith("pandera.typing"):
        return None
    args = typing.get_args(annotation)
    if not args or not isinstance(args[0], type) or not hasattr(args[0], "validate"):
        return None
    return args[0]


def is_pandera_schema(schema: object) -> bool:
    """True for a pandera ``DataFrameSchema`` (or other schema) or a ``DataFrameModel`` class."""
    classes = schema.__mro__ if isinstance(schema, type) else type(schema).__mro__
    return any(c.__module__.startswith("pandera") for c in classes) and callable(
        getattr(schema, "validate", None)
    )
