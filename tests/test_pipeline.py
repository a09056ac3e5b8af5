"""The whole poll path against real local servers: every kind of bad input gets a clear
error on its own source, costs nothing elsewhere, and loses nothing."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from worldwire import service
from worldwire import sources as source_lists
from worldwire.desk import Desk
from worldwire.fetch import Fetcher
from worldwire.pipeline import Pipeline
from worldwire.store import ArticleQuery, SQLiteStore

from .conftest import StartServer, make_settings

DATA = Path(__file__).resolve().parent / "data" / "parse"
GOOD = (DATA / "rss20-full.xml").read_bytes()


def feed_with(n: int, prefix: str = "item") -> bytes:
    items = "".join(
        f"<item><title>{prefix} {i}</title><link>https://good.example/{prefix}/{i}"
        f"</link><guid>{prefix}-{i}</guid></item>"
        for i in range(n)
    )
    return f'<rss version="2.0"><channel><title>Good</title>{items}</channel></rss>'.encode()


@pytest.fixture
async def world(serve_app: StartServer) -> tuple[str, dict[str, int]]:
    hits: dict[str, int] = {}

    def fixture(name: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handler(request: web.Request) -> web.Response:
            hits[name] = hits.get(name, 0) + 1
            return web.Response(body=(DATA / name).read_bytes())

        return handler

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        chunk = b"<item><title>" + b"x" * 65000 + b"</title></item>"
        for _ in range(40):  # 2.6 MB, over the test cap of 1 MB
            await response.write(chunk)
        return response

    async def drip(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(100):
            await response.write(b" ")
            await asyncio.sleep(0.1)
        return response

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    async def to_metadata(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    async def to_loopback(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://127.0.0.1:{request.url.port}/good")

    async def good(request: web.Request) -> web.Response:
        return web.Response(body=GOOD)

    async def gzipped(request: web.Request) -> web.Response:
        return web.Response(
            body=gzip.compress(feed_with(3, "gz")), headers={"Content-Encoding": "gzip"}
        )

    app = web.Application()
    for path in DATA.iterdir():
        if not path.name.endswith(".expected.json"):
            app.router.add_get(f"/fixture/{path.name}", fixture(path.name))
    app.router.add_get("/huge", huge)
    app.router.add_get("/drip", drip)
    app.router.add_get("/loop", loop)
    app.router.add_get("/to-metadata", to_metadata)
    app.router.add_get("/to-loopback", to_loopback)
    app.router.add_get("/good", good)
    app.router.add_get("/gzipped", gzipped)
    base = await serve_app(app)
    return base, hits


BAD = {
    "/fixture/bad-malformed-hopeless.xml": "malformed",
    "/fixture/bad-empty.xml": "empty body",
    "/fixture/bad-html-page.xml": "HTML page",
    "/fixture/bad-billion-laughs.xml": "entities",
    "/fixture/bad-xxe.xml": "entities",
    "/fixture/bad-json-no-items.json": "not a JSON Feed",
    "/huge": "larger than",
    "/drip": "no complete answer",
    "/loop": "redirect loop",
    "/to-metadata": "refused",
    "/to-loopback": "refused",
    "/missing": "HTTP 404",
}
RECOVERED = {
    "/fixture/bad-malformed-recoverable.xml": 2,
    "/fixture/bad-wrong-encoding.xml": 1,
    "/fixture/bad-duplicate-guids.xml": 2,
    "/fixture/bad-implausible-dates.xml": 3,
    "/good": 2,
    "/gzipped": 3,
}


@pytest.mark.slow
async def test_bad_inputs_are_recorded_and_cost_nothing_elsewhere(
    world: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    base, _ = world
    # The operator allows the *name* localhost only, so 127.0.0.1 stays refused.
    local = base.replace("127.0.0.1", "localhost")
    sources = [{"name": path, "feed_url": local + path} for path in [*BAD, *RECOVERED]]
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(sources))
    settings = make_settings(
        tmp_path,
        sources=str(tmp_path / "sources.yaml"),
        allow_networks=("localhost",),
        fetch_deadline=2.0,
        fetch_max_bytes=1024 * 1024,
    )
    started = time.time()
    await service.poll_once(settings)
    store = SQLiteStore(settings.db_path)
    try:
        by_path = {s.feed_url.removeprefix(local): s for s in await store.list_sources()}
        for path, message in BAD.items():
            s = by_path[path]
            assert message in s.last_error, (path, s.last_error)
            assert s.error_count == 1 and s.next_check_at > started + 30, path
            assert s.last_fetch_at is not None and s.last_fetch_at >= started
        for path, count in RECOVERED.items():
            s = by_path[path]
            assert s.error_count == 0 and s.last_error == "", (path, s.last_error)
            page = await store.query_articles(ArticleQuery(source_id=s.id, limit=200))
            assert len(page.items) == count, path
            assert all(a.story_id for a in page.items)
    finally:
        await store.close()


async def test_a_failing_source_recovers_by_itself(serve_app: StartServer, tmp_path: Path) -> None:
    state = {"fail": True}

    async def feed(request: web.Request) -> web.Response:
        if state["fail"]:
            return web.Response(status=500, text="oops")
        return web.Response(body=feed_with(2))

    app = web.Application()
    app.router.add_get("/feed", feed)
    base = await serve_app(app)
    settings = make_settings(tmp_path)
    store = SQLiteStore(settings.db_path)
    (source_id,) = await store.add_sources(
        [source_lists.spec_from_mapping({"feed_url": base + "/feed"}, "test")]
    )
    try:
        async with Fetcher(settings) as fetcher:
            pipeline = Pipeline(store, fetcher, settings, "w", Desk(store, settings, None))
            intervals = []
            for _ in range(4):
                (source,) = await store.claim_due("w", time.time() + 10**6, 1, 60)
                report = await pipeline.refresh_source(source)
                assert report.error.startswith("HTTP 500 Internal Server Error")
                saved = await store.get_source(source_id)
                assert saved is not None
                intervals.append(saved.interval)
            assert saved is not None and saved.error_count == 4 and intervals[0] < intervals[-1]
            state["fail"] = False
            (source,) = await store.claim_due("w", time.time() + 10**6, 1, 60)
            report = await pipeline.refresh_source(source)
        assert report.error == "" and report.new_items == 2
        saved = await store.get_source(source_id)
        assert saved is not None and (saved.error_count, saved.last_error) == (0, "")
        assert saved.interval <= settings.poll_initial * 1.1
    finally:
        await store.close()


async def test_etag_makes_the_second_poll_a_304(serve_app: StartServer, tmp_path: Path) -> None:
    statuses: list[int] = []

    async def feed(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"1"':
            statuses.append(304)
            return web.Response(status=304)
        statuses.append(200)
        return web.Response(body=feed_with(5), headers={"ETag": '"1"'})

    app = web.Application()
    app.router.add_get("/feed", feed)
    base = await serve_app(app)
    settings = make_settings(tmp_path)
    store = SQLiteStore(settings.db_path)
    await store.add_sources([source_lists.spec_from_mapping({"feed_url": base + "/feed"}, "test")])
    try:
        async with Fetcher(settings) as fetcher:
            pipeline = Pipeline(store, fetcher, settings, "w", Desk(store, settings, None))
            for _ in range(2):
                (source,) = await store.claim_due("w", time.time() + 10**6, 1, 60)
                await pipeline.refresh_source(source)
        assert statuses == [200, 304]
        assert len((await store.query_articles(ArticleQuery())).items) == 5
    finally:
        await store.close()
