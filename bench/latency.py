"""Latency: publish → visible, as a reader connected to `/api/stream` sees it.

    python -m bench latency            # 1,000 sites (30% push), 10 world-minutes, speedup 10
    python -m bench latency --smoke    # 12 sites, a few seconds

A simulated world runs in this process (with the SSE reader and a count of the
requests each site serves); WorldWire runs as `worldwire run` (`service.serve`) in
its own process, with its public URL set to its own 127.0.0.1 address, so that the
world's hub can push to it. The peer is the same WorldWire on the same world without
a public URL: polling only, as before push existed.

Time. The world runs `speedup` times faster than real time, and WorldWire's polling
settings are divided by the speedup too (floor, ceiling, first interval, backoff,
push backup poll), so that the whole system behaves as in the real world, only
faster. Polled latencies and request rates are therefore given in world time (the
real-world equivalent). Push latency is network and processing time, which the
speedup does not compress: it is given as measured, in real seconds.

Each item published during the window is matched by URL to the first `article.new`
event carrying it; items still unseen when the tail ends count as later than
anything seen (they make p99 and max "> tail" when there are enough of them)."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import orjson
import uvloop

from bench.harness import Report, fmt
from worldwire.parse import canonicalize
from worldwire.sim import World, WorldConfig
from worldwire.sim.httpserver import Response
from worldwire.sim.siteserver import SiteServer

ROOT = Path(__file__).resolve().parent.parent
PUSH_FRACTION = 0.3
SEED = 11
BOOTSTRAP = 2000  # resamples for the interval of the polled items' paired difference
# WorldWire's defaults, in world seconds; each is divided by the speedup.
TIMING = {
    "POLL_FLOOR": 15.0,
    "POLL_CEILING": 4 * 3600.0,
    "POLL_INITIAL": 300.0,
    "BACKOFF_BASE": 60.0,
    "BACKOFF_CEILING": 3600.0,
    "WEBSUB_BACKUP_POLL": 3600.0,
    "WEBSUB_GRACE": 60.0,
}


@dataclass(frozen=True)
class Plan:
    sites: int
    speedup: float
    window: float  # world seconds during which publications are measured
    tail: float  # world seconds after it, for late polls to catch up
    start: float  # world seconds after the world opens: the window's start, in both runs
    warmup_timeout: float  # real seconds, for the first polls and subscriptions
    peer: bool = True


# The window opens 50 world-minutes in: WorldWire has read the pages its first polls
# found, learnt the sites' rates, and both runs measure the same publications.
FULL = Plan(1000, speedup=10.0, window=600.0, tail=900.0, start=3000.0, warmup_timeout=240)
# The smoke run checks that the machinery works: no peer, no waiting.
SMOKE = Plan(12, speedup=30.0, window=90.0, tail=60.0, start=0.0, warmup_timeout=60, peer=False)


class RequestCounter:
    """Requests each site served, feed polls apart from the rest (pages, robots)."""

    def __init__(self) -> None:
        self.feeds: Counter[int] = Counter()
        self.other: Counter[int] = Counter()
        self._paths: dict[int, bytes] = {}

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        original = SiteServer.respond

        def respond(
            server: SiteServer, method: bytes, target: bytes, headers: dict[bytes, bytes]
        ) -> Response:
            site = server.site
            path = self._paths.get(site.id)
            if path is None:
                path = self._paths[site.id] = urlsplit(site.feed_url).path.encode()
            kind = self.feeds if target.split(b"?", 1)[0] == path else self.other
            kind[site.id] += 1
            return original(server, method, target, headers)

        # A deliberate monkeypatch; mypy also misreads the class attribute's type here
        # (it expects a second `self`), hence `assignment` beside `method-assign`.
        SiteServer.respond = respond  # type: ignore[method-assign, assignment]
        try:
            yield
        finally:
            SiteServer.respond = original  # type: ignore[method-assign]

    def reset(self) -> None:
        self.feeds.clear()
        self.other.clear()


class Reader:
    """An SSE client on /api/stream: when each article URL first became visible."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.first_seen: dict[str, float] = {}
        self.events = 0
        self.connected = asyncio.Event()

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.get(self.url + "/api/stream", params={"kinds": "article.new"}) as response,
        ):
            self.connected.set()
            kind = ""
            async for raw in response.content:
                at = time.time()
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "article.new":
                    self.events += 1
                    url = orjson.loads(line[6:]).get("url")
                    if isinstance(url, str):
                        self.first_seen.setdefault(url, at)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def worldwire(data: Path, opml: Path, port: int, plan: Plan, push: bool) -> Iterator[str]:
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "WORLDWIRE_LOG_LEVEL": "WARNING"}
    for name, seconds in TIMING.items():
        env[f"WORLDWIRE_{name}"] = str(seconds / plan.speedup)
    args = [sys.executable, "-m", "worldwire", "run", "--db", str(data / "ww.db"),
            "--sources", str(opml), "--port", str(port), "--allow-net", "127.0.0.1"]  # fmt: skip
    if push:
        args += ["--public-url", url]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _get_json(http: aiohttp.ClientSession, url: str) -> Any:
    try:
        async with http.get(url) as r:
            return await r.json() if r.status == 200 else None
    except (aiohttp.ClientError, TimeoutError):
        return None


async def _warm_up(url: str, pushing: int, timeout: float) -> dict[str, Any]:
    """Until every source was polled once and (with push) every pushing one is
    subscribed, or the timeout."""
    started = time.time()
    found: dict[str, Any] = {"polled": 0, "push_active": 0}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        while time.time() - started < timeout:
            sources = await _get_json(http, url + "/api/sources")
            if sources is not None:
                items = sources["items"]
                found["polled"] = sum(1 for s in items if s["health"]["last_fetch_at"])
                found["push_active"] = sum(
                    1 for s in items if s.get("push", {}).get("state") == "active"
                )
                if found["polled"] == len(items) and found["push_active"] >= pushing:
                    break
            await asyncio.sleep(1.0)
    found["seconds"] = round(time.time() - started, 1)
    return found


@contextlib.asynccontextmanager
async def _sampling_load(samples: list[float]) -> AsyncIterator[None]:
    async def sample() -> None:
        while True:
            samples.append(os.getloadavg()[0])
            await asyncio.sleep(5.0)

    task = asyncio.create_task(sample())
    try:
        yield
    finally:
        task.cancel()


async def _measure(plan: Plan, push: bool) -> dict[str, Any]:
    cfg = WorldConfig(
        sites=plan.sites,
        speedup=plan.speedup,
        seed=SEED,
        push_fraction=PUSH_FRACTION,
        initial_items=3,  # enough dated items for WorldWire to estimate each site's rate
    ).plain()
    counter = RequestCounter()
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, counter.counting():
        async with World(cfg) as world:
            opml = Path(tmp) / "world.opml"
            opml.write_text(world.opml())
            pushing = {s.id for s in world.sites if s.push}
            with worldwire(Path(tmp), opml, _free_port(), plan, push) as url:
                warm = await _warm_up(url, len(pushing) if push else 0, plan.warmup_timeout)
                clock = world.clock
                await asyncio.sleep(clock.real_delay(clock.real_start + plan.start))
                warm["window_opened_world_s"] = round(clock.now() - clock.real_start)
                reader = Reader(url)
                listening = asyncio.create_task(reader.run())
                await asyncio.wait_for(reader.connected.wait(), 30)
                counter.reset()
                async with _sampling_load(loads):
                    began = time.time()
                    await asyncio.sleep(plan.window / plan.speedup)
                    ended = time.time()
                    await asyncio.sleep(plan.tail / plan.speedup)
                    finished = time.time()
                listening.cancel()
                await asyncio.gather(listening, return_exceptions=True)
            published = [r for r in world.truth if began <= r.published < ended and not r.backfill]
    latencies: dict[str, list[float]] = {"push": [], "polled": []}
    polled_items: dict[str, float] = {}
    for record in published:
        seen = reader.first_seen.get(canonicalize(record.url, record.url))
        group = "push" if record.site_id in pushing else "polled"
        latency = math.inf if seen is None else max(0.0, seen - record.published)
        latencies[group].append(latency)
        if group == "polled":
            polled_items[record.item_id] = latency  # the same in both runs; URLs name ports
    world_hours = (finished - began) * plan.speedup / 3600
    requests = {}
    everyone = set(range(plan.sites))
    for group, ids in (("push", pushing), ("polled", everyone - pushing), ("all", everyone)):
        feeds = sum(counter.feeds[i] for i in ids)
        other = sum(counter.other[i] for i in ids)
        requests[group] = {
            "feed_polls_per_site_world_hour": feeds / max(1, len(ids)) / world_hours,
            "all_requests_per_site_world_hour": (feeds + other) / max(1, len(ids)) / world_hours,
        }
    return {
        "push": push,
        "warm_up": warm,
        "window_real_s": round(ended - began, 1),
        "tail_real_s": round(finished - ended, 1),
        "sse_events": reader.events,
        "latency": {g: _stats(v, plan.tail / plan.speedup) for g, v in latencies.items()},
        "polled_items": polled_items,
        "requests": requests,
        "load_avg_1m": {
            "mean": round(sum(loads) / max(1, len(loads)), 2),
            "max": round(max(loads, default=0.0), 2),
        },
    }


def _stats(values: list[float], tail: float) -> dict[str, Any]:
    """Percentiles in real seconds (nearest rank); None where an unseen item lands."""
    ordered = sorted(values)

    def rank(q: float) -> float | None:
        if not ordered:
            return None
        value = ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]
        return None if math.isinf(value) else round(value, 3)

    return {
        "items": len(ordered),
        "unseen": sum(1 for v in ordered if math.isinf(v)),
        "p50": rank(0.5),
        "p90": rank(0.9),
        "p99": rank(0.99),
        "max": rank(1.0),
        "tail_s": round(tail, 1),
    }


def _paired(ours: dict[str, float], peer: dict[str, float], scale: float) -> dict[str, Any]:
    """Ours minus the peer's latency on the same polled items (by item id), in world
    seconds: the mean difference with a bootstrap 95% interval. A p50 over a few
    hundred items moves by tens of world seconds from run to run (each run's jitter
    puts its polls at other moments), so "no slower" is judged on the interval, not on
    one p50 beside another. Items either run never saw are left out and counted."""
    both = sorted(set(ours) & set(peer))
    diffs = [
        (ours[item] - peer[item]) * scale
        for item in both
        if math.isfinite(ours[item]) and math.isfinite(peer[item])
    ]
    if not diffs:
        return {"items": 0}
    rng = random.Random(SEED)
    means = sorted(sum(rng.choices(diffs, k=len(diffs))) / len(diffs) for _ in range(BOOTSTRAP))
    return {
        "items": len(diffs),
        "left_out": len(both) - len(diffs),
        "mean_diff_world_s": round(sum(diffs) / len(diffs), 2),
        "median_diff_world_s": round(statistics.median(diffs), 2),
        "ci95_world_s": [
            round(means[int(0.025 * BOOTSTRAP)], 2),
            round(means[int(0.975 * BOOTSTRAP) - 1], 2),
        ],
        "ours_faster": sum(1 for d in diffs if d < 0),
        "peer_faster": sum(1 for d in diffs if d > 0),
    }


def _cell(value: float | None, scale: float, unit: str) -> str:
    return "> tail" if value is None else f"{value * scale:,.2f} {unit}"


def run(smoke: bool = False) -> Report:
    plan = SMOKE if smoke else FULL
    ours = uvloop.run(_measure(plan, push=True))
    peer = uvloop.run(_measure(plan, push=False)) if plan.peer else None
    report = Report("latency")
    items = [r.pop("polled_items") for r in (ours, peer) if r is not None]
    report.figures = {"plan": plan.__dict__, "with_push": ours, "polling_only": peer}
    report.table.append(["run", "sources", "items", "p50", "p90", "p99", "max",
                         "feed polls/site/world-h", "load avg"])  # fmt: skip
    runs = [("WorldWire with push", ours)] + ([("peer: polling only", peer)] if peer else [])
    for name, result in runs:
        for group in ("push", "polled"):
            stats = result["latency"][group]
            # Push latency stays in real seconds; polled latency in world seconds.
            real = result["push"] and group == "push"
            scale, unit = (1.0, "s") if real else (plan.speedup, "world-s")
            report.table.append([
                name,
                "pushing" if group == "push" else "polled only",
                f"{stats['items']} ({stats['unseen']} unseen)",
                *(_cell(stats[k], scale, unit) for k in ("p50", "p90", "p99", "max")),
                fmt(result["requests"][group]["feed_polls_per_site_world_hour"], 2),
                f"{result['load_avg_1m']['mean']:.1f} (max {result['load_avg_1m']['max']:.1f})",
            ])  # fmt: skip
    if peer is not None:
        push_p50, peer_p50 = ours["latency"]["push"]["p50"], peer["latency"]["push"]["p50"]
        if push_p50 and peer_p50:
            report.figures["push_p50_ratio"] = peer_p50 * plan.speedup / push_p50
        polls = {
            group: [r["requests"][group]["feed_polls_per_site_world_hour"] for r in (ours, peer)]
            for group in ("push", "all")
        }
        if polls["push"][0]:
            report.figures["push_site_polls_ratio"] = polls["push"][1] / polls["push"][0]
        paired = report.figures["polled_paired"] = _paired(items[0], items[1], plan.speedup)
        if paired["items"]:
            low, high = paired["ci95_world_s"]
            report.notes.append(
                f"Polled-only items, WorldWire with push minus polling only, paired by item "
                f"({paired['items']} items): mean {paired['mean_diff_world_s']:+.1f} "
                f"world-s, 95% bootstrap interval [{low:+.1f}, {high:+.1f}]; median "
                f"{paired['median_diff_world_s']:+.1f} world-s; faster with push on "
                f"{paired['ours_faster']} items, slower on {paired['peer_faster']}."
            )
        else:
            report.notes.append("Polled items could not be paired: no item seen in both runs.")
        report.notes.append(
            f"Feed polls per site per world-hour over all {plan.sites} sites: "
            f"{polls['all'][0]:.2f} with push, {polls['all'][1]:.2f} polling only."
        )
    else:
        report.notes.append("Smoke run: the polling-only peer is left out.")
    report.notes.append(
        f"{plan.sites} simulated sites ({PUSH_FRACTION:.0%} push through the world's WebSub "
        f"hub), speedup {plan.speedup:g}, window {plan.window / 60:g} world-minutes from "
        f"minute {plan.start / 60:g}, plus a {plan.tail / 60:g}-minute tail. WorldWire runs "
        "as `worldwire run` in its own process, page reading on, its polling settings "
        "divided by the speedup. Same world, seed and window for both runs."
    )
    report.notes.append(
        "Push latency is real seconds from the world's publish to the `article.new` event "
        "on an SSE connection; polled latency is in world seconds (real × speedup). "
        "Requests are feed polls each site served, per world hour, over window and tail."
    )
    report.notes.append(
        "Targets (issue 6): push p50 < 1 s and p99 < 3 s; polled sources no slower than "
        "the polling-only peer, with fewer requests per site."
    )
    report.notes.append(
        f"Machine: {os.cpu_count()} CPUs shared with other work; the load average is "
        "sampled every 5 s during each run."
    )
    return report
