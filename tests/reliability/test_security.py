"""Security: crafted keys stay inside the IO manager's folder and out of SQL text; the UI's
guard; a code location is imported only from where the user pointed.

The UI's security model (loopback by default, the token on every request, same-origin
writes, DNS rebinding) is tested in ``tests/ui/test_security.py`` and
``tests/ui/test_api.py::test_*host*``; this file adds only the cases missing there:
look-alike loopback names, an empty token variable, and a wrong cookie.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assetgraph import AssetKey, DefinitionError, Instance, StorageError
from assetgraph.io import InputContext, OutputContext
from io_managers.pickle import PickleIOManager, partition_file_name

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

ESCAPES = [
    "..",
    ".",
    "../../escaped",
    "..\\..\\escaped",
    "/etc/passwd",
    "%2e%2e%2fescaped",
    "a/../../b",
    "\x00",
    "~",
    "$HOME",
    ".hidden",
    "C:\\Windows",
    "..%2F..%2F",
]
INJECTIONS = [
    'x"; DROP TABLE y; --',
    "x'); DROP TABLE y; --",
    "x`; DROP TABLE y; --",
    "x]; DROP TABLE y; --",
    "' OR '1'='1",
    "x\\'; DROP TABLE y; --",
]

# -- IO managers: no partition or asset key leaves the base directory ---------------------


def _inside(path: Path | str, base: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(base))


@pytest.mark.parametrize("key", ESCAPES + INJECTIONS)
def test_pickle_partition_keys_are_one_file_inside_the_base(tmp_path: Path, key: str) -> None:
    base = tmp_path / "store"
    manager = PickleIOManager(base)
    asset = AssetKey("shop/orders")
    path = manager.path_for(asset, key)
    assert path.parent == base / "shop" / "orders"  # one path segment, no folder
    assert _inside(path, base)
    context = OutputContext(asset, run_id="r", step_key="s", partition_keys=(key,))
    manager.handle_output(context, {"key": key})
    assert manager.load_input(InputContext(asset, run_id="r", partition_keys=(key,))) == {
        "key": key
    }
    assert not (tmp_path / "escaped").exists()
    assert all(_inside(p, base) for p in base.rglob("*"))


@pytest.mark.parametrize("key", ESCAPES + INJECTIONS)
def test_parquet_partition_keys_are_one_file_inside_the_base(tmp_path: Path, key: str) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from io_managers.parquet import ParquetIOManager

    base = tmp_path / "store"
    manager = ParquetIOManager(base)
    asset = AssetKey("shop/orders")
    path = Path(manager.path_for(asset, key))
    assert path.parent == base / "shop" / "orders"
    assert path.name == partition_file_name(key) + ".parquet"
    frame = pd.DataFrame({"v": [1, 2]})
    manager.handle_output(
        OutputContext(asset, run_id="r", step_key="s", partition_keys=(key,)), frame
    )
    loaded = manager.load_input(InputContext(asset, run_id="r", partition_keys=(key,)))
    assert loaded["v"].tolist() == [1, 2]
    assert all(_inside(p, base) for p in base.rglob("*"))


@SETTINGS
@given(key=st.text(min_size=0, max_size=40))
def test_any_text_as_a_partition_key_names_one_file_in_the_asset_folder(key: str) -> None:
    base = Path("/srv/assetgraph-store")
    manager = PickleIOManager(base)
    path = manager.path_for(AssetKey("a/b"), key)
    assert path.parent == base / "a" / "b"
    assert path.name not in ("", ".", "..")
    assert "/" not in path.name and "\\" not in path.name and "\x00" not in path.name


def test_distinct_partition_keys_get_distinct_files() -> None:
    keys = [*ESCAPES, *INJECTIONS, "a:b", "a%3Ab", "A", "a", "", "%00empty"]
    names = [partition_file_name(k) for k in keys]
    assert len(set(names)) == len(set(keys))


@pytest.mark.parametrize(
    "parts",
    [("..", "x"), ("a", "..", "..", "x"), ("",), ("a", ""), ("/etc",), ("a\\..",), (".",)],
)
def test_asset_keys_that_would_leave_the_base_are_refused(parts: tuple[str, ...]) -> None:
    with pytest.raises(DefinitionError, match="Invalid asset key part"):
        AssetKey(parts)


@pytest.mark.parametrize("text", ["../x", "a/../../x", "/etc/passwd", "a//b", "./a"])
def test_asset_key_strings_that_would_leave_the_base_are_refused(text: str) -> None:
    with pytest.raises(DefinitionError):
        AssetKey.from_user(text)


def test_a_symlink_out_of_the_base_is_refused(tmp_path: Path) -> None:
    """An asset folder that is a symlink to elsewhere: refused, nothing written there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    base = tmp_path / "store"
    (base / "shop").mkdir(parents=True)
    (base / "shop" / "orders").symlink_to(outside, target_is_directory=True)
    manager = PickleIOManager(base)
    context = OutputContext(
        AssetKey("shop/orders"), run_id="r", step_key="s", partition_keys=("2025-01-01",)
    )
    with pytest.raises(StorageError, match="outside the IO manager's base directory"):
        manager.handle_output(context, 1)
    assert list(outside.iterdir()) == []


def test_dynamic_keys_that_would_escape_are_refused_before_storage() -> None:
    instance = Instance.ephemeral()
    for key in ["..", ".", "../x", "a/b", "a\\b", "x\x00", "a...b"]:
        with pytest.raises(Exception) as caught:
            instance.add_dynamic_partitions("customers", [key])
        assert type(caught.value).__name__ == "UsageError"
        assert repr(key) in str(caught.value)
    assert instance.get_dynamic_partitions("customers") == []


# -- SQL: crafted keys are bound parameters or quoted identifiers --------------------------


@pytest.fixture
def warehouse(tmp_path: Path):  # type: ignore[no-untyped-def]
    pytest.importorskip("pandas")
    import sqlalchemy as sa

    from io_managers.sql import SQLTableIOManager

    manager = SQLTableIOManager(f"sqlite:///{tmp_path}/warehouse.db")
    with manager.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE y (id INTEGER)"))
        conn.execute(sa.text("INSERT INTO y VALUES (42)"))
    yield manager
    manager.dispose()


def _canary_intact(manager) -> bool:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    with manager.engine.connect() as conn:
        return conn.execute(sa.text("SELECT id FROM y")).scalars().all() == [42]


@pytest.mark.parametrize("key", INJECTIONS)
def test_sql_partition_keys_are_stored_verbatim_and_drop_nothing(warehouse, key: str) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    metadata = {"partition_expr": "region"}
    asset = AssetKey("shop/orders")
    for stored in (key, "safe"):
        frame = pd.DataFrame({"region": [stored, stored], "amount": [1.0, 2.0]})
        context = OutputContext(
            asset, run_id="r", step_key="s", partition_keys=(stored,), metadata=metadata
        )
        warehouse.handle_output(context, frame)
    # Re-writing the crafted partition deletes its rows by key, as a bound parameter.
    frame = pd.DataFrame({"region": [key], "amount": [3.0]})
    warehouse.handle_output(
        OutputContext(asset, run_id="r", step_key="s", partition_keys=(key,), metadata=metadata),
        frame,
    )
    loaded = warehouse.load_input(
        InputContext(asset, run_id="r", partition_keys=(key,), metadata=metadata)
    )
    assert loaded["region"].tolist() == [key]
    assert loaded["amount"].tolist() == [3.0]
    everything = warehouse.load_input(InputContext(asset, run_id="r"))
    assert sorted(everything["region"].tolist()) == sorted([key, "safe", "safe"])
    assert _canary_intact(warehouse)


def test_sql_asset_keys_with_punctuation_are_quoted_identifiers(warehouse) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    asset = AssetKey(("x-y.z", "DROP-TABLE.y--"))
    warehouse.handle_output(
        OutputContext(asset, run_id="r", step_key="s"), pd.DataFrame({"v": [1]})
    )
    assert warehouse.load_input(InputContext(asset, run_id="r"))["v"].tolist() == [1]
    assert _canary_intact(warehouse)


@pytest.mark.parametrize("key", [k for k in INJECTIONS if "\\" not in k])
def test_metadata_database_binds_crafted_dynamic_keys(tmp_path: Path, key: str) -> None:
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path}/meta.db"
    instance = Instance(storage_url=url, home=tmp_path)
    instance.add_dynamic_partitions(key, [key, "plain"])
    assert instance.get_dynamic_partitions(key) == [key, "plain"]
    assert instance.storage.has_dynamic_partition(key, key)
    assert instance.storage.delete_dynamic_partitions(key, [key]) == 1
    assert instance.get_dynamic_partitions(key) == ["plain"]
    tables = set(sa.inspect(sa.create_engine(url)).get_table_names())
    assert {"runs", "dynamic_partitions", "schema_version"} <= tables


# -- the UI: only what tests/ui/test_security.py does not already cover --------------------


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1.nip.io", "localhost.evil.test", "evil-localhost", "0", "", "127.0.0.1:80@evil"],
)
def test_look_alike_loopback_hosts_need_a_token(host: str) -> None:
    from assetgraph.errors import UsageError
    from assetgraph.ui.security import check_bind

    with pytest.raises(UsageError, match="--token"):
        check_bind(host, None)


def test_an_empty_token_variable_is_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from assetgraph.cli.main import app

    monkeypatch.setenv("ASSETGRAPH_UI_TOKEN", "")
    result = CliRunner().invoke(app, ["ui", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "without a token" in result.stderr


def test_a_wrong_cookie_or_scheme_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from assetgraph.definitions.code_location import load_definitions
    from assetgraph.ui.api import UiState
    from assetgraph.ui.app import create_app
    from assetgraph.ui.launcher import CodeLocation
    from assetgraph.ui.security import TOKEN_COOKIE

    token = "s3cret-token"
    file = tmp_path / "defs.py"
    file.write_text(GOOD)
    state = UiState(
        defs=load_definitions(file=file),
        instance=Instance.from_env(),
        location=CodeLocation(file=file, cwd=tmp_path),
        clock=lambda: datetime.now(UTC),
    )
    client = TestClient(create_app(state, token=token), base_url="http://10.1.2.3:3000")
    for headers in (
        {"Cookie": f"{TOKEN_COOKIE}=wrong"},
        {"Authorization": f"Basic {token}"},
        {"Authorization": f"Bearer {token}x"},
        {"Authorization": f"Bearer {token[:-1]}"},
        {"Authorization": "Bearer"},
        {"X-Token": token},
    ):
        response = client.get("/api/assets", headers=headers)
        assert response.status_code == 401, headers
        assert token not in response.text
    assert (
        client.get("/api/assets", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )


# -- code locations: imported only from the path the user named ----------------------------

EVIL = """
from pathlib import Path
Path({marker!r}).write_text("imported")
from assetgraph import asset

@asset
def evil():
    return 1
"""

GOOD = """
from assetgraph import asset

@asset
def orders():
    return 1
"""


def _check(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["ASSETGRAPH_HOME"] = str(cwd / "ag-home")
    return subprocess.run(
        [sys.executable, "-m", "assetgraph.cli.main", "check", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _plant(folder: Path, marker: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("defs.py", "evil.py", "definitions.py", "__init__.py", "conftest.py"):
        (folder / name).write_text(EVIL.format(marker=str(marker)))
    (folder / "pyproject.toml").write_text('[tool.assetgraph]\nmodule = "evil"\n')


def test_file_is_imported_alone_not_its_neighbours_or_the_cwd(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    project = tmp_path / "project"
    _plant(project, marker)  # the cwd, with a pyproject naming the evil module
    _plant(project / "code", marker)  # the code location's own folder
    (project / "code" / "app.py").write_text(GOOD)
    result = _check(["-f", "code/app.py"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert "1 asset" in result.stdout
    assert not marker.exists()


def test_module_is_imported_alone_not_the_other_files_of_its_package(tmp_path: Path) -> None:
    """``-m pkg.app`` imports pkg/__init__.py and pkg/app.py (as Python does), nothing else."""
    marker = tmp_path / "MARKER"
    project = tmp_path / "project"
    _plant(project, marker)
    package = project / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("defs.py", "evil.py", "definitions.py"):
        (package / name).write_text(EVIL.format(marker=str(marker)))
    (package / "app.py").write_text(GOOD)
    result = _check(["-m", "pkg.app"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_module_is_looked_up_in_the_cwd_and_sys_path_only(tmp_path: Path) -> None:
    """As documented: ``-m`` searches the working directory, then sys.path; a module of
    that name in a folder the user did not name (a sibling, a parent) is never imported."""
    marker = tmp_path / "MARKER"
    (tmp_path / "orders_location.py").write_text(EVIL.format(marker=str(marker)))
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    (sibling / "orders_location.py").write_text(EVIL.format(marker=str(marker)))
    cwd = tmp_path / "work"
    cwd.mkdir()
    result = _check(["-m", "orders_location"], cwd=cwd)
    assert result.returncode == 2
    assert "'orders_location' was not found" in result.stderr
    assert not marker.exists()
    (cwd / "orders_location.py").write_text(GOOD)
    result = _check(["-m", "orders_location"], cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_a_missing_file_does_not_fall_back_to_anything(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    _plant(tmp_path, marker)
    result = _check(["-f", "app.py"], cwd=tmp_path)
    assert result.returncode == 2
    assert "app.py' does not exist" in result.stderr
    assert not marker.exists()
