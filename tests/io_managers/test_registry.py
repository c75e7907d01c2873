"""The core finds IO managers through assetgraph.io_registry: by name, loaded when needed."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from assetgraph import DefinitionError, Definitions, Instance, asset, materialize
from assetgraph.io import IOManager
from assetgraph.io_registry import BUILTIN_IO_MANAGERS, DEFAULT_IO_MANAGER, io_manager_class


@asset
def numbers() -> list[int]:
    return [1, 2, 3]


@asset
def total(numbers: list[int]) -> int:
    return sum(numbers)


def test_a_run_without_io_managers_stores_pickle_files_in_the_instance_storage_dir(
    tmp_path: Path,
) -> None:
    instance = Instance(home=tmp_path / "home")
    result = materialize([numbers, total], instance=instance)
    assert result.success
    stored = instance.storage_dir / "total"
    assert stored.is_file(), f"the default IO manager wrote no file at {stored}"
    assert pickle.loads(stored.read_bytes()) == 6


def test_every_builtin_name_resolves_to_an_io_manager_class() -> None:
    assert DEFAULT_IO_MANAGER in BUILTIN_IO_MANAGERS
    for name, reference in BUILTIN_IO_MANAGERS.items():
        module = reference.partition(":")[0]
        pytest.importorskip(module)
        cls = io_manager_class(name)
        assert isinstance(cls, type) and issubclass(cls, IOManager), name
        assert f"{cls.__module__}:{cls.__name__}" == reference


def test_a_module_class_reference_loads_a_user_io_manager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_store.py").write_text(
        textwrap.dedent(
            """
            from assetgraph.io import IOManager

            class DictStore(IOManager):
                def __init__(self):
                    self.values = {}

                def handle_output(self, context, obj):
                    self.values[context.asset_key] = obj

                def load_input(self, context):
                    return self.values[context.asset_key]
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    store: Any = io_manager_class("my_store:DictStore")()
    result = materialize(
        Definitions(assets=[numbers, total], io_managers={"io_manager": store}),
        instance=Instance(home=tmp_path / "home"),
    )
    assert result.success
    assert sorted(str(key) for key in store.values) == ["numbers", "total"]
    assert not (tmp_path / "home" / "storage").exists(), "the pickle default ran anyway"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("pickel", r"IO manager 'pickel': expected a built-in name .* Did you mean 'pickle'\?"),
        ("no_such_module_xyz:Store", r"cannot import module 'no_such_module_xyz'"),
        ("io_managers.pickle:partition_file_name", r"has no IOManager class"),
        ("io_managers.pickle:Nope", r"has no IOManager class 'Nope'"),
    ],
)
def test_a_bad_name_is_a_definition_error_that_names_it(name: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        io_manager_class(name)


def test_importing_the_execution_layer_does_not_load_io_managers() -> None:
    probe = (
        "import sys, assetgraph.execution.materialize\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'io_managers'))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"execution imported IO managers: {out.stdout.strip()}"
