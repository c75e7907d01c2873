"""Dagster's helpers for testing resources and IO managers, ``make_values_resource``,
input managers, ``@definitions`` and the Dagster error classes."""

from __future__ import annotations

from pathlib import Path

import pytest

import assetgraph as dg
from assetgraph import (
    AssetIn,
    DagsterInvalidConfigError,
    Definitions,
    InputManager,
    Instance,
    Nothing,
    asset,
    build_init_resource_context,
    build_input_context,
    build_output_context,
    load_definitions,
    make_values_resource,
    materialize,
    resource,
)


@resource(config_schema={"url": str, "timeout": dg.Field(int, default_value=5)})
def client(init_context: dg.InitResourceContext) -> dict[str, object]:
    return dict(init_context.resource_config)


def test_a_resource_function_is_called_with_a_built_init_context() -> None:
    assert client(build_init_resource_context(config={"url": "u"})) == {"url": "u", "timeout": 5}
    with pytest.raises(DagsterInvalidConfigError, match="resource 'client' at config:url"):
        client(build_init_resource_context(config={}))
    with pytest.raises(DagsterInvalidConfigError, match="expected Int"):
        client.configured({"url": "u", "timeout": "slow"})


def test_values_resource_is_configured_by_run_config_and_defaults() -> None:
    values = make_values_resource(my_str=str, my_int=dg.Field(int, default_value=1))

    @asset(required_resource_keys={"values"})
    def uses_values(context: dg.AssetExecutionContext) -> str:
        return f"{context.resources.values['my_str']}-{context.resources.values['my_int']}"

    result = materialize(
        [uses_values],
        resources={"values": values},
        run_config={"resources": {"values": {"config": {"my_str": "foo"}}}},
        instance=Instance.ephemeral(),
        raise_on_error=True,
    )
    assert result.output_for("uses_values") == "foo-1"
    with pytest.raises(DagsterInvalidConfigError, match="resource 'values' at config:my_str"):
        materialize([uses_values], resources={"values": values}, instance=Instance.ephemeral())
    with pytest.raises(DagsterInvalidConfigError, match="configures resource 'valuez'"):
        materialize(
            [uses_values],
            resources={"values": values},
            run_config={"resources": {"valuez": {"config": {}}}},
            instance=Instance.ephemeral(),
        )


def test_io_contexts_build_resources_and_tear_generators_down() -> None:
    closed: list[str] = []

    @resource
    def conn():  # type: ignore[no-untyped-def]
        try:
            yield "open"
        finally:
            closed.append("closed")

    with build_output_context(
        step_key="s", name="out", resources={"conn": conn, "plain": 1}, asset_key="a/b"
    ) as context:
        assert (context.resources.conn, context.resources.plain) == ("open", 1)
        assert context.asset_key == dg.AssetKey(["a", "b"]) and context.name == "out"
        assert closed == []
    assert closed == ["closed"]
    upstream = build_output_context(name="abc", step_key="123", asset_key="up")
    loading = build_input_context(upstream_output=upstream, partition_key="2025-01-01")
    assert loading.asset_key == dg.AssetKey("up") and loading.asset_partition_key == "2025-01-01"
    assert loading.upstream_output is upstream

    outside = build_input_context(resources={"conn": conn})
    with pytest.raises(dg.DagsterInvariantViolationError, match="outside of context manager"):
        outside.resources  # noqa: B018
    del outside
    assert closed == ["closed", "closed"], "a dropped context tears its resources down"


def test_an_input_manager_loads_an_input_and_nothing_orders_only() -> None:
    class Doubler(InputManager):
        def load_input(self, context: dg.InputContext) -> int:
            return 2 * context.upstream_output.name.count("r") if context.upstream_output else 0

    @asset
    def first() -> int:
        return 1

    @asset(
        ins={"first": AssetIn(input_manager_key="doubler"), "second": AssetIn(dagster_type=Nothing)}
    )
    def third(first: int) -> int:
        return first

    @asset
    def second() -> int:
        return 7

    defs = Definitions(assets=[first, second, third], resources={"doubler": Doubler()})
    assert defs.graph.parents(dg.AssetKey("third")) is not None
    assert set(defs.graph.parents(dg.AssetKey("third"))) == {
        dg.AssetKey("first"),
        dg.AssetKey("second"),
    }
    result = materialize(defs, instance=Instance.ephemeral(), raise_on_error=True)
    assert result.output_for("third") == 2  # "result" has one r: loaded by the input manager


def test_one_definitions_function_is_loaded_and_two_are_refused(tmp_path: Path) -> None:
    location = tmp_path / "defs.py"
    location.write_text(
        "import assetgraph as dg\n"
        "@dg.asset\n"
        "def ignored(): return 1\n"
        "@dg.definitions\n"
        "def defs():\n"
        "    @dg.asset\n"
        "    def inner(): return 2\n"
        "    return dg.Definitions(assets=[inner])\n"
    )
    assert load_definitions(file=location).graph.key_strings() == ["inner"]
    twice = tmp_path / "twice.py"
    twice.write_text(
        "from assetgraph import definitions, Definitions\n"
        "@definitions\n"
        "def a(): return Definitions()\n"
        "@definitions\n"
        "def b(): return Definitions()\n"
    )
    with pytest.raises(dg.CodeLocationLoadError, match="several @definitions functions"):
        load_definitions(file=twice)
    assert dg.file_relative_path(str(location), "data.csv") == str(tmp_path / "data.csv")


def test_our_errors_are_dagsters_error_classes() -> None:
    assert issubclass(dg.DefinitionError, dg.DagsterInvalidDefinitionError)
    assert issubclass(dg.RunConfigError, dg.DagsterInvalidConfigError)
    assert issubclass(dg.StepFailure, dg.DagsterExecutionStepExecutionError)
    assert issubclass(dg.AssetgraphError, dg.DagsterError)

    def needs_missing(missing_upstream: int) -> int:
        return missing_upstream

    with pytest.raises(dg.DagsterInvalidDefinitionError, match="missing_upstream"):
        Definitions(assets=[asset(needs_missing)])


def test_metadata_values_are_dagsters_classes() -> None:
    url = dg.MetadataValue.url("https://x")
    assert isinstance(url, dg.UrlMetadataValue) and url.url == "https://x"
    assert url == dg.MetadataValue("url", "https://x")
    assert dg.MetadataValue.md("# t").md_str == "# t"
    assert dg.MetadataValue.json({"a": 1}).data == {"a": 1}
    table = dg.MetadataValue.table(
        [dg.TableRecord(a=1)],
        dg.TableSchema(
            [dg.TableColumn("a", "int", constraints=dg.TableColumnConstraints(unique=True))]
        ),
    )
    assert isinstance(table, dg.TableMetadataValue)
    assert table.records == [dg.TableRecord(a=1)]
    assert table.schema is not None and table.schema.columns[0].constraints.unique
    check = dg.DagsterType(lambda _, v: isinstance(v, int), name="Int").type_check(None, "x")
    assert check == dg.TypeCheck(success=False)


def test_an_io_manager_factory_builds_the_io_manager_of_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upath import UPath

    class TextFiles(dg.UPathIOManager):
        extension = ".txt"

        def dump_to_path(self, context: dg.OutputContext, obj: str, path: UPath) -> None:
            path.write_text(obj)

        def load_from_path(self, context: dg.InputContext, path: UPath) -> str:
            return str(path.read_text())

    class TextFactory(dg.ConfigurableIOManagerFactory):
        root: str

        def create_io_manager(self, context: dg.InitResourceContext) -> TextFiles:
            assert context.resource_config == {"root": str(tmp_path)}
            return TextFiles(base_path=UPath(self.root))

    @asset(key_prefix="docs")
    def note() -> str:
        return "hello"

    @asset(key_prefix="docs")
    def shout(note: str) -> str:
        return note.upper()

    monkeypatch.setenv("TEXT_ROOT", str(tmp_path))
    defs = Definitions(
        assets=[note, shout], resources={"io_manager": TextFactory(root=dg.EnvVar("TEXT_ROOT"))}
    )
    result = materialize(defs, instance=Instance.ephemeral(), raise_on_error=True)
    assert (tmp_path / "docs" / "shout.txt").read_text() == "HELLO"
    assert result.output_for("docs/note") == "hello"
    empty = TextFiles(base_path=UPath(tmp_path / "empty"))
    with pytest.raises(dg.StorageError, match=r"Asset 'docs/note' has no stored value"):
        empty.load_input(build_input_context(asset_key="docs/note"))


class Credentials(dg.ConfigurableResource):
    username: str


class Bucket(dg.ConfigurableResource):
    credentials: Credentials
    region: str


class Greeter:
    def __init__(self, greeting: str) -> None:
        self.greeting = greeting


class GreeterFactory(dg.ConfigurableResourceFactory[Greeter]):
    greeting: str

    def create_resource(self, context: dg.InitResourceContext) -> Greeter:
        return Greeter(context.resource_config["greeting"])


@resource(config_schema={"prefix": str})
def prefixer(init_context: dg.InitResourceContext) -> str:
    return str(init_context.resource_config["prefix"])


class PrefixAdapter(dg.ConfigurableLegacyResourceAdapter):
    prefix: str

    @property
    def wrapped_resource(self) -> dg.ResourceDefinition:
        return prefixer


def test_resources_configured_at_launch_factories_and_adapters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    credentials = Credentials.configure_at_launch()

    @asset
    def uploaded(
        bucket: Bucket, greeter: dg.Resource[Greeter], prefix: dg.ResourceParam[str]
    ) -> str:
        return f"{prefix}{greeter.greeting} {bucket.credentials.username}@{bucket.region}"

    monkeypatch.setenv("GREETING", "hi")
    resources = {
        "credentials": credentials,
        "bucket": Bucket(credentials=credentials, region="eu"),
        "greeter": GreeterFactory(greeting=dg.EnvVar("GREETING")),
        "prefix": PrefixAdapter(prefix="> "),
    }
    result = materialize(
        [uploaded],
        resources=resources,
        run_config={"resources": {"credentials": {"config": {"username": "ada"}}}},
        instance=Instance.ephemeral(),
        raise_on_error=True,
    )
    assert result.output_for("uploaded") == "> hi ada@eu"
    with pytest.raises(dg.RunConfigError, match="'credentials' .* is configured at launch"):
        materialize([uploaded], resources=resources, instance=Instance.ephemeral())
    with pytest.raises(dg.RunConfigError, match="field 'username': Field required"):
        materialize(
            [uploaded],
            resources=resources,
            run_config={"resources": {"credentials": {"config": {}}}},
            instance=Instance.ephemeral(),
        )


def test_run_config_resources_override_a_configurable_resource() -> None:
    @asset
    def where(bucket: Bucket) -> str:
        return bucket.region

    bucket = Bucket(credentials=Credentials(username="u"), region="eu")
    result = materialize(
        [where],
        resources={"bucket": bucket},
        run_config=dg.RunConfig(
            resources={"bucket": Bucket(credentials=Credentials(username="v"), region="us")}
        ),
        instance=Instance.ephemeral(),
        raise_on_error=True,
    )
    assert result.output_for("where") == "us"
    with pytest.raises(dg.RunConfigError, match="resource 'bucket' \\(Bucket\\): field 'region'"):
        materialize(
            [where],
            resources={"bucket": bucket},
            run_config={"resources": {"bucket": {"config": {"region": 3}}}},
            instance=Instance.ephemeral(),
        )


def test_build_resources_sets_up_and_tears_down_outside_a_run() -> None:
    closed: list[bool] = []

    @resource(config_schema={"name": str})
    def named(init_context: dg.InitResourceContext):  # type: ignore[no-untyped-def]
        yield init_context.resource_config["name"]
        closed.append(True)

    with dg.build_resources(
        {"named": named, "bucket": Bucket(credentials=Credentials(username="u"), region="eu")},
        resource_config={"named": {"config": {"name": "n"}}},
    ) as resources:
        assert (resources.named, resources.bucket.region) == ("n", "eu")
        assert closed == []
    assert closed == [True]


def test_an_external_asset_from_a_spec_is_upstream_only() -> None:
    raw = dg.external_asset_from_spec(dg.AssetSpec("raw", group_name="ingest"))

    @asset(deps=["raw"])
    def cleaned() -> int:
        return 1

    defs = Definitions(assets=[raw, cleaned])
    assert defs.graph.is_external(dg.AssetKey("raw"))
    assert materialize(defs, instance=Instance.ephemeral()).plan.step_keys == ["cleaned"]


def test_a_dagster_type_checks_the_value_before_it_is_stored() -> None:
    positive = dg.DagsterType(
        lambda _, value: dg.TypeCheck(success=value > 0, description=f"{value} is not > 0"),
        name="Positive",
    )

    @asset(dagster_type=positive)
    def count() -> int:
        return -1

    result = materialize([count], instance=Instance.ephemeral())
    assert not result.success
    [failure] = result.failures
    assert failure.error is not None and failure.error.type_name == "DagsterTypeCheckDidNotPass"
    assert "type check of Positive failed: -1 is not > 0" in failure.error.message
    with pytest.raises(dg.DagsterTypeCheckDidNotPass, match="Asset 'count'"):
        positive.check_value(-1, "Asset 'count'")
