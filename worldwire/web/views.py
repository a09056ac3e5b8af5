"""Views: the named slices of the news a reader can open, follow in a feed reader or
stream. One name per view, used in feed URLs:

    latest            everything               /            /feeds/latest.atom
    region-{code}     a continent, sub-region  /region/{code}
                      or country
    topic-{slug}      a topic                  /topic/{slug}
    source-{id}       one outlet               /source/{id}
    search            a search (?q= and the    /search      /feeds/search.atom?q=…
                      other filters)

Every view also takes the shared filters as query parameters, which narrow it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from worldwire.web import places
from worldwire.web.cards import SourceDirectory
from worldwire.web.filters import MAX_ID, SLUG, Filters

FEED_FORMATS = {
    "atom": ("application/atom+xml", "Atom"),
    "rss": ("application/rss+xml", "RSS"),
    "json": ("application/feed+json", "JSON Feed"),
}


class UnknownView(LookupError):
    """No such region, topic, source or view name (a 404)."""


@dataclass(frozen=True, slots=True)
class View:
    name: str  # as in feed URLs: latest, region-africa, topic-sport, source-12, search
    title: str
    path: str  # the page
    filters: Filters  # what the view itself fixes
    description: str = ""

    def with_reader(self, reader: Filters) -> Filters:
        """The view's own filters narrowed by the reader's."""
        return reader.merged(self.filters)

    def narrowing(self, reader: Filters) -> Filters:
        """The reader's filters that the view does not fix, for links."""
        own = self.filters
        return replace(
            reader,
            region="" if own.region else reader.region,
            topics=() if own.topics else reader.topics,
            source_id=None if own.source_id is not None else reader.source_id,
        )

    def feeds(self, reader: Filters) -> list[dict[str, Any]]:
        query = self.narrowing(reader).query_string()
        return [
            {
                "type": media,
                "href": f"/feeds/{self.name}.{fmt}{query}",
                "title": f"{self.title} ({label})",
                "label": label,
            }
            for fmt, (media, label) in FEED_FORMATS.items()
        ]


LATEST = View("latest", "Latest", "/", Filters(), "The newest stories from around the world.")


def region(code: str) -> View:
    code = code.lower()
    if not places.is_region(code):
        raise UnknownView(f"no region {code!r}")
    name = places.region_name(code)
    return View(
        f"region-{code}", name, f"/region/{code}", Filters(region=code), f"News from {name}."
    )


def topic(slug: str) -> View:
    slug = slug.lower()
    if not SLUG.match(slug) or not places.is_topic(slug):
        raise UnknownView(f"no topic {slug!r}")
    label = places.topic_label(slug)
    return View(f"topic-{slug}", label, f"/topic/{slug}", Filters(topics=(slug,)))


async def source(directory: SourceDirectory, source_id: int) -> View:
    found = await directory.get(source_id) if 1 <= source_id <= MAX_ID else None
    if found is None:
        raise UnknownView(f"no source {source_id}")
    where = f" ({places.country_name(found.country)})" if found.country else ""
    return View(
        f"source-{source_id}",
        found.name,
        f"/source/{source_id}",
        Filters(source_id=source_id),
        f"Stories from {found.name}{where}.",
    )


def search(filters: Filters) -> View:
    title = f"Search: {filters.q}" if filters.q else "Search"
    return View("search", title, "/search", Filters())


async def by_name(name: str, directory: SourceDirectory) -> View:
    """The view a feed URL names."""
    if name == "latest":
        return LATEST
    if name == "search":
        return search(Filters())
    kind, _, arg = name.partition("-")
    if not arg:
        raise UnknownView(f"no view {name!r}")
    if kind == "region":
        return region(arg)
    if kind == "topic":
        return topic(arg)
    if kind == "source":
        if not arg.isdigit() or len(arg) > 19:
            raise UnknownView(f"no view {name!r}")
        return await source(directory, int(arg))
    raise UnknownView(f"no view {name!r}")
