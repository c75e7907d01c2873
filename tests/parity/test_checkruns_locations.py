"""Dagster's snippets that run asset checks apart from their assets (``locations/check_jobs``,
``quality_checks_schedule_sensor``): jobs of ``without_checks()``, ``checks_for_assets()``
and ``checks()``, ported and run through the API and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from assetgraph import AssetCheckKey, AssetKey, DagsterInstance, Instance
from assetgraph.status.checks import check_evaluations

Cli = Callable[..., tuple[int, str]]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


def test_each_job_of_the_snippet_holds_the_assets_and_checks_it_says(
    ported_module: Callable[[str], ModuleType],
) -> None:
    defs = ported_module("check_jobs").defs
    check_1, check_2 = (
        AssetCheckKey(AssetKey("my_asset"), "check_1"),
        AssetCheckKey(AssetKey("my_asset"), "check_2"),
    )
    found = {
        name: (
            [key.to_string() for key in defs.get_job_def(name).asset_keys],
            set(defs.get_job_def(name).asset_check_keys),
        )
        for name in ("my_job", "my_asset_only_job", "checks_only_job", "check_1_job")
    }
    assert found == {
        "my_job": (["my_asset"], {check_1, check_2}),
        "my_asset_only_job": (["my_asset"], set()),
        "checks_only_job": ([], {check_1, check_2}),
        "check_1_job": ([], {check_1}),
    }


def test_a_job_without_checks_materializes_and_a_checks_job_only_checks(
    ported_module: Callable[[str], ModuleType], home: Path
) -> None:
    defs = ported_module("check_jobs").defs
    instance = DagsterInstance.ephemeral()

    only = defs.get_job_def("my_asset_only_job").execute_in_process(instance=instance)
    assert only.success and only.get_asset_check_evaluations() == []
    assert [m.asset_key for m in only.get_asset_materializations()] == [AssetKey("my_asset")]

    checks = defs.get_job_def("check_1_job").execute_in_process(
        instance=instance, raise_on_error=False
    )
    # The snippet's checks return None, which Dagster refuses too: the check step fails.
    assert not checks.success and checks.get_asset_materializations() == []
    [evaluation] = checks.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == ("check_1", False)


def test_the_guides_check_job_reads_what_its_asset_job_wrote(
    ported: Callable[[str], Path], cli: Cli, home: Path
) -> None:
    location = str(ported("quality_checks_schedule_sensor"))

    code, out = cli("materialize", "-f", location, "--job", "asset_job", "--json")
    assert code == 0, out
    assert Path("orders.csv").is_file()
    assert check_evaluations(Instance.from_env().storage, "orders") == []

    code, out = cli("materialize", "-f", location, "--job", "check_job", "--json")
    assert code == 0, out
    report = json.loads(out[out.index("{") :])  # the progress display goes first
    assert [s["step_key"] for s in report["steps"]] == ["orders:orders_id_has_no_nulls"]
    assert report["materializations"] == []
    [record] = check_evaluations(Instance.from_env().storage, "orders")
    assert (record.check_name, record.passed) == ("orders_id_has_no_nulls", True)


def test_the_checks_job_fails_when_the_data_it_reads_is_missing(
    ported: Callable[[str], Path], cli: Cli, home: Path
) -> None:
    location = str(ported("quality_checks_schedule_sensor"))
    code, out = cli("materialize", "-f", location, "--job", "check_job", "--dry-run")
    assert code == 0 and out.startswith("Plan: 1 step(s) for 1 asset check(s) alone"), out
    assert "orders:orders_id_has_no_nulls" in out, out
    code, out = cli("materialize", "-f", location, "--job", "check_job")
    assert code == 1, out
    assert "orders.csv" in out and "orders_id_has_no_nulls" in out, out
