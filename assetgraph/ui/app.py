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
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from assetgraph.errors import AssetgraphError
from assetgraph.ui import catalog, metrics, security
from assetgraph.ui.api import UiState, all_assets, build_api_router
from assetgraph.ui.automation_routes import add_automation_pages, build_automation_router
from assetgraph.ui.launchpad_routes import build_launchpad_router

PAGES = {
    "catalog": "Assets",
    "lineage": "Lineage",
    "asset": "Asset",
    "runs": "Runs",
    "run": "Run",
    "automation": "Automation",
    "instigator": "Automation",
    "tick": "Automation",
    "backfills": "Backfills",
    "backfill": "Backfills",
    "launchpad": "Launchpad",
    "swagger": "API",
    "redoc": "API",
}
NAV = (
    ("/", "Assets"),
    ("/lineage", "Lineage"),
    ("/runs", "Runs"),
    ("/automation", "Automation"),
    ("/backfills", "Backfills"),
    ("/launchpad", "Launchpad"),
    ("/api/docs", "API"),
)
VENDOR_SCRIPTS = {
    "lineage": ("vendor/cytoscape.min.js", "vendor/cytoscape-dagre.min.js"),
    "swagger": ("vendor/swagger-ui-bundle.js",),
    "redoc": ("vendor/redoc.standalone.js",),
}
VENDOR_STYLES = {"swagger": ("vendor/swagger-ui.css",), "launchpad": ("launchpad.css",)}
PAGE_SCRIPTS = {
    # Scripts of ours a page uses besides app.js and its own, loaded before its own.
    "asset": ("condition_tree.js", "asset_automation.js"),
    "automation": ("automation_shared.js",),
    "instigator": ("automation_shared.js",),
    "tick": ("automation_shared.js", "condition_tree.js"),
    "backfills": ("backfills_shared.js",),
    "backfill": ("backfills_shared.js",),
}
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


def render_page(
    page: str, title: str, data: dict[str, str] | None = None, content: str | None = None
) -> str:
    """The HTML shell of ``page``; ``title`` and ``data`` (``data-*`` attributes) escaped.

    ``content`` is trusted HTML put in ``<main>`` (the not-found page's, built with
    ``html.escape``); a page with content has no script of its own.
    """
    attrs = "".join(
        f' data-{html.escape(name)}="{html.escape(value, quote=True)}"'
        for name, value in {"page": page, **(data or {})}.items()
    )
    nav = "".join(
        f'<a href="{href}"{" class=current" if label == PAGES.get(page) else ""}>{label}</a>'
        for href, label in NAV
    )
    own = (
        ("app.js",)
        if content is not None
        else ("app.js", *PAGE_SCRIPTS.get(page, ()), f"{page}.js")
    )
    scripts = "".join(
        f'<script src="/static/{src}"></script>' for src in (*VENDOR_SCRIPTS.get(page, ()), *own)
    )
    styles = "".join(
        f'<link rel="stylesheet" href="/static/{src}">' for src in VENDOR_STYLES.get(page, ())
    )
    return _template().substitute(
        title=html.escape(title),
        body_attrs=attrs,
        nav=nav,
        scripts=scripts,
        styles=styles,
        content=content
        if content is not None
        else "<noscript>This page needs JavaScript.</noscript>",
    )


def not_found_page(what: str, detail: str) -> HTMLResponse:
    """The HTML 404 page: ``what`` was not found, ``detail`` says why and what to do."""
    content = (
        '<section class="panel not-found" id="not-found">'
        f"<h1>{html.escape(what)} not found</h1>"
        f'<p class="error">{html.escape(detail)}</p>'
        '<p><a href="/">All assets</a> · <a href="/runs">All runs</a></p></section>'
    )
    page = render_page("notfound", f"{what} not found", content=content)
    return HTMLResponse(page, status_code=404)


def create_app(state: UiState, token: str | None = None, loopback_only: bool = True) -> FastAPI:
    """The application over ``state``.

    With ``token``, every request must present it (see ``assetgraph.ui.security``);
    without, ``loopback_only`` requires a loopback ``Host`` header.
    """
    app = FastAPI(
        title="assetgraph UI",
        description="The JSON API of the assetgraph web UI.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    state.instance.storage.list_runs(limit=1)  # creates or checks the schema once, up front
    install_security(app, token, loopback_only)
    app.include_router(build_api_router(state))
    app.include_router(build_automation_router(state))
    app.include_router(build_launchpad_router(state))
    static = resources.files("assetgraph.ui").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    add_pages(app, state)
    add_not_found(app)
    return app


def add_not_found(app: FastAPI) -> None:
    """Unknown paths: JSON ``{"detail": ...}`` under ``/api/``, the HTML 404 page elsewhere."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if exc.status_code != 404 or path.startswith(("/api/", "/static/", "/openapi.json")):
            return await http_exception_handler(request, exc)
        return not_found_page("Page", f"Nothing at '{path}'. Use the links above.")


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
        try:
            found = state.defs.graph.find(key)
        except AssetgraphError as exc:
            return not_found_page("Asset", str(exc))
        return page("asset", found.to_string(), {"key": found.to_string()})

    @app.get("/runs", include_in_schema=False)
    def runs_page() -> HTMLResponse:
        return page("runs", "Runs")

    @app.get("/runs/{run_id}", include_in_schema=False)
    def run_page(run_id: str) -> HTMLResponse:
        try:
            run = state.instance.storage.get_run(run_id)
        except AssetgraphError as exc:
            return not_found_page("Run", str(exc))
        if run is None:
            return not_found_page(
                "Run", f"No run '{run_id}' in this instance. The runs page lists every run."
            )
        return page("run", f"Run {run.run_id[:8]}", {"run-id": run.run_id})

    @app.get("/automation", include_in_schema=False)
    def automation_page() -> HTMLResponse:
        return page("automation", "Automation")

    add_automation_pages(app, state, page, not_found_page)

    @app.get("/launchpad", include_in_schema=False)
    def launchpad_page() -> HTMLResponse:
        return page("launchpad", "Launchpad")

    @app.get("/api/docs", include_in_schema=False)
    def swagger_page() -> HTMLResponse:
        return page("swagger", "API (Swagger UI)", {"openapi": "/openapi.json"})

    @app.get("/api/redoc", include_in_schema=False)
    def redoc_page() -> HTMLResponse:
        return page("redoc", "API (Redoc)", {"openapi": "/openapi.json"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        icon = resources.files("assetgraph.ui").joinpath("static/favicon.svg").read_bytes()
        return Response(icon, media_type="image/svg+xml")

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
