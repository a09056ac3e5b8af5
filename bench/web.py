"""The reader's web under load: the front page with 10,000 stories in the store, and
the live stream with 1,000 and 5,000 concurrent readers.

- Front page: requests/s from one server process, measured by wrk on loopback
  (Debian's `wrk`; skipped when it is not installed); HTML size; time to first byte
  (p50, p99) on a keep-alive connection; the time to render it after an event.
  Peer: the same HTML bytes served by a bare ASGI app under the same uvicorn, the
  ceiling of the server stack; the ratio says how much of it WorldWire keeps. The
  two are measured in alternating rounds (median of three) as the machine is shared.
- Live stream: N readers connect to /api/stream; the server commits a new story;
  each reader's arrival time is measured from the moment the bench asked for the
  commit (the readers run in this process, so their own reading is included). Also
  the server's memory per reader and CPU per event fanned out.

The server runs in a subprocess (`python -m bench.web serve DB PORTFILE`) holding
only the store, the event bus and the web app, and publishes a story for each line
"publish" on its standard input.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Report, fmt

REPO = Path(__file__).resolve().parents[1]
FULL_STORIES = 10_000
SMOKE_STORIES = 300
SOURCES = 200
COUNTRIES = ("FR", "GB", "KE", "JP", "BR", "IN", "DE", "NG", "US", "AU", "EG", "MX")
LANGS = {"FR": "fr", "DE": "de", "BR": "pt", "MX": "es", "JP": "ja"}


# -- the store ------------------------------------------------------------------


async def _seed(db: str, stories: int) -> None:
    from worldwire.model import Entry, SourceSpec
    from worldwire.sim.corpus import load
    from worldwire.store import ArticleUpdate, SQLiteStore

    corpus = load()
    texts = [t for group in corpus.articles.values() for t in group]
    texts += [t for group in corpus.headlines.values() for t in group]
    store = SQLiteStore(db)
    specs = [
        SourceSpec(
            name=f"Outlet {i} {COUNTRIES[i % len(COUNTRIES)]}",
            feed_url=f"http://127.0.0.1:9/{i}.xml",
            homepage=f"https://outlet{i}.example/",
            country=COUNTRIES[i % len(COUNTRIES)],
            languages=(LANGS.get(COUNTRIES[i % len(COUNTRIES)], "en"),),
        )
        for i in range(SOURCES)
    ]
    await store.add_sources(specs)
    sources = await store.list_sources()
    now = time.time()
    per_source = -(-stories // len(sources))
    n = 0
    for source in sources:
        about = (source.country,)
        entries = []
        for _ in range(min(per_source, stories - n)):
            text = texts[n % len(texts)]
            lead = " ".join(text.paragraphs[:1])[:400] or text.title
            published = now - (stories - n) * 30
            entries.append(
                Entry(
                    key=f"{source.id}-{n}",
                    url=f"https://outlet{source.id}.example/news/{n}",
                    title=text.title,
                    summary=lead,
                    content="\n\n".join(text.paragraphs[:4]),
                    published=published,
                )
            )
            n += 1
        if not entries:
            break
        upserted = await store.upsert_entries(source, entries, now)
        await store.assign_stories(
            [
                ArticleUpdate(u.article_id, u.article_id, None, u.article_id, countries=about)
                for u in upserted
            ]
        )
    await store.close()


# -- the server subprocess --------------------------------------------------------


async def _serve(db: str, port_file: str) -> None:
    import uvicorn

    from worldwire.bus import EventBus
    from worldwire.model import Entry
    from worldwire.settings import Settings
    from worldwire.store import ArticleUpdate, SQLiteStore
    from worldwire.web.app import create_app
    from worldwire.web.context import AppContext

    loop = asyncio.get_running_loop()
    bus = EventBus(loop)
    store = SQLiteStore(db, on_commit=bus.publish_threadsafe)
    bus.last_id = await store.last_event_id()
    app = create_app(AppContext(store, bus, Settings(db=db)))
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, access_log=False,
        lifespan="off", loop="none", backlog=8192,
    )  # fmt: skip
    server = uvicorn.Server(config)
    sock = config.bind_socket()
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    Path(port_file).write_text(str(sock.getsockname()[1]))
    source = (await store.list_sources())[0]
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    n = 0
    while line := await reader.readline():
        if line.strip() == b"publish":
            n += 1
            now = time.time()
            entry = Entry(
                key=f"bench-{now}-{n}",
                url=f"https://outlet{source.id}.example/live/{n}",
                title=f"Live bench story {n}",
                summary="Published while readers wait.",
                published=now - 5,
            )
            (up,) = await store.upsert_entries(source, [entry], now)
            await store.assign_stories([ArticleUpdate(up.article_id, up.article_id)])
    server.should_exit = True
    await task
    await store.close()


async def _serve_peer(body_file: str, port_file: str) -> None:
    import uvicorn

    body = Path(body_file).read_bytes()
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", b"%d" % len(body)),
    ]

    async def app(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        await send({"type": "http.response.start", "status": 200, "headers": headers})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": body})  # type: ignore[operator]

    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, access_log=False,
        lifespan="off", loop="none",
    )  # fmt: skip
    server = uvicorn.Server(config)
    sock = config.bind_socket()
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    Path(port_file).write_text(str(sock.getsockname()[1]))
    await task


def _start(args: list[str], tmp: Path) -> tuple[subprocess.Popen[bytes], int]:
    port_file = tmp / f"port-{time.monotonic_ns()}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.web", *args, str(port_file)],
        cwd=REPO,
        stdin=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"server did not start: {args}")
        time.sleep(0.05)
    return proc, int(port_file.read_text())


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.stdin:
        proc.stdin.close()
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- the front page -------------------------------------------------------------------


def _get(sock: socket.socket, path: str) -> tuple[float, float, bytes]:
    """One keep-alive GET: (seconds to the first byte, seconds in all, body)."""
    start = time.perf_counter()
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    data = sock.recv(65536)
    first = time.perf_counter() - start
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return first, time.perf_counter() - start, body


def _wrk(port: int, seconds: int) -> float | None:
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{seconds}s", f"http://127.0.0.1:{port}/"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw errors: {out}")
    return float(found.group(1)) if found else None


def _front_page(
    port: int, proc: subprocess.Popen[bytes], samples: int
) -> tuple[dict[str, float], bytes]:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for _ in range(20):
            _get(sock, "/")
        timings = [_get(sock, "/") for _ in range(samples)]
        body = timings[-1][2]
        renders = []
        for _ in range(2 if samples < 100 else 5):  # after an event: rendered again, once
            assert proc.stdin is not None
            proc.stdin.write(b"publish\n")
            proc.stdin.flush()
            time.sleep(0.2)
            renders.append(_get(sock, "/")[1])
    ttfb = sorted(t[0] for t in timings)
    figures = {
        "html_kb": len(body) / 1024,
        "stories_on_page": body.count(b'<article class="story"'),
        "ttfb_p50_ms": ttfb[len(ttfb) // 2] * 1000,
        "ttfb_p99_ms": ttfb[int(len(ttfb) * 0.99)] * 1000,
        "render_after_event_ms": statistics.median(renders) * 1000,
    }
    return figures, body


def _throughput(
    port: int, body: bytes, tmp: Path, rounds: int
) -> tuple[float | None, float | None]:
    """Requests/s of ours and of the peer, in alternating rounds (the machine is
    shared: alternating spreads its noise over both); the median of each."""
    if not shutil.which("wrk"):
        return None, None
    (tmp / "front.html").write_bytes(body)
    peer_proc, peer_port = _start(["peer", str(tmp / "front.html")], tmp)
    ours: list[float] = []
    peers: list[float] = []
    try:
        for _ in range(rounds):
            ours.append(_wrk(port, 1 if rounds == 1 else 5) or 0.0)
            peers.append(_wrk(peer_port, 1 if rounds == 1 else 5) or 0.0)
    finally:
        _stop(peer_proc)
    return statistics.median(ours), statistics.median(peers)


# -- the live stream ---------------------------------------------------------------


class _Reader(asyncio.Protocol):
    def __init__(self, arrivals: list[list[float]], connected: list[int]) -> None:
        self.arrivals = arrivals
        self.connected = connected
        self.seen = 0
        self.ready = False

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        if not self.ready and b": connected" in data:
            self.ready = True
            self.connected[0] += 1
        for _ in range(data.count(b"event: story.new")):
            if self.seen < len(self.arrivals):
                self.arrivals[self.seen].append(now)
            self.seen += 1


async def _fan_out(
    port: int, proc: subprocess.Popen[bytes], readers: int, events: int
) -> dict[str, float]:
    loop = asyncio.get_running_loop()
    arrivals: list[list[float]] = [[] for _ in range(events)]
    connected = [0]
    rss_before = _rss_mb(proc.pid)
    transports = []
    # As the front page asks: story events only.
    request = b"GET /api/stream?kinds=story.new,story.updated HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for start in range(0, readers, 250):
        batch = [
            loop.create_connection(lambda: _Reader(arrivals, connected), "127.0.0.1", port)
            for _ in range(min(250, readers - start))
        ]
        for transport, _ in await asyncio.gather(*batch):
            transport.write(request)
            transports.append(transport)
        while connected[0] < len(transports):
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)
    rss_after = _rss_mb(proc.pid)
    cpu_before = _cpu_seconds(proc.pid)
    latencies: list[float] = []
    assert proc.stdin is not None
    for index in range(events):
        sent = time.monotonic()
        proc.stdin.write(b"publish\n")
        proc.stdin.flush()
        deadline = sent + 10
        while len(arrivals[index]) < readers and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        latencies.extend(t - sent for t in arrivals[index])
        await asyncio.sleep(0.3)
    cpu = _cpu_seconds(proc.pid) - cpu_before
    for transport in transports:
        transport.close()
    latencies.sort()
    delivered = len(latencies) / (readers * events)
    return {
        "readers": readers,
        "delivered": delivered,
        "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else float("nan"),
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
        "cpu_s_per_event": cpu / events,
        "rss_mb": rss_after,
        "kb_per_reader": (rss_after - rss_before) * 1024 / readers,
    }


# -- the benchmark ------------------------------------------------------------------


def run(smoke: bool) -> Report:
    report = Report("web")
    stories = SMOKE_STORIES if smoke else FULL_STORIES
    with tempfile.TemporaryDirectory(prefix="ww-bench-web-") as folder:
        tmp = Path(folder)
        db = str(tmp / "bench.db")
        asyncio.run(_seed(db, stories))
        proc, port = _start(["serve", db], tmp)
        try:
            page, body = _front_page(port, proc, 50 if smoke else 500)
            ours, peer = _throughput(port, body, tmp, rounds=1 if smoke else 3)
            fans = [
                asyncio.run(_fan_out(port, proc, n, 2 if smoke else 5))
                for n in ((50,) if smoke else (1000, 5000))
            ]
        finally:
            _stop(proc)
    return _report(report, stories, page, ours, peer, fans)


def _report(
    report: Report,
    stories: int,
    page: dict[str, float],
    ours: float | None,
    peer: float | None,
    fans: list[dict[str, float]],
) -> Report:
    report.figures.update({f"front_{k}": v for k, v in page.items()})
    report.figures["stories_in_store"] = stories
    report.figures["front_requests_per_s"] = ours
    report.figures["peer_bare_asgi_requests_per_s"] = peer
    report.figures["ratio_to_bare_asgi"] = (ours / peer) if ours and peer else None
    report.table = [["measure", "value"]]
    report.table.append(["stories in the store", f"{stories:,}"])
    if ours is not None:
        report.table.append(["front page, requests/s (wrk -t1 -c32; median)", fmt(ours, 0)])
        report.table.append(["same bytes from a bare ASGI app (peer)", fmt(peer or 0, 0)])
        report.table.append(["ratio to the bare stack", fmt((ours / peer) if peer else 0, 2)])
    else:
        report.notes.append("wrk is not installed: requests/s not measured (apt install wrk)")
    report.table.append(["front page HTML, KB", fmt(page["html_kb"])])
    report.table.append(
        ["TTFB p50 / p99, ms", f"{fmt(page['ttfb_p50_ms'], 2)} / {fmt(page['ttfb_p99_ms'], 2)}"]
    )
    report.table.append(["render after an event, ms", fmt(page["render_after_event_ms"], 1)])
    for fan in fans:
        n = int(fan["readers"])
        report.figures.update({f"sse_{n}_{k}": v for k, v in fan.items() if k != "readers"})
        report.table.append(
            [
                f"SSE {n:,} readers: p50 / p99 / max, ms",
                f"{fmt(fan['p50_ms'], 0)} / {fmt(fan['p99_ms'], 0)} / {fmt(fan['max_ms'], 0)}",
            ]
        )
        report.table.append(
            [
                f"SSE {n:,} readers: CPU per event, memory",
                f"{fmt(fan['cpu_s_per_event'] * 1000, 0)} ms; {fmt(fan['rss_mb'], 0)} MB RSS, "
                f"{fmt(fan['kb_per_reader'], 1)} KB/reader; delivered {fan['delivered']:.0%}",
            ]
        )
    report.notes.append(
        "Readers and wrk share the machine with the server; SSE latency includes the "
        "readers' own Python reading."
    )
    return report


if __name__ == "__main__":
    import uvloop

    mode, *rest = sys.argv[1:]
    if mode == "serve":
        uvloop.run(_serve(*rest))
    elif mode == "peer":
        uvloop.run(_serve_peer(*rest))
    else:
        raise SystemExit(f"unknown mode {mode}")
