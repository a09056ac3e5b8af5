"""A minimal HTTP load generator, to measure how many feed requests the world answers.

    python -m worldwire sim --sites 1000 --plain --set autopublish=false > world.opml &
    python -m worldwire.sim.loadgen world.opml --seconds 10 --connections 64 [--conditional]

Each connection keeps alive against one site's feed and sends the next request
as soon as the previous answer is complete; with --conditional, requests carry
the ETag last seen, so the answers are 304s. Raw asyncio on uvloop, so that one
client core can outpace one server core.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from collections import Counter
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import uvloop

_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_ETAG = re.compile(rb"\r\netag:\s*([^\r\n]+)", re.IGNORECASE)


class _Client(asyncio.Protocol):
    def __init__(self, host: str, target: str, conditional: bool, gzip: bool) -> None:
        self._request = (
            f"GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: wwsim-loadgen\r\n"
            + ("Accept-Encoding: gzip\r\n" if gzip else "")
        ).encode()
        self._conditional = conditional
        self._etag = b""
        self._buffer = b""
        self._transport: asyncio.Transport | None = None
        self.statuses: Counter[int] = Counter()
        self.closed = asyncio.get_running_loop().create_future()
        self.running = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one.
        self._transport = cast(asyncio.Transport, transport)
        self._send()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)

    def _send(self) -> None:
        assert self._transport is not None
        etag = (
            b"If-None-Match: " + self._etag + b"\r\n" if self._conditional and self._etag else b""
        )
        self._transport.write(self._request + etag + b"\r\n")

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = self._buffer[: end + 2]
        length_match = _LENGTH.search(head)
        length = int(length_match.group(1)) if length_match else 0
        if len(self._buffer) < end + 4 + length:
            return
        self._buffer = self._buffer[end + 4 + length :]
        self.statuses[int(head[9:12])] += 1
        etag = _ETAG.search(head)
        if etag:
            self._etag = etag.group(1)
        if self.running:
            self._send()
        elif self._transport is not None:
            self._transport.close()


async def hammer(
    feed_urls: list[str], *, seconds: float, connections: int, conditional: bool, gzip: bool
) -> dict[str, float]:
    """Load the feeds for `seconds`; returns requests per second and status counts."""
    loop = asyncio.get_running_loop()
    clients = []
    for i in range(connections):
        url = urlsplit(feed_urls[i % len(feed_urls)])
        client = _Client(url.netloc, url.path or "/", conditional, gzip)
        await loop.create_connection(lambda c=client: c, url.hostname or "", url.port or 80)  # type: ignore[misc]
        clients.append(client)
    await asyncio.sleep(min(1.0, seconds / 5))  # warm-up: first 200s, caches filled
    before = sum(sum(c.statuses.values()) for c in clients)
    began = time.perf_counter()
    await asyncio.sleep(seconds)
    done = sum(sum(c.statuses.values()) for c in clients) - before
    took = time.perf_counter() - began
    for client in clients:
        client.running = False
    await asyncio.wait([c.closed for c in clients], timeout=5)
    statuses: Counter[int] = Counter()
    for client in clients:
        statuses.update(client.statuses)
    result = {"requests_per_s": done / took, "seconds": took, "connections": connections}
    result.update({f"status_{k}": float(v) for k, v in sorted(statuses.items())})
    return result


def feed_urls_of(opml: str) -> list[str]:
    return re.findall(r'xmlUrl="([^"]+)"', opml)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure the world's feed requests per second.")
    parser.add_argument("opml", type=Path, help="the OPML that `worldwire sim` printed")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--conditional", action="store_true", help="send If-None-Match (304s)")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    args = parser.parse_args(argv)
    urls = feed_urls_of(args.opml.read_text())
    result = uvloop.run(
        hammer(
            urls, seconds=args.seconds, connections=args.connections,
            conditional=args.conditional, gzip=args.gzip,
        )
    )  # fmt: skip
    print(" ".join(f"{k}={v:.0f}" for k, v in result.items()))


if __name__ == "__main__":
    main()
