"""Every feed format validates, and carries what the ground truth says it does."""

from __future__ import annotations

import aiohttp
import fastfeedparser
import feedparser
import orjson
from lxml import etree

from worldwire.sim import World
from worldwire.sim.sites import Site

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


async def _feed(http: aiohttp.ClientSession, site: Site) -> tuple[bytes, str]:
    async with http.get(site.feed_url) as response:
        assert response.status == 200
        return await response.read(), response.headers["Content-Type"]


def _served_titles(world: World, site: Site) -> list[str]:
    records = [r for r in world.truth if r.site_id == site.id]
    return [r.title for r in reversed(records)][: world.cfg.feed_items]


async def test_world_holds_every_format(world: World) -> None:
    assert {s.kind for s in world.sites} == {"rss2", "atom", "jsonfeed", "rdf", "sitemap"}


async def test_xml_feeds_parse_without_bozo(world: World, http: aiohttp.ClientSession) -> None:
    expected_version = {"rss2": "rss20", "atom": "atom10", "rdf": "rss10"}
    for site in (s for s in world.sites if s.kind in expected_version):
        await world.publish(site.id)
        body, content_type = await _feed(http, site)
        parsed = feedparser.parse(body, response_headers={"content-type": content_type})
        assert not parsed.bozo, (site.kind, parsed.get("bozo_exception"))
        assert parsed.version == expected_version[site.kind]
        assert [e.title for e in parsed.entries] == _served_titles(world, site)
        assert parsed.feed.title == site.name
        for entry in parsed.entries:
            assert entry.link.startswith(site.url)
            assert entry.get("published_parsed") or entry.get("updated_parsed")
            # Full-text feeds carry the body; the others only a summary.
            assert bool(entry.get("content")) == site.fulltext


async def test_json_feed_follows_version_1_1(world: World, http: aiohttp.ClientSession) -> None:
    for site in (s for s in world.sites if s.kind == "jsonfeed"):
        body, content_type = await _feed(http, site)
        assert content_type.startswith("application/feed+json")
        feed = orjson.loads(body)
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"] == site.feed_url and feed["home_page_url"] == site.url
        assert [i["title"] for i in feed["items"]] == _served_titles(world, site)
        for item in feed["items"]:
            assert item["id"] and item["url"].startswith(site.url)
            assert "content_html" in item or "content_text" in item
        # A second, independent reader agrees.
        assert len(fastfeedparser.parse(body).entries) == len(feed["items"])


async def test_news_sitemap_has_the_news_extension(
    world: World, http: aiohttp.ClientSession
) -> None:
    for site in (s for s in world.sites if s.kind == "sitemap"):
        body, _ = await _feed(http, site)
        root = etree.fromstring(body)
        assert root.tag == SITEMAP + "urlset"
        titles = []
        for url in root.iter(SITEMAP + "url"):
            assert url.findtext(SITEMAP + "loc", "").startswith(site.url)
            news = url.find(NEWS + "news")
            assert news is not None
            assert news.findtext(f"{NEWS}publication/{NEWS}name") == site.name
            assert news.findtext(f"{NEWS}publication/{NEWS}language") == site.lang
            assert news.findtext(NEWS + "publication_date")
            titles.append(news.findtext(NEWS + "title"))
        assert titles == _served_titles(world, site)


async def test_push_sites_advertise_the_hub_in_feed_and_headers(
    world: World, http: aiohttp.ClientSession
) -> None:
    pushing = [s for s in world.sites if s.push]
    assert pushing and all(s.kind != "sitemap" for s in pushing)
    for site in world.sites:
        body, _ = await _feed(http, site)
        async with http.head(site.feed_url) as response:
            link = response.headers.get("Link", "")
        if not site.push:
            assert site.hub_url is None and "hub" not in link
            continue
        assert link == f'<{world.hub.url}>; rel="hub", <{site.feed_url}>; rel="self"'
        if site.kind == "jsonfeed":
            assert orjson.loads(body)["hubs"] == [{"type": "WebSub", "url": world.hub.url}]
        else:
            parsed = feedparser.parse(body)
            links = {(link["rel"], link["href"]) for link in parsed.feed.get("links", [])}
            assert ("hub", world.hub.url) in links
