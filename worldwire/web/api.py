"""The JSON API: stories, articles and sources with the pages' filters and cursor
pagination, and the live stream."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from starlette.responses import Response

from worldwire.errors import QueryError
from worldwire.model import Article, Source, Story
from worldwire.timefmt import iso
from worldwire.web.context import AppContext
from worldwire.web.filters import MAX_ID, Filters, filter_params
from worldwire.web.hub import KINDS, Matcher
from worldwire.web.responses import JSON
from worldwire.web.state import state
from worldwire.web.stream import EventStream, start_cursor
from worldwire.web.websub import push_json

router = APIRouter(prefix="/api", default_response_class=JSON)
ARTICLES_IN_LIST = 8
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page")]
Cursor = Annotated[str, Query(max_length=200, description="The `next` value of the previous page")]
Reader = Annotated[Filters, Depends(filter_params)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def ctx(request: Request) -> AppContext:
    return state(request).ctx


def article_json(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "url": a.url,
        "title": a.title,
        "summary": a.summary,
        "source_id": a.source_id,
        "author": a.author,
        "language": a.language,
        "image": a.image or None,
        "categories": list(a.categories),
        "countries": list(a.countries),
        "topics": list(a.topics),
        "story_id": a.story_id,
        "duplicate_of": a.duplicate_of,
        "published_at": iso(a.published_at),
        "updated_at": iso(a.updated_at),
        "seen_at": iso(a.seen_at),
        "visible_at": iso(a.visible_at),
    }


def brief_article_json(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "url": a.url,
        "title": a.title,
        "source_id": a.source_id,
        "language": a.language,
        "published_at": iso(a.published_at),
        "seen_at": iso(a.seen_at),
    }


def story_json(s: Story, articles: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": s.id,
        "headline": s.headline,
        "lead": s.lead,
        "article_id": s.article_id,
        "article_count": s.article_count,
        "source_count": s.source_count,
        "countries": list(s.countries),
        "languages": list(s.languages),
        "topics": list(s.topics),
        "first_seen_at": iso(s.first_seen_at),
        "last_seen_at": iso(s.last_seen_at),
        "page": f"/story/{s.id}",
        "articles": articles,
    }


def source_json(s: Source, push: dict[str, Any] | None = None) -> dict[str, Any]:
    found = {
        "id": s.id,
        "name": s.name,
        "feed_url": s.feed_url,
        "homepage": s.homepage,
        "country": s.country,
        "languages": list(s.languages),
        "kind": s.kind,
        "enabled": s.enabled,
        "health": {
            "last_fetch_at": iso(s.last_fetch_at),
            "last_status": s.last_status,
            "last_error": s.last_error or None,
            "error_count": s.error_count,
            "next_check_at": iso(s.next_check_at),
            "interval_s": round(s.interval, 1),
            "latency_ms": s.last_elapsed_ms,
            "items_seen": s.items_seen,
        },
    }
    if push is not None:
        found["push"] = push  # WebSub state (worldwire.web.websub.push_json)
    return found


@router.get("/stories", summary="Stories, newest first")
async def list_stories(
    request: Request, reader: Reader, limit: Limit = 50, cursor: Cursor = ""
) -> dict[str, Any]:
    store = ctx(request).store
    page = await store.query_stories(reader.story_query(limit, cursor))
    by_story = await store.story_articles([s.id for s in page.items], ARTICLES_IN_LIST)
    items = [
        story_json(s, [brief_article_json(a) for a in by_story.get(s.id, [])]) for s in page.items
    ]
    return {"items": items, "next": page.next}


@router.get("/stories/{story_id}", summary="One story with all its articles")
async def get_story(request: Request, story_id: Id) -> dict[str, Any]:
    store = ctx(request).store
    story = await store.get_story(story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id}")
    articles = (await store.story_articles([story_id]))[story_id]
    return story_json(story, [brief_article_json(a) for a in articles])


@router.get("/articles", summary="Articles, newest first")
async def list_articles(
    request: Request, reader: Reader, limit: Limit = 50, cursor: Cursor = ""
) -> dict[str, Any]:
    page = await ctx(request).store.query_articles(reader.article_query(limit, cursor))
    return {"items": [article_json(a) for a in page.items], "next": page.next}


@router.get("/articles/{article_id}", summary="One article")
async def get_article(request: Request, article_id: Id) -> dict[str, Any]:
    article = await ctx(request).store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article_json(article)


@router.get("/sources", summary="Sources with their health")
async def list_sources(request: Request) -> dict[str, Any]:
    store, public_url, now = ctx(request).store, ctx(request).settings.public_url, time.time()
    sources = await store.list_sources()
    push = {p.source_id: p for p in await store.push_states()}
    return {
        "items": [
            source_json(s, push_json(push.get(s.id), public_url, now)) for s in sources if s.enabled
        ],
        "next": None,
    }


@router.get(
    "/stream",
    summary="Live events (Server-Sent Events)",
    description=(
        "`story.new`, `story.updated` and `article.new` events, each with its event-log id. "
        "The data is JSON naming the story (`story_id`) and the URLs of its articles "
        "(`urls`); story events also carry `html`, the story's card as the front page "
        "shows it. The filters select the events to send (times do not filter a live "
        "stream). Resume with the Last-Event-ID header or `last_event_id`; without "
        "either, the stream starts now. A comment line is sent every 15 s of silence."
    ),
    response_class=Response,
    responses={200: {"content": {"text/event-stream": {}}, "description": "An endless stream"}},
)
async def stream(
    request: Request,
    reader: Reader,
    last_event_id: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="Resume after this event id")
    ] = None,
    kinds: Annotated[
        str,
        Query(
            max_length=100,
            description="Event kinds to send, comma-separated (default all): "
            "story.new, story.updated, article.new",
        ),
    ] = "",
    last_event_header: Annotated[
        str | None, Header(alias="Last-Event-ID", max_length=40, include_in_schema=False)
    ] = None,
) -> Response:
    st = state(request)
    cursor = start_cursor(last_event_header, last_event_id, st.ctx.bus.last_id)
    wanted = frozenset(k.strip() for k in kinds.split(",") if k.strip())
    if unknown := wanted - set(KINDS):
        raise QueryError(f"kinds: unknown event kind {sorted(unknown)[0]!r}")
    return EventStream(st.hub, st.fanout, Matcher(reader, st.hub, wanted), cursor, st.metrics)
