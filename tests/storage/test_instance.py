"""``Instance``: from the environment, explicit, ephemeral; and ``storage upgrade``."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetgraph import Instance
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
