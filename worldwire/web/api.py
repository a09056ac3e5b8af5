"""The JSON API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from worldwire.errors import QueryError
from worldwire.model import Article, Source
from worldwire.store import ArticleQuery
from worldwire.timefmt import iso
from worldwire.web.context import AppContext
from worldwire.web.responses import JSON

router = APIRouter(prefix="/api", default_response_class=JSON)


def ctx(request: Request) -> AppContext:
    context: AppContext = request.app.state.ctx
    return context


def parse_time(value: str | None, name: str) -> float | None:
    """ISO 8601 (a date or a datetime; UTC unless it says otherwise) or epoch seconds."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"{name}: expected an ISO 8601 time or epoch seconds") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def codes(value: str | None, name: str, length: tuple[int, int]) -> tuple[str, ...]:
    if not value:
        return ()
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    for item in items:
        if not (length[0] <= len(item) <= length[1]) or not item.isalpha():
            raise QueryError(f"{name}: {item!r} is not a valid code")
    return items


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


def source_json(s: Source) -> dict[str, Any]:
    return {
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


@router.get("/articles", summary="Articles, newest first")
async def list_articles(
    request: Request,
    source: Annotated[int | None, Query(ge=1, description="Source id")] = None,
    country: Annotated[
        str | None, Query(description="ISO 3166 alpha-2 codes, comma-separated")
    ] = None,
    lang: Annotated[str | None, Query(description="ISO 639-1 codes, comma-separated")] = None,
    since: Annotated[str | None, Query(description="ISO 8601 time or epoch seconds")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Full-text search")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    query = ArticleQuery(
        source_id=source,
        countries=tuple(c.upper() for c in codes(country, "country", (2, 2))),
        languages=tuple(c.lower() for c in codes(lang, "lang", (2, 3))),
        since=parse_time(since, "since"),
        q=q or "",
        limit=limit,
        cursor=cursor or "",
    )
    page = await ctx(request).store.query_articles(query)
    return {"items": [article_json(a) for a in page.items], "next": page.next}


@router.get("/articles/{article_id}", summary="One article")
async def get_article(request: Request, article_id: int) -> dict[str, Any]:
    article = await ctx(request).store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article_json(article)


@router.get("/sources", summary="Sources with their health")
async def list_sources(request: Request) -> dict[str, Any]:
    sources = await ctx(request).store.list_sources()
    return {"items": [source_json(s) for s in sources if s.enabled], "next": None}
