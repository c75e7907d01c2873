"""Op inputs loaded by input managers: ``In(input_manager_key=...)`` in op jobs."""

from __future__ import annotations

from typing import Any

import pytest

from assetgraph import (
    In,
    InputContext,
    InputManager,
    ResourceError,
    input_manager,
    job,
    op,
)


class Recording(InputManager):
    """Loads a value naming what it was asked for, and keeps each context it saw."""

    def __init__(self) -> None:
        self.seen: list[InputContext] = []

    def load_input(self, context: InputContext) -> Any:
        self.seen.append(context)
        upstream = context.upstream_output
        return f"loaded {context.name} of {upstream.step_key if upstream else None}"


@op
def produce() -> int:
    return 1


@op(ins={"value": In(input_manager_key="loader")})
def consume(value: str) -> str:
    return value


def test_a_wired_input_is_loaded_by_its_manager_not_passed_in_memory() -> None:
    loader = Recording()

    @job(resource_defs={"loader": loader})
    def wired() -> None:
        consume(produce())

    result = wired.execute_in_process()
    assert result.output_for_node("consume") == "loaded value of produce"
    [context] = loader.seen
    assert context.upstream_output is not None and context.upstream_output.name == "result"


def test_an_input_whose_op_the_selection_leaves_out_is_loaded_alone_with_its_config() -> None:
    loader = Recording()

    @job(resource_defs={"loader": loader})
    def wired() -> None:
        consume(produce())

    run_config = {"ops": {"consume": {"inputs": {"value": {"table": "t1"}}}}}
    result = wired.execute_in_process(run_config=run_config, op_selection=["consume"])
    assert result.output_for_node("consume") == "loaded value of None"
    [context] = loader.seen
    assert context.upstream_output is None and context.config == {"table": "t1"}


def test_a_function_input_manager_may_take_no_context_or_return_an_input_manager() -> None:
    @input_manager
    def constant() -> str:
        return "constant"

    @input_manager
    def delegating() -> InputManager:
        return Recording()

    @job(resource_defs={"loader": constant})
    def plain() -> None:
        consume()

    @job(resource_defs={"loader": delegating})
    def delegated() -> None:
        consume()

    assert plain.execute_in_process().output_for_node("consume") == "constant"
    assert delegated.execute_in_process().output_for_node("consume") == "loaded value of None"


def test_a_missing_input_manager_is_an_error_naming_the_op_and_input() -> None:
    @job(resource_defs={"lodaer": Recording()})
    def misspelled() -> None:
        consume()

    with pytest.raises(ResourceError, match="input 'value' is loaded by input manager 'loader'"):
        misspelled.execute_in_process()


def test_a_manager_that_raises_fails_the_step_and_skips_what_follows() -> None:
    class Broken(InputManager):
        def load_input(self, context: InputContext) -> Any:
            raise OSError("table t1 is gone")

    @op
    def after(value: str) -> str:
        return value

    @job(resource_defs={"loader": Broken()})
    def broken() -> None:
        after(consume(produce()))

    result = broken.execute_in_process(raise_on_error=False)
    assert not result.success
    [failure] = result.failures
    assert failure.step_key == "consume" and "table t1 is gone" in failure.error.summary()  # type: ignore[union-attr]
    assert [e.step_key for e in result.get_step_skipped_events()] == ["after"]
