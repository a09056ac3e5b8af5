"""Article pages: fetched through the one client, read in a process pool sized to the
cores, never on the event loop."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from worldwire.cluster import Doc
from worldwire.fetch import HTML_ACCEPT, Fetcher
from worldwire.settings import Settings
from worldwire.understand import PageReading, Understood, read_page, understand, warm_up

T = TypeVar("T")


def _start_worker(worldwire: int) -> None:
    """In each worker: make sure the models are loaded, and leave when WorldWire does.
    A killed WorldWire (SIGKILL, OOM) cannot tell its workers, and the fork server
    waits for them: without this they would all live on."""
    # Ctrl-C and a service manager's SIGTERM reach the whole process group: the
    # workers leave it to WorldWire, which stops them once their reads are done (a
    # worker dying mid-read would break the pool and stall the shutdown).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    warm_up()
    if not os.path.exists("/proc/self/stat"):
        return  # nothing to watch with
    born = _started_at(worldwire)  # None: WorldWire was killed while we started

    def watch() -> None:
        while born is not None and _started_at(worldwire) == born:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="worldwire-watch", daemon=True).start()


def _started_at(pid: int) -> str | None:
    """When a live process started (its start time in /proc), or None once it has
    ended: a zombie counts as ended, and so does a new process given the same id."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    # After the command: state, then 18 more fields, then the start time.
    return None if fields[0] == b"Z" else fields[19].decode()


def _pool_context() -> multiprocessing.context.BaseContext:
    # Not forked from WorldWire itself, which runs threads (the SQLite writer, the
    # readers): forking it is unsafe. A fork server is a fresh process that loads the
    # models once (worldwire.preload) and forks the workers, which share those pages.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["worldwire.preload"])
    return context


class PageReader:
    def __init__(self, fetcher: Fetcher, settings: Settings) -> None:
        self.fetcher = fetcher
        self._workers = settings.extract_workers or len(os.sched_getaffinity(0))
        self._pool = ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=_pool_context(),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    async def start(self) -> None:
        """Start every worker now (each loads the models once), not on the first page."""
        await asyncio.gather(*(self._run(_ready) for _ in range(self._workers)))

    async def _run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    async def read_page(
        self,
        url: str,
        profile: dict[str, object] | None,
        *,
        doc: Doc,
        declared_language: str,
        source_country: str,
        categories: Sequence[str],
    ) -> PageReading:
        """Fetch the page (FetchError when that fails) and read it in the pool."""
        page = await self.fetcher.get(url, accept=HTML_ACCEPT)
        return await self._run(
            read_page,
            page.body,
            page.url,
            profile,
            doc=doc,
            declared_language=declared_language,
            source_country=source_country,
            categories=categories,
        )

    async def understand(
        self, doc: Doc, *, declared_language: str, source_country: str, categories: Sequence[str]
    ) -> Understood:
        """Read a whole text already in hand (a full-text feed) in the pool."""
        return await self._run(
            understand,
            doc,
            declared_language=declared_language,
            source_country=source_country,
            categories=categories,
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _ready() -> bool:
    return True
