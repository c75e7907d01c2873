"""Whole example projects of Dagster (``projects/<name>/``, from ``dagster-io/dagster``'s
``examples/``), ported by their imports only: each is loaded as a code location, its
assets materialized through the CLI and the API, and its own tests run.

Left out, as they need a network service or a library outside assetgraph's extras:
``quickstart_etl``'s Hacker News assets (the network; matplotlib is stood in for so that
the project loads), ``development_to_production``'s definitions (Snowflake),
``assets_smoke_test``'s dbt-on-Snowflake half, ``project_fully_featured`` but its
recommender (Snowflake, S3, Slack), ``assets_dynamic_partitions`` (GitHub API,
dagster-duckdb), ``assets_pandas_type_metadata`` (dagster-pandera, seaborn, a download),
``assets_dbt_python`` (dagster-duckdb-pandas), ``project_analytics`` (BigQuery, Hex),
``docs_projects/project_ml`` (torch).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from assetgraph import (
    AssetKey,
    FilesystemIOManager,
    InMemoryIOManager,
    InputContext,
    IOManager,
    OutputContext,
    RunFailure,
    SourceAsset,
    load_assets_from_modules,
    materialize,
)

from .conftest import import_file, run_project_tests

Cli = Callable[..., tuple[int, str]]
Port = Callable[[str], Path]


def listed_keys(cli: Cli, module: str) -> set[str]:
    code, out = cli("list", "-m", module, "--json")
    assert code == 0, out
    return {row["key"] for row in json.loads(out)}


def assert_own_tests_pass(
    tests_dir: Path, expected: int, failing_without_assetgraph: Mapping[str, str] | None = None
) -> None:
    """Every test of the project passes, except those that fail for a reason outside
    assetgraph (``failing_without_assetgraph``: test -> why), which are left out."""
    outcomes = run_project_tests(tests_dir)
    failed = {
        test: outcome
        for test, outcome in outcomes.items()
        if outcome != "passed" and test not in (failing_without_assetgraph or {})
    }
    assert not failed, failed
    assert len(outcomes) == expected, outcomes


# -- feature_graph_backed_assets: assets made of @graph with AssetsDefinition.from_graph ----


def test_feature_graph_backed_assets_loads_and_materializes(ported_project: Port, cli: Cli) -> None:
    ported_project("feature_graph_backed_assets")

    assert listed_keys(cli, "feature_graph_backed_assets") == {
        "passenger_flights",
        "us_flights",
        "us_layover_percentages",
        "layover_breakdown_2022",
    }
    code, out = cli("materialize", "-m", "feature_graph_backed_assets")
    assert code == 0, out

    defs = importlib.import_module("feature_graph_backed_assets").defs
    result = materialize(defs.assets)
    assert result.success
    assert list(result.output_for("us_flights")["name"]) == [
        "Harry Potter",
        "Ron Weasley",
        "Hermione Granger",
    ]
    assert result.output_for("layover_breakdown_2022").to_dict() == {0: 1 / 3, 1: 1 / 3, 2: 1 / 3}


def test_feature_graph_backed_assets_own_tests_pass(ported_project: Port) -> None:
    root = ported_project("feature_graph_backed_assets")
    assert_own_tests_pass(root / "feature_graph_backed_assets_tests", expected=1)


# -- development_to_production: swappable resources, asset config -------------------------


def test_development_to_production_materializes_with_the_stub_client(
    ported_project: Port, tmp_path: Path
) -> None:
    ported_project("development_to_production")
    assets = importlib.import_module("development_to_production.assets")
    resources = importlib.import_module("development_to_production.resources")

    result = materialize(
        [assets.items, assets.comments, assets.stories],
        resources={
            "hn_client": resources.StubHNClient(),
            "snowflake_io_manager": FilesystemIOManager(base_dir=str(tmp_path / "warehouse")),
        },
        run_config={"ops": {"items": {"config": {"N": 2}}}},
    )

    assert result.success
    assert list(result.output_for("comments")["title"]) == ["the first comment"]
    assert list(result.output_for("stories")["user_id"]) == ["user2"]


def test_development_to_production_own_tests_pass(ported_project: Port) -> None:
    root = ported_project("development_to_production")
    assert_own_tests_pass(root / "development_to_production_tests", expected=3)


# -- assets_smoke_test: a source asset with a column schema, smoke-run on empty frames ------


class CsvSource(IOManager):
    """Reads the source asset from a CSV file the test writes; keeps the rest in memory."""

    def __init__(self, csv: Path) -> None:
        self.csv = csv
        self.values: dict[AssetKey, Any] = {}

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        self.values[context.asset_key] = obj

    def load_input(self, context: InputContext) -> Any:
        if context.asset_key == AssetKey("raw_country_populations"):
            return pd.read_csv(self.csv)
        return self.values[context.asset_key]


def test_assets_smoke_test_loads_and_materializes(
    ported_project: Port, cli: Cli, tmp_path: Path
) -> None:
    ported_project("assets_smoke_test")
    module = "assets_smoke_test.pure_python_assets"
    assert listed_keys(cli, module) >= {"country_populations", "continent_stats", "country_stats"}
    csv = tmp_path / "raw_country_populations.csv"
    csv.write_text(
        "country,continent,region,pop2018,pop2019,change\n"
        "France,Europe,Western Europe,64990511,65129728,0.21%\n"
        "Italy,Europe,Southern Europe,60627291,60550075,\u22120.13%\n"  # U+2212, as its data has
        "Chile,South America,South America,18729160,18952038,1.19%\n"
    )

    assets = importlib.import_module(module)
    result = materialize(
        [
            assets.raw_country_populations,
            assets.country_populations,
            assets.continent_stats,
            assets.country_stats,
        ],
        resources={"io_manager": CsvSource(csv)},
    )

    assert result.success
    stats = result.output_for("continent_stats")
    assert stats.loc["Europe", "pop2019"] == 65129728 + 60550075
    assert stats.loc["Europe", "change"] == pytest.approx((0.0021 - 0.0013) / 2)
    schema = assets.raw_country_populations.metadata["column_schema"]
    assert [(c.name, c.type) for c in schema.columns][:2] == [
        ("country", "string"),
        ("continent", "string"),
    ]


def test_assets_smoke_test_own_tests_pass(ported_project: Port) -> None:
    root = ported_project("assets_smoke_test")
    assert_own_tests_pass(root / "assets_smoke_test_tests", expected=1)


def test_assets_smoke_test_smoke_io_manager_gets_a_clear_error(ported_project: Port) -> None:
    """The project's test discards materialize's result (Dagster's raises on failure) and
    its IO manager reads Dagster's internal ``step_context``: run it again, raising."""
    root = ported_project("assets_smoke_test")
    smoke = import_file(root / "assets_smoke_test_tests" / "test_smoke_pure_python_assets.py")
    assets = importlib.import_module("assets_smoke_test.pure_python_assets")

    with pytest.raises(RunFailure, match="step_context is internal to Dagster"):
        materialize(
            load_assets_from_modules([assets]),
            resources={"io_manager": smoke.SmokeIOManager()},
            raise_on_error=True,
        )


# -- project_mini (docs_projects): config vs partitions, backfill policies, dynamic fan-out --


def test_project_mini_partitions_and_config_materialize_through_the_cli(
    ported_project: Port, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ported_project("project_mini")
    defs = "project_mini.defs"
    assert listed_keys(cli, f"{defs}.partitions_vs_config.with_partitions") == {
        "customer_orders",
        "customer_summary",
    }
    code, out = cli(
        "materialize", "-m", f"{defs}.partitions_vs_config.with_partitions", "-p", "customer_b"
    )
    assert code == 0, out

    # Another location with an asset of the same name: its own home, as Dagster's would be.
    monkeypatch.setenv("ASSETGRAPH_HOME", str(tmp_path / "home_config"))
    config = tmp_path / "run.yaml"
    config.write_text("ops:\n  customer_orders: {config: {customer_id: C7}}\n")
    code, out = cli(
        "materialize",
        "-m",
        f"{defs}.partitions_vs_config.with_config",
        "-s",
        "customer_orders",
        "-c",
        str(config),
    )
    assert code == 0, out

    code, out = cli(
        "materialize",
        "-m",
        f"{defs}.partition_backfill_strategies.multi_run_backfill",
        "--partition-range",
        "2024-01-01...2024-01-03",
    )
    assert code == 0, out
    # Its list for a range of days needs an IO manager that stores ranges, in Dagster too.
    code, out = cli(
        "materialize",
        "-m",
        f"{defs}.partition_backfill_strategies.single_run_backfill",
        "-p",
        "2024-01-02",
    )
    assert code == 0, out


def test_project_mini_assets_materialize_through_the_api(ported_project: Port) -> None:
    ported_project("project_mini")
    with_config = importlib.import_module("project_mini.defs.partitions_vs_config.with_config")
    single_run = importlib.import_module(
        "project_mini.defs.partition_backfill_strategies.single_run_backfill"
    )
    fanout = importlib.import_module("project_mini.defs.dynamic_fanout.dynamic_fanout")

    orders = materialize(
        [with_config.customer_orders],
        run_config={"ops": {"customer_orders": {"config": {"customer_id": "C1"}}}},
    )
    assert orders.output_for("customer_orders")[0]["order_id"] == "C1-001"

    events = materialize([single_run.daily_events], partition_key="2024-01-02")
    first = events.output_for("daily_events", partition="2024-01-02")[0]
    assert first["start"].startswith("2024-01-02") and first["end"].startswith("2024-01-03")

    report = materialize(
        [fanout.input_records, fanout.main_pipeline_results, fanout.final_report],
        run_config={"ops": {"input_records": {"config": {"input_data_path": "in"}}}},
        resources={"io_manager": InMemoryIOManager()},
    ).output_for("final_report")
    assert report["pipeline_summary"]["total_records_processed"] == 5
    assert report["pipeline_status"] == "completed_successfully"


def test_project_mini_own_tests_pass(ported_project: Port) -> None:
    root = ported_project("project_mini")
    assert_own_tests_pass(root / "tests", expected=18)


# -- project_fully_featured: its recommender (the rest needs Snowflake, S3, Slack) ----------


def test_project_fully_featured_recommender_materializes(ported_project: Port) -> None:
    ported_project("project_fully_featured")
    recommender = "project_fully_featured.assets.recommender"
    comment_stories = importlib.import_module(f"{recommender}.comment_stories")
    matrix = importlib.import_module(f"{recommender}.user_story_matrix")
    model = importlib.import_module(f"{recommender}.recommender_model")
    top = importlib.import_module(f"{recommender}.user_top_recommended_stories")
    warehouse = InMemoryIOManager()
    stories = pd.DataFrame({"id": [10, 20, 30], "title": ["a", "b", "c"]})
    comments = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "parent": [10, 1, 20, 30, 10],
            "user_id": ["ann", "bob", "ann", "cid", "cid"],
        }
    )
    warehouse.values[(AssetKey(["snowflake", "core", "stories"]), None)] = stories
    warehouse.values[(AssetKey(["snowflake", "core", "comments"]), None)] = comments

    result = materialize(
        [
            SourceAsset(["snowflake", "core", "stories"], io_manager_key="warehouse_io_manager"),
            SourceAsset(["snowflake", "core", "comments"], io_manager_key="warehouse_io_manager"),
            comment_stories.comment_stories,
            matrix.user_story_matrix,
            model.recommender_model,
            model.component_top_stories,
            top.user_top_recommended_stories,
        ],
        resources={"warehouse_io_manager": warehouse},
        raise_on_error=True,
    )

    linked = result.output_for("snowflake/recommender/comment_stories")
    assert linked["story_id"].to_dict() == {1: 10, 2: 10, 3: 20, 4: 30, 5: 10}
    assert result.output_for("s3/recommender/user_story_matrix").matrix.shape == (3, 3)
    assert set(result.output_for("snowflake/recommender/component_top_stories")["title"]) <= {
        "a",
        "b",
        "c",
    }


def test_project_fully_featured_recommender_own_tests_pass(ported_project: Port) -> None:
    root = ported_project("project_fully_featured")
    pandas_3 = "pandas 3 infers the 'str' dtype for the expected frame, 'object' for the result"
    assert_own_tests_pass(
        root / "project_fully_featured_tests",
        expected=6,
        failing_without_assetgraph={
            "test_comment_stories.py::test_comment_stories[0]": pandas_3,
            "test_comment_stories.py::test_comment_stories[1]": pandas_3,
        },
    )


# -- quickstart_etl: its Hacker News assets need the network, its plot matplotlib ----------


@pytest.fixture
def without_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty stand-in for matplotlib (outside assetgraph's extras) so that the project
    imports; the asset that plots is never run."""
    stand_in = tmp_path / "stand_in" / "matplotlib"
    stand_in.mkdir(parents=True)
    (stand_in / "__init__.py").write_text("")
    (stand_in / "pyplot.py").write_text("")
    monkeypatch.syspath_prepend(str(stand_in.parent))


def test_quickstart_etl_loads_and_its_graph_asset_materializes(
    without_matplotlib: None, ported_project: Port, cli: Cli
) -> None:
    root = ported_project("quickstart_etl")
    module = "src.quickstart_etl.definitions"

    assert listed_keys(cli, module) == {
        "my_asset",
        "topstory_ids",
        "topstories",
        "most_frequent_words",
    }
    code, out = cli("materialize", "-m", module, "-s", "my_asset")
    assert code == 0, out

    defs = importlib.import_module(module).defs
    assert materialize(defs.assets, selection="my_asset").output_for("my_asset") == 5
    topstories = next(a for a in defs.assets if a.key == AssetKey("topstories"))
    metadata = topstories.spec(topstories.key).metadata
    assert "github.com/dagster-io/dagster/tree/master/examples/quickstart_etl/src/" in str(metadata)
    assert_own_tests_pass(root / "tests", expected=1)
