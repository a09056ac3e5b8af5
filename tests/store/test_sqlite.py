"""The SQLite store on real files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from worldwire.errors import QueryError, StoreError
from worldwire.model import Entry, Event, SourceSpec
from worldwire.store import (
    ArticleQuery,
    PollOutcome,
    SQLiteStore,
    StoryAssignment,
    StoryQuery,
    migrate,
)


def entry(key: str, title: str = "", **kw: object) -> Entry:
    return Entry(key=key, url=f"https://site.example/{key}", title=title or f"Story {key}", **kw)  # type: ignore[arg-type]


@pytest.fixture
async def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    events: list[Event] = []
    s = SQLiteStore(str(tmp_path / "ww.db"), on_commit=events.extend)
    s.committed = events  # type: ignore[attr-defined]
    yield s
    await s.close()


async def add_source(
    store: SQLiteStore,
    url: str = "https://site.example/feed",
    country: str = "FR",
    languages: tuple[str, ...] = ("fr",),
) -> int:
    (source_id,) = await store.add_sources(
        [SourceSpec("Site", url, country=country, languages=languages)]
    )
    return source_id


async def test_migrations_are_named_and_run_once(tmp_path: Path) -> None:
    path = str(tmp_path / "ww.db")
    SQLiteStore(path).close_blocking()
    SQLiteStore(path).close_blocking()
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == migrate.migration_names()
    assert names[0] == "0001_initial.sql"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_entries_dedup_by_key_and_update_in_place(store: SQLiteStore) -> None:
    source_id = await add_source(store)
    source = await store.get_source(source_id)
    assert source is not None
    first = await store.upsert_entries(source, [entry("a"), entry("b")], seen_at=1000.0)
    assert [u.is_new for u in first] == [True, True]
    again = await store.upsert_entries(
        source, [entry("a"), entry("b", title="Better title")], seen_at=2000.0
    )
    assert [(u.is_new, u.changed) for u in again] == [(False, False), (False, True)]
    assert again[0].article_id == first[0].article_id
    article = await store.get_article(first[1].article_id)
    assert article is not None and article.title == "Better title"
    assert article.seen_at == 1000.0  # first seen stays
    assert article.visible_at is not None and article.language == "fr"
    page = await store.query_articles(ArticleQuery())
    assert len(page.items) == 2
    kinds = [e.kind for e in store.committed]  # type: ignore[attr-defined]
    assert kinds.count("article.new") == 2  # an update is not news


async def test_same_key_from_two_sources_is_two_articles(store: SQLiteStore) -> None:
    one = await store.get_source(await add_source(store, "https://a.example/feed"))
    two = await store.get_source(await add_source(store, "https://b.example/feed"))
    assert one and two
    await store.upsert_entries(one, [entry("x")], 1.0)
    await store.upsert_entries(two, [entry("x")], 1.0)
    assert len((await store.query_articles(ArticleQuery())).items) == 2


async def test_events_are_written_with_the_change_and_resumable(store: SQLiteStore) -> None:
    source = await store.get_source(await add_source(store))
    assert source
    ups = await store.upsert_entries(source, [entry("a", published=500.0)], 1000.0)
    await store.assign_stories(
        [StoryAssignment(ups[0].article_id, 7, None, ups[0].article_id, countries=("FR",))]
    )
    events = await store.events_after(0)
    assert [e.kind for e in events] == ["article.new", "story.new"]
    story_event = orjson.loads(events[1].data)
    assert story_event["story_id"] == 7
    assert story_event["urls"] == ["https://site.example/a"]
    assert await store.last_event_id() == events[-1].id
    assert await store.events_after(events[0].id) == events[1:]
    story = await store.get_story(7)
    assert story is not None and story.headline == "Story a" and story.countries == ("FR",)


async def test_story_grows_and_says_so(store: SQLiteStore) -> None:
    one = await store.get_source(await add_source(store, "https://a.example/feed", "FR"))
    two = await store.get_source(await add_source(store, "https://b.example/feed", "DE", ("de",)))
    assert one and two
    a = (await store.upsert_entries(one, [entry("a")], 1000.0))[0].article_id
    b = (await store.upsert_entries(two, [entry("b")], 1001.0))[0].article_id
    await store.assign_stories([StoryAssignment(a, 1, None, a, countries=("FR",))])
    await store.assign_stories([StoryAssignment(b, 1, None, None, countries=("DE", "FR"))])
    story = await store.get_story(1)
    assert story is not None
    assert (story.article_count, story.source_count, story.headline) == (2, 2, "Story a")
    assert set(story.countries) == {"FR", "DE"} and set(story.languages) == {"fr", "de"}
    kinds = [e.kind for e in await store.events_after(0) if e.kind.startswith("story")]
    assert kinds == ["story.new", "story.updated"]
    page = await store.query_stories(StoryQuery(countries=("DE",)))
    assert [s.id for s in page.items] == [1]
    assert (await store.query_articles(ArticleQuery(countries=("DE",)))).items[0].countries == (
        "DE",
        "FR",
    )


async def test_a_story_lists_its_tags_most_frequent_first(store: SQLiteStore) -> None:
    # Two languages: an entry that declares none has none (no source default).
    source = await store.get_source(await add_source(store, languages=("fr", "de")))
    assert source
    ids = [u.article_id for u in await store.upsert_entries(
        source, [entry(k, content="word " * 2000) for k in "abcd"], 1.0)]  # fmt: skip
    tags = [  # (language, countries, topics) per article
        ("de", ("US", "DE"), ("world",)),
        ("fr", ("DE",), ("politics",)),
        ("de", ("FR", "DE"), ("science", "world")),
        (None, ("FR",), ("politics",)),
    ]
    await store.assign_stories([
        StoryAssignment(i, 3, None, ids[0], language=lang, countries=c, topics=t)
        for i, (lang, c, t) in zip(ids, tags, strict=True)
    ])  # fmt: skip
    story = await store.get_story(3)
    assert story is not None and story.article_count == 4
    assert story.countries == ("DE", "FR", "US")  # 3, 2, 1
    assert story.languages == ("de", "fr")  # 2, 1, and no empty language
    assert story.topics == ("politics", "world", "science")  # a tie falls in code point order


async def test_an_article_moving_out_empties_and_removes_its_story(store: SQLiteStore) -> None:
    source = await store.get_source(await add_source(store))
    assert source
    a, b = (u.article_id for u in await store.upsert_entries(source, [entry("a"), entry("b")], 1.0))
    await store.apply_updates([StoryAssignment(a, 1, None, a), StoryAssignment(b, 2, None, b)])
    # Reading b's page shows it is a copy of a: it joins a's story, and story 2 is gone.
    await store.apply_updates(
        [StoryAssignment(b, 1, a, None, text="x" * 300, extract_status="ok:jsonld")]
    )
    assert await store.get_story(2) is None
    story = await store.get_story(1)
    assert story is not None and story.article_count == 2
    moved = await store.get_article(b)
    assert moved is not None and (moved.duplicate_of, moved.extract_status) == (a, "ok:jsonld")
    kinds = [e.kind for e in await store.events_after(0)]
    assert kinds[-2:] == ["story.removed", "story.updated"] or kinds[-2:] == [
        "story.updated",
        "story.removed",
    ]
    found = await store.query_articles(ArticleQuery(q="x" * 300))
    assert [x.id for x in found.items] == [b]


async def test_leases_keep_two_workers_apart(store: SQLiteStore) -> None:
    source_id = await add_source(store)
    now = time.time()
    claimed = await store.claim_due("w1", now, 10, lease=60.0)
    assert [s.id for s in claimed] == [source_id]
    assert await store.claim_due("w2", now, 10, lease=60.0) == []
    assert await store.next_check_at(now) == pytest.approx(now + 60.0, abs=1.0)
    # w1 dies; after its lease, w2 takes over, and w1's late write changes nothing.
    taken = await store.claim_due("w2", now + 61, 10, lease=60.0)
    assert [s.id for s in taken] == [source_id]
    late = PollOutcome(source_id, "w1", now, now + 999, 999.0, 200)
    assert await store.record_poll(late) is False
    fresh = PollOutcome(source_id, "w2", now, now + 30, 30.0, 200, etag='"e"')
    assert await store.record_poll(fresh) is True
    source = await store.get_source(source_id)
    assert source and source.next_check_at == now + 30 and source.etag == '"e"'
    assert await store.claim_due("w2", now + 1, 10, lease=60.0) == []


async def test_a_source_reads_back_field_by_field(store: SQLiteStore) -> None:
    # Sources are built from rows positionally: a column out of order would shift every
    # field after it.
    (source_id,) = await store.add_sources(
        [
            SourceSpec(
                "Le Site",
                "https://site.example/rss",
                homepage="https://site.example/",
                country="FR",
                languages=("fr", "br"),
                kind="atom",
                full_text=True,
            )
        ]
    )
    now = time.time()
    (claimed,) = await store.claim_due("w", now, 1, 60.0)
    outcome = PollOutcome(
        source_id,
        "w",
        now,
        now + 40,
        40.0,
        200,
        etag='"v1"',
        last_modified="Thu, 26 Nov 2026",
        elapsed_ms=12.5,
        avg_gap=90.0,
        last_new_at=now - 5,
        new_items=3,
    )
    assert await store.record_poll(outcome)
    source = await store.get_source(source_id)
    assert source is not None and (source.id, source.name, source.feed_url) == (
        claimed.id,
        "Le Site",
        "https://site.example/rss",
    )
    assert (source.homepage, source.country, source.languages, source.kind) == (
        "https://site.example/",
        "FR",
        ("fr", "br"),
        "atom",
    )
    assert (source.full_text, source.enabled, source.etag, source.last_modified) == (
        True,
        True,
        '"v1"',
        "Thu, 26 Nov 2026",
    )
    assert (source.interval, source.next_check_at, source.last_fetch_at) == (40.0, now + 40, now)
    assert (source.last_status, source.last_error, source.error_count) == (200, "", 0)
    assert (source.last_elapsed_ms, source.avg_gap, source.last_new_at, source.items_seen) == (
        12.5,
        90.0,
        now - 5,
        3,
    )
    assert [s.id for s in await store.list_sources()] == [source_id]


async def test_failures_are_saved_on_the_row(store: SQLiteStore) -> None:
    source_id = await add_source(store)
    now = time.time()
    await store.claim_due("w", now, 1, 60.0)
    await store.record_poll(
        PollOutcome(source_id, "w", now, now + 120, 120.0, 500, error="HTTP 500", error_count=3)
    )
    source = await store.get_source(source_id)
    assert source and (source.error_count, source.last_error, source.last_status) == (
        3,
        "HTTP 500",
        500,
    )
    assert source.next_check_at == now + 120


async def test_filters_search_and_cursor_pagination(store: SQLiteStore) -> None:
    fr = await store.get_source(await add_source(store, "https://fr.example/feed", "FR", ("fr",)))
    jp = await store.get_source(await add_source(store, "https://jp.example/feed", "JP", ("ja",)))
    assert fr and jp
    await store.upsert_entries(
        fr,
        [entry(f"f{i}", f"Élection {i} à Paris", published=100.0 + i) for i in range(30)],
        1000.0,
    )
    await store.upsert_entries(
        jp,
        [entry("j1", "Earthquake in Tokyo", published=50.0, summary="A strong earthquake")],
        1000.0,
    )
    assert len((await store.query_articles(ArticleQuery(countries=("JP",)))).items) == 1
    assert len((await store.query_articles(ArticleQuery(languages=("fr",), limit=100))).items) == 30
    assert len((await store.query_articles(ArticleQuery(source_id=jp.id))).items) == 1
    assert len((await store.query_articles(ArticleQuery(since=120.0, limit=100))).items) == 10
    found = await store.query_articles(ArticleQuery(q="election -tokyo"))
    assert len(found.items) == 30  # diacritics folded
    assert (await store.query_articles(ArticleQuery(q='"strong earthquake"'))).items[0].title == (
        "Earthquake in Tokyo"
    )
    seen: list[int] = []
    cursor = ""
    while True:
        page = await store.query_articles(ArticleQuery(limit=7, cursor=cursor))
        seen.extend(a.id for a in page.items)
        if page.next is None:
            break
        cursor = page.next
    assert len(seen) == len(set(seen)) == 31
    with pytest.raises(QueryError):
        await store.query_articles(ArticleQuery(cursor="!!not-a-cursor"))
    with pytest.raises(QueryError):
        await store.query_articles(ArticleQuery(q="-only -exclusions"))


async def test_a_failing_operation_is_rolled_back_alone(store: SQLiteStore) -> None:
    source_id = await add_source(store)

    def boom(tx):  # type: ignore[no-untyped-def]
        tx.conn.execute("UPDATE sources SET name = 'changed' WHERE id = ?", (source_id,))
        raise RuntimeError("bug in an operation")

    import asyncio

    results = await asyncio.gather(
        store._writer.call(boom),
        store.add_sources([SourceSpec("Other", "https://other.example/feed")]),
        return_exceptions=True,
    )
    assert isinstance(results[0], RuntimeError)
    assert results[1] == [source_id + 1]
    source = await store.get_source(source_id)
    assert source and source.name == "Site"


async def test_full_disk_loses_nothing_already_stored(tmp_path: Path) -> None:
    path = str(tmp_path / "ww.db")
    store = SQLiteStore(path)
    source = await store.get_source(await add_source(store))
    assert source
    await store.upsert_entries(source, [entry("kept")], 1.0)
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    # Emulate a full disk: the writer's connection may not grow the file any more.
    store._writer.call_blocking(lambda tx: tx.conn.execute(f"PRAGMA max_page_count = {pages + 1}"))
    big = [entry(f"big{i}", "x" * 5000, summary="y" * 5000) for i in range(200)]
    with pytest.raises(StoreError, match="full"):
        await store.upsert_entries(source, big, 2.0)
    titles = [a.title for a in (await store.query_articles(ArticleQuery())).items]
    assert titles == ["Story kept"]
    await store.close()
    check = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"


KILLED_WRITER = """
import sys, time
from worldwire.model import Entry, SourceSpec
from worldwire.store import SQLiteStore
store = SQLiteStore(sys.argv[1])
(sid,) = store.add_sources_blocking([SourceSpec("S", "https://s.example/feed")])
from worldwire.store.sql import articles, sources
source = store.read_blocking(lambda c: sources.q_get(c, sid))
print("ready", flush=True)
i = 0
while True:
    batch = [Entry(key=f"k{i}-{j}", url=f"https://s.example/{i}/{j}", title="t" * 200)
             for j in range(50)]
    store._writer.call_blocking(lambda tx: articles.op_upsert_entries(tx, source, batch, 1.0))
    i += 1
"""


@pytest.mark.slow
def test_a_killed_process_leaves_a_consistent_store(tmp_path: Path) -> None:
    path = str(tmp_path / "ww.db")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, path], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    proc.stdout.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert count > 0 and count % 50 == 0  # whole batches only
    fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    events = conn.execute("SELECT count(*) FROM events WHERE kind = 'article.new'").fetchone()[0]
    assert fts == count == events


async def test_old_events_are_pruned_and_ids_keep_increasing(store: SQLiteStore) -> None:
    source = await store.get_source(await add_source(store))
    assert source
    await store.upsert_entries(source, [entry("old")], 1.0)
    last = await store.last_event_id()
    assert await store.prune_events(time.time() + 1) == 1
    assert await store.events_after(0) == []
    assert await store.last_event_id() == last  # a resuming reader's id stays valid
    await store.upsert_entries(source, [entry("new")], 2.0)
    assert [e.id for e in await store.events_after(0)] == [last + 1]
