"""Resolvable: YAML attributes validated by a model, then resolved into the class."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

import pydantic
import pytest

import assetgraph as dg


class Part(dg.Model, dg.Resolvable):
    name: str
    key: dg.ResolvedAssetKey


@dataclass
class Holder(dg.Resolvable):
    parts: Sequence[Part]
    spec: dg.ResolvedAssetSpec | None = None
    client: Annotated[
        str, dg.Resolver(lambda ctx, v: f"client({v})", model_field_name="api_key")
    ] = "none"


class ByInit(dg.Resolvable):
    def __init__(self, size: int, label: str = "x") -> None:
        self.size, self.label = size, label


def test_nested_resolvables_specs_keys_and_renamed_fields() -> None:
    made = Holder.resolve_from_dict(
        {
            "parts": [{"name": "p", "key": "a/b"}],
            "spec": {"key": "s", "kinds": ["python"], "group_name": "g"},
            "api_key": "secret",
        }
    )

    assert made.parts[0].key == dg.AssetKey(["a", "b"])
    assert made.spec is not None and made.spec.kinds == frozenset({"python"})
    assert made.spec.group_name == "g"
    assert made.client == "client(secret)"
    assert set(Holder.model().model_fields) == {"parts", "spec", "api_key"}


def test_an_annotated_init_is_a_resolvable_shape() -> None:
    made = ByInit.resolve_from_dict({"size": 3})
    assert (made.size, made.label) == (3, "x")


def test_models_refuse_unknown_and_wrong_fields() -> None:
    with pytest.raises(pydantic.ValidationError, match="Extra inputs"):
        Holder.model().model_validate({"parts": [], "other": 1})
    with pytest.raises(pydantic.ValidationError, match="size"):
        ByInit.model().model_validate({"size": "big"})
