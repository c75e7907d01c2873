"""The standard-library reader of the default SQLite database answers as SqlStorage does."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import (
    Definitions,
    DynamicPartitionsDefinition,
    Instance,
    StaticPartitionsDefinition,
    asset,
    materialize,
)
from assetgraph.cli.main import app
from assetgraph.storage import migrations
from assetgraph.storage.sql_storage import SqlStorage
from assetgraph.storage.sqlite_reader import READ_SCHEMA_VERSION, SqliteReader, status_reader

DEFS = """
from assetgraph import asset, DynamicPartitionsDefinition, StaticPartitionsDefinition

@asset(code_version="{version}")
def raw():
    return 1

@asset
def clean(raw):
    return raw + 1

@asset(partitions_def=StaticPartitionsDefinition(["eu", "us"]))
def regional(context):
    return context.partition_key

@asset(partitions_def=DynamicPartitionsDefinition(name="files"))
def files(context):
    return context.partition_key

@asset
def never(clean):
    return clean
"""

PLAIN_DEFS = """
from assetgraph import asset

@asset
def raw():
    return 1

@asset
def clean(raw):
    return raw + 1

@asset
def never(clean):
    return clean
"""


def _stored_instance(home: Path) -> Instance:
    """A default-location database with materializations, a failure, partitions and a
    dynamic definition whose keys moved (a delete)."""
    instance = Instance(home=home)
    counter = {"runs": 0}

    @asset(code_version="1")
    def raw() -> int:
        return 1

    @asset
    def clean(raw: int) -> int:
        counter["runs"] += 1
        if counter["runs"] == 2:
            raise ValueError("second attempt fails")
        return raw + 1

    @asset(partitions_def=StaticPartitionsDefinition(["eu", "us"]))
    def regional(context) -> str:  # type: ignore[no-untyped-def]
        return str(context.partition_key)

    files_def = DynamicPartitionsDefinition(name="files")

    @asset(partitions_def=files_def)
    def files(context) -> str:  # type: ignore[no-untyped-def]
        return str(context.partition_key)

    defs = Definitions(assets=[raw, clean, regional, files])
    instance.add_dynamic_partitions("files", ["a.csv", "b.csv", "c.csv"])
    instance.delete_dynamic_partitions("files", ["a.csv"])
    assert materialize(defs, selection=["raw", "clean"], instance=instance).success
    assert not materialize(defs, selection=["clean"], instance=instance).success
    assert materialize(defs, selection=["regional"], partition_key="eu", instance=instance).success
    assert materialize(defs, selection=["files"], partition_key="c.csv", instance=instance).success
    return instance


def test_every_read_matches_sql_storage(tmp_path: Path) -> None:
    instance = _stored_instance(tmp_path / "home")
    storage = instance.storage
    reader = SqliteReader.open(tmp_path / "home" / "assetgraph.db")
    assert reader is not None
    keys = ["raw", "clean", "regional", "files", "unknown"]
    assert reader.latest_materializations(keys) == storage.latest_materializations(keys)
    assert reader.latest_materializations() == storage.latest_materializations()
    assert reader.version_summaries(keys) == storage.version_summaries(keys)
    assert reader.version_rows(keys) == storage.version_rows(keys)
    assert reader.version_rows(keys, changed_after=2) == storage.version_rows(keys, changed_after=2)
    ids = list(range(1, 40))
    assert reader.event_payloads(ids) == storage.event_payloads(ids)
    for name in ("files", "none"):
        assert reader.get_dynamic_partitions(name) == storage.get_dynamic_partitions(name)
        assert reader.dynamic_partitions_count(name) == storage.dynamic_partitions_count(name)
        assert reader.dynamic_partitions_generation(name) == (
            storage.dynamic_partitions_generation(name)
        )
        assert reader.dynamic_partition_keys_between(name, -1, 5) == (
            storage.dynamic_partition_keys_between(name, -1, 5)
        )
        wanted = ["a.csv", "b.csv", "c.csv", "d.csv"]
        assert reader.dynamic_partition_indices(name, wanted) == (
            storage.dynamic_partition_indices(name, wanted)
        )
        assert reader.dynamic_partition_keys_at(name, [0, 1, 2]) == (
            storage.dynamic_partition_keys_at(name, [0, 1, 2])
        )
        assert reader.has_dynamic_partition(name, "b.csv") == (
            storage.has_dynamic_partition(name, "b.csv")
        )
    assert reader.dynamic_partitions_generation("files") == 1
    reader.close()


def test_the_reader_was_written_for_the_current_schema() -> None:
    """A new migration must review the reader's queries, then raise READ_SCHEMA_VERSION."""
    assert READ_SCHEMA_VERSION == migrations.CURRENT_VERSION


def _list_json(env: dict[str, str]) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["list", "-f", "defs.py", "--json"], env=env)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_list_shows_the_same_through_the_reader_and_through_sqlalchemy(
    tmp_path: Path, isolated_home: Path
) -> None:
    _stored_instance(isolated_home).storage.dispose()
    (tmp_path / "defs.py").write_text(DEFS.format(version="2"))  # raw's code changed
    assert isinstance(status_reader(), SqliteReader)
    through_reader = _list_json({})
    url = f"sqlite:///{isolated_home / 'assetgraph.db'}"
    through_sqlalchemy = _list_json({"ASSETGRAPH_STORAGE_URL": url})
    assert through_reader == through_sqlalchemy
    status = {row["key"]: row["status"] for row in through_reader}
    assert status["raw"] == "stale" and status["never"] == "missing"


def test_list_on_no_database_shows_everything_missing_and_creates_nothing(
    tmp_path: Path, isolated_home: Path
) -> None:
    """(Partition status, kept as ranges in the database, is read through SqlStorage.)"""
    (tmp_path / "defs.py").write_text(PLAIN_DEFS)
    rows = _list_json({})
    assert [(row["key"], row["status"]) for row in rows] == [
        ("raw", "missing"),
        ("clean", "missing"),
        ("never", "missing"),
    ]
    assert all(row["last_materialization"] is None for row in rows)
    assert not (isolated_home / "assetgraph.db").exists()


@pytest.mark.parametrize("damage", ["older schema", "not a database"])
def test_a_database_the_reader_cannot_take_goes_through_sql_storage(
    tmp_path: Path, isolated_home: Path, damage: str
) -> None:
    db = isolated_home / "assetgraph.db"
    if damage == "older schema":
        SqlStorage(f"sqlite:///{db}").upgrade()
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE schema_version SET version = ?", (READ_SCHEMA_VERSION - 1,))
        expected = "Run 'assetgraph storage upgrade'"
    else:
        isolated_home.mkdir(parents=True, exist_ok=True)
        db.write_bytes(b"this is not a SQLite database" * 100)
        expected = str(db)
    assert SqliteReader.open(db) is None
    (tmp_path / "defs.py").write_text(DEFS.format(version="1"))
    result = CliRunner().invoke(app, ["list", "-f", "defs.py"])
    assert result.exit_code != 0
    assert expected in result.output
