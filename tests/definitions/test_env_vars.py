"""EnvVar fields of resources and IO managers: read when a run starts, never stored."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest

from assetgraph import (
    ConfigurableIOManager,
    ConfigurableResource,
    Definitions,
    EnvVar,
    Instance,
    ResourceError,
    asset,
    load_definitions,
    materialize,
)
from assetgraph.errors import DefinitionError

LOCATION = """
from assetgraph import ConfigurableResource, Definitions, EnvVar, asset


class Warehouse(ConfigurableResource):
    user: str
    password: str
    timeout: int = 10


@asset
def secret_length(warehouse: Warehouse) -> int:
    return len(warehouse.password) + warehouse.timeout


defs = Definitions(
    assets=[secret_length],
    resources={"warehouse": Warehouse(user="etl", password=EnvVar("WH_PASSWORD"))},
)
"""


class Token(ConfigurableResource):
    token: str
    retries: int = 1


def test_env_var_keeps_its_name_and_shows_it_in_repr() -> None:
    var = EnvVar("API_TOKEN")
    assert var.env_var_name == "API_TOKEN"
    assert repr(var) == "EnvVar('API_TOKEN')"
    assert repr(EnvVar.int("N")) == "EnvVar.int('N')"
    resource = Token(token=EnvVar("API_TOKEN"), retries=EnvVar.int("RETRIES"))
    assert repr(resource) == "Token(token=EnvVar('API_TOKEN'), retries=EnvVar.int('RETRIES'))"


def test_get_value_reads_the_environment_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_TOKEN", "t0k3n")
    assert EnvVar("API_TOKEN").get_value() == "t0k3n"
    assert EnvVar("NOT_SET_ANYWHERE_XYZ").get_value("fallback") == "fallback"


def test_other_fields_are_still_validated_when_the_resource_is_built() -> None:
    with pytest.raises(ValueError, match="retries"):
        Token(token=EnvVar("API_TOKEN"), retries="many")  # type: ignore[arg-type]


def test_env_var_on_a_field_it_cannot_fill_is_a_definition_error() -> None:
    class Points(ConfigurableResource):
        coords: list[int]

    with pytest.raises(DefinitionError, match="field 'coords'"):
        Points(coords=EnvVar("COORDS"))  # type: ignore[arg-type]


def test_value_is_read_when_the_run_starts_and_never_pickled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wh.py").write_text(textwrap.dedent(LOCATION))
    defs = load_definitions(file=str(tmp_path / "wh.py"))
    monkeypatch.setenv("WH_PASSWORD", "hunter2-very-secret")
    instance = Instance.ephemeral()
    result = materialize(defs, instance=instance)
    assert result.output_for("secret_length") == len("hunter2-very-secret") + 10
    assert b"hunter2-very-secret" not in pickle.dumps(defs)
    assert defs.resources["warehouse"].password == "WH_PASSWORD"  # the name, not the value

    monkeypatch.setenv("WH_PASSWORD", "abc")
    assert materialize(defs, instance=instance).output_for("secret_length") == 13


def test_worker_processes_read_the_variable_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wh.py").write_text(textwrap.dedent(LOCATION))
    defs = load_definitions(file=str(tmp_path / "wh.py"))
    monkeypatch.setenv("WH_PASSWORD", "four")
    result = materialize(defs, instance=Instance.ephemeral(), executor="multiprocess", workers=1)
    assert result.success, [f.error.summary() for f in result.failures if f.error]
    assert result.output_for("secret_length") == 14


def test_a_missing_variable_fails_before_any_step_naming_resource_field_and_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TOKEN_FOR_TEST", raising=False)

    @asset
    def uses_token(api: Token) -> str:
        return api.token

    defs = Definitions(
        assets=[uses_token], resources={"api": Token(token=EnvVar("TOKEN_FOR_TEST"))}
    )
    with pytest.raises(ResourceError) as raised:
        materialize(defs, instance=Instance.ephemeral())
    assert str(raised.value).startswith(
        "Resource 'api': field 'token' reads the environment variable 'TOKEN_FOR_TEST', "
        "which is not set."
    )


def test_an_int_variable_that_is_not_a_number_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RETRIES_FOR_TEST", "lots")

    @asset
    def retries(api: Token) -> int:
        return api.retries

    defs = Definitions(
        assets=[retries],
        resources={"api": Token(token="x", retries=EnvVar.int("RETRIES_FOR_TEST"))},
    )
    with pytest.raises(ResourceError, match="'RETRIES_FOR_TEST' as an integer") as raised:
        materialize(defs, instance=Instance.ephemeral())
    assert "lots" not in str(raised.value)


class TextFiles(ConfigurableIOManager):
    """Writes str(value) to <root>/<key>.txt; reads it back."""

    root: str

    def handle_output(self, context, obj):  # type: ignore[no-untyped-def]
        Path(self.root).mkdir(parents=True, exist_ok=True)
        (Path(self.root) / f"{context.asset_key.to_string()}.txt").write_text(str(obj))

    def load_input(self, context):  # type: ignore[no-untyped-def]
        return (Path(self.root) / f"{context.asset_key.to_string()}.txt").read_text()


def test_configurable_io_manager_reads_env_var_fields_at_run_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXT_ROOT", str(tmp_path / "texts"))

    @asset
    def greeting() -> str:
        return "hello"

    @asset
    def shout(greeting: str) -> str:
        return greeting.upper()

    defs = Definitions(
        assets=[greeting, shout], resources={"io_manager": TextFiles(root=EnvVar("TEXT_ROOT"))}
    )
    assert materialize(defs, instance=Instance.ephemeral()).success
    assert (tmp_path / "texts" / "shout.txt").read_text() == "HELLO"
    assert not (tmp_path / "TEXT_ROOT").exists()


class Credentials(ConfigurableResource):
    password: str


class Database(ConfigurableResource):
    host: str
    credentials: Credentials


def test_env_vars_of_nested_resources_are_read_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NESTED_PW", "pw-123")

    @asset
    def login(db: Database) -> str:
        return f"{db.host}:{db.credentials.password}"

    defs = Definitions(
        assets=[login],
        resources={"db": Database(host="h", credentials=Credentials(password=EnvVar("NESTED_PW")))},
    )
    assert materialize(defs, instance=Instance.ephemeral()).output_for("login") == "h:pw-123"
    monkeypatch.delenv("NESTED_PW")
    with pytest.raises(ResourceError, match="Resource 'db.credentials': field 'password'"):
        materialize(defs, instance=Instance.ephemeral())


UNUSED_RESOURCES = """
from assetgraph import ConfigurableIOManager, ConfigurableResource, Definitions, EnvVar, asset


class Api(ConfigurableResource):
    token: str


class Bucket(ConfigurableIOManager):
    bucket: str

    def handle_output(self, context, obj):
        raise AssertionError("never used in these runs")

    def load_input(self, context):
        raise AssertionError("never used in these runs")


@asset
def fetched(api: Api) -> str:
    return api.token


@asset(io_manager_key="bucket")
def exported() -> int:
    return 1


@asset
def local() -> int:
    return 2


defs = Definitions(
    assets=[fetched, exported, local],
    resources={"api": Api(token=EnvVar("UNSET_TOKEN_FOR_TEST"))},
    io_managers={"bucket": Bucket(bucket=EnvVar("UNSET_BUCKET_FOR_TEST"))},
)
"""


@pytest.mark.parametrize("workers", [[], ["--workers", "2"]], ids=["in-process", "workers"])
def test_only_what_a_run_uses_is_set_up_as_dagster_does(
    workers: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resource or IO manager whose variable is unset does not stop a run that does not
    use it; a run that does use it fails before any step, naming it."""
    from tests.reliability.harness import cli

    monkeypatch.delenv("UNSET_TOKEN_FOR_TEST", raising=False)
    monkeypatch.delenv("UNSET_BUCKET_FOR_TEST", raising=False)
    path = tmp_path / "defs.py"
    path.write_text(UNUSED_RESOURCES)
    unused = cli("materialize", "-f", str(path), "--select", "local", *workers)
    assert unused.returncode == 0, unused.stderr
    used = cli("materialize", "-f", str(path), "--select", "fetched", *workers)
    assert used.returncode == 2, used.stderr
    assert "Resource 'api': field 'token' reads the environment variable" in used.stderr
    exported = cli("materialize", "-f", str(path), "--select", "exported", *workers)
    assert exported.returncode == 2, exported.stderr
    assert "'UNSET_BUCKET_FOR_TEST'" in exported.stderr
    storage = Instance.from_env().storage
    assert set(storage.latest_materializations()) == {("local", None)}
