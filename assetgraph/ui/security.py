"""Who may talk to the UI server: loopback binding, the access token, same-origin writes.

The model, in the order a request meets it (see docs/ui.md):

1. ``check_bind`` refuses to start on a non-loopback host unless a token is set.
2. With a token, every request must carry it: ``Authorization: Bearer TOKEN``, or the
   cookie that visiting any page with ``?token=TOKEN`` sets (so a browser works).
3. Without a token (loopback only), the ``Host`` header must name a loopback host, so a
   web page cannot reach the server through DNS rebinding.
4. State-changing requests (POST) must come from the UI's own origin: ``Origin`` (or,
   when a browser sends none, ``Referer``) must match ``Host``. A client that sends the
   token in an ``Authorization`` header is exempt: a cross-site page cannot set that header.

Pure functions over header values, so they are tested without a server.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from assetgraph.errors import UsageError

TOKEN_ENV = "ASSETGRAPH_UI_TOKEN"
TOKEN_COOKIE = "assetgraph_ui_token"
TOKEN_QUERY = "token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) is loopback."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen on a non-loopback ``host`` without a token (a ``UsageError``)."""
    if is_loopback(host) or token:
        return
    raise UsageError(
        f"Refusing to listen on '{host}' without a token: anyone who can reach it could "
        f"start runs. Pass --token TOKEN (or set {TOKEN_ENV}), or use --host 127.0.0.1."
    )


def token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header, else None."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def host_name(host_header: str) -> str:
    """The host part of a ``Host`` header value (``[::1]:3000`` -> ``::1``)."""
    return urlsplit(f"//{host_header}").hostname or ""


def same_origin(host_header: str | None, origin: str | None, referer: str | None) -> bool:
    """Whether a request's ``Origin`` (else ``Referer``) names the server it was sent to.

    A request with neither header is not same-origin: browsers send ``Origin`` on every
    cross-origin and same-origin POST made by ``fetch``.
    """
    if not host_header:
        return False
    source = origin if origin and origin != "null" else referer
    if not source:
        return False
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()
