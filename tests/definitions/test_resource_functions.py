"""Dagster's function-style resources: @resource and @io_manager, built when a run starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assetgraph import (
    Definitions,
    InputContext,
    Instance,
    IOManager,
    OutputContext,
    ResourceError,
    ResourceParam,
    asset,
    io_manager,
    materialize,
    resource,
)

EVENTS: list[str] = []


class Client:
    def __init__(self, url: str) -> None:
        self.url = url


@resource(config_schema={"url": str})
def client(init_context: Any) -> Client:
    EVENTS.append("built")
    return Client(init_context.resource_config["url"])


@resource
def session(init_context: Any) -> Any:
    EVENTS.append("open")
    yield "a session"
    EVENTS.append("closed")


@asset(required_resource_keys={"client"})
def fetched(context: Any) -> str:
    return context.resources.client.url


@asset
def with_session(session: ResourceParam[str]) -> str:
    return session.upper()


def test_a_configured_resource_function_is_called_when_the_run_starts() -> None:
    EVENTS.clear()
    defs = Definitions(
        assets=[fetched], resources={"client": client.configured({"url": "https://x"})}
    )
    assert EVENTS == [], "built only when a run starts"
    assert materialize(defs, instance=Instance.ephemeral()).output_for("fetched") == "https://x"
    assert EVENTS == ["built"]


def test_a_yielding_resource_is_torn_down_after_the_run() -> None:
    EVENTS.clear()
    defs = Definitions(assets=[with_session], resources={"session": session})
    assert materialize(defs, instance=Instance.ephemeral()).output_for("with_session") == (
        "A SESSION"
    )
    assert EVENTS == ["open", "closed"]


def test_a_resource_function_that_raises_names_the_resource() -> None:
    @resource
    def broken(_: Any) -> Any:
        raise ConnectionError("refused")

    @asset(required_resource_keys={"db"})
    def uses(context: Any) -> int:
        return 1

    defs = Definitions(assets=[uses], resources={"db": broken})
    with pytest.raises(ResourceError, match=r"Resource 'db' \(broken\) failed to set up: "):
        materialize(defs, instance=Instance.ephemeral())


class TextIO(IOManager):
    def __init__(self, root: Path) -> None:
        self.root = root

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        (self.root / context.asset_key.to_string()).write_text(str(obj))

    def load_input(self, context: InputContext) -> Any:
        return (self.root / context.asset_key.to_string()).read_text()


def test_an_io_manager_function_stores_the_values(tmp_path: Path) -> None:
    @io_manager(config_schema={"root": str})
    def text_io(init_context: Any) -> TextIO:
        return TextIO(Path(init_context.resource_config["root"]))

    @asset
    def word() -> str:
        return "abc"

    @asset
    def loud(word: str) -> str:
        return word.upper()

    defs = Definitions(
        assets=[word, loud], resources={"io_manager": text_io.configured({"root": str(tmp_path)})}
    )
    assert materialize(defs, instance=Instance.ephemeral()).success
    assert (tmp_path / "loud").read_text() == "ABC"


def test_an_io_manager_function_returning_something_else_is_an_error() -> None:
    @io_manager
    def not_one(_: Any) -> Any:
        return 42

    @asset
    def word() -> str:
        return "abc"

    defs = Definitions(assets=[word], resources={"io_manager": not_one})
    with pytest.raises(ResourceError, match="returned int, which has no handle_output"):
        materialize(defs, instance=Instance.ephemeral())


def test_dagsters_fs_io_manager_configured_with_base_dir(tmp_path: Path) -> None:
    import pickle

    from assetgraph import fs_io_manager

    @asset
    def word() -> str:
        return "abc"

    defs = Definitions(
        assets=[word],
        resources={"io_manager": fs_io_manager.configured({"base_dir": str(tmp_path / "fs")})},
    )
    assert materialize(defs, instance=Instance.ephemeral()).success
    assert pickle.loads((tmp_path / "fs" / "word").read_bytes()) == "abc"


def test_dagsters_mem_io_manager_keeps_values_for_the_run() -> None:
    from assetgraph import mem_io_manager

    @asset
    def word() -> str:
        return "abc"

    @asset
    def size(word: str) -> int:
        return len(word)

    defs = Definitions(assets=[word, size], resources={"io_manager": mem_io_manager})
    assert materialize(defs, instance=Instance.ephemeral()).output_for("size") == 3


def test_an_input_manager_function_may_take_no_context_and_may_return_an_input_manager() -> None:
    from assetgraph import AssetIn, InputManager, input_manager

    class Constant(InputManager):
        def load_input(self, context: InputContext) -> Any:
            return f"{context.asset_key.to_string()} from a manager"

    @input_manager
    def plain() -> str:
        return "plain"

    @input_manager
    def delegating() -> InputManager:
        return Constant()

    @asset
    def source() -> int:
        return 1

    @asset(ins={"source": AssetIn(input_manager_key="plain")})
    def first(source: str) -> str:
        return source

    @asset(ins={"source": AssetIn(input_manager_key="delegating")})
    def second(source: str) -> str:
        return source

    defs = Definitions(
        assets=[source, first, second], resources={"plain": plain, "delegating": delegating}
    )
    result = materialize(defs, instance=Instance.ephemeral(), raise_on_error=True)
    assert result.output_for("first") == "plain"
    assert result.output_for("second") == "source from a manager"
