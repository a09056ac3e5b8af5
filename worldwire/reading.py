"""Article pages: fetched through the one client, read in a process pool sized to the
cores, never on the event loop."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
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


def _start_worker(parent: int) -> None:
    """In each worker: load the models, and leave when WorldWire does. A killed parent
    (SIGKILL, OOM) cannot tell its workers; without this they would live on."""
    warm_up()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class PageReader:
    def __init__(self, fetcher: Fetcher, settings: Settings) -> None:
        self.fetcher = fetcher
        self._workers = settings.extract_workers or len(os.sched_getaffinity(0))
        # Spawned, not forked: forking a process that runs threads (the SQLite writer,
        # the readers) is unsafe, and spawned workers are our own children.
        self._pool = ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
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
