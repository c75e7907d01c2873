"""The web application: pages, static files, the API, ``/metrics``, and the security gate.

Pages are one server-rendered shell (``templates/page.html``) per route; the page's
script (``static/<page>.js``) fills it from the JSON API, writing data only through
``textContent`` and attributes, never as HTML. Values the server puts in the shell are
escaped with ``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from importlib import resources
from string import Template
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from assetgraph.ui import catalog, metrics, security
from assetgraph.ui.api import UiState, all_assets, build_api_router

PAGES = {
    "catalog": "Assets",
    "lineage": "Lineage",
    "asset": "Asset",
    "runs": "Runs",
    "run": "Run",
    "automation": "Automation",
}
NAV = (("/", "Assets"), ("/lineage", "Lineage"), ("/runs", "Runs"), ("/automation", "Automation"))
VENDOR_SCRIPTS = {"lineage": ("vendor/cytoscape.min.js", "vendor/cytoscape-dagre.min.js")}
SECURITY_HEADERS = {
    # Scripts only from this server (no inline script); cytoscape sets inline styles.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _template() -> Template:
    text = resources.files("assetgraph.ui").joinpath("templates/page.html").read_text("utf-8")
    return Template(text)


def render_page(page: str, title: str, data: dict[str, str] | None = None) -> str:
    """The HTML shell of ``page``; ``title`` and ``data`` (``data-*`` attributes) escaped."""
    attrs = "".join(
        f' data-{html.escape(name)}="{html.escape(value, quote=True)}"'
        for name, value in {"page": page, **(data or {})}.items()
    )
    nav = "".join(
        f'<a href="{href}"{" class=current" if label == PAGES.get(page) else ""}>{label}</a>'
        for href, label in NAV
    )
    scripts = "".join(
        f'<script src="/static/{src}"></script>'
        for src in (*VENDOR_SCRIPTS.get(page, ()), "app.js", f"{page}.js")
    )
    return _template().substitute(
        title=html.escape(title), body_attrs=attrs, nav=nav, scripts=scripts
    )


def create_app(state: UiState, token: str | None = None, loopback_only: bool = True) -> FastAPI:
    """The application over ``state``.

    With ``token``, every request must present it (see ``assetgraph.ui.security``);
    without, ``loopback_only`` requires a loopback ``Host`` header.
    """
    app = FastAPI(
        title="assetgraph UI",
        description="The JSON API of the assetgraph web UI.",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
    )
    state.instance.storage.list_runs(limit=1)  # creates or checks the schema once, up front
    install_security(app, token, loopback_only)
    app.include_router(build_api_router(state))
    static = resources.files("assetgraph.ui").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    add_pages(app, state)
    return app


def add_pages(app: FastAPI, state: UiState) -> None:
    def page(name: str, title: str, data: dict[str, str] | None = None) -> HTMLResponse:
        return HTMLResponse(render_page(name, title, data))

    @app.get("/", include_in_schema=False)
    def catalog_page() -> HTMLResponse:
        return page("catalog", "Assets")

    @app.get("/lineage", include_in_schema=False)
    def lineage_page() -> HTMLResponse:
        return page("lineage", "Lineage")

    @app.get("/assets/{key:path}", include_in_schema=False)
    def asset_page(key: str) -> HTMLResponse:
        return page("asset", key, {"key": key})

    @app.get("/runs", include_in_schema=False)
    def runs_page() -> HTMLResponse:
        return page("runs", "Runs")

    @app.get("/runs/{run_id}", include_in_schema=False)
    def run_page(run_id: str) -> HTMLResponse:
        return page("run", f"Run {run_id[:8]}", {"run-id": run_id})

    @app.get("/automation", include_in_schema=False)
    def automation_page() -> HTMLResponse:
        return page("automation", "Automation")

    @app.get("/status.css", include_in_schema=False)
    def status_css() -> Response:
        return Response(catalog.status_css(), media_type="text/css")

    @app.get("/metrics", include_in_schema=False)
    def metrics_text() -> Response:
        text = metrics.render_metrics(state.instance.storage, all_assets(state))
        return Response(text, media_type=metrics.CONTENT_TYPE)


def install_security(app: FastAPI, token: str | None, loopback_only: bool) -> None:
    """The gate every request passes: host, token, same-origin writes, response headers."""

    @app.middleware("http")
    async def gate(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        refusal = check_request(request, token, loopback_only)
        if refusal is not None:
            return refusal
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def check_request(request: Request, token: str | None, loopback_only: bool) -> Response | None:
    """The response refusing ``request``, or None to let it through."""
    host_header = request.headers.get("host", "")
    if (
        token is None
        and loopback_only
        and not security.is_loopback(security.host_name(host_header))
    ):
        return PlainTextResponse(
            "Host not allowed: open the UI at http://127.0.0.1:<port>/.", status_code=403
        )
    header_token = security.bearer_token(request.headers.get("authorization"))
    if token is not None:
        offered = request.query_params.get(security.TOKEN_QUERY)
        if offered is not None and request.method == "GET":
            return token_login(request, token, offered)
        presented = header_token or request.cookies.get(security.TOKEN_COOKIE)
        if not security.token_matches(token, presented):
            return PlainTextResponse(
                "Unauthorized: send 'Authorization: Bearer <token>', or open "
                "/?token=<token> once in the browser.",
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
    if request.method in UNSAFE_METHODS:
        header_authenticated = token is not None and header_token is not None
        if not header_authenticated and not security.same_origin(
            host_header, request.headers.get("origin"), request.headers.get("referer")
        ):
            return PlainTextResponse(
                "Forbidden: state-changing requests must come from the UI's own origin.",
                status_code=403,
            )
    return None


def token_login(request: Request, token: str, offered: str) -> Response:
    """``?token=`` in a browser: set the cookie and redirect to the same URL without it."""
    if not security.token_matches(token, offered):
        return PlainTextResponse("Unauthorized: wrong token.", status_code=401)
    query = urlencode(
        [(k, v) for k, v in request.query_params.multi_items() if k != security.TOKEN_QUERY]
    )
    # One leading slash: "//host" would redirect to another site.
    target = "/" + request.url.path.lstrip("/") + (f"?{query}" if query else "")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(security.TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response
