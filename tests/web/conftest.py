"""Fixtures for the web tests: real servers on 127.0.0.1 and real SQLite files.

- `site`: the web app over a store seeded with a small world (module-scoped), for
  the API, page and feed tests. `site.publish(...)` adds a story as the pipeline
  would, and its events flow to live readers.
- `live_worldwire`: the whole process (`service.serve`: scheduler, fetcher,
  pipeline, web) polling a local test feed that `live_worldwire.feed.add(...)`
  publishes to: what a reader of `make run` sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import pytest
import uvicorn

from worldwire import service
from worldwire.bus import EventBus
from worldwire.model import Entry, Source, SourceSpec
from worldwire.settings import Settings
from worldwire.store import ArticleUpdate, SQLiteStore
from worldwire.web.app import create_app
from worldwire.web.context import AppContext

from ..conftest import make_settings

T = TypeVar("T")


class LoopThread:
    """An event loop on its own thread, so that sync tests (and Playwright's sync
    API) can drive servers that live on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        async def cancel_the_rest() -> None:
            tasks = asyncio.all_tasks() - {asyncio.current_task()}
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.run(cancel_the_rest())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        import orjson

        return orjson.loads(self.body)


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    parts = urlsplit(url)
    assert parts.hostname is not None
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, headers=headers or {})
        response = conn.getresponse()
        return Reply(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read(),
        )
    finally:
        conn.close()


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # signals belong to the main thread
        yield


async def serve_app(context: AppContext) -> tuple[_Server, asyncio.Task[None], str]:
    config = uvicorn.Config(
        create_app(context),
        host="127.0.0.1",
        port=0,
        log_config=None,
        access_log=False,
        lifespan="off",
        loop="none",
        timeout_graceful_shutdown=1,
    )
    server = _Server(config)
    sock = config.bind_socket()
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task, f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass
class Site:
    """The web app on 127.0.0.1 over a real SQLite store."""

    loop: LoopThread
    store: SQLiteStore
    bus: EventBus
    url: str
    db_path: str
    sources: dict[str, Source] = field(default_factory=dict)
    _server: Any = None
    _task: Any = None

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return fetch(self.url + path, headers)

    def add_source(self, key: str, name: str, country: str, language: str) -> Source:
        spec = SourceSpec(
            name=name,
            feed_url=f"http://127.0.0.1:9/{key}.xml",
            homepage=f"https://{key}.example/",
            country=country,
            languages=(language,),
        )

        async def add() -> Source:
            (source_id,) = await self.store.add_sources([spec])
            found = await self.store.get_source(source_id)
            assert found is not None
            return found

        source = self.loop.run(add())
        self.sources[key] = source
        return source

    def publish(
        self,
        source: str,
        title: str,
        summary: str = "",
        content: str = "",
        url: str = "",
        published_ago: float | None = 60.0,
        topics: tuple[str, ...] = (),
        story_id: int | None = None,
        countries: tuple[str, ...] | None = None,
        copy_of: int | None = None,
    ) -> int:
        """One new article, and its story, as the pipeline publishes them: it is about
        `countries` (the outlet's own by default) and `topics`. Returns the story id:
        a new story of its own, or `story_id` when given (as clustering does)."""
        now = time.time()
        key = f"{source}-{title}-{now}"
        entry = Entry(
            key=key,
            url=url or f"https://{source}.example/{abs(hash(key))}",
            title=title,
            summary=summary,
            content=content,
            published=None if published_ago is None else now - published_ago,
        )

        outlet = self.sources[source]
        about = (outlet.country,) if countries is None else countries

        async def run() -> int:
            (upserted,) = await self.store.upsert_entries(outlet, [entry], now)
            article_id = upserted.article_id
            update = ArticleUpdate(
                article_id,
                story_id or article_id,
                duplicate_of=copy_of,
                representative=None if story_id else article_id,
                countries=about,
                topics=topics,
            )
            await self.store.assign_stories([update])
            return story_id or article_id

        return self.loop.run(run())

    def wait_event(self, after: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while self.bus.last_id <= after:
            if time.monotonic() > deadline:
                raise TimeoutError("no event published")
            time.sleep(0.01)

    def close(self) -> None:
        async def stop() -> None:
            self._server.should_exit = True
            await self._task
            await self.store.close()

        self.loop.run(stop())
        self.loop.close()


def start_site(db_path: Path, settings: Settings) -> Site:
    loop = LoopThread()

    async def start() -> Site:
        bus = EventBus(asyncio.get_running_loop())
        store = SQLiteStore(str(db_path), on_commit=bus.publish_threadsafe)
        bus.last_id = await store.last_event_id()
        server, task, url = await serve_app(AppContext(store, bus, settings))
        return Site(loop, store, bus, url, str(db_path), _server=server, _task=task)

    return loop.run(start())


# A small world: four outlets on three continents, and a few stories.
SEED_SOURCES = (
    ("lemonde", "Le Monde", "FR", "fr"),
    ("bbc", "BBC News", "GB", "en"),
    ("nation", "Daily Nation", "KE", "en"),
    ("nhk", "NHK World", "JP", "ja"),
)
SEED_STORIES = (
    ("lemonde", "Élections municipales à Paris", "Les électeurs parisiens votent dimanche.", ()),
    ("nation", "Nairobi marathon won in record time", "A new course record in Kenya.", ("sport",)),
    ("bbc", "Central bank raises interest rates", "Inflation stays high, the bank said.", ()),
    ("nhk", "東京で地震", "東京で強い揺れが観測されました。", ()),
    ("bbc", "Football final ends in a draw", "Extra time settled nothing.", ("sport",)),
)


def seed(site: Site) -> None:
    for key, name, country, language in SEED_SOURCES:
        site.add_source(key, name, country, language)
    for age, (source, title, summary, topics) in enumerate(SEED_STORIES):
        site.publish(source, title, summary, published_ago=600 - age * 60, topics=topics)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("site")
    started = start_site(tmp / "web.db", make_settings(tmp))
    try:
        seed(started)
        yield started
    finally:
        started.close()


class FeedServer:
    """An RSS feed on 127.0.0.1 that a test publishes to."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []
        self.lock = threading.Lock()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = feed.render().encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.xml"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, title: str, description: str = "", link: str = "") -> str:
        with self.lock:
            n = len(self.items) + 1
            self.items.insert(
                0,
                {
                    "title": title,
                    "description": description,
                    "link": link or f"https://news.example/{n}",
                    "guid": f"item-{n}",
                    "date": format_datetime(datetime.now(UTC), usegmt=True),
                },
            )
            return self.items[0]["link"]

    def render(self) -> str:
        with self.lock:
            items = "".join(
                f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
                f"<guid isPermaLink='false'>{i['guid']}</guid><pubDate>{i['date']}</pubDate>"
                f"<description>{escape(i['description'])}</description></item>"
                for i in self.items
            )
        return (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>Test wire</title><link>https://news.example/</link>"
            f"<description>Test</description>{items}</channel></rss>"
        )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class LiveWorldWire:
    url: str
    feed: FeedServer
    loop: LoopThread

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return fetch(self.url + path, headers)

    def wait_for(self, check: Callable[[], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def live_worldwire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWorldWire]:
    tmp = tmp_path_factory.mktemp("live")
    feed = FeedServer()
    feed.add("The wire is open", "A first story so that the page is not empty.")
    sources = tmp / "sources.yaml"
    sources.write_text(
        f"- name: Test Wire\n  feed_url: {feed.url}\n  country: KE\n  languages: [en]\n"
    )
    settings = make_settings(
        tmp,
        sources=str(sources),
        port=0,
        poll_floor=0.2,
        poll_initial=0.3,
        poll_jitter=0.0,
        backoff_base=0.5,
    )
    loop = LoopThread()
    ready: asyncio.Future[str] = loop.loop.create_future()
    stop = asyncio.Event()

    def announce(url: str) -> None:
        ready.set_result(url)

    async def wait_ready() -> str:
        return await ready

    serving = asyncio.run_coroutine_threadsafe(service.serve(settings, stop, announce), loop.loop)
    try:
        url = loop.run(wait_ready())
        yield LiveWorldWire(url, feed, loop)
    finally:
        loop.loop.call_soon_threadsafe(stop.set)
        serving.result(20)
        loop.close()
        feed.close()


@dataclass
class SSE:
    id: int | None
    kind: str
    data: Any


class StreamReader:
    """A live-stream reader over plain HTTP, for tests."""

    def __init__(self, url: str, headers: dict[str, str] | None = None, timeout: float = 5.0):
        parts = urlsplit(url)
        assert parts.hostname is not None
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.conn.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        self.response = self.conn.getresponse()
        self.comments: list[str] = []

    def next(self) -> SSE:
        """The next event (comments are kept in .comments); raises TimeoutError."""
        import orjson

        fields: dict[str, str] = {}
        while True:
            raw = self.response.readline()
            if not raw:
                raise ConnectionError("stream closed")
            line = raw.decode().rstrip("\n")
            if not line:
                if "data" in fields:
                    event_id = fields.get("id")
                    return SSE(
                        int(event_id) if event_id else None,
                        fields.get("event", "message"),
                        orjson.loads(fields["data"]),
                    )
                continue
            if line.startswith(":"):
                self.comments.append(line[1:].strip())
                continue
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")

    def until(self, check: Callable[[SSE], bool], limit: int = 200) -> SSE:
        for _ in range(limit):
            event = self.next()
            if check(event):
                return event
        raise AssertionError("no such event")

    def close(self) -> None:
        self.conn.close()
