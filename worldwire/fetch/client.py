"""The one outbound HTTP client: every feed, page, hub and autodiscovery request
goes through Fetcher, so every request gets the same guard, caps and deadline."""

from __future__ import annotations

import asyncio
import contextlib
import resource
import time
from collections import defaultdict
from collections.abc import Coroutine
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from yarl import URL

from worldwire import __version__
from worldwire.errors import (
    BodyTooLarge,
    DeadlineExceeded,
    FetchError,
    HTTPStatusError,
    TooManyRedirects,
    WorldWireError,
)
from worldwire.fetch.decode import BoundedDecoder
from worldwire.fetch.guard import NetworkGuard
from worldwire.fetch.resolver import GuardedResolver
from worldwire.model import FetchResult
from worldwire.parse.dates import parse_date
from worldwire.settings import Settings

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_KEPT_HEADERS = (
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "retry-after",
    "content-type",
    "link",
    "date",
    "age",
    "content-language",
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_IDEMPOTENT = frozenset({"GET", "HEAD"})


class Fetcher:
    """Use as `async with Fetcher(settings) as fetcher: await fetcher.get(url)`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.guard = NetworkGuard(settings.allow_networks)
        self.user_agent = f"WorldWire/{__version__} (+{settings.operator_url})"
        self._session: aiohttp.ClientSession | None = None
        self._targets: dict[str, tuple[URL, str]] = {}
        self._all = asyncio.Semaphore(settings.fetch_concurrency)
        self._deadlines = _Deadlines()
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.fetch_per_host)
        )

    async def __aenter__(self) -> Fetcher:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self.guard),
            # Requests in flight are limited by our semaphores; this bounds the open
            # connections, idle ones included, so that a source polled every few
            # seconds keeps its connection instead of paying a handshake each time.
            limit=max(self.settings.fetch_concurrency, connection_budget()),
            limit_per_host=0,  # politeness is ours, per netloc, below
            ttl_dns_cache=300,
            keepalive_timeout=60,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,  # we decode ourselves, with a size cap
            timeout=aiohttp.ClientTimeout(total=None, connect=self.settings.fetch_connect_timeout),
            # aiohttp adds its own User-Agent only where none is set, as here: no need to
            # skip it (skip_auto_headers costs a copy of the headers on every request).
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        self._deadlines.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._deadlines.stop()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def get(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        accept: str = FEED_ACCEPT,
        max_bytes: int | None = None,
    ) -> Coroutine[Any, Any, FetchResult]:
        """A conditional GET. Returns 200 or 304 results; raises FetchError otherwise."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        # Not a coroutine of its own: each level of awaiting costs on every resumption,
        # and feeds are polled thousands of times a second.
        return self.request("GET", url, headers=headers, max_bytes=max_bytes)

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        data: bytes | dict[str, str] | None = None,
        max_bytes: int | None = None,
        follow: bool = True,
    ) -> FetchResult:
        """Any request, with redirects followed hop by hop (each hop re-checked),
        under one total deadline that covers connecting, redirects and the body."""
        started = time.perf_counter()
        headers = headers or {}
        max_bytes = max_bytes or self.settings.fetch_max_bytes
        task = asyncio.current_task()
        assert task is not None, "Fetcher.request runs in a task"
        # The deadline starts once a connection slot is ours (see _once): waiting
        # politely behind other requests to the same host is not the server's fault.
        deadline = _Deadline(task, self._deadlines)
        try:
            seen: set[str] = set()
            for _hop in range(self.settings.fetch_max_redirects + 1):
                seen.add(url)
                result = await self._once(method, url, headers, data, max_bytes, deadline)
                if result.status not in _REDIRECTS or not follow:
                    result.elapsed_ms = (time.perf_counter() - started) * 1000.0
                    return result
                target = result.headers.get("location", "")
                if not target:
                    raise FetchError(f"redirect {result.status} without a Location", url=url)
                next_url = urljoin(url, target)
                if next_url in seen:
                    raise TooManyRedirects(f"redirect loop back to {next_url}", url=url)
                if result.status == 303 or (result.status in (301, 302) and method == "POST"):
                    method, data = "GET", None
                url = next_url
            raise TooManyRedirects(
                f"more than {self.settings.fetch_max_redirects} redirects", url=url
            )
        except asyncio.CancelledError:
            # Ours (the deadline passed) unless someone else cancelled the task too.
            if self._deadlines.release(task) and task.uncancel() == 0:
                raise deadline.exceeded(self.settings.fetch_deadline, url) from None
            raise
        finally:
            if self._deadlines.release(task):
                task.uncancel()  # our cancellation was swallowed below us: take it back

    def _target(self, url: str) -> tuple[URL, str]:
        """The parsed URL and its netloc, checked against the guard. Feeds are polled
        again and again, so both are kept: parsing is a real share of a 304's cost."""
        known = self._targets.get(url)
        if known is not None:
            return known
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"refused: only http and https URLs are fetched, not {url!r}", url=url)
        self.guard.check_host(parts.hostname, url)
        if len(self._targets) >= 50_000:
            self._targets.clear()
        target = (URL(url), parts.netloc.lower())
        self._targets[url] = target
        return target

    async def _once(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        data: bytes | dict[str, str] | None,
        max_bytes: int,
        deadline: _Deadline,
    ) -> FetchResult:
        if self._session is None:
            raise RuntimeError("Fetcher used outside `async with`")
        target, netloc = self._target(url)
        async with self._all, self._hosts[netloc]:
            for attempt in range(2):
                answered = False
                deadline.check(self.settings.fetch_deadline, url)
                try:
                    async with self._session.request(
                        method, target, headers=headers, data=data, allow_redirects=False
                    ) as resp:
                        answered = True
                        return await self._answer(resp, url, max_bytes)
                except WorldWireError:
                    raise
                except aiohttp.ClientError as exc:
                    if attempt == 0 and not answered and _retryable(method, exc):
                        continue
                    raise FetchError(_describe(exc), url=url) from exc
                except OSError as exc:
                    raise FetchError(f"network error: {exc}", url=url) from exc
        raise AssertionError("unreachable: the second attempt returns or raises")

    async def _answer(self, resp: aiohttp.ClientResponse, url: str, max_bytes: int) -> FetchResult:
        kept = {k: resp.headers[k] for k in _KEPT_HEADERS if k in resp.headers}
        if resp.status in _REDIRECTS:
            kept["location"] = resp.headers.get("Location", "")
            return FetchResult(url=url, status=resp.status, headers=kept)
        if resp.status == 304:
            return FetchResult(url=url, status=304, headers=kept)
        if resp.status >= 400:
            raise HTTPStatusError(
                f"HTTP {resp.status} {resp.reason or ''}".strip(),
                url=url,
                status=resp.status,
                retry_after=retry_after(kept),
            )
        body = await self._read(resp, max_bytes, url)
        return FetchResult(url=url, status=resp.status, body=body, headers=kept)

    @staticmethod
    async def _read(resp: aiohttp.ClientResponse, max_bytes: int, url: str) -> bytes:
        encoding = resp.headers.get("Content-Encoding", "")
        length = resp.content_length
        if length is not None and not encoding and length > max_bytes:
            raise BodyTooLarge(f"Content-Length {length} exceeds {max_bytes} bytes", url=url)
        decoder = BoundedDecoder(encoding, max_bytes, url)
        async for chunk in resp.content.iter_chunked(65536):
            decoder.feed(chunk)
        return decoder.finish()


class _Deadline:
    """One request's total deadline, shared by its redirect hops."""

    __slots__ = ("at", "deadlines", "task")

    def __init__(self, task: asyncio.Task[Any], deadlines: _Deadlines) -> None:
        self.task = task
        self.deadlines = deadlines
        self.at: float | None = None

    def check(self, seconds: float, url: str) -> None:
        """Start the clock on the first hop; refuse a later hop once time is up."""
        now = time.monotonic()
        if self.at is None:
            self.at = now + seconds
            self.deadlines.watch(self.task, self.at)
        elif now >= self.at:
            raise self.exceeded(seconds, url)

    @staticmethod
    def exceeded(seconds: float, url: str) -> DeadlineExceeded:
        return DeadlineExceeded(f"no complete answer within {seconds:g} s", url=url)


class _Deadlines:
    """The deadlines of the requests in flight, enforced by one sweep every tenth of
    a second that cancels the late ones. Arming and disarming a timer per request
    (aiohttp's `ClientTimeout(total=...)`) cost about 15% of the polling rate at
    thousands of polls a second; a deadline of seconds does not need a finer clock."""

    SWEEP = 0.1

    def __init__(self) -> None:
        self._due: dict[asyncio.Task[Any], float] = {}
        self._expired: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep(), name="fetch deadlines")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None

    def watch(self, task: asyncio.Task[Any], at: float) -> None:
        self._due[task] = at

    def release(self, task: asyncio.Task[Any]) -> bool:
        """Stop watching a task's request; whether its deadline had cancelled it."""
        self._due.pop(task, None)
        if task in self._expired:
            self._expired.discard(task)
            return True
        return False

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self.SWEEP)
            now = time.monotonic()
            late = [task for task, at in self._due.items() if at <= now]
            for task in late:
                del self._due[task]
                self._expired.add(task)
                task.cancel()


def connection_budget() -> int:
    """How many connections we may keep open: half the file descriptors this process
    may have, after raising its soft limit to the hard one (Linux defaults to 1,024)."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or hard > soft:
            soft = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    except (ValueError, OSError):
        soft = 1024
    return max(64, min(soft // 2, 8192))


def retry_after(headers: dict[str, str]) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    when = parse_date(value)
    return None if when is None else max(0.0, when - time.time())


def _retryable(method: str, exc: aiohttp.ClientError) -> bool:
    """Whether a request that got no answer may be sent once more: a GET whose
    kept-alive connection the server closed just as we reused it (its idle timeout
    racing our next poll), which is no fault of the source. aiohttp resends such a
    request itself when the close shows as a disconnect, but not when it finds the
    transport already closing as it writes."""
    return method in _IDEMPOTENT and isinstance(exc, aiohttp.ClientConnectionResetError)


def _describe(exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect: {exc.os_error or exc}"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return f"broken response body: {exc}"
    return f"{type(exc).__name__}: {exc}"
