"""Running the fenced code blocks of a Markdown page in order, as a reader would.

- A ``python`` block whose first line is a comment naming a file (``# shop/defs.py``) is
  written to that file, relative to the current folder; any other ``python`` block is run
  with the virtual environment's Python.
- A ``bash`` / ``console`` / ``shell`` block is run by ``bash -e`` with the virtual
  environment's ``bin`` first on ``PATH`` (so ``assetgraph`` and ``python`` are the
  project's); ``console`` lines are the ones starting with ``$ ``. A ``cd`` in a block
  carries over to the next block, as in a terminal.
- Other blocks (``text``, ``toml``, output samples) are not run.
- ``<!-- skip-test -->`` on the line before a block skips it (counted, so skipping stays
  rare); ``<!-- expect-exit: N -->`` expects exit status N instead of 0.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

RUN_LANGUAGES = {"python", "bash", "console", "shell", "sh"}
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```\s*$", re.S | re.M)
MARKER = re.compile(r"<!--\s*(skip-test|expect-exit:\s*(\d+))\s*-->\s*$")
FILE_COMMENT = re.compile(r"^#\s*([\w./-]+\.(?:py|toml|ya?ml|cfg|txt))\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block: its language, text, line in the page, and its marker."""

    language: str
    code: str
    line: int
    skip: bool
    expect_exit: int

    @property
    def runs(self) -> bool:
        return self.language in RUN_LANGUAGES and not self.skip


def blocks_of(page: Path) -> list[Block]:
    """The fenced blocks of ``page`` in order, with the marker on the line before each."""
    text = page.read_text()
    found: list[Block] = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.search(before)
        skip = bool(marker and marker.group(1) == "skip-test")
        expect = int(marker.group(2)) if marker and marker.group(2) else 0
        found.append(
            Block(
                language=match.group(1).lower(),
                code=match.group(2),
                line=text.count("\n", 0, match.start()) + 1,
                skip=skip,
                expect_exit=expect,
            )
        )
    return found


def runnable_blocks(page: Path, max_skipped: int) -> list[Block]:
    """The blocks of ``page`` to run; fails when the page skips more than ``max_skipped``
    blocks or has fewer than five to run (a fence the pattern no longer finds)."""
    blocks = blocks_of(page)
    skipped = [b.line for b in blocks if b.skip]
    assert len(skipped) <= max_skipped, (
        f"{page.name} skips {len(skipped)} blocks (lines {skipped}); "
        f"at most {max_skipped}: make the others runnable"
    )
    runnable = [b for b in blocks if b.runs]
    assert len(runnable) >= 5, f"{page.name}: only {len(runnable)} runnable blocks found"
    return runnable


def environment(home: Path) -> dict[str, str]:
    """The environment blocks run in: the venv first on PATH, ASSETGRAPH_HOME in the temp dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "ASSETGRAPH_"))}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["ASSETGRAPH_HOME"] = str(home)
    env["COLUMNS"] = "200"
    return env


class PageRunner:
    """Runs the blocks of one page in one folder, keeping the current folder between them."""

    def __init__(self, root: Path, home: Path) -> None:
        self.cwd = root
        self.env = environment(home)

    def run(self, block: Block, page: Path) -> str:
        """Run (or write) one block; fail with the page, line and output when it goes wrong."""
        where = f"{page.name}:{block.line}"
        first = block.code.splitlines()[0] if block.code.strip() else ""
        if block.language == "python":
            named = FILE_COMMENT.match(first)
            if named:
                target = self.cwd / named.group(1)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.code)
                return f"wrote {target}"
            return self._check(where, block, [sys.executable, "-c", block.code])
        script = block.code
        if block.language == "console":
            script = "\n".join(
                line[2:] for line in block.code.splitlines() if line.startswith("$ ")
            )
        pwd_file = self.cwd / ".docs-test-pwd"
        wrapped = f"set -e\n{script}\npwd > {str(pwd_file)!r}\n"
        output = self._check(where, block, ["bash", "-c", wrapped])
        if pwd_file.is_file():
            self.cwd = Path(pwd_file.read_text().strip())
            pwd_file.unlink()
        return output

    def _check(self, where: str, block: Block, command: list[str]) -> str:
        done = subprocess.run(
            command,
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        output = done.stdout + done.stderr
        assert done.returncode == block.expect_exit, (
            f"{where}: block exited {done.returncode}, expected {block.expect_exit}\n"
            f"--- block ---\n{block.code}--- output ---\n{output}"
        )
        return output
