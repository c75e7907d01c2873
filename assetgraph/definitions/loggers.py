"""Dagster's custom loggers: ``@logger`` makes a ``LoggerDefinition`` that builds a Python
``logging.Logger`` from its config; a job's ``logger_defs`` send the run's ``context.log``
messages to the loggers they build, besides the run's event log."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from assetgraph.definitions.config_schema import process_config
from assetgraph.errors import DefinitionError


@dataclass(frozen=True, slots=True)
class InitLoggerContext:
    """What a logger function receives: its config (defaults filled in), its definition,
    and the job and run it logs for."""

    logger_config: Any = None
    logger_def: LoggerDefinition | None = None
    job_name: str | None = None
    run_id: str | None = None


@dataclass(frozen=True, eq=False)
class LoggerDefinition:
    """A logger: a function from an ``InitLoggerContext`` to a ``logging.Logger``, with a
    config schema (a type, a ``Field`` or a dict of fields). Calling it with a context (or
    ``None``: no config given) builds the logger, as Dagster's does in tests."""

    logger_fn: Callable[[InitLoggerContext], logging.Logger]
    config_schema: Any = None
    description: str | None = None
    name: str = field(default="")

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", getattr(self.logger_fn, "__name__", "logger"))

    def process(self, logger_config: Any) -> Any:
        """``logger_config`` checked against the schema, with its defaults filled in."""
        if self.config_schema is None:
            return logger_config
        return process_config(self.config_schema, logger_config, f"logger '{self.name}'")

    def build(
        self, logger_config: Any = None, *, job_name: str | None = None, run_id: str | None = None
    ) -> logging.Logger:
        """The logger this definition makes for ``logger_config``."""
        context = InitLoggerContext(self.process(logger_config), self, job_name, run_id)
        built = self.logger_fn(context)
        if not isinstance(built, logging.Logger):
            raise DefinitionError(
                f"logger '{self.name}' returned {type(built).__name__}; a @logger function "
                "must return a logging.Logger."
            )
        return built

    def __call__(self, init_context: InitLoggerContext | None = None) -> logging.Logger:
        given = init_context.logger_config if init_context is not None else None
        return self.build(given)


@overload
def logger(config_schema: Callable[..., Any], /) -> LoggerDefinition: ...


@overload
def logger(
    config_schema: Any = None, description: str | None = None
) -> Callable[[Callable[..., Any]], LoggerDefinition]: ...


def logger(config_schema: Any = None, description: str | None = None) -> Any:
    """Make a ``LoggerDefinition`` of a function from ``InitLoggerContext`` to a
    ``logging.Logger``: bare (``@logger``) or with its config schema and description."""
    if callable(config_schema) and not isinstance(config_schema, type):
        return LoggerDefinition(logger_fn=config_schema)

    def decorate(fn: Callable[..., Any]) -> LoggerDefinition:
        return LoggerDefinition(logger_fn=fn, config_schema=config_schema, description=description)

    return decorate


def build_init_logger_context(logger_config: Any = None, job_def: Any = None) -> InitLoggerContext:
    """An ``InitLoggerContext`` to test a logger by calling it: ``my_logger(
    build_init_logger_context(logger_config={...}))``."""
    return InitLoggerContext(logger_config, None, getattr(job_def, "name", None), None)


def check_logger_defs(
    logger_defs: Mapping[str, Any] | None, where: str, argument: str = "logger_defs"
) -> dict[str, Any]:
    """``logger_defs`` of a job (or ``loggers`` of Definitions), each a ``LoggerDefinition``."""
    checked: dict[str, Any] = {}
    for name, definition in (logger_defs or {}).items():
        if not isinstance(definition, LoggerDefinition):
            raise DefinitionError(
                f"{where}: {argument}['{name}'] must be made with @logger, got "
                f"{type(definition).__name__}."
            )
        checked[name] = definition
    return checked


def run_loggers(
    logger_defs: Mapping[str, LoggerDefinition],
    run_config: Mapping[str, Any],
    job_name: str | None,
    run_id: str,
) -> list[logging.Logger]:
    """The loggers of a run: each definition built from ``run_config["loggers"][name]
    ["config"]`` (Dagster's shape)."""
    section = run_config.get("loggers") or {}
    built: list[logging.Logger] = []
    for name, definition in logger_defs.items():
        entry = section.get(name) if isinstance(section, Mapping) else None
        config = entry.get("config") if isinstance(entry, Mapping) else None
        built.append(definition.build(config, job_name=job_name, run_id=run_id))
    return built


def forward_log_line(loggers: Sequence[logging.Logger], level: str, text: str) -> None:
    """Hand one ``context.log`` line (``level``: ``"INFO"``, ...) to the run's loggers;
    printed output (``STDOUT`` / ``STDERR``) is not a log line and is left out."""
    number = logging.getLevelName(level.upper())
    if isinstance(number, int):
        for run_logger in loggers:
            run_logger.log(number, text)
