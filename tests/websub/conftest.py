"""A simulated world whose sites push through its WebSub hub, and a WorldWire (store,
scheduler, pipeline, web server, subscriber and hub, as `service.serve` wires them)
reading it on 127.0.0.1 with its public URL set to its own address."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import uvicorn
from aiohttp import web

from tests.conftest import StartServer, make_settings
from worldwire import service
from worldwire.model import Source
from worldwire.sim import World, WorldConfig
from worldwire.web.app import create_app
from worldwire.web.context import AppContext
from worldwire.web.websub import attach
from worldwire.websub.state import ACTIVE, PushState

# Fast first polls (the hub is found on the first one); once push works, polls are
# a backup an hour apart unless a test says otherwise.
FAST = {
    "poll_floor": 0.2,
    "poll_initial": 0.5,
    "poll_ceiling": 1.0,
    "poll_jitter": 0.0,
    "backoff_base": 0.5,
    "backoff_ceiling": 2.0,
}


def push_world(sites: int = 3, **changes: Any) -> WorldConfig:
    """A quiet world (it publishes when told to) whose every site pushes."""
    base = WorldConfig(
        sites=sites,
        seed=5,
        autopublish=False,
        push_fraction=1.0,
        formats={"rss2": 1.0, "atom": 1.0, "jsonfeed": 1.0},
    ).plain()
    return base.with_values(**changes)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Node:
    """A running WorldWire, with its insides at hand."""

    rt: service.Runtime
    url: str

    @property
    def subscriber(self) -> Any:
        return self.rt.websub.subscriber

    async def sources(self) -> list[Source]:
        return [s for s in await self.rt.store.list_sources() if s.enabled]

    async def source(self, feed_url: str) -> Source:
        return next(s for s in await self.rt.store.list_sources() if s.feed_url == feed_url)

    def push(self, source_id: int) -> PushState:
        state: PushState | None = self.subscriber.state_of(source_id)
        assert state is not None, f"source {source_id} has no push state"
        return state


async def all_active(node: Node, world: World) -> bool:
    """Every source subscribed, as both WorldWire and the hub see it (WorldWire
    answers the challenge a moment before the hub records the subscription)."""
    sources = await node.sources()
    states = [node.subscriber.state_of(s.id) for s in sources]
    return (
        bool(sources)
        and all(s is not None and s.state == ACTIVE for s in states)
        and all(world.hub.subscriptions(s.feed_url) for s in sources)
    )


async def push_only(node: Node, world: World) -> bool:
    """Every source subscribed and past its one poll after the verification (which
    catches what came out before push began): from here on news comes by push alone,
    so no poll can race a test's push to an item and take it first."""
    if not await all_active(node, world):
        return False
    backup = time.time() + node.rt.settings.websub_backup_poll / 2
    return all(s.next_check_at > backup for s in await node.sources())


def bound_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.asynccontextmanager
async def running(tmp: Path, opml: str, **overrides: Any) -> AsyncIterator[Node]:
    sock = bound_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    (tmp / "sources.opml").write_text(opml)
    values = {**FAST, "public_url": url, "sources": str(tmp / "sources.opml"), **overrides}
    settings = make_settings(tmp, **values)
    async with service.runtime(settings) as rt:
        app = create_app(AppContext(rt.store, rt.bus, settings))
        attach(app, rt.websub)
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", loop="none")
        server = _Server(config)
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(server.serve(sockets=[sock])),
            asyncio.create_task(rt.scheduler.run(stop)),
            asyncio.create_task(rt.websub.run(stop)),
        ]
        try:
            await until(lambda: server.started or tasks[0].done())
            yield Node(rt, url)
        finally:
            stop.set()
            server.should_exit = True
            await asyncio.gather(*tasks, return_exceptions=True)


async def until(predicate: Callable[[], Any], timeout: float = 10.0, step: float = 0.05) -> Any:
    """Wait until `predicate()` (sync or async) is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        await asyncio.sleep(step)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with World(push_world(), truth_path=tmp_path / "truth.jsonl") as w:
        yield w


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
        yield session


@dataclass
class Callback:
    """A subscriber's callback endpoint that records what a hub sends it."""

    url: str = ""
    echo: bool = True  # answer verification GETs with the challenge
    failures: int = 0  # answer this many deliveries 500 before accepting
    verifications: list[dict[str, str]] = field(default_factory=list)
    deliveries: list[tuple[float, dict[str, str], bytes]] = field(default_factory=list)
    refused: list[float] = field(default_factory=list)

    async def get(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.verifications.append(query)
        if query.get("hub.mode") == "denied" or not self.echo:
            return web.Response(text="ok")
        return web.Response(text=query.get("hub.challenge", ""))

    async def post(self, request: web.Request) -> web.Response:
        body = await request.read()
        if self.failures > 0:
            self.failures -= 1
            self.refused.append(time.time())
            return web.Response(status=500)
        self.deliveries.append((time.time(), dict(request.headers), body))
        return web.Response(status=204)


@pytest.fixture
async def callback(serve_app: StartServer) -> Callback:
    cb = Callback()
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app.router.add_get("/cb/{name}", cb.get)
    app.router.add_post("/cb/{name}", cb.post)
    cb.url = await serve_app(app) + "/cb/"
    return cb
