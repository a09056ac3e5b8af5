"""The ASGI application."""

from __future__ import annotations

from fastapi import FastAPI

from worldwire import __version__
from worldwire.web import api, errors
from worldwire.web.context import AppContext
from worldwire.web.responses import JSON


def create_app(context: AppContext) -> FastAPI:
    app = FastAPI(
        title="WorldWire",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        default_response_class=JSON,
    )
    app.state.ctx = context
    errors.install(app)
    app.include_router(api.router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
