"""Dagster's ``config_schema`` on assets and resources: checks, defaults, errors."""

from __future__ import annotations

import enum
from pathlib import Path

import pytest

import assetgraph as dg
from assetgraph import (
    Array,
    DagsterInvalidConfigError,
    Enum,
    EnumValue,
    Field,
    Instance,
    Noneable,
    Permissive,
    Selector,
    StringSource,
    asset,
    build_asset_context,
    materialize,
)
from assetgraph.definitions.config_schema import process_config


def run(asset_def: dg.AssetsDefinition, config: object) -> object:
    result = materialize(
        [asset_def],
        run_config={"ops": {asset_def.name: {"config": config}}},
        instance=Instance.ephemeral(),
        raise_on_error=True,
    )
    return result.output_for(asset_def.name)


@asset(
    config_schema={
        "name": str,
        "top": Field(int, default_value=3),
        "regions": Field([str], is_required=False),
        "limit": Noneable(int),
        "extra": Field(Permissive({"x": Field(int, default_value=1)}), is_required=False),
    }
)
def report(context: dg.AssetExecutionContext) -> dict[str, object]:
    return dict(context.op_config)


def test_run_config_is_checked_and_defaults_are_filled_in() -> None:
    assert run(report, {"name": "eu"}) == {
        "name": "eu",
        "top": 3,
        "limit": None,
        "extra": {"x": 1},
    }
    assert run(report, {"name": "eu", "regions": ["a"], "extra": {"y": 2}})["extra"] == {
        "x": 1,
        "y": 2,
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({}, r"asset 'report' at ops:report:config:name: missing required config entry"),
        ({"name": 1}, r"at ops:report:config:name: expected String, got int 1"),
        ({"name": "a", "topp": 1}, r"unexpected config entry 'topp' \(expected fields: "),
        ({"name": "a", "regions": "eu"}, r"config:regions: expected a list"),
    ],
)
def test_bad_run_config_names_the_asset_and_the_field(config: object, message: str) -> None:
    with pytest.raises(DagsterInvalidConfigError, match=message):
        run(report, config)


def test_the_cli_refuses_bad_config_before_the_run(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assetgraph.cli.main import app

    location = tmp_path / "defs.py"
    location.write_text(
        "import assetgraph as dg\n"
        "@dg.asset(config_schema={'n': int})\n"
        "def counted(context):\n"
        "    return context.op_config['n']\n"
    )
    config = tmp_path / "run.yaml"
    config.write_text("ops: {counted: {config: {n: two}}}\n")
    result = CliRunner().invoke(app, ["materialize", "-f", str(location), "--config", str(config)])
    assert result.exit_code == 2
    assert "asset 'counted' at ops:counted:config:n: expected Int" in result.output


def test_a_scalar_schema_and_a_direct_call_with_build_asset_context() -> None:
    @asset(config_schema=Field(str, default_value="hi"))
    def greeting(context: dg.AssetExecutionContext) -> str:
        return str(context.op_config)

    assert run(greeting, "hello") == "hello"
    assert greeting(build_asset_context()) == "hi"
    assert report(build_asset_context(asset_config={"name": "x"}))["top"] == 3
    with pytest.raises(DagsterInvalidConfigError, match="name: missing"):
        report(build_asset_context(asset_config={}))


def test_selector_enum_and_env_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    class Color(enum.Enum):
        RED = 1

    schema = {
        "source": Selector({"file": str, "url": str}),
        "mode": Enum("Mode", [EnumValue("fast", python_value=10), EnumValue("slow")]),
        "color": Field(Enum.from_python_enum(Color), default_value="RED"),
        "token": StringSource,
        "sizes": Array(int),
    }
    monkeypatch.setenv("TOKEN", "s3cret")
    value = {"source": {"url": "u"}, "mode": "fast", "token": {"env": "TOKEN"}, "sizes": [1]}
    assert process_config(schema, value, "asset 'a'") == {
        "source": {"url": "u"},
        "mode": 10,
        "color": Color.RED,
        "token": "s3cret",
        "sizes": [1],
    }
    with pytest.raises(DagsterInvalidConfigError, match="exactly one of: file, url"):
        process_config(schema, {**value, "source": {}}, "asset 'a'")
    with pytest.raises(DagsterInvalidConfigError, match="'medium' is not a value of Enum Mode"):
        process_config(schema, {**value, "mode": "medium"}, "asset 'a'")
    with pytest.raises(DagsterInvalidConfigError, match="environment variable 'NOPE' is not set"):
        process_config(schema, {**value, "token": {"env": "NOPE"}}, "asset 'a'")


class Settings(dg.Config):
    n: int = 1


def test_a_config_schema_and_a_config_parameter_together_are_refused() -> None:
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="both config_schema= and a Config"):

        @asset(config_schema={"n": int})
        def both(config: Settings) -> int:
            return config.n


def test_a_required_field_with_a_default_is_a_definition_error() -> None:
    with pytest.raises(dg.DefinitionError, match="required and has a default"):
        Field(int, default_value=1, is_required=True)
