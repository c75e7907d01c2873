"""Definitions.merge: one Definitions from several; a name given twice is an error."""

from __future__ import annotations

import pytest

from assetgraph import (
    ConfigurableResource,
    Definitions,
    Instance,
    RetryPolicy,
    asset,
    materialize,
)
from assetgraph.errors import DefinitionError


class Greeter(ConfigurableResource):
    greeting: str


@asset
def name() -> str:
    return "ada"


@asset
def hello(greeter: Greeter) -> str:
    return f"{greeter.greeting} ada"


def test_merge_combines_assets_and_resources_and_runs() -> None:
    first = Definitions(assets=[name])
    second = Definitions(assets=[hello], resources={"greeter": Greeter(greeting="hi")})
    merged = Definitions.merge(first, second)
    assert {key.to_string() for key in merged.graph.all_keys} == {"name", "hello"}
    assert materialize(merged, instance=Instance.ephemeral()).output_for("hello") == "hi ada"


def test_the_same_resource_in_both_is_fine() -> None:
    greeter = Greeter(greeting="hi")
    merged = Definitions.merge(
        Definitions(assets=[name], resources={"greeter": greeter}),
        Definitions(assets=[hello], resources={"greeter": greeter}),
    )
    assert merged.resources == {"greeter": greeter}


def test_conflicting_resources_are_an_error_naming_the_key() -> None:
    with pytest.raises(DefinitionError, match="resource 'greeter' is given twice"):
        Definitions.merge(
            Definitions(assets=[name], resources={"greeter": Greeter(greeting="hi")}),
            Definitions(assets=[hello], resources={"greeter": Greeter(greeting="yo")}),
        )


def test_one_asset_key_defined_twice_is_an_error_naming_it() -> None:
    @asset(name="name")
    def other_name() -> str:
        return "bob"

    with pytest.raises(DefinitionError, match="asset 'name' is defined twice"):
        Definitions.merge(Definitions(assets=[name]), Definitions(assets=[other_name]))


def test_the_same_asset_object_in_both_is_kept_once() -> None:
    merged = Definitions.merge(Definitions(assets=[name]), Definitions(assets=[name]))
    assert len(merged.assets) == 1


def test_two_different_retry_policies_are_refused() -> None:
    with pytest.raises(DefinitionError, match="retry_policy"):
        Definitions.merge(
            Definitions(assets=[name], retry_policy=RetryPolicy(max_retries=1)),
            Definitions(retry_policy=RetryPolicy(max_retries=2)),
        )


def test_merge_takes_only_definitions() -> None:
    with pytest.raises(DefinitionError, match="argument 2 is a list"):
        Definitions.merge(Definitions(assets=[name]), [hello])  # type: ignore[arg-type]
