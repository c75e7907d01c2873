"""Dagster Pipes' subprocess guide, ported: an asset runs an external script with
``PipesSubprocessClient``; the script reports metadata and check results through
``open_dagster_pipes`` (``assetgraph.pipes``), extras and environment variables reach it,
and a failing script fails the step."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assetgraph import (
    AssetCheckResult,
    Instance,
    MaterializeResult,
    PipesSubprocessClient,
    asset,
    build_asset_context,
    load_definitions,
    materialize,
)
from assetgraph.cli.main import app

from .conftest import LOCATIONS, port_source

Cli = Callable[..., tuple[int, str]]


@pytest.fixture
def pipes_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Path]]:
    """Port ``locations/<name>/`` (``dagster_code.py`` and its ``external_code.py``) into
    ``tmp_path``, with this interpreter first on PATH (the files run ``shutil.which("python")``)."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    made: list[str] = []

    def port(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for source in (LOCATIONS / name).glob("*.py"):
            (folder / source.name).write_text(port_source(source.read_text()))
        made.append(folder.name)
        target = folder / f"{name}.py"
        (folder / "dagster_code.py").rename(target)
        return target

    yield port
    for name in made:
        sys.modules.pop(name, None)


def test_an_external_script_reports_the_materialization_metadata(
    pipes_location: Callable[[str], Path], cli: Cli
) -> None:
    location = str(pipes_location("pipes_materialization"))
    code, out = cli("materialize", "-f", location)
    assert code == 0, out
    instance = Instance.from_env()
    latest = instance.get_latest_materialization_event("subprocess_asset")
    assert latest is not None and latest.asset_materialization is not None
    assert latest.asset_materialization.metadata["total_orders"].value == 2
    defs = load_definitions(file=location)
    result = materialize(defs, instance=Instance.ephemeral())
    [found] = result.get_asset_materializations()
    assert found.metadata["total_orders"].value == 2


def test_an_asset_check_runs_an_external_script_that_fails_on_its_pandas(
    pipes_location: Callable[[str], Path], cli: Cli
) -> None:
    location = str(pipes_location("pipes_asset_check"))
    code, out = cli("materialize", "-f", location)
    assert code == 1, out
    assert "External execution process failed with code 1" in out, out
    assert "bool" in out, "the script's own error (DataFrame.bool, gone in pandas 3)"


def test_extras_and_environment_variables_reach_the_external_script(
    pipes_location: Callable[[str], Path], capfd: pytest.CaptureFixture[str]
) -> None:
    location = str(pipes_location("pipes_extras_env"))
    result = materialize(load_definitions(file=location), instance=Instance.ephemeral())
    assert result.success
    printed = capfd.readouterr().out.splitlines()
    assert printed[-3:] == ["{'foo': 'bar'}", "bar", "my_value"]


EXTERNAL = """
from assetgraph.pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    pipes.log.warning("day %s", pipes.partition_key)
    pipes.report_asset_materialization(
        metadata={"rows": 3, "report": {"raw_value": "# ok", "type": "md"}},
        data_version="v-" + pipes.partition_key,
    )
    pipes.report_asset_check(check_name="rows_positive", passed=True, metadata={"min": 1})
    pipes.report_custom_message({"window": pipes.partition_time_window})
"""


def test_a_partitioned_step_sends_its_window_and_gets_typed_results(tmp_path: Path) -> None:
    from assetgraph import AssetCheckSpec, DailyPartitionsDefinition

    script = tmp_path / "external.py"
    script.write_text(EXTERNAL)
    seen: list[object] = []

    @asset(
        partitions_def=DailyPartitionsDefinition(start_date="2025-01-01"),
        check_specs=[AssetCheckSpec("rows_positive", asset="daily")],
    )
    def daily(context, pipes_subprocess_client: PipesSubprocessClient):  # type: ignore[no-untyped-def]
        invocation = pipes_subprocess_client.run(
            command=[sys.executable, str(script)], context=context
        )
        seen.extend(invocation.get_custom_messages())
        return invocation.get_materialize_result()

    result = materialize(
        [daily],
        partition_key="2025-01-02",
        resources={"pipes_subprocess_client": PipesSubprocessClient()},
        instance=Instance.ephemeral(),
    )
    assert result.success
    [found] = result.get_asset_materializations()
    assert found.partition == "2025-01-02"
    assert found.metadata["rows"].value == 3 and found.metadata["report"].type == "md"
    assert found.data_version == "v-2025-01-02"
    [check] = result.get_asset_check_evaluations()
    assert check.passed and check.asset_check_key.name == "rows_positive"
    assert seen == [
        {"window": {"start": "2025-01-02T00:00:00+00:00", "end": "2025-01-03T00:00:00+00:00"}}
    ]


def test_a_script_that_reports_nothing_still_materializes_its_asset(tmp_path: Path) -> None:
    script = tmp_path / "quiet.py"
    script.write_text(
        "from assetgraph.pipes import open_dagster_pipes\n\nwith open_dagster_pipes():\n    pass\n"
    )
    context = build_asset_context()
    client = PipesSubprocessClient()
    context.bind_to(_quiet_asset())
    [result] = client.run(command=[sys.executable, str(script)], context=context).get_results()
    assert isinstance(result, MaterializeResult) and result.asset_key is not None
    assert result.asset_key.to_string() == "quiet"
    assert not isinstance(result, AssetCheckResult)


def _quiet_asset():  # type: ignore[no-untyped-def]
    @asset
    def quiet() -> None:
        return None

    return quiet


def test_open_dagster_pipes_outside_a_pipes_process_warns_and_reports_nothing() -> None:
    from assetgraph.pipes import open_dagster_pipes

    warned = pytest.warns(UserWarning, match="not launched by a Pipes client")
    with warned, open_dagster_pipes() as pipes:
        pipes.report_asset_materialization(metadata={"a": 1}, asset_key="anything")
        assert not pipes.is_asset_step


def test_the_cli_materializes_and_lists_a_pipes_asset(
    pipes_location: Callable[[str], Path],
) -> None:
    from typer.testing import CliRunner

    location = str(pipes_location("pipes_materialization"))
    listed = CliRunner().invoke(app, ["list", "-f", location, "--json"])
    assert listed.exit_code == 0, listed.output
    assert [row["key"] for row in json.loads(listed.output)] == ["subprocess_asset"]


REAL_DAGSTER_PIPES = """
from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    pipes.log.info("building %s", pipes.partition_key)
    pipes.report_asset_materialization(
        metadata={"rows": 3, "link": {"raw_value": "https://example.com", "type": "url"}},
        data_version="dv1",
    )
    pipes.report_custom_message({"extra": pipes.get_extra("foo")})
"""


def test_a_script_using_the_dagster_pipes_package_talks_to_the_client(tmp_path: Path) -> None:
    pytest.importorskip("dagster_pipes", reason="the dagster-pipes package is not installed")
    script = tmp_path / "external.py"
    script.write_text(REAL_DAGSTER_PIPES)
    from assetgraph import DailyPartitionsDefinition

    seen: list[object] = []

    @asset(partitions_def=DailyPartitionsDefinition(start_date="2025-01-01"))
    def daily(context, pipes_subprocess_client: PipesSubprocessClient):  # type: ignore[no-untyped-def]
        invocation = pipes_subprocess_client.run(
            command=[sys.executable, str(script)], context=context, extras={"foo": 1}
        )
        seen.extend(invocation.get_custom_messages())
        return invocation.get_materialize_result()

    result = materialize(
        [daily],
        partition_key="2025-01-03",
        resources={"pipes_subprocess_client": PipesSubprocessClient()},
        instance=Instance.ephemeral(),
    )
    assert result.success
    [found] = result.get_asset_materializations()
    assert (found.metadata["rows"].value, found.metadata["link"].type) == (3, "url")
    assert found.data_version == "dv1" and seen == [{"extra": 1}]


WAITS_FOR_ITS_LOG_TO_BE_READ = """
import sys, time
from pathlib import Path
from assetgraph.pipes import open_dagster_pipes

with open_dagster_pipes() as pipes:
    pipes.log.info("waiting")
    deadline = time.monotonic() + 30
    while not Path(sys.argv[1]).exists():
        if time.monotonic() > deadline:
            sys.exit("nobody read the log while the process ran")
        time.sleep(0.05)
    pipes.log.info("done")
"""


class _StepLog:
    """The log of a step that answers a log line by creating ``answer``."""

    def __init__(self, answer: Path) -> None:
        self.answer = answer
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)
        self.answer.touch()


class _Step:
    """The part of an asset's step context a Pipes client reads."""

    def __init__(self, log: _StepLog) -> None:
        from assetgraph import AssetKey

        self.selected_asset_keys = {AssetKey("live")}
        self.run_id = "r1"
        self.has_partition_key = self.has_partition_key_range = False
        self.log = log


def test_logs_reach_the_step_while_the_process_runs(tmp_path: Path) -> None:
    script = tmp_path / "external.py"
    script.write_text(WAITS_FOR_ITS_LOG_TO_BE_READ)
    log = _StepLog(tmp_path / "go")
    client = PipesSubprocessClient()
    command = [sys.executable, str(script), str(tmp_path / "go")]
    [result] = client.run(command=command, context=_Step(log)).get_results()
    assert log.lines == ["waiting", "done"]
    assert isinstance(result, MaterializeResult)
