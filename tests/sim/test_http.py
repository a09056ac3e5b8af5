"""The sites speak realistic HTTP: validators, 304s, gzip, cache hints scaled to
world time, and the troubles of real sites (outages, 429s, flaky 500s, slowness)."""

from __future__ import annotations

import asyncio
import gzip
import math
import re
import time

import aiohttp

from tests.sim.conftest import quiet_config
from worldwire.sim import World


async def test_etag_and_304(world: World, http: aiohttp.ClientSession) -> None:
    site = world.sites[0]
    async with http.get(site.feed_url) as r:
        first = await r.read()
        etag = r.headers["ETag"]
        assert r.status == 200 and etag.startswith('"') and r.headers["Last-Modified"]
    async with http.get(site.feed_url, headers={"If-None-Match": etag}) as r:
        assert r.status == 304 and await r.read() == b""
        assert r.headers["ETag"] == etag
    await world.publish(site.id)
    async with http.get(site.feed_url, headers={"If-None-Match": etag}) as r:
        assert r.status == 200
        assert r.headers["ETag"] != etag and await r.read() != first


async def test_if_modified_since_sees_same_second_publishes(
    world: World, http: aiohttp.ClientSession
) -> None:
    site = world.sites[1]
    async with http.get(site.feed_url) as r:
        last_modified = r.headers["Last-Modified"]
    async with http.get(site.feed_url, headers={"If-Modified-Since": last_modified}) as r:
        assert r.status == 304
    # Two publishes within one second still move Last-Modified forward each time.
    for _ in range(2):
        await world.publish(site.id)
        async with http.get(site.feed_url, headers={"If-Modified-Since": last_modified}) as r:
            assert r.status == 200
            last_modified = r.headers["Last-Modified"]


async def test_gzip_when_asked(world: World) -> None:
    site = world.sites[2]
    async with aiohttp.ClientSession(auto_decompress=False) as raw:
        async with raw.get(site.feed_url, headers={"Accept-Encoding": "identity"}) as r:
            plain, plain_tag = await r.read(), r.headers["ETag"]
            assert "Content-Encoding" not in r.headers
        async with raw.get(site.feed_url, headers={"Accept-Encoding": "gzip, deflate"}) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            assert r.headers["Vary"] == "Accept-Encoding"
            assert gzip.decompress(await r.read()) == plain
            gz_tag = r.headers["ETag"]
        assert gz_tag != plain_tag
        headers = {"Accept-Encoding": "gzip", "If-None-Match": gz_tag}
        async with raw.get(site.feed_url, headers=headers) as r:
            assert r.status == 304


async def test_head_404_and_405(world: World, http: aiohttp.ClientSession) -> None:
    site = world.sites[0]
    async with http.get(site.feed_url) as r:
        length = len(await r.read())
    async with http.head(site.feed_url, headers={"Accept-Encoding": "identity"}) as r:
        assert r.status == 200 and int(r.headers["Content-Length"]) == length
    async with http.get(site.url + "no/such/page") as r:
        assert r.status == 404
    async with http.post(site.feed_url, data=b"x") as r:
        assert r.status == 405


async def test_cache_hints_are_scaled_to_world_time(http: aiohttp.ClientSession) -> None:
    cfg = quiet_config(sites=30, speedup=30.0, cache_hint_fraction=1.0, daily_fraction=1.0)
    async with World(cfg) as world:
        seen_max_age = seen_ttl = 0
        for site in world.sites:
            async with http.get(site.feed_url) as r:
                body = await r.text()
                cache_control = r.headers.get("Cache-Control")
            ttl = re.search(r"<ttl>(\d+)</ttl>", body)
            if site.http.max_age is not None:
                expected = max(1, math.ceil(site.http.max_age / 30.0))
                assert cache_control == f"max-age={expected}"
                seen_max_age += 1
            elif site.http.ttl is not None:
                assert cache_control is None
                # <ttl> is whole minutes: a shorter hint is left out, not rounded up.
                minutes = int(site.http.ttl / 30.0 / 60)
                assert (int(ttl.group(1)) if ttl else 0) == minutes
                seen_ttl += minutes > 0
        assert seen_max_age and seen_ttl


async def test_outage_answers_5xx_then_recovers(http: aiohttp.ClientSession) -> None:
    # Outages of 2 world seconds every 4, at speedup 4: half of each real second.
    cfg = quiet_config(sites=2, speedup=4.0, outage_fraction=1.0, outage_every=4.0,
                       outage_duration=2.0)  # fmt: skip
    async with World(cfg) as world:
        statuses: set[int] = set()
        deadline = time.monotonic() + 1.2
        while time.monotonic() < deadline:
            for site in world.sites:
                async with http.get(site.feed_url) as r:
                    statuses.add(r.status)
                    if r.status == 503:
                        assert int(r.headers["Retry-After"]) == 1
            await asyncio.sleep(0.05)
        assert 200 in statuses and statuses & {500, 503}


async def test_rate_limit_answers_429_with_retry_after(http: aiohttp.ClientSession) -> None:
    cfg = quiet_config(sites=1, speedup=60.0, ratelimit_fraction=1.0, ratelimit_requests=2,
                       ratelimit_window=600.0)  # fmt: skip
    async with World(cfg) as world:
        site = world.sites[0]
        statuses = []
        for _ in range(3):
            async with http.get(site.feed_url) as r:
                statuses.append(r.status)
                retry_after = r.headers.get("Retry-After")
        assert statuses == [200, 200, 429]
        assert retry_after is not None and 1 <= int(retry_after) <= 10


async def test_flaky_site_fails_some_requests(http: aiohttp.ClientSession) -> None:
    cfg = quiet_config(sites=1, flaky_fraction=1.0, flaky_rate=0.5)
    async with World(cfg) as world:
        statuses = set()
        for _ in range(40):
            async with http.get(world.sites[0].feed_url) as r:
                statuses.add(r.status)
        assert statuses == {200, 500}


async def test_slow_site_keeps_pipelined_answers_in_order() -> None:
    cfg = quiet_config(sites=1, slow_fraction=1.0, slow_delay=(0.05, 0.4))
    async with World(cfg) as world:
        site = world.sites[0]
        reader, writer = await asyncio.open_connection("127.0.0.1", site.port)
        targets = [site.feed_path, "/robots.txt", "/", site.feed_path]
        began = time.monotonic()
        writer.write(b"".join(f"GET {t} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for t in targets))
        kinds = []
        for _ in targets:
            head = (await reader.readuntil(b"\r\n\r\n")).decode()
            length = int(re.search(r"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            kinds.append(re.search(r"Content-Type: ([\w/+-]+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
        writer.close()
        assert time.monotonic() - began >= 0.05
        feed_type = kinds[0]
        assert kinds == [feed_type, "text/plain", "text/html", feed_type]
