"""Dagster's built-in ``colored_console_logger`` and ``json_console_logger``."""

from __future__ import annotations

import json
import logging

import pytest

from assetgraph import build_init_logger_context, colored_console_logger, json_console_logger


def test_json_lines_at_the_configured_level(capsys: pytest.CaptureFixture[str]) -> None:
    built = json_console_logger(build_init_logger_context({"log_level": "warning"}))
    assert (built.name, built.level) == ("dagster", logging.WARNING)
    built.info("hidden")
    built.error("shown %s", 1)
    [line] = capsys.readouterr().err.splitlines()
    assert {k: v for k, v in json.loads(line).items() if k != "timestamp"} == {
        "name": "dagster",
        "level": "ERROR",
        "message": "shown 1",
    }


def test_colored_lines_are_plain_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    built = colored_console_logger(build_init_logger_context({"name": "site"}))
    built.info("hello")
    line = capsys.readouterr().err.strip()
    assert line.endswith(" - site - INFO - hello") and "\033[" not in line
