"""The ASGI application: pages, feeds, the JSON API and its live stream, metrics.

A GET for a page or feed that is cached and current is answered before FastAPI's
middleware and routing (the front page's hot path); every other request passes
request counting, security headers, then the router."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from worldwire import __version__
from worldwire.web import api, errors, feeds, pages
from worldwire.web.cache import PageCache, cache_key
from worldwire.web.cards import SourceDirectory
from worldwire.web.compress import accepts_gzip
from worldwire.web.context import AppContext
from worldwire.web.fanout import Fanout
from worldwire.web.hub import StreamHub
from worldwire.web.metrics import CountRequests, Metrics, request_kind
from worldwire.web.render import assets, render_block
from worldwire.web.responses import JSON
from worldwire.web.security import RAW_SEND, SecurityHeaders
from worldwire.web.state import WebState, state


class WorldWireApp(FastAPI):
    web: WebState

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[RAW_SEND] = send
            if scope["method"] in ("GET", "HEAD"):
                entry = self.web.cache.lookup(cache_key(scope))
                if entry is not None:
                    etag = entry.variant(scope)[1]
                    status = f"{304 if etag and entry.matches(scope, etag) else entry.status}"
                    self.web.metrics.requests[request_kind(scope["path"]), f"{status[0]}xx"] += 1
                    await entry.send(scope, send)
                    return
        await super().__call__(scope, receive, send)


def create_app(context: AppContext) -> FastAPI:
    app = WorldWireApp(
        title="WorldWire",
        version=__version__,
        summary="News from around the world, as it breaks.",
        docs_url=None,
        redoc_url=None,
        default_response_class=JSON,
    )
    web = _state(context)
    app.web = web
    app.state.ctx = context
    app.state.web = web
    errors.install(app)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(feeds.router)
    _extras(app)
    # add_middleware wraps: the last added runs first.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CountRequests, metrics=web.metrics)
    return app


def _state(context: AppContext) -> WebState:
    bus = context.bus
    directory = SourceDirectory(context.store)
    cache = PageCache(context.bus)
    hub = StreamHub(
        context.store,
        context.bus,
        directory,
        lambda card: render_block("cards.html", "story_card", card),
    )
    metrics = Metrics()
    fanout = Fanout(hub, bus, metrics, context.settings.stream_keepalive)
    for name, kind, text, read in (
        ("worldwire_last_event_id", "gauge", "The newest event published.", lambda: bus.last_id),
        ("worldwire_page_cache_entries", "gauge", "Pages held rendered.", lambda: len(cache)),
        ("worldwire_page_cache_hits_total", "counter", "Pages served cached.", lambda: cache.hits),
        ("worldwire_page_cache_misses_total", "counter", "Pages rendered.", lambda: cache.misses),
    ):
        metrics.add(name, kind, text, read)
    return WebState(context, cache, directory, hub, fanout, metrics)


def _extras(app: FastAPI) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        return Response(
            state(request).metrics.text(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    @app.get("/static/{name}", include_in_schema=False)
    async def static(request: Request, name: Annotated[str, Path(max_length=100)]) -> Response:
        asset = assets().get(name)
        if asset is None:
            raise HTTPException(404, f"no static file {name!r}")
        headers = {
            "etag": asset.etag,
            "cache-control": "public, max-age=31536000, immutable",
            "vary": "accept-encoding",
        }
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        if accepts_gzip(request.scope["headers"]):
            headers["content-encoding"] = "gzip"
            return Response(asset.gzipped, media_type=asset.content_type, headers=headers)
        return Response(asset.body, media_type=asset.content_type, headers=headers)
