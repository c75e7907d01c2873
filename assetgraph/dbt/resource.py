"""``DbtCliResource``: runs dbt commands for assets; ``DbtCliInvocation``: one command's results.

``dbt.cli(["build"], context=context).stream()`` inside a ``@dbt_assets`` function runs
``dbt build`` for exactly the assets the step selected (``--select`` by their dbt fqn),
and yields one ``MaterializeResult`` per model, seed or snapshot that dbt built (its run
result as metadata) and one ``AssetCheckResult`` per dbt test. A node dbt failed ends the
stream with an error naming it and dbt's message. dbt runs in this process through its
programmatic runner; its result lines go to the step's log.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assetgraph.dbt.nodes import DbtNodes
from assetgraph.dbt.project import DbtProject, as_project
from assetgraph.dbt.runner import DbtOutcome, invoke_dbt
from assetgraph.definitions.checks import AssetCheckResult, AssetCheckSeverity
from assetgraph.definitions.config import ConfigurableResource
from assetgraph.definitions.metadata import MetadataValue
from assetgraph.definitions.outputs import MaterializeResult
from assetgraph.errors import Failure
from assetgraph.keys import AssetKey

current_dbt_nodes: ContextVar[DbtNodes | None] = ContextVar("assetgraph_dbt_nodes", default=None)
"""The nodes of the ``dbt_assets`` definition whose function is running (set around it)."""

_SELECTING_COMMANDS = frozenset({"build", "run", "test", "seed", "snapshot", "compile", "ls"})
_FAILED = frozenset({"error", "runtime error"})
_RESULT_EVENTS = frozenset(
    {"LogModelResult", "LogSeedResult", "LogSnapshotResult", "LogTestResult"}
)


class DbtCliResource(ConfigurableResource):
    """Runs dbt commands against one project (dagster-dbt's ``DbtCliResource``).

    Attributes:
        project_dir: the dbt project: a folder or a ``DbtProject``.
        profiles_dir: the folder holding ``profiles.yml`` (default: the project's, else ~/.dbt).
        profile: the profile to use instead of the project's.
        target: the profile's target to use instead of its default.
        global_config_flags: flags put before every command (``["--no-use-colors"]``).
    """

    project_dir: Any
    profiles_dir: str | None = None
    profile: str | None = None
    target: str | None = None
    global_config_flags: list[str] = []

    def project(self) -> DbtProject:
        """The project this resource runs commands in."""
        if isinstance(self.project_dir, DbtProject):
            return self.project_dir
        return DbtProject(
            os.fspath(self.project_dir),
            profiles_dir=self.profiles_dir,
            profile=self.profile,
            target=self.target,
        )

    def cli(
        self,
        args: Sequence[str],
        *,
        context: Any = None,
        raise_on_error: bool = True,
        **_: Any,  # dagster-dbt's manifest=, dagster_dbt_translator=: the definition's are used
    ) -> DbtCliInvocation:
        """Run ``dbt <args>`` now; with ``context``, for the assets its step selected."""
        return run_dbt(self.project(), [*self.global_config_flags, *args], context, raise_on_error)


def run_dbt(
    project: DbtProject | str | os.PathLike[str],
    args: Sequence[str],
    context: Any = None,
    raise_on_error: bool = True,
) -> DbtCliInvocation:
    """Run ``dbt <args>`` in ``project`` for the step of ``context`` (when given)."""
    project = as_project(project)
    nodes = current_dbt_nodes.get() if context is not None else None
    args = list(args)
    command = next((a for a in args if not a.startswith("-")), "")
    if nodes is not None and command in _SELECTING_COMMANDS and not _has_selection(args):
        args += nodes.selection_args(set(context.selected_asset_keys))
    if "--quiet" not in args and "-q" not in args:
        args.append("--quiet")  # the step's log gets dbt's result lines (_LogRelay)
    if "--use-colors" not in args:
        args.append("--no-use-colors")
    relay = _LogRelay(getattr(context, "log", None))
    outcome = invoke_dbt([*args, *_missing_flags(args, project)], relay)
    return DbtCliInvocation(outcome, project, nodes, context, raise_on_error)


def _has_selection(args: Sequence[str]) -> bool:
    return any(a in ("--select", "-s", "--selector", "-m", "--models") for a in args)


def _missing_flags(args: Sequence[str], project: DbtProject) -> list[str]:
    """The project's flags that ``args`` does not set itself."""
    flags = project.cli_flags()
    pairs = zip(flags[::2], flags[1::2], strict=True)
    return [part for flag, value in pairs if flag not in args for part in (flag, value)]


class _LogRelay:
    """Passes dbt's result lines, warnings and errors to the step's log."""

    def __init__(self, log: Any) -> None:
        self._log = log

    def __call__(self, event: Any) -> None:
        if self._log is None:
            return
        info = event.info
        if info.level in ("warn", "error"):
            getattr(self._log, "warning" if info.level == "warn" else "error")(info.msg)
        elif info.name in _RESULT_EVENTS:
            self._log.info(info.msg)


@dataclass(frozen=True, slots=True)
class NodeResult:
    """One node's entry of dbt's run results."""

    unique_id: str
    status: str
    message: str | None
    adapter_response: Mapping[str, Any]
    execution_time: float
    timing: Mapping[str, tuple[str, str]]
    compiled_path: str | None
    failures: int | None


class DbtCliInvocation:
    """A dbt command that ran: its results as assetgraph events, and dbt's artifacts."""

    def __init__(
        self,
        outcome: DbtOutcome,
        project: DbtProject,
        nodes: DbtNodes | None,
        context: Any,
        raise_on_error: bool,
    ) -> None:
        self.outcome = outcome
        self.project = project
        self.target_path = project.target_path
        self._nodes = nodes
        self._context = context
        self._raise_on_error = raise_on_error

    def is_successful(self) -> bool:
        """Whether dbt reported success."""
        return self.outcome.success

    def wait(self) -> DbtCliInvocation:
        """Dagster's: wait for the command (it already ran); fail when dbt did."""
        if self._raise_on_error and not self.outcome.success:
            raise Failure(self._failure_text([]))
        return self

    def get_artifact(self, name: str) -> dict[str, Any]:
        """A JSON artifact dbt wrote in the target path (``run_results.json``, ...)."""
        with open(self.target_path / name, encoding="utf-8") as handle:
            loaded: dict[str, Any] = json.load(handle)
        return loaded

    def node_results(self) -> list[NodeResult]:
        """The command's run results, one per node dbt ran or skipped."""
        results = getattr(self.outcome.result, "results", None) or ()
        return [_node_result(r) for r in results if hasattr(r, "node")]

    def stream(self) -> Iterator[MaterializeResult | AssetCheckResult]:
        """A ``MaterializeResult`` per asset dbt built and an ``AssetCheckResult`` per test.

        Ends with a ``Failure`` naming the nodes dbt failed (or dbt's own error), unless
        the only failures are tests: those are failed checks, which block when blocking.
        """
        nodes = self._nodes
        selected = set(self._context.selected_asset_keys) if self._context is not None else None
        results = self.node_results()
        failed: list[NodeResult] = []
        for result in results:
            key = nodes.key_by_unique_id.get(result.unique_id) if nodes else None
            check = nodes.check_by_test_id.get(result.unique_id) if nodes else None
            if key is not None and (selected is None or key in selected):
                if result.status in _FAILED:
                    failed.append(result)
                elif result.status == "success":
                    yield MaterializeResult(asset_key=key, metadata=self._metadata(result))
            elif check is not None and (selected is None or check.asset_key in selected):
                yield _check_result(check.asset_key, check.name, result)
            elif nodes is None and result.status in _FAILED:
                failed.append(result)
        bad = [r for r in results if r.status in _FAILED or r.status == "fail"]
        only_tests_failed = bool(bad) and all(r.unique_id.startswith("test.") for r in bad)
        if self._raise_on_error and (failed or not (self.outcome.success or only_tests_failed)):
            raise Failure(self._failure_text(failed))

    def _metadata(self, result: NodeResult) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "dbt/unique_id": result.unique_id,
            "dbt/status": result.status,
            "execution_duration": MetadataValue.float(round(result.execution_time, 4)),
        }
        rows = result.adapter_response.get("rows_affected")
        if rows is not None:
            metadata["rows_affected"] = MetadataValue.int(int(rows))
        if result.message:
            metadata["dbt/message"] = result.message
        started, completed = result.timing.get("execute", ("", ""))
        if started:
            metadata["dbt/started_at"], metadata["dbt/completed_at"] = started, completed
        if result.compiled_path:
            path = Path(result.compiled_path)
            metadata["compiled_sql"] = MetadataValue.path(
                path if path.is_absolute() else self.project.project_dir / path
            )
        return metadata

    def _failure_text(self, failed: Sequence[NodeResult]) -> str:
        if failed:
            parts = [
                f"{_node_label(r.unique_id, self._nodes)}: {(r.message or r.status).strip()}"
                for r in failed
            ]
            return f"dbt {self.outcome.args[0]} failed in {self.project.project_dir}: " + "; ".join(
                parts
            )
        return (
            f"dbt {' '.join(self.outcome.args[:1])} failed in {self.project.project_dir}: "
            f"{self.outcome.exception or 'see the dbt log'}"
        )


def _node_label(unique_id: str, nodes: DbtNodes | None) -> str:
    kind, _, rest = unique_id.partition(".")
    name = rest.split(".")[-1] if kind != "test" else rest.split(".")[1]
    key = nodes.key_by_unique_id.get(unique_id) if nodes else None
    return f"{kind} '{name}'" + (f" (asset '{key}')" if key and key.to_string() != name else "")


def _check_result(key: AssetKey, name: str, result: NodeResult) -> AssetCheckResult:
    status = result.status
    metadata: dict[str, Any] = {"dbt/unique_id": result.unique_id, "dbt/status": status}
    if result.failures is not None:
        metadata["failing_rows"] = MetadataValue.int(int(result.failures))
    description: str | None
    if status == "skipped":
        description = "dbt skipped this test (an upstream node failed)"
    else:
        description = (result.message or "").strip() or None
    return AssetCheckResult(
        passed=status == "pass",
        metadata=metadata,
        description=description,
        severity=AssetCheckSeverity.WARN
        if status in ("warn", "skipped")
        else AssetCheckSeverity.ERROR,
        check_name=name,
        asset_key=key,
    )


def _node_result(result: Any) -> NodeResult:
    timing = {
        t.name: (_iso(t.started_at), _iso(t.completed_at)) for t in getattr(result, "timing", ())
    }
    return NodeResult(
        unique_id=result.node.unique_id,
        status=str(getattr(result.status, "value", result.status)),
        message=result.message,
        adapter_response=dict(result.adapter_response or {}),
        execution_time=float(result.execution_time or 0.0),
        timing=timing,
        compiled_path=getattr(result.node, "compiled_path", None),
        failures=result.failures,
    )


def _iso(moment: Any) -> str:
    return moment.isoformat() if moment is not None else ""
