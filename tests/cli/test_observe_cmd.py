"""``assetgraph observe`` from the command line, with ``status`` and ``materialize --stale``."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from typer.testing import CliRunner

from assetgraph.cli.main import app

DEFS = """
import json
from pathlib import Path

from assetgraph import DataVersion, asset, observable_source_asset

HERE = Path(__file__).parent

@observable_source_asset
def prices():
    return DataVersion((HERE / "prices.version").read_text())

@asset(code_version="1")
def summary(prices):
    return len(prices)
"""

BROKEN = """
from assetgraph import observable_source_asset

@observable_source_asset
def prices():
    return 3
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def location(tmp_path: Path, version: str) -> Path:
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS)
    (tmp_path / "prices.version").write_text(version)
    return defs


def test_observe_records_versions_and_status_shows_the_changed_source(
    tmp_path: Path, isolated_home: Path
) -> None:
    defs = location(tmp_path, "2025-06-01")
    # The source's value is a file somebody else writes through the default IO manager.
    stored = isolated_home / "storage" / "prices"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(pickle.dumps([1.5, 2.5]))

    code, out, err = invoke("observe", "-f", str(defs))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "prices: 2025-06-01 (first observation)"
    assert invoke("materialize", "-f", str(defs), "--select", "summary")[0] == 0
    assert invoke("status", "-f", str(defs))[1].strip() == "2 asset(s) fresh: nothing to do."

    code, out, _ = invoke("observe", "-f", str(defs))
    assert out.splitlines()[0] == "prices: 2025-06-01 (unchanged)"
    assert "1 observation(s), 0 changed." in out

    (tmp_path / "prices.version").write_text("2025-06-02")
    code, out, _ = invoke("observe", "-f", str(defs), "--json")
    payload = json.loads(out)
    assert payload["success"] is True
    assert payload["observations"][0]["changed"] is True
    assert payload["observations"][0]["previous_version"] == "2025-06-01"
    code, out, _ = invoke("status", "-f", str(defs))
    assert "summary: stale" in out and "  stale    summary: upstream prices changed" in out

    code, out, _ = invoke("materialize", "-f", str(defs), "--stale")
    assert code == 0
    assert invoke("status", "-f", str(defs))[1].strip() == "2 asset(s) fresh: nothing to do."

    code, out, _ = invoke("runs", "list", "--tag", "assetgraph/kind=observe", "--json")
    assert len(json.loads(out)) == 3


def test_observe_failure_exits_1_naming_the_source(tmp_path: Path) -> None:
    defs = tmp_path / "defs.py"
    defs.write_text(BROKEN)
    code, _, err = invoke("observe", "-f", str(defs))
    assert code == 1
    assert err.strip() == (
        "Error: prices: DefinitionError: The observe function of source asset 'prices' "
        "returned int 3; it must return a DataVersion, a non-empty str or an ObserveResult."
    )


def test_observe_of_nothing_observable_is_a_usage_error(tmp_path: Path) -> None:
    defs = location(tmp_path, "v1")
    code, _, err = invoke("observe", "-f", str(defs), "--select", "summary")
    assert code == 2
    assert err.strip() == (
        "Error: Selection 'summary' names no observable source asset; the code location has: "
        "prices."
    )


def test_materialize_of_only_a_source_says_so(tmp_path: Path) -> None:
    defs = location(tmp_path, "v1")
    code, _, err = invoke("materialize", "-f", str(defs), "--select", "prices")
    assert code == 2
    assert "The selection names only source assets ('prices')" in err
