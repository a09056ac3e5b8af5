"""`/feeds/{view}.atom|.rss|.json`: every view and search as a feed, with ETags so
that a reader polling an unchanged feed gets a 304."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from starlette.responses import Response

from worldwire.web import views
from worldwire.web.cache import Rendered, RenderedResponse, cache_key
from worldwire.web.cards import cards
from worldwire.web.feedgen import BUILDERS, FeedInfo
from worldwire.web.filters import Filters, filter_params
from worldwire.web.render import SITE
from worldwire.web.state import state

router = APIRouter(tags=["feeds"])
FEED_SIZE = 50
CONTENT_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


@router.get(
    "/feeds/{feed}",
    summary="A view or search as an Atom, RSS or JSON feed",
    description=(
        "`feed` is a view name and a format: `latest.atom`, `region-africa.rss`, "
        "`topic-sport.json`, `source-12.atom`, or `search.atom` with `?q=`. The filters "
        "narrow any view. Answers 304 to a matching If-None-Match."
    ),
    response_class=Response,
    responses={
        200: {
            "content": {media: {} for media in CONTENT_TYPES.values()},
            "description": "The feed",
        },
        304: {"description": "Not modified since the ETag given"},
    },
)
async def feed(
    request: Request,
    feed: Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9-]+\.(atom|rss|json)$")],
    reader: Annotated[Filters, Depends(filter_params)],
) -> Response:
    st = state(request)
    name, _, fmt = feed.rpartition(".")
    try:
        view = await views.by_name(name, st.directory)
    except views.UnknownView as exc:
        raise HTTPException(404, str(exc)) from None

    async def build() -> Rendered:
        base = st.base_url(request)
        filters = view.with_reader(reader)
        page = await st.ctx.store.query_stories(filters.story_query(FEED_SIZE))
        found = await cards(st.ctx.store, st.directory, page.items)
        query = view.narrowing(reader).query_string()
        title = f"{SITE}: {view.title}" if view.name != "search" or reader.q else SITE
        if view.name == "search" and reader.q:
            title = f"{SITE}: search for {reader.q}"
        # WebSub (worldwire.web.websub): advertise our hub when this process runs one.
        hub = f"{base}/hub" if hasattr(request.app.state, "websub") else ""
        info = FeedInfo(
            title=title,
            description=view.description or f"{view.title} on {SITE}",
            page_url=base + view.path + query,
            self_url=f"{base}/feeds/{feed}{query}",
            base_url=base,
            hub_url=hub,
        )
        body = BUILDERS[fmt](info, found)
        links = f'<{hub}>; rel="hub", <{info.self_url}>; rel="self"' if hub else ""
        etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
        return Rendered.from_body(
            body,
            CONTENT_TYPES[fmt],
            etag=etag,
            cache_control=b"public, max-age=30",
            extra_headers=((b"access-control-allow-origin", b"*"),)
            + (((b"link", links.encode()),) if links else ()),
        )

    return RenderedResponse(await st.cache.get_or_render(cache_key(request.scope), build))
