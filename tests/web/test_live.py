"""The whole process against a local test feed: a story published by the feed reaches
a live reader, the pages, the search and the sources' health."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest

from .conftest import LiveWorldWire, StreamReader

pytestmark = pytest.mark.slow


def test_published_item_reaches_a_reader_and_the_pages(live_worldwire: LiveWorldWire) -> None:
    reader = StreamReader(live_worldwire.url + "/api/stream?country=KE", timeout=20)
    try:
        headline = f"Ferry service resumes on Lake Victoria {time.time_ns()}"
        link = live_worldwire.feed.add(headline, "Passengers cheer as boats return.")
        event = reader.until(lambda e: e.kind == "story.new" and headline in e.data["headline"])
        assert event.data["urls"] == [link]
        story_id = event.data["story_id"]
    finally:
        reader.close()
    page = live_worldwire.get("/", {"Accept": "text/html"}).text
    assert headline in page
    found = live_worldwire.get("/api/stories?q=" + quote("ferry victoria")).json()["items"]
    assert story_id in [s["id"] for s in found]
    sources = live_worldwire.get("/api/sources").json()["items"]
    assert sources[0]["health"]["last_status"] == 200
    assert sources[0]["health"]["last_fetch_at"]
