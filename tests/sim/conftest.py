"""Fixtures for the simulated world's tests: small worlds on 127.0.0.1, an HTTP
client, and a WebSub callback server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import feedparser
import orjson
import pytest
from aiohttp import web
from lxml import etree

from worldwire.sim import World, WorldConfig

ALL_FORMATS = {"rss2": 1.0, "atom": 1.0, "jsonfeed": 1.0, "rdf": 1.0, "sitemap": 1.0}


def quiet_config(**changes: object) -> WorldConfig:
    """A small world that publishes only when told to, with no HTTP trouble."""
    base = WorldConfig(sites=20, seed=3, autopublish=False, formats=ALL_FORMATS).plain()
    return base.with_values(**changes)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with World(quiet_config(push_fraction=0.3), truth_path=tmp_path / "truth.jsonl") as w:
        yield w


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
        yield session


@dataclass
class Callback:
    """A WebSub subscriber's callback endpoint that records what the hub sends."""

    url: str = ""
    echo: bool = True  # answer verification GETs with the challenge
    verifications: list[dict[str, str]] = field(default_factory=list)
    deliveries: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def get(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.verifications.append(query)
        self.arrived.set()
        if query.get("hub.mode") == "denied" or not self.echo:
            return web.Response(text="ok")
        return web.Response(text=query.get("hub.challenge", ""))

    async def post(self, request: web.Request) -> web.Response:
        self.deliveries.append((dict(request.headers), await request.read()))
        self.arrived.set()
        return web.Response(status=204)

    async def wait(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        async def until() -> None:
            while not predicate():
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(until(), timeout)


@pytest.fixture
async def callback() -> AsyncIterator[Callback]:
    cb = Callback()
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app.router.add_get("/cb/{token}", cb.get)
    app.router.add_post("/cb/{token}", cb.post)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    cb.url = f"http://127.0.0.1:{port}/cb/"
    yield cb
    await runner.cleanup()


def served_urls(kind: str, body: bytes) -> list[str]:
    """The article URLs a feed lists, newest first, read by an independent parser."""
    if kind == "jsonfeed":
        return [item["url"] for item in orjson.loads(body)["items"]]
    if kind == "sitemap":
        ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        return [loc.text or "" for loc in etree.fromstring(body).iter(ns + "loc")]
    return [entry.link for entry in feedparser.parse(body).entries]
