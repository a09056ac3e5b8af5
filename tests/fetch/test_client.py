"""The outbound client against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib
from pathlib import Path

import aiohttp
import brotli
import pytest
from aiohttp import web

from worldwire.errors import (
    BlockedAddress,
    BodyTooLarge,
    DeadlineExceeded,
    FetchError,
    HTTPStatusError,
    TooManyRedirects,
)
from worldwire.fetch import Fetcher

from ..conftest import StartServer, make_settings

FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


async def test_conditional_get_returns_304_when_unchanged(
    serve_app: StartServer, tmp_path: Path
) -> None:
    seen: list[dict[str, str]] = []
    agents: list[list[str]] = []

    async def feed(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        agents.append(request.headers.getall("User-Agent"))
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(
            body=FEED, headers={"ETag": '"v1"', "Last-Modified": "Tue, 10 Jun 2025 04:00:00 GMT"}
        )

    app = web.Application()
    app.router.add_get("/feed", feed)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path, operator_url="https://ops.example/")) as f:
        first = await f.get(base + "/feed")
        assert first.status == 200 and first.body == FEED
        assert first.headers["etag"] == '"v1"'
        second = await f.get(
            base + "/feed", etag=first.headers["etag"], last_modified=first.headers["last-modified"]
        )
    assert second.not_modified and second.body == b""
    assert seen[1]["If-Modified-Since"] == "Tue, 10 Jun 2025 04:00:00 GMT"
    assert "WorldWire/" in seen[0]["User-Agent"] and "https://ops.example/" in seen[0]["User-Agent"]
    assert [len(a) for a in agents] == [1, 1]  # ours alone, not aiohttp's as well
    assert "br" in seen[0]["Accept-Encoding"] and "gzip" in seen[0]["Accept-Encoding"]


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate", "deflate-raw"])
async def test_compressed_bodies_are_decoded(
    serve_app: StartServer, tmp_path: Path, encoding: str
) -> None:
    body = FEED * 100
    if encoding == "gzip":
        data = gzip.compress(body)
    elif encoding == "br":
        data = brotli.compress(body)
    elif encoding == "deflate":
        data = zlib.compress(body)
    else:
        compressor = zlib.compressobj(wbits=-15)
        data = compressor.compress(body) + compressor.flush()

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=data, headers={"Content-Encoding": encoding.split("-")[0]})

    app = web.Application()
    app.router.add_get("/", handler)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path)) as f:
        assert (await f.get(base + "/")).body == body


async def test_decoded_size_is_capped_even_for_a_gzip_bomb(
    serve_app: StartServer, tmp_path: Path
) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))  # ~50 KB on the wire
    big = b"x" * (3 * 1024 * 1024)

    async def bomb_handler(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})

    async def big_handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # no Content-Length: the cap must act while reading
        await response.prepare(request)
        for start in range(0, len(big), 65536):
            await response.write(big[start : start + 65536])
        return response

    app = web.Application()
    app.router.add_get("/bomb", bomb_handler)
    app.router.add_get("/big", big_handler)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path, fetch_max_bytes=1024 * 1024)) as f:
        with pytest.raises(BodyTooLarge):
            await f.get(base + "/bomb")
        with pytest.raises(BodyTooLarge):
            await f.get(base + "/big")


async def test_total_deadline_cuts_a_slow_drip(serve_app: StartServer, tmp_path: Path) -> None:
    async def drip(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(100):  # a byte every 100 ms: every read is quick, the whole is not
            await response.write(b"<")
            await asyncio.sleep(0.1)
        return response

    app = web.Application()
    app.router.add_get("/", drip)
    base = await serve_app(app)
    started = time.monotonic()
    async with Fetcher(make_settings(tmp_path, fetch_deadline=1.0)) as f:
        with pytest.raises(DeadlineExceeded):
            await f.get(base + "/")
    assert time.monotonic() - started < 3.0


async def stalling_server(serve_app: StartServer) -> tuple[str, asyncio.Event]:
    """A server whose /stalls never answers until the event is set, and whose /quick
    answers at once."""
    released = asyncio.Event()

    async def stalls(request: web.Request) -> web.Response:
        await released.wait()
        return web.Response(body=FEED)

    async def quick(request: web.Request) -> web.Response:
        return web.Response(body=FEED)

    app = web.Application()
    app.router.add_get("/stalls", stalls)
    app.router.add_get("/quick", quick)
    return await serve_app(app), released


async def test_a_deadline_leaves_the_task_usable_and_spares_others(
    serve_app: StartServer, tmp_path: Path
) -> None:
    base, released = await stalling_server(serve_app)
    async with Fetcher(make_settings(tmp_path, fetch_deadline=0.5)) as f:
        quick_ones = [asyncio.create_task(f.get(base + "/quick")) for _ in range(20)]
        with pytest.raises(DeadlineExceeded):
            await f.get(base + "/stalls")
        task = asyncio.current_task()
        assert task is not None and task.cancelling() == 0  # nothing left pending on us
        await asyncio.sleep(0.2)  # a later await in the same task is not cancelled
        assert (await f.get(base + "/quick")).status == 200
        assert [r.status for r in await asyncio.gather(*quick_ones)] == [200] * 20
    released.set()


async def test_a_request_cancelled_from_outside_stays_cancelled(
    serve_app: StartServer, tmp_path: Path
) -> None:
    base, released = await stalling_server(serve_app)
    async with Fetcher(make_settings(tmp_path, fetch_deadline=0.3)) as f:
        # Cancelled by its owner (say, a shutdown) before its deadline, and at it.
        for wait in (0.1, 0.3):
            polling = asyncio.create_task(f.get(base + "/stalls"))
            await asyncio.sleep(wait)
            polling.cancel()
            with pytest.raises(asyncio.CancelledError):
                await polling
    released.set()


async def test_redirects_are_followed_up_to_the_limit(
    serve_app: StartServer, tmp_path: Path
) -> None:
    async def hop(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        if n == 0:
            return web.Response(body=FEED)
        raise web.HTTPFound(f"/hop/{n - 1}")

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/loop")

    app = web.Application()
    app.router.add_get("/hop/{n}", hop)
    app.router.add_get("/loop", loop)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path)) as f:
        result = await f.get(base + "/hop/5")
        assert result.body == FEED and result.url == base + "/hop/0"
        with pytest.raises(TooManyRedirects):
            await f.get(base + "/hop/6")
        with pytest.raises(TooManyRedirects, match="loop"):
            await f.get(base + "/loop")


async def test_loopback_is_refused_unless_allowed(serve_app: StartServer, tmp_path: Path) -> None:
    async def ok(request: web.Request) -> web.Response:
        return web.Response(body=FEED)

    app = web.Application()
    app.router.add_get("/", ok)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path, allow_networks=())) as f:
        with pytest.raises(BlockedAddress):
            await f.get(base + "/")
        with pytest.raises(BlockedAddress):  # a name that resolves to loopback
            await f.get(base.replace("127.0.0.1", "localhost") + "/")
    async with Fetcher(make_settings(tmp_path, allow_networks=("127.0.0.0/8",))) as f:
        assert (await f.get(base + "/")).body == FEED


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:{port}/secret",
        "http://[::1]/",
        "http://10.0.0.1/",
        "file:///etc/passwd",
    ],
)
async def test_each_redirect_hop_is_rechecked(
    serve_app: StartServer, tmp_path: Path, target: str
) -> None:
    secret_hits: list[str] = []

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(target.format(port=request.url.port))

    async def secret(request: web.Request) -> web.Response:
        secret_hits.append(request.path)
        return web.Response(body=b"secret")

    app = web.Application()
    app.router.add_get("/start", redirect)
    app.router.add_get("/secret", secret)
    base = await serve_app(app)
    # The operator allows the host *name* localhost, not the address 127.0.0.1.
    start = base.replace("127.0.0.1", "localhost") + "/start"
    async with Fetcher(make_settings(tmp_path, allow_networks=("localhost",))) as f:
        with pytest.raises(FetchError, match="refused"):
            await f.get(start)
    assert secret_hits == []


async def test_per_host_concurrency_is_limited(serve_app: StartServer, tmp_path: Path) -> None:
    active = 0
    peak = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.05)
        active -= 1
        return web.Response(body=FEED)

    app = web.Application()
    app.router.add_get("/{n}", slow)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path, fetch_per_host=2)) as f:
        await asyncio.gather(*(f.get(f"{base}/{n}") for n in range(10)))
    assert peak == 2


async def test_error_status_carries_retry_after(serve_app: StartServer, tmp_path: Path) -> None:
    async def limited(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "120"})

    app = web.Application()
    app.router.add_get("/", limited)
    base = await serve_app(app)
    async with Fetcher(make_settings(tmp_path)) as f:
        with pytest.raises(HTTPStatusError) as info:
            await f.get(base + "/")
    assert info.value.status == 429 and info.value.retry_after == 120.0


async def test_unreachable_host_is_a_clear_error(tmp_path: Path) -> None:
    async with Fetcher(make_settings(tmp_path)) as f:
        with pytest.raises(FetchError, match="cannot connect"):
            await f.get("http://127.0.0.1:9/")  # the discard port: nothing listens


class ClosesAfterEachAnswer:
    """A server that closes every connection right after its first answer, as one
    whose keep-alive timeout is shorter than our gap between polls."""

    def __init__(self) -> None:
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(FEED), FEED))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/"

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()


async def busy_between_reuse_and_write(*_: object) -> None:
    # A busy event loop between taking a pooled connection and writing to it: the
    # server's close is read meanwhile, so the write finds the connection closing.
    await asyncio.sleep(0.1)


def slowed_reuse(f: Fetcher) -> None:
    reuse = aiohttp.TraceConfig()
    reuse.on_connection_reuseconn.append(busy_between_reuse_and_write)
    reuse.freeze()
    assert f._session is not None
    f._session._trace_configs.append(reuse)


async def test_a_get_on_a_connection_closed_as_it_is_reused_is_sent_again(
    tmp_path: Path,
) -> None:
    server = ClosesAfterEachAnswer()
    async with server as url, Fetcher(make_settings(tmp_path)) as f:
        slowed_reuse(f)
        first = await f.get(url)
        second = await f.get(url)
    assert (first.status, second.status, second.body) == (200, 200, FEED)
    assert server.connections == 2


async def test_a_post_on_a_connection_closed_as_it_is_reused_is_not_resent(
    tmp_path: Path,
) -> None:
    server = ClosesAfterEachAnswer()
    async with server as url, Fetcher(make_settings(tmp_path)) as f:
        slowed_reuse(f)
        await f.request("POST", url, data=b"hub.mode=subscribe")
        with pytest.raises(FetchError, match="clos"):
            await f.request("POST", url, data=b"hub.mode=subscribe")
    assert server.connections == 1
