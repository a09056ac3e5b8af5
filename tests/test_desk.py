"""The desk with real parts: a SQLite store, the extraction pool, pages served on
127.0.0.1. New articles are placed at once from the feed; pages are read and the
article placed again; what fails is recorded and the feed text stays."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from aiohttp import web

from worldwire.desk import Desk
from worldwire.fetch import Fetcher
from worldwire.model import Entry, SourceSpec
from worldwire.reading import PageReader
from worldwire.store import SQLiteStore

from .conftest import StartServer, make_settings

DATA = Path(__file__).resolve().parent / "data" / "extract"
PARAGRAPHS = [
    "A ferry carrying 300 passengers caught fire off the coast of Greece on Tuesday morning, "
    "the Greek coast guard said, and all passengers were taken off safely by nearby ships.",
    "The fire started in the engine room shortly after the ferry left Heraklion for Piraeus. "
    "Firefighters from two coast guard vessels brought it under control within two hours.",
    "The shipping minister said an investigation had been opened and that the ferry would "
    "be towed back to Heraklion once it was safe to do so.",
]
ARTICLE = (
    "<html><head><title>Ferry fire off Crete</title></head><body><nav>Home | World</nav>"
    "<article><h1>Ferry fire off Crete</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>Leave a Reply</footer></body></html>"
)


@pytest.mark.slow
async def test_pages_are_read_and_failures_keep_the_feed_text(
    serve_app: StartServer, tmp_path: Path
) -> None:
    async def page(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name == "article":
            return web.Response(text=ARTICLE, content_type="text/html")
        if name == "paywall":
            body = (DATA / "walls" / "paywall-declared.html").read_text()
            return web.Response(text=body, content_type="text/html")
        return web.Response(status=404)

    app = web.Application()
    app.router.add_get("/{name}", page)
    base = await serve_app(app)
    settings = make_settings(tmp_path, read_pages=True, extract_workers=1)
    store = SQLiteStore(settings.db_path)
    (sid,) = await store.add_sources([SourceSpec("Local", base + "/feed", country="GR")])
    source = await store.get_source(sid)
    assert source is not None
    entries = [
        Entry(
            key=name,
            url=f"{base}/{name}",
            title=f"Story {name}",
            summary="Feed summary.",
            published=time.time() - 60,
        )
        for name in ("article", "paywall", "missing")
    ]
    try:
        async with Fetcher(settings) as fetcher:
            reader = PageReader(fetcher, settings)
            desk = Desk(store, settings, reader)
            await desk.start([source])
            upserted = await store.upsert_entries(source, entries, time.time())
            await desk.publish(source, entries, upserted, full_text=False)
            # Placed at once, from the feed's text.
            for u in upserted:
                article = await store.get_article(u.article_id)
                assert article is not None and article.story_id is not None
            await desk.idle()
            await desk.stop()
            reader.close()
        read, walled, missing = [await store.get_article(u.article_id) for u in upserted]
        assert read and walled and missing
        assert read.extract_status.startswith("ok:")
        assert read.text.split("\n\n") == PARAGRAPHS
        assert read.countries == ("GR",) and read.language == "en"
        assert walled.extract_status == "paywall" and walled.text == ""
        assert walled.summary == "Feed summary."
        assert missing.extract_status.startswith("failed: HTTP 404")
        assert missing.summary == "Feed summary."
    finally:
        await store.close()


async def test_the_same_url_from_two_feeds_is_a_copy_before_any_fetch(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = SQLiteStore(settings.db_path)
    ids = await store.add_sources(
        [
            SourceSpec("Wire", "https://wire.example/feed"),
            SourceSpec("Paper", "https://paper.example/feed"),
        ]
    )
    wire, paper = [await store.get_source(i) for i in ids]
    assert wire and paper
    entry = Entry(
        key="x",
        url="https://wire.example/story/1",
        title="Quake in Chile",
        summary="A strong earthquake struck central Chile.",
    )
    try:
        desk = Desk(store, settings, None)
        await desk.start([wire, paper])
        first = await store.upsert_entries(wire, [entry], time.time())
        await desk.publish(wire, [entry], first, full_text=False)
        second = await store.upsert_entries(paper, [entry], time.time())
        await desk.publish(paper, [entry], second, full_text=False)
        original = await store.get_article(first[0].article_id)
        copy = await store.get_article(second[0].article_id)
        assert original and copy
        assert copy.duplicate_of == original.id and copy.story_id == original.story_id
        assert copy.extract_status == "copy"
        story = await store.get_story(original.story_id or 0)
        assert story is not None and (story.article_count, story.source_count) == (2, 2)
    finally:
        await store.close()


async def test_a_restart_places_what_a_crash_left_unplaced(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = SQLiteStore(settings.db_path)
    (sid,) = await store.add_sources([SourceSpec("S", "https://s.example/feed")])
    source = await store.get_source(sid)
    assert source
    entry = Entry(key="k", url="https://s.example/1", title="Floods in Bangladesh")
    try:
        # Stored, then the process died before the desk placed it.
        (upserted,) = await store.upsert_entries(source, [entry], time.time())
        assert (await store.get_article(upserted.article_id)).story_id is None  # type: ignore[union-attr]
        desk = Desk(store, settings, None)
        await desk.start([source])
        article = await store.get_article(upserted.article_id)
        assert article is not None and article.story_id is not None
        assert article.countries == ("BD",)
        assert desk.clusterer.live_articles == 1
    finally:
        await store.close()
