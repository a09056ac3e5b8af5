"""Server-rendered pages without a browser: content, escaping, security headers,
caching."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from .conftest import Site

HTML = {"Accept": "text/html"}


def test_front_page_lists_stories_with_their_facts(site: Site) -> None:
    reply = site.get("/", HTML)
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    page = reply.text
    assert "Nairobi marathon won in record time" in page
    assert "Daily Nation" in page and "🇰🇪" in page
    assert "seen 9 min after publication" in page  # published 540 s before we saw it
    assert '<a href="/topic/sport">Sport</a>' in page
    assert '<a href="/region/africa">Africa</a>' in page
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', page)
    assert 'data-stream="/api/stream?kinds=story.new%2Cstory.updated"' in page
    for kind in ("application/atom+xml", "application/rss+xml", "application/feed+json"):
        assert f'<link rel="alternate" type="{kind}" href="/feeds/latest.' in page
    assert "<main" in page and "<nav" in page and 'role="search"' in page


def test_views_link_their_own_feeds_and_stream(site: Site) -> None:
    page = site.get("/region/africa?lang=en", HTML).text
    assert 'href="/feeds/region-africa.atom?lang=en"' in page
    assert 'data-stream="/api/stream?region=africa&amp;lang=en&amp;kinds=' in page
    assert "Nairobi marathon won in record time" in page
    assert "Élections municipales à Paris" not in page
    topic = site.get("/topic/sport", HTML).text
    assert "Football final ends in a draw" in topic and "東京で地震" not in topic
    source = site.get(f"/source/{site.sources['nhk'].id}", HTML).text
    assert "東京で地震" in source and "Football final" not in source


def test_a_view_keeps_what_it_fixes(site: Site) -> None:
    page = site.get("/region/africa?region=europe&country=KE", HTML).text
    assert "Nairobi marathon won in record time" in page
    assert "Élections municipales" not in page
    assert 'href="/feeds/region-africa.atom?country=KE"' in page
    inside = site.get("/region/africa?country=FR", HTML).text
    assert "No stories yet" in inside, "a country outside the region narrows to nothing"


def test_story_page_attributes_and_links_out(site: Site) -> None:
    story_id = site.get("/api/stories?country=FR").json()["items"][0]["id"]
    article_url = site.get(f"/api/stories/{story_id}").json()["articles"][0]["url"]
    page = site.get(f"/story/{story_id}", HTML).text
    assert "<h1" in page and "Élections municipales à Paris" in page
    assert f'href="{article_url}" rel="noopener noreferrer nofollow"' in page
    assert "Le Monde" in page and "France" in page
    assert "Countries and languages" in page
    assert 'lang="fr"' in page


def test_story_page_says_how_many_outlets_carried_copies(site: Site) -> None:
    story_id = site.publish("lemonde", "Wire: ferry fire off Crete", "The ferry caught fire.")
    original = site.get(f"/api/stories/{story_id}").json()["articles"][0]["id"]
    for source in ("bbc", "nhk"):
        site.publish(
            source,
            "Ferry fire off Crete",
            "The ferry caught fire.",
            story_id=story_id,
            copy_of=original,
        )
    page = site.get(f"/story/{story_id}", HTML).text
    assert "Also carried by 2 outlets" in page
    assert page.count("copy of an earlier article") == 2


def test_search_highlights_and_understands_the_syntax(site: Site) -> None:
    page = site.get("/search?q=" + quote('"interest rates"'), HTML).text
    assert "<mark>interest rates</mark>" in page
    assert "Central bank raises" in page
    excluded = site.get("/search?q=" + quote("bank -inflation"), HTML).text
    assert "Central bank raises" not in excluded
    assert "Nothing found" in excluded


def test_search_filters(site: Site) -> None:
    page = site.get("/search?q=marathon&region=europe", HTML).text
    assert "Nothing found" in page
    page = site.get("/search?q=marathon&region=africa&since=24h", HTML).text
    assert "<mark>marathon</mark>" in page
    assert '<option value="24h" selected>' in page
    filters_only = site.get("/search?lang=ja", HTML).text
    assert "東京で地震" in filters_only


def test_search_explains_a_bad_query(site: Site) -> None:
    reply = site.get("/search?q=-alone", HTML)
    assert reply.status == 400
    assert 'role="alert"' in reply.text and "at least one word" in reply.text


def test_sources_page_shows_health(site: Site) -> None:
    page = site.get("/sources", HTML).text
    for name in ("Le Monde", "BBC News", "Daily Nation", "NHK World"):
        assert name in page
    assert "Last fetch" in page and "Latency" in page and "never" in page


def test_feed_text_is_escaped(site: Site) -> None:
    title = '<script>alert("x")</script><img src=x onerror=alert(1)> Escaped headline'
    story_id = site.publish("bbc", title, "<b>lead</b>", url="javascript:alert(2)")
    for path in ("/", f"/story/{story_id}", "/search?q=escaped"):
        page = site.get(path, HTML).text
        assert "Escaped" in page
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page
        assert "javascript:" not in page


def test_security_headers_and_nonces(site: Site) -> None:
    first = site.get("/", HTML)
    second = site.get("/", HTML)
    nonces = []
    for reply in (first, second):
        csp = reply.headers["content-security-policy"]
        nonce = re.search(r"'nonce-([\w-]+)'", csp)
        assert nonce, csp
        assert f'<script nonce="{nonce.group(1)}"' in reply.text
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert "set-cookie" not in reply.headers
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1], "a fresh nonce for every response"
    for path in ("/api/stories", "/feeds/latest.atom", "/nothing-here", "/static/app.js"):
        reply = site.get(path)
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert "set-cookie" not in reply.headers


def test_pages_come_from_the_cache_until_an_event(site: Site) -> None:
    def hits() -> float:
        text = site.get("/metrics").text
        found = re.search(r"^worldwire_page_cache_hits_total (\S+)$", text, re.M)
        assert found is not None
        return float(found.group(1))

    site.get("/topic/sport", HTML)
    before = hits()
    site.get("/topic/sport", HTML)
    assert hits() == before + 1
    site.publish("nation", "Cache buster: rugby sevens", "", topics=("sport",))
    assert "Cache buster" in site.get("/topic/sport", HTML).text


def test_pagination_of_the_front_page(site: Site) -> None:
    for n in range(45):
        site.publish("bbc", f"Filler story {n}", "")
    page = site.get("/", HTML).text
    match = re.search(r'<a href="(/\?cursor=[^"]+)" rel="next">', page)
    assert match
    older = site.get(match.group(1).replace("&amp;", "&"), HTML).text
    assert "Filler story 0" in older
    assert "data-stream" not in older, "only the newest page is live"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/story/999999", 404),
        ("/region/atlantis", 404),
        ("/topic/knitting", 404),
        ("/source/999999", 404),
        ("/source/0", 422),
        ("/no/such/page", 404),
        ("/?country=XYZ", 400),
    ],
)
def test_html_errors(site: Site, path: str, status: int) -> None:
    reply = site.get(path, HTML)
    assert reply.status == status
    assert reply.headers["content-type"].startswith("text/html")
    assert "<h1>" in reply.text
    assert site.get(path).json()["error"]["code"], "without Accept: text/html, JSON"


def test_static_files_are_versioned_and_cached(site: Site) -> None:
    page = site.get("/", HTML).text
    src = re.search(r'src="(/static/app\.js\?v=\w+)"', page)
    assert src
    reply = site.get(src.group(1))
    assert reply.status == 200
    assert "immutable" in reply.headers["cache-control"]
    assert reply.headers["content-type"].startswith("text/javascript")
    assert site.get(src.group(1), {"If-None-Match": reply.headers["etag"]}).status == 304
    assert len(reply.body) < 8000, "a few KB of JavaScript"


def test_metrics_are_prometheus_text(site: Site) -> None:
    site.get("/")
    text = site.get("/metrics").text
    assert "# TYPE worldwire_http_requests_total counter" in text
    assert re.search(r'worldwire_http_requests_total\{kind="page",status="2xx"\} \d+', text)
    assert "worldwire_stream_delivery_seconds_bucket" in text
    assert re.search(r"^worldwire_last_event_id \d+$", text, re.M)
