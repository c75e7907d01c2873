"""`import assetgraph` and `assetgraph --help` stay light: heavy libraries load lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = [
    "pandas",
    "pyarrow",
    "sqlalchemy",
    "networkx",
    "pandera",
    "polars",
    "dask",
    "fastapi",
    "pydantic",
    "dbt",
    "duckdb",
]


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


def test_the_import_contracts_hold() -> None:
    """The layers, no-cycles and io_managers contracts of pyproject.toml (``make lint``)."""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, f"lint-imports found broken contracts:\n{out.stdout[-4000:]}"
    assert "0 broken" in out.stdout, out.stdout[-2000:]


def test_no_assetgraph_module_imports_io_managers_even_for_type_checking() -> None:
    """IO managers are plug-ins named in assetgraph.io_registry, never imported by the core."""
    import grimp

    graph = grimp.build_graph("assetgraph", "io_managers", cache_dir=None)
    offenders = sorted(
        f"{importer} -> {imported}"
        for importer in graph.find_descendants("assetgraph")
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.split(".")[0] == "io_managers"
    )
    assert not offenders, f"the core imports io_managers: {offenders}"


def test_list_on_a_plain_location_loads_no_heavy_module_nor_the_op_job_machinery(
    tmp_path: Path,
) -> None:
    location = tmp_path / "plain.py"
    location.write_text(
        "from assetgraph import Definitions, asset\n\n\n@asset\ndef a() -> int:\n    return 1\n\n\n"
        "@asset\ndef b(a: int) -> int:\n    return a + 1\n\n\ndefs = Definitions(assets=[a, b])\n"
    )
    probe = (
        "import json, os, sys\n"
        f"os.environ['ASSETGRAPH_HOME'] = {str(tmp_path / 'home')!r}\n"
        "from assetgraph.cli.main import app\n"
        "try:\n"
        f"    app(['list', '-f', {str(location)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    heavy = {name.split(".")[0] for name in loaded} & set(HEAVY)
    assert not heavy, f"list loaded {sorted(heavy)}"
    op_jobs = sorted(m for m in loaded if m.startswith("assetgraph.definitions.op_"))
    assert "assetgraph.definitions.op_graph" not in op_jobs, f"list loaded {op_jobs}"
    assert "assetgraph.definitions.op_jobs" not in op_jobs, f"list loaded {op_jobs}"
