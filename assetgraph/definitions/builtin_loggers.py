"""Dagster's built-in loggers: ``colored_console_logger`` (one readable line a message) and
``json_console_logger`` (one JSON object a message), both to stderr; config ``log_level``
(default ``"INFO"``) and ``name`` (default ``"dagster"``)."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from assetgraph.definitions.config_schema import Field
from assetgraph.definitions.loggers import InitLoggerContext, logger

_CONFIG = {
    "log_level": Field(str, is_required=False, default_value="INFO"),
    "name": Field(str, is_required=False, default_value="dagster"),
}
_COLORS = {"DEBUG": "34", "INFO": "32", "WARNING": "33", "ERROR": "31", "CRITICAL": "35"}


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "timestamp": record.created,
                "name": record.name,
                "level": record.levelname,
                "message": record.getMessage(),
            }
        )


class _ColoredFormatter(logging.Formatter):
    def __init__(self, color: bool) -> None:
        super().__init__("%(asctime)s - %(name)s - %(levelname)s - %(message)s")
        self.color = color

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        code = _COLORS.get(record.levelname)
        return f"\033[{code}m{line}\033[0m" if self.color and code else line


def _console_logger(config: Any, formatter: logging.Formatter) -> logging.Logger:
    built = logging.Logger(config["name"], level=config["log_level"].upper())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    built.addHandler(handler)
    return built


@logger(_CONFIG, description="The default colored console logger.")
def colored_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """Readable lines on stderr, colored when stderr is a terminal."""
    formatter = _ColoredFormatter(color=sys.stderr.isatty())
    return _console_logger(init_context.logger_config, formatter)


@logger(_CONFIG, description="A JSON-formatted console logger.")
def json_console_logger(init_context: InitLoggerContext) -> logging.Logger:
    """One JSON object a message on stderr: ``timestamp``, ``name``, ``level``, ``message``."""
    return _console_logger(init_context.logger_config, _JsonFormatter())
