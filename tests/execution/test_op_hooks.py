"""Hooks run after steps: of op jobs (per op) and of asset jobs (per asset step), after a
success or a failure, never changing the run's outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetgraph import (
    Definitions,
    HookContext,
    Instance,
    asset,
    define_asset_job,
    failure_hook,
    job,
    op,
    success_hook,
)
from assetgraph.errors import ResourceError

seen: list[tuple[str, str | None, str | None]] = []


@success_hook(required_resource_keys={"tag"})
def record_success(context: HookContext) -> None:
    seen.append(("success", context.step_key, context.resources.tag))


@failure_hook
def record_failure(context: HookContext) -> None:
    seen.append(("failure", context.step_key, repr(context.op_exception)))


@failure_hook
def crashing(context: HookContext) -> None:
    raise RuntimeError("the hook broke")


@op
def fine() -> int:
    return 1


@op
def broken(fine: int) -> int:
    raise ValueError(f"bad {fine}")


@op
def after(broken: int) -> int:
    return broken


@pytest.fixture(autouse=True)
def clear() -> None:
    seen.clear()


def test_op_job_hooks_follow_each_op_and_skip_skipped_ones(tmp_path: Path) -> None:
    @job(hooks={record_success, record_failure, crashing}, resource_defs={"tag": "T"})
    def pipeline() -> None:
        after(broken(fine()))

    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)
    instance.storage.upgrade()
    result = pipeline.execute_in_process(instance=instance, raise_on_error=False)

    assert not result.success
    assert seen == [
        ("success", "fine", "T"),
        ("failure", "broken", "ValueError('bad 1')"),
    ], "the original exception; nothing after the skipped op"
    messages = [e.message for e in instance.storage.events_for_run(result.run_id)]
    assert "HOOK_ERRORED: hook 'crashing' raised RuntimeError: the hook broke" in messages
    assert result.dagster_run.status.value == "FAILURE", "a hook does not change the outcome"


def test_a_hooks_missing_resource_is_refused_before_the_run() -> None:
    @job(hooks={record_success})
    def pipeline() -> None:
        fine()

    with pytest.raises(ResourceError, match="Hook 'record_success' needs resource 'tag'"):
        pipeline.execute_in_process()
    assert seen == []


def test_asset_job_hooks_follow_each_asset_step(tmp_path: Path) -> None:
    @asset
    def source() -> int:
        return 1

    @asset
    def derived(source: int) -> int:
        raise ValueError("derived broke")

    nightly = define_asset_job("nightly", hooks={record_success, record_failure, crashing})
    defs = Definitions([source, derived], jobs=[nightly], resources={"tag": "A"})
    instance = Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=tmp_path)
    instance.storage.upgrade()

    result = defs.get_job_def("nightly").execute_in_process(instance=instance, raise_on_error=False)

    assert not result.success
    assert seen == [
        ("success", "source", "A"),
        ("failure", "derived", "StepFailure('ValueError: derived broke')"),
    ]
    messages = [e.message for e in instance.storage.events_for_run(result.run_id)]
    assert "HOOK_ERRORED: hook 'crashing' raised RuntimeError: the hook broke" in messages

    seen.clear()
    defs.get_implicit_global_asset_job_def().execute_in_process(
        instance=instance, raise_on_error=False
    )
    assert seen == [], "a run of another job runs none of nightly's hooks"
