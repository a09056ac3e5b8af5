"""The filters every list, page, feed and the live stream share: q, country, region,
lang, topic, source, since and until. Parsed once, into `Filters`; bad values raise
QueryError (a 400 with a message)."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query

from worldwire.errors import QueryError
from worldwire.store import ArticleQuery, StoryQuery
from worldwire.store.search import to_fts5
from worldwire.web import places

MAX_ID = 2**63 - 1
# Matches nothing: a country filter that can hold no country (e.g. a country outside
# the region also asked for).
NO_COUNTRY = "-"
_RELATIVE = re.compile(r"^(\d{1,6})([mhdw])$")
_UNIT = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_CODE = re.compile(r"^[A-Za-z]{2,3}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True, slots=True)
class Filters:
    q: str = ""
    countries: tuple[str, ...] = ()
    region: str = ""
    languages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    source_id: int | None = None
    since: float | None = None
    until: float | None = None
    # As given, for links and forms (since/until may be relative, e.g. "24h").
    since_text: str = ""
    until_text: str = ""

    @property
    def empty(self) -> bool:
        return self == Filters()

    def effective_countries(self) -> tuple[str, ...]:
        """The countries the store filters on: the region's, the ones asked for, or
        both at once."""
        if not self.region:
            return self.countries
        in_region = places.countries_in(self.region)
        if not self.countries:
            return tuple(sorted(in_region)) or (NO_COUNTRY,)
        both = tuple(c for c in self.countries if c in in_region)
        return both or (NO_COUNTRY,)

    def story_query(self, limit: int = 50, cursor: str = "") -> StoryQuery:
        return StoryQuery(
            countries=self.effective_countries(),
            languages=self.languages,
            topics=self.topics,
            source_id=self.source_id,
            since=self.since,
            until=self.until,
            q=self.q,
            limit=limit,
            cursor=cursor,
        )

    def article_query(
        self, limit: int = 50, cursor: str = "", story_id: int | None = None
    ) -> ArticleQuery:
        return ArticleQuery(
            source_id=self.source_id,
            countries=self.effective_countries(),
            languages=self.languages,
            topics=self.topics,
            since=self.since,
            until=self.until,
            q=self.q,
            story_id=story_id,
            limit=limit,
            cursor=cursor,
        )

    def params(self) -> list[tuple[str, str]]:
        """Query parameters that say the same, for links, feeds and the stream."""
        pairs = [
            ("q", self.q),
            ("country", ",".join(self.countries)),
            ("region", self.region),
            ("lang", ",".join(self.languages)),
            ("topic", ",".join(self.topics)),
            ("source", "" if self.source_id is None else str(self.source_id)),
            ("since", self.since_text),
            ("until", self.until_text),
        ]
        return [(k, v) for k, v in pairs if v]

    def query_string(self, **extra: str) -> str:
        pairs = self.params() + [(k, v) for k, v in extra.items() if v]
        return ("?" + urlencode(pairs)) if pairs else ""

    def merged(self, base: Filters) -> Filters:
        """These filters within a view's own: what the view fixes (its region, topic
        or source) stays; the reader narrows the rest (a country inside the region,
        a language, a search)."""
        return replace(
            self,
            region=base.region or self.region,
            topics=base.topics or self.topics,
            source_id=base.source_id if base.source_id is not None else self.source_id,
        )


def parse_time(value: str, name: str, now: float | None = None) -> float | None:
    """ISO 8601 (a date or a datetime; UTC unless it says otherwise), epoch seconds, or
    a duration back from now: 30m, 24h, 7d, 2w."""
    value = value.strip()
    if not value:
        return None
    if match := _RELATIVE.match(value):
        amount, unit = match.groups()
        return (now if now is not None else time.time()) - int(amount) * _UNIT[unit]
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        if not math.isfinite(seconds) or abs(seconds) > 1e11:
            raise QueryError(f"{name}: {value!r} is out of range")
        return seconds
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(
            f"{name}: expected an ISO 8601 time, epoch seconds or a duration like 24h"
        ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.timestamp()
    except (OverflowError, ValueError):
        raise QueryError(f"{name}: {value!r} is out of range") from None


def _codes(value: str, name: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    for item in items:
        if not _CODE.match(item):
            raise QueryError(f"{name}: {item!r} is not a valid code")
    if len(items) > 50:
        raise QueryError(f"{name}: at most 50 codes")
    return items


def parse(
    *,
    q: str = "",
    country: str = "",
    region: str = "",
    lang: str = "",
    topic: str = "",
    source: int | None = None,
    since: str = "",
    until: str = "",
) -> Filters:
    q = q.strip()
    if q:
        to_fts5(q)  # raises on a search that cannot run (only exclusions, too many terms)
    countries = tuple(c.upper() for c in _codes(country, "country"))
    for code in countries:
        if len(code) != 2:
            raise QueryError(f"country: {code!r} is not an ISO 3166 alpha-2 code")
    region = region.strip().lower()
    if region and not places.is_region(region):
        raise QueryError(f"region: unknown region {region!r}")
    topics = tuple(t.strip().lower() for t in topic.split(",") if t.strip())
    for slug in topics:
        if not SLUG.match(slug) or not places.is_topic(slug):
            raise QueryError(f"topic: unknown topic {slug!r}")
    if source is not None and not 1 <= source <= MAX_ID:
        raise QueryError("source: not a valid source id")
    since_value = parse_time(since, "since")
    until_value = parse_time(until, "until")
    return Filters(
        q=q,
        countries=countries,
        region=region,
        languages=tuple(c.lower() for c in _codes(lang, "lang")),
        topics=topics,
        source_id=source,
        since=since_value,
        until=until_value,
        since_text=since.strip() if since_value is not None else "",
        until_text=until.strip() if until_value is not None else "",
    )


def filter_params(
    q: Annotated[
        str,
        Query(
            max_length=500,
            description='Full-text search: words, "exact phrases", -excluded words',
        ),
    ] = "",
    country: Annotated[
        str, Query(max_length=300, description="ISO 3166 alpha-2 codes, comma-separated")
    ] = "",
    region: Annotated[
        str,
        Query(max_length=60, description="A continent, sub-region or country, e.g. africa"),
    ] = "",
    lang: Annotated[
        str, Query(max_length=300, description="ISO 639-1 codes, comma-separated")
    ] = "",
    topic: Annotated[
        str, Query(max_length=300, description="Topic slugs, comma-separated, e.g. sport")
    ] = "",
    source: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Source id")] = None,
    since: Annotated[
        str,
        Query(max_length=40, description="ISO 8601 time, epoch seconds, or a duration: 24h"),
    ] = "",
    until: Annotated[
        str,
        Query(max_length=40, description="ISO 8601 time, epoch seconds, or a duration: 1h"),
    ] = "",
) -> Filters:
    """The shared filters as a FastAPI dependency."""
    return parse(
        q=q,
        country=country,
        region=region,
        lang=lang,
        topic=topic,
        source=source,
        since=since,
        until=until,
    )


def from_query(params: Mapping[str, str]) -> Filters:
    """The filters from raw query parameters, for pages that show their own errors."""
    source = params.get("source", "").strip()
    if source and not (source.isdigit() and len(source) <= 19):
        raise QueryError("source: not a valid source id")
    fields = ("q", "country", "region", "lang", "topic", "since", "until")
    for name in fields:
        if len(params.get(name, "")) > 500:
            raise QueryError(f"{name}: too long")
    return parse(
        **{name: params.get(name, "") for name in fields},
        source=int(source) if source else None,
    )
