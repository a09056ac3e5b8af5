"""Homepages support feed autodiscovery; article pages wrap the real text in three
site templates, each with its own furniture."""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

import aiohttp
import pytest
from lxml import html as lxml_html

from tests.sim.conftest import quiet_config
from worldwire.sim import World
from worldwire.sim.feeds import DISCOVERY_TYPES

TEMPLATES = {"wordpress": 1.0, "modern": 1.0, "table": 1.0}


async def test_homepage_autodiscovery(world: World, http: aiohttp.ClientSession) -> None:
    for site in world.sites:
        async with http.get(site.url) as r:
            assert r.headers["Content-Type"].startswith("text/html")
            doc = lxml_html.fromstring(await r.read())
        if site.kind == "sitemap":
            async with http.get(site.url + "robots.txt") as r:
                assert f"Sitemap: {site.feed_url}" in await r.text()
            continue
        links = doc.xpath('//head/link[@rel="alternate"]')
        assert [(link.get("type"), link.get("href")) for link in links] == [
            (DISCOVERY_TYPES[site.kind], site.feed_url)
        ]
        # Old table layouts say it in a meta tag rather than on <html>.
        declared = (
            doc.get("lang") or doc.xpath('//meta[@http-equiv="Content-Language"]/@content')[0]
        )
        assert declared == site.lang


async def test_article_pages_carry_text_and_template_furniture(
    http: aiohttp.ClientSession,
) -> None:
    cfg = quiet_config(sites=9, templates=TEMPLATES, article_fraction=1.0, foreign_fraction=0.0)
    async with World(cfg) as world:
        seen = set()
        for site in world.sites:
            paragraphs = (
                "First paragraph about the Gulf of Aden & its 26 pirates.",
                "Second paragraph, with <angle> brackets.",
                "Third paragraph.",
                "Fourth paragraph.",
            )
            record = await world.publish(site.id, title="Navy foils attack", paragraphs=paragraphs)
            async with http.get(record.url) as r:
                assert r.status == 200
                page = await r.text()
            text = html.unescape(page)
            assert all(p in text for p in paragraphs)
            assert "<angle>" not in page  # escaped, not markup
            if site.template == "wordpress":
                assert "- Advertisement -" in page
                assert "This website uses cookies to improve your experience." in text
                assert "Accept" in page and "Read More" in page
                assert "leave a reply" in page.lower()
                assert "Newspaper WordPress Theme" in page
            elif site.template == "modern":
                doc = lxml_html.fromstring(page)
                assert doc.xpath("//article//h1")[0].text_content() == "Navy foils attack"
                (ld,) = doc.xpath('//script[@type="application/ld+json"]/text()')
                data = json.loads(ld)
                assert data["@type"] == "NewsArticle" and data["headline"] == "Navy foils attack"
                assert data["mainEntityOfPage"] == record.url
            else:
                assert "<table" in page and "Printer-friendly version" in page
            seen.add(site.template)
        assert seen == set(TEMPLATES)


ZYTE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "extraction" / "zyte"


async def test_real_pages_mode_serves_the_pages_as_they_were(
    http: aiohttp.ClientSession,
) -> None:
    if not (ZYTE / "ground-truth.json").exists():
        pytest.skip(f"real pages not available: {ZYTE} is missing (shared evaluation data)")
    cfg = quiet_config(sites=3, foreign_fraction=0.0, real_pages=str(ZYTE), real_page_fraction=1.0)
    async with World(cfg) as world:
        record = await world.publish(1)
        assert record.corpus_id and record.corpus_id.startswith("zyte-")
        page_id = record.corpus_id.removeprefix("zyte-")
        async with http.get(record.url) as r:
            assert await r.read() == gzip.decompress(
                (ZYTE / "html" / f"{page_id}.html.gz").read_bytes()
            )
        body = json.loads((ZYTE / "ground-truth.json").read_text())[page_id]["articleBody"]
        assert record.event == f"zyte:{page_id}" and record.title
        assert body.split("\n")[0].strip()[:60] in world.feed_bytes(1).decode()
