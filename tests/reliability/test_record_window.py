"""How long a stored value may wait for its record while the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetgraph import Instance
from tests.reliability.harness import kill_group, start_cli, wait_for

DEFS = """
import time
from pathlib import Path
from assetgraph import asset

@asset
def quick():
    return "quick"

@asset
def slow():
    done = Path(__file__).parent / "release"
    deadline = time.monotonic() + 60
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "slow"
"""


def test_a_finished_step_is_recorded_while_other_steps_still_run(
    storage_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``--workers 2``, ``quick`` is stored and must be recorded (and its lease freed)
    while ``slow`` still runs, not only when the next step starts or the run ends: the
    window in which a crash leaves a value without its record stays short."""
    monkeypatch.setenv("ASSETGRAPH_STORAGE_URL", storage_url)
    defs = tmp_path / "defs.py"
    defs.write_text(DEFS)
    instance = Instance.from_env()
    running = start_cli("materialize", "-f", str(defs), "--workers", "2")
    try:
        wait_for(
            lambda: (instance.storage_dir / "quick").exists(),
            timeout=90,
            what="quick to be stored",
        )
        wait_for(
            lambda: ("quick", None) in instance.storage.latest_materializations(["quick"]),
            timeout=5,
            what="quick to be recorded while slow still runs",
        )
        (tmp_path / "release").touch()
        _, err = running.communicate(timeout=60)
        assert running.returncode == 0, err
    finally:
        (tmp_path / "release").touch()
        kill_group(running)
