"""The process: store, event bus, fetcher, scheduler, pipeline and web server wired
together, with a clean stop on Ctrl-C or SIGTERM (in-flight writes are committed)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass

import uvicorn

from worldwire import sources as source_lists
from worldwire.bus import EventBus
from worldwire.desk import Desk
from worldwire.errors import StoreError
from worldwire.fetch import Fetcher
from worldwire.model import Source, SourceSpec
from worldwire.pipeline import Pipeline, PollReport
from worldwire.reading import PageReader
from worldwire.scheduler import Scheduler
from worldwire.settings import Settings
from worldwire.store import SQLiteStore
from worldwire.web.app import create_app
from worldwire.web.context import AppContext
from worldwire.web.websub import attach as attach_websub
from worldwire.websub.runtime import WebSub

log = logging.getLogger("worldwire")


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def initial_sources(settings: Settings) -> tuple[list[SourceSpec], bool]:
    """The list to start from, and whether it replaces what the store has."""
    if settings.sources:
        return source_lists.load_file(settings.sources), True
    return source_lists.bundled(), False


async def prepare_sources(store: SQLiteStore, settings: Settings) -> None:
    specs, replace = initial_sources(settings)
    if replace:
        enabled, disabled = await store.sync_sources(specs)
        log.info(
            "sources from %s", settings.sources, extra={"enabled": enabled, "disabled": disabled}
        )
    elif not await store.list_sources():
        await store.add_sources(specs)
        log.info("sources: the bundled world list", extra={"count": len(specs)})


@dataclass
class Runtime:
    settings: Settings
    store: SQLiteStore
    bus: EventBus
    fetcher: Fetcher
    pipeline: Pipeline
    scheduler: Scheduler
    desk: Desk
    websub: WebSub


@contextlib.asynccontextmanager
async def runtime(
    settings: Settings, *, on_poll: Callable[[PollReport], None] | None = None
) -> AsyncIterator[Runtime]:
    bus = EventBus(asyncio.get_running_loop())
    store = SQLiteStore(settings.db_path, on_commit=bus.publish_threadsafe)
    bus.last_id = await store.last_event_id()
    owner = owner_id()
    try:
        async with Fetcher(settings) as fetcher:
            await prepare_sources(store, settings)
            reader = PageReader(fetcher, settings) if settings.read_pages else None
            desk = Desk(store, settings, reader)
            pipeline = Pipeline(store, fetcher, settings, owner, desk)
            websub = WebSub(store, fetcher, bus, settings, pipeline.receive_push)
            await websub.start()
            pipeline.push = websub.subscriber

            async def poll(source: Source) -> None:
                report = await pipeline.refresh_source(source)
                if on_poll is not None:
                    on_poll(report)

            scheduler = Scheduler(
                store, settings, owner, poll, max_in_flight=settings.fetch_concurrency
            )
            housekeeping = asyncio.create_task(prune_events(store, settings))
            try:
                await desk.start(await store.list_sources())
                yield Runtime(settings, store, bus, fetcher, pipeline, scheduler, desk, websub)
                await scheduler.drain()
            finally:
                housekeeping.cancel()
                await desk.stop()
                if reader is not None:
                    reader.close()
                await store.release_leases(owner)
    finally:
        await store.close()


async def prune_events(store: SQLiteStore, settings: Settings, every: float = 3600.0) -> None:
    """Keep the event log to `events_keep_days`: it is for live readers catching up,
    not an archive (the articles and stories are that)."""
    while True:
        await asyncio.sleep(60.0)
        try:
            pruned = await store.prune_events(time.time() - settings.events_keep_days * 86400)
        except StoreError as exc:
            log.warning("cannot prune events: %s", exc)
        else:
            if pruned:
                log.info("pruned old events", extra={"events": pruned})
        await asyncio.sleep(every - 60.0)


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _install_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def serve(
    settings: Settings,
    stop: asyncio.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """`worldwire run`: poll and serve until stopped."""
    stop = stop or asyncio.Event()
    _install_signals(stop)
    async with runtime(settings) as rt:
        app = create_app(AppContext(rt.store, rt.bus, settings))
        attach_websub(app, rt.websub)
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            lifespan="off",
            loop="none",
            timeout_graceful_shutdown=3,
        )
        server = _Server(config)
        sock = config.bind_socket()  # raises here, clearly, when the port is taken
        web = asyncio.create_task(server.serve(sockets=[sock]))
        url = f"http://{settings.host}:{sock.getsockname()[1]}"
        log.info("WorldWire is running at %s", url)
        if ready is not None:
            ready(url)
        polling = asyncio.create_task(rt.scheduler.run(stop))
        pushing = asyncio.create_task(rt.websub.run(stop))
        await stop.wait()
        log.info("stopping: finishing in-flight polls and writes")
        server.should_exit = True
        await asyncio.gather(web, polling, pushing, return_exceptions=True)


async def poll_once(
    settings: Settings, on_poll: Callable[[PollReport], None] | None = None
) -> None:
    """`worldwire poll --once`: every due source once, and the pages of what was new,
    then return (sooner on Ctrl-C: unread pages wait for the next run)."""
    stop = asyncio.Event()
    _install_signals(stop)
    async with runtime(settings, on_poll=on_poll) as rt:
        await rt.scheduler.run(stop, once=True)
        idle = asyncio.ensure_future(rt.desk.idle())
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait([idle, stopped], return_when=asyncio.FIRST_COMPLETED)
        idle.cancel()
        stopped.cancel()
