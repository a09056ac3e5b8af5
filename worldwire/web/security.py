"""Security headers on every response, and the per-response CSP nonce.

HTML pages are rendered once and cached with a placeholder where the nonce goes;
each response fills in a fresh nonce, so caching never shares one. The placeholder
holds a "<", which escaping turns into "&lt;" in any text from a feed, so only the
places our templates put it can ever receive the nonce."""

from __future__ import annotations

import secrets

from markupsafe import Markup
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE_PLACEHOLDER = "<%nonce%>"
# The server's own `send`, kept in the scope before any middleware wraps it.
RAW_SEND = "worldwire.raw_send"
NONCE_MARK = Markup(NONCE_PLACEHOLDER)  # noqa: S704 (a constant)

# No third-party request of any kind: scripts only with this response's nonce, styles,
# images, fonts and connections only from this origin; no framing, no plugins.
_HTML_CSP = (
    "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
_OTHER_CSP = b"default-src 'none'; frame-ancestors 'none'; sandbox"

COMMON_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    # Readers follow links out to the outlets: tell them nothing about what was read here.
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def html_csp(nonce: str) -> bytes:
    return _HTML_CSP.format(nonce=nonce).encode()


class SecurityHeaders:
    """Adds the common headers to every response that lacks them, and a locked-down
    CSP to every response that did not set its own (JSON, feeds, errors). Drops any
    Set-Cookie: anonymous readers get no cookies at all."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"set-cookie"
                ]
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", _OTHER_CSP))
                if b"x-content-type-options" not in names:
                    headers.extend(COMMON_HEADERS)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
