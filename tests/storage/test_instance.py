"""``Instance``: from the environment, explicit, ephemeral; and ``storage upgrade``."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import Instance, StorageError, UsageError
from assetgraph.cli.main import app
from assetgraph.storage import migrations


def test_from_env_defaults_to_sqlite_under_home(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = Instance.from_env()
    assert instance.home == isolated_home
    assert instance.storage_url == f"sqlite:///{isolated_home / 'assetgraph.db'}"
    assert instance.storage_dir == isolated_home / "storage"
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", "sqlite:///elsewhere.db")
    assert Instance.from_env().storage_url == "sqlite:///elsewhere.db"


def test_default_home_is_dot_assetgraph_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSETGRAPH_HOME")
    assert Instance.from_env().home == tmp_path / ".assetgraph"


def test_ephemeral_instances_leave_nothing_behind() -> None:
    instance = Instance.ephemeral()
    home = instance.home
    assert home.is_dir() and instance.storage.list_runs() == []
    del instance
    gc.collect()
    assert not home.exists()


def test_storage_upgrade_command(storage_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    result = CliRunner().invoke(app, ["storage", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "is up to date" in result.stdout
    assert Instance.from_env().storage.schema_version() == migrations.CURRENT_VERSION


def test_dynamic_partitions_through_the_instance(tmp_path: Path) -> None:
    from assetgraph import UsageError

    instance = Instance(storage_url=f"sqlite:///{tmp_path}/m.db", home=tmp_path)
    assert instance.add_dynamic_partitions("customers", ["acme", "globex"]) == 2
    with pytest.raises(UsageError, match=r"Invalid partition key '\.\.'"):
        instance.add_dynamic_partitions("customers", ["initech", ".."])
    assert instance.get_dynamic_partitions("customers") == ["acme", "globex"]
    assert instance.has_dynamic_partition("customers", "acme")
    assert instance.delete_dynamic_partitions("customers", ["acme"]) == 1
    assert instance.get_dynamic_partitions("customers") == ["globex"]


def test_a_home_that_is_a_file_is_refused_from_python(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("a file")
    with pytest.raises(UsageError, match=r"home='.*home' is a file, not a folder"):
        Instance(storage_url=f"sqlite:///{tmp_path}/meta.db", home=home)
    assert home.read_text() == "a file"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mongodb://x/y", "names a 'mongodb' database"),
        ("meta.db", "has no scheme"),
        ("sqlite+nodriver:///x.db", "Invalid metadata database URL"),
        ("postgresql://u:secret@h/db?x", None),  # accepted: only opening it may fail
    ],
)
def test_storage_urls_name_sqlite_or_postgresql(url: str, words: str | None) -> None:
    if words is None:
        Instance(storage_url=url).storage.dispose()
        return
    with pytest.raises(UsageError, match=re.escape(words)):
        Instance(storage_url=url)


def test_a_metadata_file_that_is_not_sqlite_is_named_from_python(tmp_path: Path) -> None:
    db = tmp_path / "meta.db"
    db.write_text("my notes\n" * 100)
    instance = Instance(storage_url=f"sqlite:///{db}", home=tmp_path / "home")
    with pytest.raises(StorageError, match=f"file {re.escape(str(db))} is not a SQLite database"):
        instance.storage.list_runs()
    with pytest.raises(StorageError, match="not a SQLite database"):
        instance.storage.check_integrity()
    assert db.read_text() == "my notes\n" * 100, "the file is left as it was"


def test_dagster_instance_is_the_instance_with_dagsters_get(isolated_home: Path) -> None:
    from assetgraph import DagsterInstance

    got = DagsterInstance.get()
    assert isinstance(got, Instance)
    assert got.home == isolated_home.absolute()
