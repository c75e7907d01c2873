"""``PipesSubprocessClient``: run an external process from an asset's step, Dagster Pipes.

```python
@asset
def report(context: AssetExecutionContext, pipes_subprocess_client: PipesSubprocessClient):
    cmd = [sys.executable, "external.py"]
    return pipes_subprocess_client.run(command=cmd, context=context).get_materialize_result()

defs = Definitions(assets=[report], resources={"pipes_subprocess_client": PipesSubprocessClient()})
```

The client writes the step's context (asset keys, partition, run id, extras) to a temporary
file, starts ``command`` with Dagster's two ``DAGSTER_PIPES_*`` environment variables, waits
for it, and reads the messages it appends to a second file: logs go to the step's log as
they come; reported materializations and check results come back as ``MaterializeResult``
and ``AssetCheckResult`` (an asset the process reported nothing for gets an empty
``MaterializeResult``, as in Dagster). A non-zero exit fails the step.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assetgraph.definitions.checks import AssetCheckResult, AssetCheckSeverity
from assetgraph.definitions.metadata import METADATA_TYPES, MetadataValue
from assetgraph.definitions.outputs import DataVersion, MaterializeResult
from assetgraph.errors import DefinitionError, Failure
from assetgraph.keys import AssetKey
from assetgraph.pipes.protocol import (
    CONTEXT_ENV_VAR,
    INFER_TYPE,
    MESSAGES_ENV_VAR,
    encode_param,
)

PipesResult = MaterializeResult | AssetCheckResult
POLL_SECONDS = 0.2
"""How often the messages file is read while the process runs."""


class PipesClientCompletedInvocation:
    """What one ``run`` brought back: results, custom messages, the exit code."""

    def __init__(
        self, results: Sequence[PipesResult], custom_messages: Sequence[Any], returncode: int
    ) -> None:
        self._results = list(results)
        self._custom_messages = list(custom_messages)
        self.returncode = returncode

    def get_results(self) -> list[PipesResult]:
        """Every reported materialization and check result, in order."""
        return list(self._results)

    def get_materialize_result(self) -> MaterializeResult:
        """The one materialization (with the check results reported beside it)."""
        found = [r for r in self._results if isinstance(r, MaterializeResult)]
        if len(found) != 1:
            raise DefinitionError(
                f"get_materialize_result() needs exactly one materialization, got {len(found)}: "
                "use get_results() for a multi-asset."
            )
        checks = [r for r in self._results if isinstance(r, AssetCheckResult)]
        result = found[0]
        if not checks:
            return result
        return MaterializeResult(
            asset_key=result.asset_key,
            metadata=result.metadata,
            check_results=[*result.check_results, *checks],
            data_version=result.data_version,
            tags=result.tags,
        )

    def get_asset_check_result(self) -> AssetCheckResult:
        """The one check result reported (for an ``@asset_check`` that runs a process)."""
        found = [r for r in self._results if isinstance(r, AssetCheckResult)]
        if len(found) != 1:
            raise DefinitionError(
                f"get_asset_check_result() needs exactly one check result, got {len(found)}."
            )
        return found[0]

    def get_custom_messages(self) -> list[Any]:
        return list(self._custom_messages)


class PipesSubprocessClient:
    """Runs a command as a Pipes external process (Dagster's resource of this name).

    ``env`` and ``cwd`` apply to every run (``run(env=..., cwd=...)`` adds to them);
    ``forward_termination``: a step interrupted while the process runs terminates it.
    ``forward_stdio`` is accepted: the process's output always goes to this one's.
    """

    __assetgraph_kind__ = "resource"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        context_injector: Any = None,
        message_reader: Any = None,
        forward_termination: bool = True,
        forward_stdio: bool = True,
    ) -> None:
        if context_injector is not None or message_reader is not None:
            raise DefinitionError(
                "PipesSubprocessClient: custom context injectors and message readers are not "
                "supported; the context and the messages go through temporary files."
            )
        self.env = dict(env or {})
        self.cwd = cwd
        self.forward_termination = forward_termination
        self.forward_stdio = forward_stdio

    def run(
        self,
        *,
        context: Any,
        command: str | Sequence[str],
        extras: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> PipesClientCompletedInvocation:
        """Run ``command`` for the step of ``context`` and collect what it reports."""
        with tempfile.TemporaryDirectory(prefix="assetgraph-pipes-") as folder:
            context_path = Path(folder) / "context.json"
            messages_path = Path(folder) / "messages"
            context_path.write_text(json.dumps(context_data(context, extras)), encoding="utf-8")
            messages_path.touch()
            process_env = {
                **os.environ,
                **self.env,
                **(env or {}),
                CONTEXT_ENV_VAR: encode_param({"path": str(context_path)}),
                MESSAGES_ENV_VAR: encode_param({"path": str(messages_path)}),
            }
            process = subprocess.Popen(
                command, cwd=cwd or self.cwd, env=process_env, shell=isinstance(command, str)
            )
            tail = _MessageTail(messages_path)
            messages: list[dict[str, Any]] = []
            try:
                while True:  # the process's logs reach the step's log as they come
                    try:
                        returncode = process.wait(timeout=POLL_SECONDS)
                    except subprocess.TimeoutExpired:
                        messages.extend(_logged(context, tail.read()))
                        continue
                    break
            except BaseException:
                if self.forward_termination:
                    process.terminate()
                    process.wait()
                raise
            messages.extend(_logged(context, tail.read()))
        return _completed(context, messages, returncode)


class _MessageTail:
    """The complete lines appended to the messages file since the last read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.partial = b""

    def read(self) -> list[dict[str, Any]]:
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read()
        self.offset += len(chunk)
        *lines, self.partial = (self.partial + chunk).split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]


def _logged(context: Any, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send the log messages to the step's log; ``messages`` returned for the rest."""
    for message in messages:
        method, params = message.get("method"), message.get("params") or {}
        if method == "log":
            level = str(params.get("level", "INFO")).lower()
            getattr(context.log, level if level in ("debug", "warning", "error") else "info")(
                str(params.get("message", ""))
            )
        elif method == "log_external_stream":
            context.log.info(str(params.get("text", "")).rstrip())
    return messages


def context_data(context: Any, extras: Mapping[str, Any] | None) -> dict[str, Any]:
    """The protocol's context data for the step of ``context``."""
    keys = sorted(key.to_string() for key in context.selected_asset_keys)
    data: dict[str, Any] = {
        "asset_keys": keys,
        "code_version_by_asset_key": dict.fromkeys(keys),
        "provenance_by_asset_key": dict.fromkeys(keys),
        "partition_key": None,
        "partition_key_range": None,
        "partition_time_window": None,
        "run_id": context.run_id,
        "job_name": None,
        "retry_number": 0,
        "extras": dict(extras or {}),
    }
    if context.has_partition_key_range or context.has_partition_key:
        start, end = context.partition_key_range
        data["partition_key_range"] = {"start": start, "end": end}
        if start == end:
            data["partition_key"] = start
        try:
            window = context.partition_time_window
        except Exception:  # not a time-window partitioned asset
            window = None
        if window is not None:
            data["partition_time_window"] = {
                "start": window.start.isoformat(),
                "end": window.end.isoformat(),
            }
    return data


def _completed(
    context: Any, messages: list[dict[str, Any]], returncode: int
) -> PipesClientCompletedInvocation:
    results: list[PipesResult] = []
    custom: list[Any] = []
    failure: str | None = None
    for message in messages:
        method, params = message.get("method"), message.get("params") or {}
        if method == "report_asset_materialization":
            version = params.get("data_version")
            results.append(
                MaterializeResult(
                    asset_key=params.get("asset_key"),
                    metadata=_metadata(params.get("metadata")),
                    data_version=None if version is None else DataVersion(str(version)),
                )
            )
        elif method == "report_asset_check":
            results.append(
                AssetCheckResult(
                    passed=bool(params.get("passed")),
                    metadata=_metadata(params.get("metadata")),
                    severity=AssetCheckSeverity[str(params.get("severity", "ERROR"))],
                    check_name=params.get("check_name"),
                    asset_key=params.get("asset_key"),
                )
            )
        elif method == "report_custom_message":
            custom.append(params.get("payload"))
        elif method == "closed" and params.get("exception"):
            failure = str(params["exception"].get("message", "")).strip()
    if returncode != 0:
        said = f": {failure}" if failure else ""
        raise Failure(f"External execution process failed with code {returncode}{said}")
    reported = {r.asset_key for r in results if isinstance(r, MaterializeResult)}
    for key in sorted(context.selected_asset_keys, key=AssetKey.to_string):
        if key not in reported:  # Dagster's implicit materialization
            results.append(MaterializeResult(asset_key=key))
    return PipesClientCompletedInvocation(results, custom, returncode)


def _metadata(sent: Mapping[str, Any] | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, entry in (sent or {}).items():
        value, kind = entry.get("raw_value"), entry.get("type", INFER_TYPE)
        found[name] = MetadataValue(kind, value) if kind in METADATA_TYPES else value
    return found


__all__ = ["PipesClientCompletedInvocation", "PipesSubprocessClient"]
