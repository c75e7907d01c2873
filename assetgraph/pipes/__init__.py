"""The external side of Dagster Pipes: what a process launched by ``PipesSubprocessClient``
uses to talk back to the asset's step (the names of the ``dagster-pipes`` package).

```python
from assetgraph.pipes import open_dagster_pipes   # or: from dagster_pipes import ...

with open_dagster_pipes() as pipes:
    pipes.log.info(f"building {pipes.asset_key}")
    pipes.report_asset_materialization(metadata={"rows": 42}, data_version="v1")
    pipes.report_asset_check(check_name="no_nulls", passed=True)
```

The protocol is Dagster's (see ``protocol.py``), so a script written with the
``dagster-pipes`` package works unchanged. Standard library only, imported without the rest
of assetgraph. A process not launched by a Pipes client gets a context that reports nothing,
with a warning, as in Dagster.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from assetgraph.pipes.protocol import (
    CONTEXT_ENV_VAR,
    MESSAGES_ENV_VAR,
    decode_param,
    encode_param,
    make_message,
    typed_metadata,
)


class DagsterPipesError(Exception):
    """A Pipes context was asked something its step does not define."""


class _MessageLogHandler(logging.Handler):
    def __init__(self, context: PipesContext) -> None:
        super().__init__()
        self._context = context

    def emit(self, record: logging.LogRecord) -> None:
        self._context.write_message(
            "log", {"message": record.getMessage(), "level": record.levelname}
        )


class PipesContext:
    """What the step told the external process (asset keys, partition, run id, extras) and
    how to report back: materializations, check results, custom messages and logs."""

    _instance: ClassVar[PipesContext | None] = None

    def __init__(self, data: Mapping[str, Any], messages_path: str | None) -> None:
        self._data = dict(data)
        self._messages_path = messages_path
        self._closed = False
        self.log = logging.getLogger(f"dagster-pipes.{id(self)}")
        self.log.setLevel(logging.DEBUG)
        self.log.propagate = False
        self.log.addHandler(_MessageLogHandler(self))

    @classmethod
    def get(cls) -> PipesContext:
        """The context ``open_dagster_pipes`` opened in this process."""
        if cls._instance is None:
            raise DagsterPipesError("No Pipes context is open: call open_dagster_pipes() first.")
        return cls._instance

    @classmethod
    def is_initialized(cls) -> bool:
        return cls._instance is not None

    def write_message(self, method: str, params: Mapping[str, Any] | None) -> None:
        """Append one message to the messages file (nothing when not launched by Pipes)."""
        if self._closed:
            raise DagsterPipesError("The Pipes context is closed.")
        if self._messages_path is None:
            return
        with open(self._messages_path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(make_message(method, params)) + "\n")

    # -- what the step said -----------------------------------------------------------------

    @property
    def is_asset_step(self) -> bool:
        return bool(self._data.get("asset_keys"))

    @property
    def asset_keys(self) -> list[str]:
        keys = self._data.get("asset_keys")
        if not keys:
            raise DagsterPipesError("`asset_keys` is undefined: the step targets no asset.")
        return list(keys)

    @property
    def asset_key(self) -> str:
        keys = self.asset_keys
        if len(keys) != 1:
            raise DagsterPipesError("`asset_key` is undefined: the step targets several assets.")
        return str(keys[0])

    @property
    def is_partition_step(self) -> bool:
        return self._data.get("partition_key_range") is not None

    @property
    def partition_key(self) -> str:
        key = self._data.get("partition_key")
        if key is None:
            raise DagsterPipesError(
                "`partition_key` is undefined: the step targets no partition, or several."
            )
        return str(key)

    @property
    def partition_key_range(self) -> dict[str, str]:
        found = self._data.get("partition_key_range")
        if found is None:
            raise DagsterPipesError("`partition_key_range` is undefined: no partitions.")
        return dict(found)

    @property
    def partition_time_window(self) -> dict[str, str] | None:
        found = self._data.get("partition_time_window")
        return None if found is None else dict(found)

    @property
    def code_version(self) -> str | None:
        versions = self._data.get("code_version_by_asset_key") or {}
        return versions.get(self.asset_key)

    @property
    def code_version_by_asset_key(self) -> dict[str, str | None]:
        return dict(self._data.get("code_version_by_asset_key") or {})

    @property
    def provenance(self) -> Any:
        return (self._data.get("provenance_by_asset_key") or {}).get(self.asset_key)

    @property
    def run_id(self) -> str:
        return str(self._data.get("run_id", ""))

    @property
    def job_name(self) -> str | None:
        return self._data.get("job_name")

    @property
    def retry_number(self) -> int:
        return int(self._data.get("retry_number", 0))

    @property
    def extras(self) -> dict[str, Any]:
        return dict(self._data.get("extras") or {})

    def get_extra(self, key: str) -> Any:
        extras = self.extras
        if key not in extras:
            raise DagsterPipesError(f"Extra `{key}` is undefined: pass it as run(extras=...).")
        return extras[key]

    # -- reporting back -------------------------------------------------------------------

    def _key(self, asset_key: str | None) -> str:
        if asset_key is None:
            return self.asset_key
        known = self._data.get("asset_keys") or []
        if known and asset_key not in known:
            raise DagsterPipesError(f"Invalid asset key {asset_key!r}: expected one of {known}.")
        return asset_key

    def report_asset_materialization(
        self,
        metadata: Mapping[str, Any] | None = None,
        data_version: str | None = None,
        asset_key: str | None = None,
    ) -> None:
        """Report the asset built, with metadata (plain values, or ``{"raw_value": ...,
        "type": ...}``) and a data version."""
        params = {
            "asset_key": self._key(asset_key),
            "metadata": typed_metadata(metadata),
            "data_version": data_version,
        }
        self.write_message("report_asset_materialization", params)

    def report_asset_check(
        self,
        check_name: str,
        passed: bool,
        severity: str = "ERROR",
        metadata: Mapping[str, Any] | None = None,
        asset_key: str | None = None,
    ) -> None:
        """Report the result of the asset check ``check_name``."""
        if severity not in ("ERROR", "WARN"):
            raise DagsterPipesError(f"severity must be 'ERROR' or 'WARN', got {severity!r}.")
        params = {
            "asset_key": self._key(asset_key),
            "check_name": check_name,
            "passed": bool(passed),
            "severity": severity,
            "metadata": typed_metadata(metadata),
        }
        self.write_message("report_asset_check", params)

    def report_custom_message(self, payload: Any) -> None:
        """Send any JSON value; the step reads it with ``get_custom_messages()``."""
        self.write_message("report_custom_message", {"payload": payload})

    def close(self, exception: BaseException | None = None) -> None:
        if self._closed:
            return
        params: dict[str, Any] = {}
        if exception is not None:
            params["exception"] = {
                "name": type(exception).__name__,
                "message": "".join(traceback.format_exception_only(exception)).strip(),
                "stack": traceback.format_tb(exception.__traceback__),
                "cause": None,
                "context": None,
            }
        self.write_message("closed", params)
        self._closed = True

    @property
    def is_closed(self) -> bool:
        return self._closed


@contextmanager
def open_dagster_pipes(
    context_loader: Any = None, message_writer: Any = None, params_loader: Any = None
) -> Iterator[PipesContext]:
    """Open the Pipes context of this process: read the step's context, report ``opened``
    on entry and ``closed`` (with the exception, if one escapes) on exit."""
    if any(part is not None for part in (context_loader, message_writer, params_loader)):
        raise DagsterPipesError(
            "assetgraph.pipes reads the default channels only (a context file and a messages "
            "file); drop context_loader / message_writer / params_loader."
        )
    if CONTEXT_ENV_VAR not in os.environ:
        warnings.warn(
            "This process was not launched by a Pipes client: the Pipes context reports nothing.",
            stacklevel=3,
        )
        context = PipesContext({}, None)
    else:
        context_params = decode_param(os.environ[CONTEXT_ENV_VAR])
        messages_params = decode_param(os.environ.get(MESSAGES_ENV_VAR, encode_param({})))
        if "data" in context_params:
            data = context_params["data"]
        else:
            with open(context_params["path"], encoding="utf-8") as handle:
                data = json.load(handle)
        if "path" not in messages_params:
            raise DagsterPipesError(
                f"Unsupported Pipes messages channel {sorted(messages_params)}: assetgraph.pipes "
                "writes messages to a file ({'path': ...})."
            )
        context = PipesContext(data, messages_params["path"])
    PipesContext._instance = context
    context.write_message("opened", {"extras": {}})
    try:
        yield context
    except BaseException as exc:
        context.close(exc)
        raise
    finally:
        context.close()
        PipesContext._instance = None


__all__ = [
    "DagsterPipesError",
    "PipesContext",
    "decode_param",
    "encode_param",
    "open_dagster_pipes",
]
