"""What the web layer keeps while the process runs, beside the AppContext it is given."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from worldwire.web.cache import PageCache
from worldwire.web.cards import SourceDirectory
from worldwire.web.context import AppContext
from worldwire.web.fanout import Fanout
from worldwire.web.hub import StreamHub
from worldwire.web.metrics import Metrics


@dataclass
class WebState:
    ctx: AppContext
    cache: PageCache
    directory: SourceDirectory
    hub: StreamHub
    fanout: Fanout
    metrics: Metrics

    def base_url(self, request: Request) -> str:
        """Absolute URLs in feeds: the configured public URL, else where the reader
        reached us."""
        configured = self.ctx.settings.public_url.rstrip("/")
        return configured or str(request.base_url).rstrip("/")


def state(request: Request) -> WebState:
    found: WebState = request.app.state.web
    return found
