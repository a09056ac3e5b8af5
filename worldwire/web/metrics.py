"""Prometheus metrics for the web process, in the text exposition format."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Seconds from an event's commit to its delivery on a live stream.
DELIVERY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Histogram:
    def __init__(self, buckets: tuple[float, ...]) -> None:
        self.buckets = buckets
        self.counts = [0] * (len(buckets) + 1)
        self.total = 0.0

    def observe(self, value: float, times: int = 1) -> None:
        self.counts[bisect.bisect_left(self.buckets, value)] += times
        self.total += value * times

    def lines(self, name: str) -> list[str]:
        out, running = [], 0
        for bound, count in zip(self.buckets, self.counts, strict=False):
            running += count
            out.append(f'{name}_bucket{{le="{bound}"}} {running}')
        running += self.counts[-1]
        out.append(f'{name}_bucket{{le="+Inf"}} {running}')
        out.append(f"{name}_sum {self.total:.6f}")
        out.append(f"{name}_count {running}")
        return out


def request_kind(path: str) -> str:
    if path.startswith("/api/stream"):
        return "stream"
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/feeds/"):
        return "feed"
    if path.startswith("/static/"):
        return "static"
    return "page"


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str]] = Counter()
        self.stream_clients = 0
        self.stream_connections = 0
        self.stream_events_sent = 0
        self.stream_slow_readers = 0
        self.delivery = Histogram(DELIVERY_BUCKETS)
        # Read at scrape time: values that live elsewhere (cache, bus).
        self.external: dict[str, tuple[str, str, Callable[[], float]]] = {}

    def add(self, name: str, kind: str, help_text: str, read: Callable[[], float]) -> None:
        """A gauge or counter kept elsewhere, read when scraped."""
        self.external[name] = (kind, help_text, read)

    def text(self) -> str:
        lines = [
            "# HELP worldwire_http_requests_total HTTP requests by kind and status class.",
            "# TYPE worldwire_http_requests_total counter",
        ]
        for (kind, status), count in sorted(self.requests.items()):
            lines.append(
                f'worldwire_http_requests_total{{kind="{kind}",status="{status}"}} {count}'
            )
        lines += [
            "# HELP worldwire_stream_clients Live stream readers connected now.",
            "# TYPE worldwire_stream_clients gauge",
            f"worldwire_stream_clients {self.stream_clients}",
            "# HELP worldwire_stream_connections_total Live stream connections opened.",
            "# TYPE worldwire_stream_connections_total counter",
            f"worldwire_stream_connections_total {self.stream_connections}",
            "# HELP worldwire_stream_events_sent_total Events written to live stream readers.",
            "# TYPE worldwire_stream_events_sent_total counter",
            f"worldwire_stream_events_sent_total {self.stream_events_sent}",
            "# HELP worldwire_stream_slow_readers_total Readers whose socket was full, left to"
            " catch up on their own.",
            "# TYPE worldwire_stream_slow_readers_total counter",
            f"worldwire_stream_slow_readers_total {self.stream_slow_readers}",
            "# HELP worldwire_stream_delivery_seconds From an event's commit to its delivery.",
            "# TYPE worldwire_stream_delivery_seconds histogram",
            *self.delivery.lines("worldwire_stream_delivery_seconds"),
        ]
        for name, (kind, help_text, read) in sorted(self.external.items()):
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", f"{name} {read():g}"]
        return "\n".join(lines) + "\n"


class CountRequests:
    """Counts every request by kind (page, api, feed, stream, static) and status class."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = request_kind(scope["path"])

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.metrics.requests[kind, f"{message['status'] // 100}xx"] += 1
            await send(message)

        await self.app(scope, receive, counting_send)
