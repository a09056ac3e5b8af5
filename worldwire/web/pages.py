"""The reader's HTML pages: front page and views, story, search, sources. Each is
rendered once per event-log version and served from the page cache after that."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from worldwire.errors import QueryError
from worldwire.model import Article
from worldwire.web import places, views
from worldwire.web.cache import Rendered, RenderedResponse, cache_key
from worldwire.web.cards import (
    Card,
    Outlet,
    cards,
    lead_sentence,
    make_card,
    outlet,
    seen_after,
)
from worldwire.web.errors import NotFound
from worldwire.web.filters import MAX_ID, Filters, filter_params, from_query
from worldwire.web.render import render
from worldwire.web.state import WebState, state
from worldwire.web.websub import push_context

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 40
SEARCH_PAGE_SIZE = 30
LIVE = "story.new,story.updated"  # what a page shows live: stories, not articles
EXCERPT_CHARS = 500
HTML = "text/html; charset=utf-8"
Cursor = Annotated[str, Query(max_length=200)]
Reader = Annotated[Filters, Depends(filter_params)]


def html(
    template: str, context: dict[str, Any], *, status: int = 200, max_age: float = 60.0
) -> Rendered:
    return Rendered.from_body(
        render(template, **context), HTML, status=status, max_age=max_age, with_nonce=True
    )


def base_context(st: WebState, view: views.View | None, reader: Filters) -> dict[str, Any]:
    return {
        "page_title": view.title if view else "",
        "feeds": view.feeds(reader) if view else [],
        "stream_url": "",
        "last_event": st.ctx.bus.last_id,
        "nav": view.name if view else "",
        "continents": places.continents(),
        "q": reader.q,
    }


async def respond(request: Request, render_page: Callable[[], Awaitable[Rendered]]) -> Response:
    st = state(request)
    return RenderedResponse(await st.cache.get_or_render(cache_key(request.scope), render_page))


async def stories_page(
    request: Request, view: views.View, reader: Filters, cursor: str
) -> Response:
    st = state(request)

    async def build() -> Rendered:
        context = base_context(st, view, reader)
        filters = view.with_reader(reader)
        page = await st.ctx.store.query_stories(filters.story_query(PAGE_SIZE, cursor))
        found = await cards(st.ctx.store, st.directory, page.items)
        extra = view.narrowing(reader)
        return html(
            "stories.html",
            {
                **context,
                "heading": view.title,
                "description": view.description,
                "cards": found,
                "next_url": (view.path + extra.query_string(cursor=page.next)) if page.next else "",
                # Only the newest page is live; older pages stay as they are.
                "stream_url": "" if cursor else "/api/stream" + filters.query_string(kinds=LIVE),
            },
        )

    return await respond(request, build)


@router.get("/")
async def front(request: Request, reader: Reader, cursor: Cursor = "") -> Response:
    return await stories_page(request, views.LATEST, reader, cursor)


@router.get("/region/{code}")
async def region(
    request: Request, reader: Reader, code: Annotated[str, Path(max_length=60)], cursor: Cursor = ""
) -> Response:
    try:
        view = views.region(code)
    except views.UnknownView as exc:
        raise NotFound(str(exc)) from None
    return await stories_page(request, view, reader, cursor)


@router.get("/topic/{slug}")
async def topic(
    request: Request, reader: Reader, slug: Annotated[str, Path(max_length=60)], cursor: Cursor = ""
) -> Response:
    try:
        view = views.topic(slug)
    except views.UnknownView as exc:
        raise NotFound(str(exc)) from None
    return await stories_page(request, view, reader, cursor)


@router.get("/source/{source_id}")
async def source(
    request: Request,
    reader: Reader,
    source_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    cursor: Cursor = "",
) -> Response:
    try:
        view = await views.source(state(request).directory, source_id)
    except views.UnknownView as exc:
        raise NotFound(str(exc)) from None
    return await stories_page(request, view, reader, cursor)


@dataclass(slots=True)
class CoverageItem:
    article: Article
    outlet: Outlet
    seen_after: float | None

    @property
    def at(self) -> float:
        """When the outlet had it: its own time if it gave a believable one (not
        later than ours), else when we first saw it."""
        if self.seen_after is None or self.article.published_at is None:
            return self.article.seen_at
        return self.article.published_at


def excerpt(lead: str, text: str) -> str:
    """A short excerpt of the article beyond its lead: a taste, never the full text."""
    text = " ".join(text.split())
    lead = " ".join(lead.split())
    if lead and text.startswith(lead):
        text = text[len(lead) :].strip()
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


@router.get("/story/{story_id}")
async def story(request: Request, story_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    st = state(request)

    async def build() -> Rendered:
        context = base_context(st, None, Filters())
        found = await st.ctx.store.get_story(story_id)
        if found is None:
            raise NotFound(f"There is no story {story_id}.")
        articles = (await st.ctx.store.story_articles([story_id]))[story_id]
        sources = await st.directory.all()
        card: Card = make_card(found, articles, sources)
        coverage = sorted(
            (CoverageItem(a, outlet(a, sources), seen_after(a)) for a in articles),
            key=lambda item: (item.at, item.article.id),
        )
        rep = await st.ctx.store.get_article(found.article_id) if found.article_id else None
        rep_outlet = outlet(rep, sources) if rep else None
        return html(
            "story.html",
            {
                **context,
                "page_title": found.headline or f"Story {story_id}",
                "card": card,
                "coverage": coverage,
                # Outlets that republished the story's text (syndicated copies).
                "carried_by": len({a.source_id for a in articles if a.duplicate_of is not None}),
                "excerpt": excerpt(found.lead, rep.text) if rep else "",
                "excerpt_url": rep_outlet.url if rep_outlet else "",
                "excerpt_source": rep_outlet.name if rep_outlet else "",
            },
        )

    return await respond(request, build)


@dataclass(slots=True)
class HitView:
    article: Article
    title: str
    snippet: str
    outlet: Outlet


@router.get("/search")
async def search(request: Request, cursor: Cursor = "") -> Response:
    st = state(request)

    async def build() -> Rendered:
        error = ""
        try:
            reader = from_query(request.query_params)
        except QueryError as exc:
            reader, error = Filters(q=request.query_params.get("q", "")[:500]), str(exc)
        view = views.search(reader)
        context = base_context(st, view, reader)
        sources = await st.directory.all()
        hits: list[HitView] = []
        next_url = ""
        searched = not error and not reader.empty
        if searched:
            query = reader.article_query(SEARCH_PAGE_SIZE, cursor)
            if reader.q:
                found = await st.ctx.store.search_articles(query)
                hits = [
                    HitView(h.article, h.title, h.snippet, outlet(h.article, sources))
                    for h in found.items
                ]
                next_cursor = found.next
            else:  # filters only: the newest articles that pass them
                plain = await st.ctx.store.query_articles(query)
                hits = [
                    HitView(a, a.title, lead_sentence(a.summary), outlet(a, sources))
                    for a in plain.items
                ]
                next_cursor = plain.next
            if next_cursor:
                next_url = "/search" + reader.query_string(cursor=next_cursor)
        return html(
            "search.html",
            {
                **context,
                "filters": reader,
                "error": error,
                "searched": searched,
                "hits": hits,
                "next_url": next_url,
                "sources": sorted(sources.values(), key=lambda s: s.name.lower()),
                "all_regions": places.regions(),
            },
            status=400 if error else 200,
            max_age=30.0,
        )

    return await respond(request, build)


@router.get("/sources")
async def sources_page(request: Request) -> Response:
    st = state(request)

    async def build() -> Rendered:
        found = [s for s in await st.ctx.store.list_sources() if s.enabled]
        found.sort(key=lambda s: (s.country or "~", s.name.lower()))
        context = base_context(st, None, Filters())
        return html(
            "sources.html",
            {
                **context,
                "page_title": "Sources",
                "nav": "sources",
                "heading": "Sources and their health",
                "sources": found,
                **await push_context(st.ctx.store, st.ctx.settings.public_url, found),
            },
            max_age=5.0,  # health changes with every poll, which writes no event
        )

    return await respond(request, build)
