"""Plain resources (ResourceParam[T]), required_resource_keys, and Dagster's IO manager names."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import (
    Definitions,
    FilesystemIOManager,
    InMemoryIOManager,
    Instance,
    ResourceError,
    ResourceParam,
    asset,
    materialize,
)
from assetgraph.cli.main import app


class Prices:
    """A plain (non-pydantic) client."""

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def convert(self, amount: float) -> float:
        return amount * self.rate


def test_resource_param_injects_a_plain_resource_by_name() -> None:
    @asset
    def converted(prices: ResourceParam[Prices]) -> float:
        return prices.convert(10)

    defs = Definitions(assets=[converted], resources={"prices": Prices(1.5)})
    assert converted.inputs == ()  # not an upstream asset
    assert materialize(defs, instance=Instance.ephemeral()).output_for("converted") == 15.0


def test_resource_param_with_a_missing_resource_names_asset_and_parameter() -> None:
    @asset
    def converted(prices: ResourceParam[Prices]) -> float:
        return prices.convert(10)

    with pytest.raises(ResourceError, match="needs the resource 'prices'"):
        Definitions(assets=[converted], resources={"price": Prices(1.0)})


def test_resource_param_of_the_wrong_class_is_refused() -> None:
    @asset
    def converted(prices: ResourceParam[Prices]) -> float:
        return prices.convert(10)

    with pytest.raises(ResourceError, match="annotated Prices"):
        Definitions(assets=[converted], resources={"prices": "not a client"})


def test_resource_param_works_with_string_annotations(tmp_path: Path) -> None:
    (tmp_path / "loc.py").write_text(
        textwrap.dedent(
            """
            from __future__ import annotations

            from assetgraph import Definitions, ResourceParam, asset


            @asset
            def greeting(name: ResourceParam[str]) -> str:
                return f"hello {name}"


            defs = Definitions(assets=[greeting], resources={"name": "ada"})
            """
        )
    )
    result = CliRunner().invoke(app, ["materialize", "-f", str(tmp_path / "loc.py")])
    assert result.exit_code == 0, result.output
    stored = Instance.from_env().storage_dir / "greeting"
    assert pickle.loads(stored.read_bytes()) == "hello ada"


def test_required_resource_keys_reach_the_context() -> None:
    @asset(required_resource_keys={"prices"})
    def converted(context) -> float:  # type: ignore[no-untyped-def]
        return context.resources.prices.convert(2)

    defs = Definitions(assets=[converted], resources={"prices": Prices(3.0)})
    assert materialize(defs, instance=Instance.ephemeral()).output_for("converted") == 6.0


def test_a_missing_required_resource_key_is_an_error_naming_it() -> None:
    @asset(required_resource_keys={"prices"})
    def converted(context) -> float:  # type: ignore[no-untyped-def]
        return context.resources.prices.convert(2)

    with pytest.raises(
        ResourceError, match=r"requires the resource 'prices'.*Did you mean 'price'"
    ):
        Definitions(assets=[converted], resources={"price": Prices(3.0)})


def test_filesystem_io_manager_pickles_under_base_dir(tmp_path: Path) -> None:
    @asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    @asset
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    defs = Definitions(
        assets=[numbers, total],
        resources={"io_manager": FilesystemIOManager(base_dir=str(tmp_path / "fs"))},
    )
    assert materialize(defs, instance=Instance.ephemeral()).success
    assert pickle.loads((tmp_path / "fs" / "total").read_bytes()) == 6


def test_filesystem_io_manager_defaults_to_the_instance_storage(isolated_home: Path) -> None:
    assert FilesystemIOManager().base_dir == (isolated_home / "storage").absolute()


def test_in_memory_io_manager_keeps_values_for_the_run() -> None:
    @asset
    def word() -> str:
        return "abc"

    @asset
    def length(word: str) -> int:
        return len(word)

    memory = InMemoryIOManager()
    defs = Definitions(assets=[word, length], resources={"io_manager": memory})
    assert materialize(defs, instance=Instance.ephemeral()).output_for("length") == 3
    assert sorted(v for v in memory.values.values() if isinstance(v, int)) == [3]
