"""Dagster Pipes' wire protocol, version 0.1: what both sides of a Pipes session exchange.

The orchestration side passes two parameters to the external process, each JSON that is
zlib-compressed then base64-encoded, in the environment variables ``DAGSTER_PIPES_CONTEXT``
(``{"path": <JSON file of the context data>}``) and ``DAGSTER_PIPES_MESSAGES``
(``{"path": <file the process appends messages to>}``). A message is one JSON object per
line: ``{"__dagster_pipes_version": "0.1", "method": ..., "params": {...}}``. Standard
library only: the external side imports this module too.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from typing import Any

PROTOCOL_VERSION = "0.1"
VERSION_FIELD = "__dagster_pipes_version"
CONTEXT_ENV_VAR = "DAGSTER_PIPES_CONTEXT"
MESSAGES_ENV_VAR = "DAGSTER_PIPES_MESSAGES"
INFER_TYPE = "__infer__"
"""A metadata value's type when the orchestration side is to infer it from the value."""


def encode_param(value: Any) -> str:
    """``value`` as JSON, zlib-compressed, base64-encoded (Dagster's ``encode_param``)."""
    return base64.b64encode(zlib.compress(json.dumps(value).encode("utf-8"))).decode("utf-8")


def decode_param(value: str) -> Any:
    """The value ``encode_param`` encoded."""
    return json.loads(zlib.decompress(base64.b64decode(value)).decode("utf-8"))


def make_message(method: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """One protocol message."""
    return {VERSION_FIELD: PROTOCOL_VERSION, "method": method, "params": params}


def typed_metadata(metadata: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Metadata as the protocol sends it: ``{name: {"raw_value": v, "type": t}}``; a plain
    value is sent for the orchestration side to infer its type."""
    sent: dict[str, dict[str, Any]] = {}
    for name, value in (metadata or {}).items():
        if isinstance(value, Mapping) and set(value) == {"raw_value", "type"}:
            sent[str(name)] = dict(value)
        else:
            sent[str(name)] = {"raw_value": value, "type": INFER_TYPE}
    return sent
