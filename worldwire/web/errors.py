"""One error shape for every failure: {"error": {"code": "...", "message": "..."}}.
Readers' pages get the same status with an HTML page saying the same."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from worldwire.errors import QueryError
from worldwire.web import places
from worldwire.web.cache import Rendered, RenderedResponse
from worldwire.web.render import render
from worldwire.web.responses import JSON

log = logging.getLogger("worldwire.web")

_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
_HEADINGS = {400: "That did not work", 404: "Not found", 422: "That did not work"}
_MACHINE_PREFIXES = ("/api/", "/feeds/", "/static/", "/metrics", "/healthz", "/openapi")


class NotFound(LookupError):
    """A page for something that does not exist (a 404, as HTML for readers)."""


def error_response(status: int, message: str, code: str | None = None) -> JSON:
    return JSON(
        {"error": {"code": code or _CODES.get(status, "error"), "message": message}},
        status_code=status,
    )


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith(_MACHINE_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page(status: int, message: str) -> Rendered:
    heading = _HEADINGS.get(status, "Something went wrong")
    body = render(
        "error.html",
        page_title=heading,
        feeds=[],
        stream_url="",
        last_event=0,
        nav="",
        continents=places.continents(),
        q="",
        heading=heading,
        message=message,
    )
    return Rendered.from_body(body, "text/html; charset=utf-8", status=status, with_nonce=True)


def respond(request: Request, status: int, message: str) -> Response:
    if _wants_html(request):
        return RenderedResponse(error_page(status, message))
    return error_response(status, message)


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return respond(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
        return respond(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return respond(request, 400, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return respond(request, 404, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("request failed", extra={"url": str(request.url)})
        return error_response(500, "internal error")
