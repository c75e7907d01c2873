"""The inputs and outputs of ops and graphs, as Dagster declares them.

``In`` and ``Out`` describe an op's inputs and outputs (``@op(ins=..., out=...)``);
``DynamicOut`` marks an output that yields many ``DynamicOutput``s, one per mapping key,
which a job fans out over with ``.map(...)`` and gathers with ``.collect()``; ``GraphIn``
and ``GraphOut`` describe a graph's. ``Nothing`` is the type of an input that carries no
value, only an ordering: ``ins={"start": In(Nothing)}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assetgraph.definitions.dagster_types import is_nothing
from assetgraph.definitions.outputs import DEFAULT_OUTPUT_NAME
from assetgraph.errors import DefinitionError


@dataclass(frozen=True)
class In:
    """An op input: its type (``Nothing`` for ordering only; a ``DagsterType`` checks the
    value before the op runs), a default value used when nothing is wired to it,
    description and metadata."""

    dagster_type: Any = None
    description: str | None = None
    default_value: Any = field(default=None)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    asset_key: Any = None
    asset_partitions: Any = None
    input_manager_key: str | None = None
    has_default: bool = field(default=False, init=False, compare=False)

    def __init__(
        self,
        dagster_type: Any = None,
        description: str | None = None,
        default_value: Any = ...,
        metadata: Mapping[str, Any] | None = None,
        asset_key: Any = None,
        asset_partitions: Any = None,
        input_manager_key: str | None = None,
    ) -> None:
        object.__setattr__(self, "dagster_type", dagster_type)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "default_value", None if default_value is ... else default_value)
        object.__setattr__(self, "has_default", default_value is not ...)
        object.__setattr__(self, "metadata", dict(metadata or {}))
        object.__setattr__(self, "asset_key", asset_key)
        object.__setattr__(self, "asset_partitions", asset_partitions)
        object.__setattr__(self, "input_manager_key", input_manager_key)

    @property
    def is_nothing(self) -> bool:
        return is_nothing(self.dagster_type)


@dataclass(frozen=True)
class Out:
    """An op output: its type (a ``DagsterType`` checks each value produced), whether it
    must be produced (``is_required=False``: a branch the op may skip), description and
    metadata.
    ``io_manager_key`` is recorded: values pass between ops in memory. With ``asset_key``,
    each value the op produces is recorded as a materialization of that asset."""

    dagster_type: Any = None
    description: str | None = None
    is_required: bool = True
    io_manager_key: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    code_version: str | None = None
    asset_key: Any = None

    @property
    def is_dynamic(self) -> bool:
        return False


@dataclass(frozen=True)
class DynamicOut(Out):
    """An output that yields any number of ``DynamicOutput``s, each with its mapping key;
    downstream ops run once per key (``.map``) or once over all (``.collect``)."""

    @property
    def is_dynamic(self) -> bool:
        return True


_MAPPING_KEY = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class DynamicOutput:
    """One value of a ``DynamicOut``, under ``mapping_key`` (letters, digits and ``_``)."""

    value: Any
    mapping_key: str
    output_name: str = DEFAULT_OUTPUT_NAME
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.mapping_key, str) or not _MAPPING_KEY.match(self.mapping_key):
            raise DefinitionError(
                f"DynamicOutput mapping_key {self.mapping_key!r} is not valid: use letters, "
                "digits and '_' only (e.g. str(index))."
            )

    def __class_getitem__(cls, item: Any) -> type[DynamicOutput]:
        return cls


@dataclass(frozen=True)
class GraphIn:
    """An input of a graph (its description); wired to the ops the graph passes it to."""

    description: str | None = None


@dataclass(frozen=True)
class GraphOut:
    """An output of a graph: the composition returns a dict by output name."""

    description: str | None = None


def outs_of(out: Any, fn_name: str) -> dict[str, Out]:
    """``@op(out=...)`` as a mapping of output name to ``Out`` (default: one ``"result"``)."""
    if out is None:
        return {DEFAULT_OUTPUT_NAME: Out()}
    if isinstance(out, Out):
        return {DEFAULT_OUTPUT_NAME: out}
    if isinstance(out, Mapping) and all(isinstance(o, Out) for o in out.values()):
        return {str(name): o for name, o in out.items()}
    raise DefinitionError(
        f"@op '{fn_name}': out must be an Out, a DynamicOut or a dict of them, got {out!r}."
    )


def ins_of(ins: Any, fn_name: str) -> dict[str, In]:
    """``@op(ins=...)`` as a mapping of input name to ``In``."""
    if ins is None:
        return {}
    if isinstance(ins, Mapping) and all(isinstance(i, In) for i in ins.values()):
        return {str(name): i for name, i in ins.items()}
    raise DefinitionError(f"@op '{fn_name}': ins must be a dict of In(...), got {ins!r}.")
