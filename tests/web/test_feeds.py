"""Output feeds read back by feedparser (no bozo) and fastfeedparser, with ETags."""

from __future__ import annotations

from urllib.parse import quote

import fastfeedparser
import feedparser
import orjson
import pytest

from .conftest import Site

FORMATS = ("atom", "rss", "json")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("view", "query", "expected"),
    [
        ("latest", "", "Central bank raises interest rates"),
        ("region-africa", "", "Nairobi marathon won in record time"),
        ("region-fr", "", "Élections municipales à Paris"),
        ("topic-sport", "", "Football final ends in a draw"),
        ("search", "?q=" + quote('"interest rates"'), "Central bank raises interest rates"),
        ("latest", "?lang=ja", "東京で地震"),
    ],
)
def test_feeds_read_back(site: Site, fmt: str, view: str, query: str, expected: str) -> None:
    reply = site.get(f"/feeds/{view}.{fmt}{query}")
    assert reply.status == 200, reply.text
    fast = fastfeedparser.parse(reply.body)
    assert expected in [e["title"] for e in fast["entries"]]
    if fmt == "json":
        return  # feedparser 6.0 reads no JSON Feed; test_json_feed_shape checks it
    parsed = feedparser.parse(reply.body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [e.title for e in parsed.entries]
    assert expected in titles
    entry = parsed.entries[titles.index(expected)]
    assert entry.link.startswith("https://"), "entries link out to the outlet"
    assert entry.id.startswith(site.url + "/story/")


def test_feeds_only_hold_their_view(site: Site) -> None:
    parsed = feedparser.parse(site.get("/feeds/region-africa.atom").body)
    assert {e.title for e in parsed.entries} == {"Nairobi marathon won in record time"}


def test_source_feed(site: Site) -> None:
    source = site.sources["nhk"]
    parsed = feedparser.parse(site.get(f"/feeds/source-{source.id}.rss").body)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["東京で地震"]
    assert "NHK World" in parsed.feed.title


def test_json_feed_shape(site: Site) -> None:
    doc = orjson.loads(site.get("/feeds/latest.json").body)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == site.url + "/feeds/latest.json"
    item = doc["items"][0]
    assert item["id"] == item["url"] and item["url"].startswith(site.url + "/story/")
    assert item["external_url"].startswith("https://")
    assert item["date_published"].endswith("Z")


def test_etag_gives_304(site: Site) -> None:
    first = site.get("/feeds/latest.atom")
    etag = first.headers["etag"]
    again = site.get("/feeds/latest.atom", {"If-None-Match": etag})
    assert again.status == 304
    assert again.body == b""
    assert site.get("/feeds/latest.atom", {"If-None-Match": '"other"'}).status == 200


def test_etag_changes_when_a_story_arrives(site: Site) -> None:
    etag = site.get("/feeds/latest.rss").headers["etag"]
    site.publish("bbc", "Feed freshness check", "A story published after the first read.")
    reply = site.get("/feeds/latest.rss", {"If-None-Match": etag})
    assert reply.status == 200
    assert reply.headers["etag"] != etag
    assert "Feed freshness check" in [e.title for e in feedparser.parse(reply.body).entries]


def test_hostile_text_stays_text(site: Site) -> None:
    title = "<script>alert(1)</script> Breaking <img src=x onerror=alert(2)> \x01news"
    site.publish("bbc", title, "A & B <b>bold</b>", url="javascript:alert(3)")
    for fmt in ("atom", "rss"):
        body = site.get(f"/feeds/latest.{fmt}").body
        parsed = feedparser.parse(body)
        assert not parsed.bozo, (fmt, parsed.get("bozo_exception"))
        entry = next(e for e in parsed.entries if "Breaking" in e.title)
        assert "<script>" in entry.title  # the text, as the outlet wrote it
        assert "javascript:" not in body.decode(), "a javascript: link is never written"
        content = entry.get("content", [{"value": entry.get("summary", "")}])[0]["value"]
        assert "<b>" not in content and "&lt;b&gt;" in content
    doc = orjson.loads(site.get("/feeds/latest.json").body)
    item = next(i for i in doc["items"] if "Breaking" in i["title"])
    assert "<script>" in item["title"] and "\x01" not in item["title"]
    assert "javascript:" not in item["external_url"]
    assert "<b>" not in item["content_html"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/feeds/nowhere.atom", 404),
        ("/feeds/region-atlantis.atom", 404),
        ("/feeds/topic-knitting.rss", 404),
        ("/feeds/source-999999.json", 404),
        ("/feeds/source-x.json", 404),
        ("/feeds/latest.html", 422),
        ("/feeds/latest.atom?country=XYZ", 400),
    ],
)
def test_feed_errors(site: Site, path: str, status: int) -> None:
    reply = site.get(path)
    assert reply.status == status
    assert "error" in reply.json()
