"""``@success_hook`` / ``@failure_hook``, ``HookContext`` and ``build_hook_context``: how
hooks are declared and attached (their running is ``tests/execution/test_op_hooks.py``)."""

from __future__ import annotations

from unittest import mock

import pytest

from assetgraph import (
    HookContext,
    HookDefinition,
    build_hook_context,
    define_asset_job,
    failure_hook,
    graph,
    job,
    op,
    success_hook,
)
from assetgraph.errors import DefinitionError


@success_hook
def bare(context: HookContext) -> None:
    context.resources.conn.send(context.op.name if context.op else None)


@failure_hook(name="on_failure", required_resource_keys={"conn"})
def named(context: HookContext) -> None:
    context.resources.conn.send(repr(context.op_exception))


@op
def step() -> int:
    return 1


def test_decorators_make_hook_definitions_bare_or_with_arguments() -> None:
    assert isinstance(bare, HookDefinition)
    assert (bare.name, bare.kind, bare.required_resource_keys) == ("bare", "success", frozenset())
    assert (named.name, named.kind, named.required_resource_keys) == (
        "on_failure",
        "failure",
        frozenset({"conn"}),
    )
    assert bare.runs_after(True) and not bare.runs_after(False)
    assert named.runs_after(False) and not named.runs_after(True)


def test_a_hook_is_called_with_a_built_context_in_tests() -> None:
    conn = mock.MagicMock()
    bare(build_hook_context(resources={"conn": conn}, op=step))
    named(build_hook_context(resources={"conn": conn}, op_exception=ValueError("x")))
    assert conn.send.call_args_list == [mock.call("step"), mock.call("ValueError('x')")]
    context = build_hook_context(job_name="nightly")
    assert (context.run_id, context.job_name, context.step_key, context.op) == (
        "EPHEMERAL",
        "nightly",
        None,
        None,
    )


def test_hooks_attach_to_invocations_graphs_and_jobs() -> None:
    @graph
    def inner() -> None:
        step.with_hooks({bare})()

    @job(hooks={named})
    def hooked() -> None:
        inner.with_hooks({named})()
        step()

    by_op = {flat.handle: flat.hooks for flat in hooked.flat.ops}
    assert by_op == {"inner.step": frozenset({bare, named}), "step": frozenset()}
    assert hooked.hook_defs == frozenset({named})
    assert inner.to_job(hooks=[bare]).hook_defs == frozenset({bare})
    assert define_asset_job("nightly", hooks={bare}).hook_defs == frozenset({bare})


def test_anything_but_a_hook_is_refused_naming_the_job() -> None:
    with pytest.raises(DefinitionError, match=r"Job 'bad': hooks must be made with @success_hook"):

        @job(hooks={print})
        def bad() -> None:
            step()

    with pytest.raises(DefinitionError, match=r"op 'step': hooks must be made"):
        step.with_hooks([object()])
    with pytest.raises(DefinitionError, match=r"define_asset_job\('nightly'\): hooks must"):
        define_asset_job("nightly", hooks=["bare"])
