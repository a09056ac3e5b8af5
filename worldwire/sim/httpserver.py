"""A small, fast HTTP/1.1 server for thousands of sites in one process.

One listening socket per site; connections are raw asyncio Protocols parsing with
httptools (on uvloop when the caller runs one), with keep-alive and pipelining. A
handler turns (method, target, headers) into a ready-made `Response`, so that the
hot path is a parse, a dict lookup and a write. aiohttp.web would cost several
times more per request, and the world must never be the bottleneck of a polling
benchmark.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections import deque
from collections.abc import Callable
from typing import NamedTuple, cast

import httptools


class Response(NamedTuple):
    head: bytes  # status line and headers (each ending in CRLF), without Date or Connection
    body: bytes
    delay: float = 0.0  # real seconds to wait before answering (slow sites)


Handler = Callable[[bytes, bytes, dict[bytes, bytes]], Response]

# Only these request headers matter to the world; the others are skipped unparsed.
WANTED_HEADERS = frozenset({b"if-none-match", b"if-modified-since", b"accept-encoding"})
_CLOSE = b"Connection: close\r\n"
_KEEP_ALIVE_10 = b"Connection: keep-alive\r\n"
_date_second = 0
_date_line = b""


def date_line() -> bytes:
    """The Date header, formatted once a second."""
    global _date_second, _date_line
    now = int(time.time())
    if now != _date_second:
        _date_second = now
        _date_line = b"Date: " + email.utils.formatdate(now, usegmt=True).encode() + b"\r\n"
    return _date_line


def simple(
    status: str, body: bytes = b"", content_type: str = "text/plain; charset=utf-8", extra: str = ""
) -> Response:
    """A response built on the spot (errors and rare pages)."""
    head = (
        f"HTTP/1.1 {status}\r\nServer: wwsim\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n{extra}"
    ).encode()
    return Response(head, body)


class HttpServer:
    def __init__(self, idle_timeout: float, max_connections: int) -> None:
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self.connections: set[_Connection] = set()
        self.requests = 0
        self._servers: list[asyncio.Server] = []
        self._sweeper: asyncio.Task[None] | None = None

    async def listen(self, sock: socket.socket, handler: Handler) -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Connection(self, handler), sock=sock)
        self._servers.append(server)
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep())

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        for server in self._servers:
            server.close()
        for conn in list(self.connections):
            conn.close()
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()

    async def _sweep(self) -> None:
        # One periodic pass instead of a timer per connection.
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(max(0.5, self.idle_timeout / 4))
            deadline = loop.time() - self.idle_timeout
            for conn in [c for c in self.connections if c.idle_since < deadline and not c.busy]:
                conn.close()


class _Connection(asyncio.Protocol):
    __slots__ = (
        "_handler",
        "_headers",
        "_loop",
        "_parser",
        "_queue",
        "_server",
        "_transport",
        "_url",
        "idle_since",
    )

    def __init__(self, server: HttpServer, handler: Handler) -> None:
        self._server = server
        self._handler = handler
        self._loop = asyncio.get_running_loop()
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._url = b""
        self._headers: dict[bytes, bytes] = {}
        # Responses owed in request order: [payload or None while delayed, keep-alive].
        self._queue: deque[list[object]] = deque()
        self.idle_since = self._loop.time()

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one.
        self._transport = cast(asyncio.Transport, transport)
        self._server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._server.connections.discard(self)
        self._transport = None

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def data_received(self, data: bytes) -> None:
        self.idle_since = self._loop.time()
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._answer(b"GET", simple("400 Bad Request", b"upgrades are not supported\n"), False)
        except httptools.HttpParserError:
            self._answer(b"GET", simple("400 Bad Request", b"bad request\n"), False)

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name in WANTED_HEADERS:
            self._headers[name] = value

    def on_message_complete(self) -> None:
        method = self._parser.get_method()
        url, headers = self._url, self._headers
        self._url, self._headers = b"", {}
        self._server.requests += 1
        keep = self._parser.should_keep_alive() and (
            len(self._server.connections) <= self._server.max_connections
        )
        self._answer(method, self._handler(method, url, headers), keep)

    def _answer(self, method: bytes, response: Response, keep: bool) -> None:
        if keep:
            conn = _KEEP_ALIVE_10 if self._parser.get_http_version() == "1.0" else b""
        else:
            conn = _CLOSE
        body = b"" if method == b"HEAD" else response.body
        if response.delay <= 0 and not self._queue:
            self._write(response.head, conn, body, keep)
            return
        slot: list[object] = [None, keep]
        self._queue.append(slot)
        if response.delay > 0:
            self._loop.call_later(response.delay, self._fill, slot, response.head, conn, body)
        else:
            self._fill(slot, response.head, conn, body)

    def _fill(self, slot: list[object], head: bytes, conn: bytes, body: bytes) -> None:
        slot[0] = (head, conn, body)
        while self._queue and self._queue[0][0] is not None:
            payload, keep = self._queue.popleft()
            assert isinstance(payload, tuple) and isinstance(keep, bool)
            head, conn, body = payload
            if not self._write(head, conn, body, keep):
                self._queue.clear()

    def _write(self, head: bytes, conn: bytes, body: bytes, keep: bool) -> bool:
        transport = self._transport
        if transport is None or transport.is_closing():
            return False
        transport.write(b"".join((head, date_line(), conn, b"\r\n", body)))
        if not keep:
            transport.close()
            return False
        return True
