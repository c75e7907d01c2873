"""post_processing: merge or replace attributes of the targeted assets."""

from __future__ import annotations

import pytest

import assetgraph as dg
from assetgraph import DefinitionError
from assetgraph.components.post_processing import post_process, post_processors


@dg.asset(group_name="raw", tags={"a": "1"}, owners=["x@y.z"])
def orders() -> int:
    return 1


@dg.asset
def users() -> int:
    return 2


def specs(defs: dg.Definitions) -> dict[str, dg.AssetSpec]:
    return {s.key.to_user_string(): s for s in defs.resolve_all_asset_specs()}


def test_merge_extends_mappings_and_lists_and_replaces_the_rest() -> None:
    section = {
        "assets": [
            {"target": "group:raw", "attributes": {"tags": {"b": "2"}, "owners": ["team:ops"]}},
            {"attributes": {"description": "all of them"}},
        ]
    }

    defs = post_process(dg.Definitions([orders, users]), post_processors(section, "defs.yaml"))

    got = specs(defs)
    assert got["orders"].tags == {"a": "1", "b": "2"}
    assert got["orders"].owners == ("x@y.z", "team:ops")
    assert got["users"].tags == {}
    assert {s.description for s in got.values()} == {"all of them"}


def test_replace_replaces_mappings_and_lists() -> None:
    section = {"assets": [{"operation": "replace", "attributes": {"tags": {"b": "2"}}}]}

    defs = post_process(dg.Definitions([orders]), post_processors(section, "defs.yaml"))

    assert specs(defs)["orders"].tags == {"b": "2"}


def test_a_bad_section_names_the_file_and_field() -> None:
    with pytest.raises(
        DefinitionError, match=r"defs\.yaml: invalid attributes: assets\.0\.operation"
    ):
        post_processors({"assets": [{"operation": "upsert", "attributes": {}}]}, "defs.yaml")
    with pytest.raises(DefinitionError, match=r"must be a mapping with an 'assets' list"):
        post_processors("group_name: x", "defs.yaml")
