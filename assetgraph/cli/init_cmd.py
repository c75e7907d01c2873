"""``assetgraph init NAME``: scaffold a new code location."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assetgraph.cli.app import VerboseOption, app, handle_errors


@app.command("init")
@handle_errors
def init(
    name: Annotated[
        str, typer.Argument(help="Project name; also the folder created, e.g. 'sales_pipeline'.")
    ],
    verbose: VerboseOption = False,
) -> None:
    """Scaffold a new code location in ./NAME: a pyproject, a defs module of two assets, a test.

    Inside the new folder, 'assetgraph materialize' runs at once (the pyproject's
    [tool.assetgraph] names the module). An existing non-empty folder is never touched.
    """
    import importlib.util
    import sys

    from assetgraph.errors import install_hint, python_command
    from assetgraph.scaffold import package_name, scaffold_code_location

    written = scaffold_code_location(name, Path.cwd())
    root = Path.cwd() / name
    for path in written:
        typer.echo(f"  created {path.relative_to(Path.cwd())}")
    python = python_command()
    script = Path(sys.executable).parent / "assetgraph"  # this environment's console script
    assetgraph = "assetgraph" if python == "python" or not script.is_file() else str(script)
    test = f"{python} -m pytest"
    if importlib.util.find_spec("pytest") is None:
        test += f"        (needs pytest, not installed: {install_hint('test', cwd=root)})"
    typer.echo(
        f"Code location '{name}' created (module {package_name(name)}.defs). Next:\n"
        f"  cd {root.name}\n  {assetgraph} materialize\n  {test}"
    )
