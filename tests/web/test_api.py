"""The JSON API over a real server and a real SQLite store: every endpoint, filter and
error shape."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from .conftest import SEED_STORIES, Site


def headlines(reply: Any) -> list[str]:
    return [item["headline"] for item in reply.json()["items"]]


def test_stories_newest_first_with_their_articles(site: Site) -> None:
    reply = site.get("/api/stories")
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/json"
    items = reply.json()["items"]
    seeded = [title for _, title, _, _ in SEED_STORIES]
    found = [i["headline"] for i in items]
    # Seeded in order of publication, oldest first: the API lists the newest first.
    assert [t for t in found if t in seeded] == list(reversed(seeded))
    first = items[0]
    assert first["articles"], "each story names its articles"
    assert first["articles"][0]["url"].startswith("https://")
    assert first["page"] == f"/story/{first['id']}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=FR", {"Élections municipales à Paris"}),
        ("country=fr,ke", {"Élections municipales à Paris", "Nairobi marathon won in record time"}),
        ("region=africa", {"Nairobi marathon won in record time"}),
        ("region=eastern-asia", {"東京で地震"}),
        ("lang=ja", {"東京で地震"}),
        ("topic=sport", {"Nairobi marathon won in record time", "Football final ends in a draw"}),
        ("q=" + quote('"interest rates"'), {"Central bank raises interest rates"}),
        ("q=" + quote("bank -inflation"), set()),
        ("q=electeurs", {"Élections municipales à Paris"}),  # diacritics folded
        ("region=africa&country=FR", set()),  # both must hold
        ("since=2999-01-01", set()),
        ("until=2000-01-01T00:00:00Z", set()),
    ],
)
def test_story_filters(site: Site, query: str, expected: set[str]) -> None:
    reply = site.get(f"/api/stories?{query}&limit=200")
    assert reply.status == 200, reply.text
    seeded = {title for _, title, _, _ in SEED_STORIES}
    assert set(headlines(reply)) & seeded == expected


def test_source_filter(site: Site) -> None:
    bbc = site.sources["bbc"].id
    reply = site.get(f"/api/stories?source={bbc}&limit=200")
    seeded_bbc = {title for src, title, _, _ in SEED_STORIES if src == "bbc"}
    assert seeded_bbc <= set(headlines(reply))
    for item in reply.json()["items"]:
        assert {a["source_id"] for a in item["articles"]} == {bbc}


def test_since_accepts_durations(site: Site) -> None:
    assert len(site.get("/api/stories?since=1h&limit=200").json()["items"]) >= len(SEED_STORIES)


def test_cursor_pagination_visits_every_story_once(site: Site) -> None:
    everything = [i["id"] for i in site.get("/api/stories?limit=200").json()["items"]]
    seen: list[int] = []
    cursor = ""
    for _ in range(50):
        page = site.get(f"/api/stories?limit=2{'&cursor=' + cursor if cursor else ''}").json()
        seen.extend(i["id"] for i in page["items"])
        cursor = page["next"]
        if not cursor:
            break
    assert seen == everything


def test_one_story(site: Site) -> None:
    story_id = site.get("/api/stories?country=FR").json()["items"][0]["id"]
    story = site.get(f"/api/stories/{story_id}").json()
    assert story["headline"] == "Élections municipales à Paris"
    assert story["countries"] == ["FR"]
    assert story["languages"] == ["fr"]
    assert [a["source_id"] for a in story["articles"]] == [site.sources["lemonde"].id]


def test_articles_with_filters_and_pagination(site: Site) -> None:
    reply = site.get("/api/articles?lang=ja")
    assert [a["title"] for a in reply.json()["items"]] == ["東京で地震"]
    article = reply.json()["items"][0]
    one = site.get(f"/api/articles/{article['id']}").json()
    assert one["url"] == article["url"]
    assert one["seen_at"].endswith("Z")
    assert one["story_id"] == article["story_id"]
    page = site.get("/api/articles?limit=1").json()
    assert len(page["items"]) == 1 and page["next"]
    after = site.get(f"/api/articles?limit=1&cursor={page['next']}").json()
    assert after["items"][0]["id"] != page["items"][0]["id"]


def test_sources_with_health(site: Site) -> None:
    items = site.get("/api/sources").json()["items"]
    names = {s["name"] for s in items}
    assert {"Le Monde", "BBC News", "Daily Nation", "NHK World"} <= names
    health = items[0]["health"]
    assert set(health) >= {"last_fetch_at", "last_error", "error_count", "interval_s", "latency_ms"}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/stories/999999", 404, "not_found"),
        ("/api/articles/999999", 404, "not_found"),
        ("/api/stories/0", 422, "invalid_parameter"),
        ("/api/stories/99999999999999999999999", 422, "invalid_parameter"),
        ("/api/stories/abc", 422, "invalid_parameter"),
        ("/api/stories?limit=0", 422, "invalid_parameter"),
        ("/api/stories?limit=201", 422, "invalid_parameter"),
        ("/api/stories?country=FRA", 400, "bad_request"),
        ("/api/stories?country=F1", 400, "bad_request"),
        ("/api/stories?lang=1", 400, "bad_request"),
        ("/api/stories?region=atlantis", 400, "bad_request"),
        ("/api/stories?topic=knitting", 400, "bad_request"),
        ("/api/stories?since=yesterday", 400, "bad_request"),
        ("/api/stories?since=nan", 400, "bad_request"),
        ("/api/stories?since=99999-01-01", 400, "bad_request"),
        ("/api/stories?q=-alone", 400, "bad_request"),
        ("/api/stories?cursor=%%%", 400, "bad_request"),
        ("/api/articles?cursor=bm9wZQ", 400, "bad_request"),
        ("/api/stories?source=0", 422, "invalid_parameter"),
        ("/api/nothing", 404, "not_found"),
    ],
)
def test_errors_have_one_shape(site: Site, path: str, status: int, code: str) -> None:
    reply = site.get(path)
    assert reply.status == status, reply.text
    error = reply.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]


def test_search_syntax_never_breaks_fts(site: Site) -> None:
    for q in ['"unclosed', "AND OR NOT", "NEAR(", "*", "a:b", "^x", '""', "(((", "-"]:
        reply = site.get(f"/api/stories?q={quote(q)}")
        assert reply.status in (200, 400), (q, reply.text)


def test_openapi_documents_the_api(site: Site) -> None:
    doc = site.get("/openapi.json").json()
    paths = doc["paths"]
    for path in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/sources",
        "/api/stream",
        "/feeds/{feed}",
    ):
        assert path in paths, path
    params = {p["name"] for p in paths["/api/stories"]["get"]["parameters"]}
    assert {"q", "country", "region", "lang", "topic", "source", "since", "until"} <= params
    assert {"limit", "cursor"} <= params
