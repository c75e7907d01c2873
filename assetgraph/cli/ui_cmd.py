"""``assetgraph ui``: serve the web UI (catalog, lineage, partitions, runs, automation).

FastAPI and uvicorn (the ``ui`` extra) are imported only when the command runs, so the
CLI starts fast without them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from assetgraph.cli.app import FileOption, ModuleOption, VerboseOption, app, handle_errors, load
from assetgraph.settings import UI_TOKEN_ENV as TOKEN_ENV


@app.command("ui")
@handle_errors
def ui(
    file: FileOption = None,
    module: ModuleOption = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Interface to listen on. Anything but loopback needs --token.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 3000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar=TOKEN_ENV,
            help="Require this token on every request (Bearer header, or open /?token=...).",
            show_default=False,
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Serve the web UI of a code location (http://127.0.0.1:3000 by default)."""
    from assetgraph import settings
    from assetgraph.errors import UsageError
    from assetgraph.ui.security import check_bind

    if not 1 <= port <= 65535:
        raise UsageError(f"Invalid --port {port}: use a port from 1 to 65535 (e.g. 3000).")
    token = token or None  # an empty ASSETGRAPH_UI_TOKEN is no token
    if token is not None:
        settings.check_ui_token(token, "--token")
    check_bind(host, token)
    try:
        import uvicorn

        from assetgraph.ui.app import create_app
    except ImportError as exc:
        from assetgraph.errors import install_hint

        raise UsageError(
            f"The web UI needs its extra dependencies ({exc.name} is missing): "
            f"{install_hint('ui')}."
        ) from None
    from assetgraph.storage.instance import Instance
    from assetgraph.ui.api import UiState
    from assetgraph.ui.launcher import CodeLocation

    defs = load(file, module)
    state = UiState(
        defs=defs,
        instance=Instance.from_env(),
        location=CodeLocation(
            file=None if file is None else file.absolute(), module=module, cwd=Path.cwd()
        ),
        clock=lambda: datetime.now(UTC),
    )
    application = create_app(state, token=token)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"assetgraph UI on http://{shown}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(application, host=host, port=port, log_level="warning")
