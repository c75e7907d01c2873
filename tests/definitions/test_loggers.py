"""``@logger``, ``LoggerDefinition``, ``build_init_logger_context`` and a job's
``logger_defs``, which receive the run's ``context.log`` lines."""

from __future__ import annotations

import logging

import pytest

from assetgraph import (
    Field,
    InitLoggerContext,
    LoggerDefinition,
    build_init_logger_context,
    job,
    logger,
    op,
)
from assetgraph.errors import DefinitionError, RunConfigError

lines: list[tuple[str, str, str]] = []


class _Keep(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        lines.append((record.name, record.levelname, record.getMessage()))


@logger({"name": Field(str, is_required=False, default_value="kept"), "level": Field(int)})
def keeping_logger(init_context: InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    built = logging.Logger(config["name"], level=config["level"])
    built.addHandler(_Keep())
    return built


@op
def chatty(context) -> None:  # type: ignore[no-untyped-def]
    context.log.debug("quiet")
    context.log.warning("loud")


@job(logger_defs={"keep": keeping_logger})
def talking() -> None:
    chatty()


def test_a_logger_definition_builds_its_logger_with_config_defaults() -> None:
    assert isinstance(keeping_logger, LoggerDefinition)
    built = keeping_logger(build_init_logger_context(logger_config={"level": 10}))
    assert (built.name, built.level) == ("kept", 10)
    with pytest.raises(RunConfigError, match="logger 'keeping_logger'"):
        keeping_logger(None)  # 'level' is required


def test_the_jobs_loggers_receive_the_log_lines_at_their_level() -> None:
    lines.clear()
    config = {"loggers": {"keep": {"config": {"name": "mine", "level": logging.INFO}}}}
    assert talking.execute_in_process(run_config=config).success
    assert lines == [("mine", "WARNING", "loud")]


def test_bare_logger_and_bad_logger_defs() -> None:
    @logger
    def plain(init_context: InitLoggerContext) -> logging.Logger:
        return logging.getLogger("plain")

    assert plain(None).name == "plain"
    with pytest.raises(DefinitionError, match=r"logger_defs\['x'\] must be made with @logger"):

        @job(logger_defs={"x": logging.getLogger("x")})
        def bad() -> None:
            chatty()

    @logger
    def not_a_logger(init_context: InitLoggerContext) -> logging.Logger:
        return "nope"  # type: ignore[return-value]

    with pytest.raises(DefinitionError, match="must return a logging.Logger"):
        not_a_logger(None)


def test_the_code_locations_loggers_receive_asset_and_op_log_lines() -> None:
    from assetgraph import Definitions, asset, materialize

    @asset
    def logged(context) -> int:  # type: ignore[no-untyped-def]
        context.log.info("asset line")
        print("printed, not logged")
        return 1

    lines.clear()
    defs = Definitions([logged], jobs=[talking], loggers={"keep": keeping_logger})
    config = {"loggers": {"keep": {"config": {"name": "site", "level": logging.INFO}}}}
    assert materialize(defs, run_config=config).success
    assert defs.get_job_def("talking").execute_in_process(run_config=config).success
    assert lines == [("site", "INFO", "asset line"), ("site", "WARNING", "loud")]
    with pytest.raises(DefinitionError, match=r"Definitions: loggers\['bad'\] must be made"):
        Definitions([logged], loggers={"bad": print})
