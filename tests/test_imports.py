"""`import assetgraph` and `assetgraph --help` stay light: heavy libraries load lazily."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["pandas", "pyarrow", "sqlalchemy", "networkx", "pandera", "dask", "fastapi", "pydantic"]


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in json.loads(out.stdout.strip().splitlines()[-1])}


def test_import_assetgraph_loads_no_heavy_module() -> None:
    loaded = _loaded_after("import assetgraph")
    assert not loaded & set(HEAVY), f"import assetgraph loaded {sorted(loaded & set(HEAVY))}"


def test_the_cli_module_loads_no_heavy_module() -> None:
    loaded = _loaded_after("import assetgraph.cli.main")
    assert not loaded & set(HEAVY), f"the CLI loaded {sorted(loaded & set(HEAVY))}"


def test_public_names_resolve() -> None:
    import assetgraph

    for name in assetgraph.__all__:
        assert getattr(assetgraph, name) is not None, name


def test_all_is_a_literal_list_matching_the_exports() -> None:
    import assetgraph

    assert sorted(assetgraph.__all__) == sorted(assetgraph._EXPORTS)
    assert len(set(assetgraph.__all__)) == len(assetgraph.__all__)
