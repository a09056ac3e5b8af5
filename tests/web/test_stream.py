"""The live stream: events with ids, filters, Last-Event-ID resume, keep-alives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from ..conftest import make_settings
from .conftest import Site, StreamReader, seed, start_site


def test_new_story_reaches_a_reader(site: Site) -> None:
    reader = StreamReader(site.url + "/api/stream")
    try:
        assert reader.response.status == 200
        content_type = reader.response.getheader("content-type")
        assert content_type is not None and content_type.startswith("text/event-stream")
        story_id = site.publish("nation", "Rains close schools in Mombasa", "Heavy rains.")
        article = reader.until(lambda e: e.kind == "article.new")
        assert article.id is not None
        assert article.data["article_id"] == story_id
        assert article.data["urls"] and article.data["urls"][0].startswith("https://")
        story = reader.until(lambda e: e.kind == "story.new")
        assert story.id is not None and story.id > article.id
        assert story.data["story_id"] == story_id
        assert story.data["urls"] == article.data["urls"]
        assert f'id="s-{story_id}"' in story.data["html"]
        assert "Rains close schools in Mombasa" in story.data["html"]
    finally:
        reader.close()


def test_a_story_that_grows_is_updated(site: Site) -> None:
    story_id = site.publish("nation", "Drought declared in the north", "Crops fail.")
    reader = StreamReader(site.url + "/api/stream")
    try:
        site.publish("bbc", "Kenya declares drought", "Aid agencies respond.", story_id=story_id)
        event = reader.until(lambda e: e.kind == "story.updated")
        assert event.data["story_id"] == story_id
        assert len(event.data["urls"]) == 2
        assert "Daily Nation" in event.data["html"] and "BBC News" in event.data["html"]
    finally:
        reader.close()


@pytest.mark.parametrize(
    ("query", "wanted", "unwanted"),
    [
        ("country=JP", "nhk", "bbc"),
        ("region=africa", "nation", "lemonde"),
        ("lang=fr", "lemonde", "nation"),
        ("source={nhk}", "nhk", "nation"),
    ],
)
def test_filters_select_events(site: Site, query: str, wanted: str, unwanted: str) -> None:
    query = query.format(nhk=site.sources["nhk"].id)
    reader = StreamReader(f"{site.url}/api/stream?{query}")
    try:
        skipped = site.publish(unwanted, f"Not for {query}", "Filtered out.")
        kept = site.publish(wanted, f"Kept for {query}", "Passes the filter.")
        event = reader.until(lambda e: e.kind == "story.new")
        assert event.data["story_id"] == kept, "the unwanted story came first and was skipped"
        assert skipped < kept
    finally:
        reader.close()


def test_search_filter_follows_a_query(site: Site) -> None:
    reader = StreamReader(site.url + "/api/stream?q=" + quote('"volcano erupts"'))
    try:
        site.publish("bbc", "Volcano rumbles", "Nothing yet.")
        kept = site.publish("nhk", "Volcano erupts near town", "Ash falls.")
        event = reader.until(lambda e: e.kind == "story.new")
        assert event.data["story_id"] == kept
    finally:
        reader.close()


def test_last_event_id_resumes_without_loss(site: Site) -> None:
    start = site.bus.last_id
    ids = [site.publish("bbc", f"Resume check {n}", "Missed while away.") for n in range(3)]
    site.wait_event(start)
    reader = StreamReader(site.url + "/api/stream", {"Last-Event-ID": str(start)})
    try:
        got = [reader.until(lambda e: e.kind == "story.new").data["story_id"] for _ in ids]
        assert got == ids
    finally:
        reader.close()


def test_query_parameter_resumes_too_and_header_wins(site: Site) -> None:
    start = site.bus.last_id
    first = site.publish("bbc", "Header wins 1", "")
    after_first = site.bus.last_id
    second = site.publish("bbc", "Header wins 2", "")
    reader = StreamReader(
        f"{site.url}/api/stream?last_event_id={start}", {"Last-Event-ID": str(after_first)}
    )
    try:
        assert reader.until(lambda e: e.kind == "story.new").data["story_id"] == second
    finally:
        reader.close()
    reader = StreamReader(f"{site.url}/api/stream?last_event_id={start}")
    try:
        assert reader.until(lambda e: e.kind == "story.new").data["story_id"] == first
    finally:
        reader.close()


@pytest.fixture
def restarted(tmp_path: Path) -> Iterator[Site]:
    """A site restarted over a store that already holds events: its in-memory ring is
    empty, so resuming reads the store."""
    db = tmp_path / "restart.db"
    first = start_site(db, make_settings(tmp_path))
    seed(first)
    first.close()
    second = start_site(db, make_settings(tmp_path, stream_keepalive=0.2))
    second.sources = first.sources
    try:
        yield second
    finally:
        second.close()


def test_resume_from_the_store_after_a_restart(restarted: Site) -> None:
    assert restarted.bus.last_id > 0
    reader = StreamReader(restarted.url + "/api/stream?last_event_id=0")
    try:
        stories = [reader.until(lambda e: e.kind == "story.new") for _ in range(5)]
        ids = []
        for s in stories:
            assert s.id is not None
            ids.append(s.id)
        assert ids == sorted(ids)
        assert all(s.data["html"] for s in stories)
    finally:
        reader.close()


def test_keepalive_comments(restarted: Site) -> None:
    reader = StreamReader(restarted.url + "/api/stream", timeout=3)
    try:
        lines = [reader.response.readline() for _ in range(6)]
        # Nothing happens: a hello, then a comment each 0.2 s of silence.
        assert lines[:3] == [b": connected\n", b"retry: 2000\n", b"\n"]
        assert lines[3:] == [b": keep-alive\n", b"\n", b": keep-alive\n"]
    finally:
        reader.close()


def test_a_reader_that_leaves_is_forgotten(site: Site) -> None:
    before = site.get("/metrics").text
    assert "worldwire_stream_clients 0" in before
    sock = socket.create_connection(("127.0.0.1", int(site.url.rsplit(":", 1)[1])))
    sock.sendall(b"GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b"200" in sock.recv(100)
    assert "worldwire_stream_clients 1" in site.get("/metrics").text
    sock.close()
    site.publish("bbc", "After the reader left", "")
    for _ in range(100):
        if "worldwire_stream_clients 0" in site.get("/metrics").text:
            break
        import time

        time.sleep(0.02)
    assert "worldwire_stream_clients 0" in site.get("/metrics").text


def test_kinds_select_event_kinds(site: Site) -> None:
    reader = StreamReader(site.url + "/api/stream?kinds=story.new,story.updated")
    try:
        story_id = site.publish("bbc", "Only the story, please", "")
        event = reader.next()
        assert (event.kind, event.data["story_id"]) == ("story.new", story_id)
    finally:
        reader.close()


@pytest.mark.parametrize(
    "query",
    ["country=XYZ", "last_event_id=-1", "q=-alone", "region=atlantis", "kinds=story.gone"],
)
def test_bad_stream_parameters(site: Site, query: str) -> None:
    reply = site.get(f"/api/stream?{query}")
    assert reply.status in (400, 422)
    assert "error" in reply.json()
