"""Parsing: feeds per second, WorldWire's parser against feedparser on the same feeds.

The feeds are what a simulated world serves (RSS 2.0, Atom, JSON Feed, RDF and Google
News sitemaps, 20 items each, some with full text), plus the parser test cases.

    python -m bench parsing [--smoke]
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser

from bench.harness import Report, fmt
from worldwire.errors import ParseError
from worldwire.parse import parse_feed
from worldwire.sim.config import WorldConfig
from worldwire.sim.world import World

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "parse"


async def _world_feeds(sites: int) -> list[tuple[str, bytes]]:
    cfg = WorldConfig(sites=sites, seed=3, autopublish=False, initial_items=20).plain()
    async with World(cfg) as world:
        return [(site.kind, world.feed_bytes(site.id)) for site in world.sites]


def _time(parse: Callable[[bytes], Any], feeds: list[bytes], rounds: int) -> tuple[float, int]:
    entries = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for body in feeds:
            with contextlib.suppress(ParseError):
                entries += len(parse(body).entries)
    return len(feeds) * rounds / (time.perf_counter() - started), entries // rounds


def run(smoke: bool = False) -> Report:
    world = asyncio.run(_world_feeds(20 if smoke else 300))
    cases = [
        p.read_bytes()
        for p in sorted(CASES.iterdir())
        if not p.name.endswith(".expected.json") and not p.name.startswith("bad-")
    ]
    feeds = [body for _, body in world] + cases
    rounds = 1 if smoke else 5
    parse_feed(feeds[0])  # warm-up: imports and lazy tables
    feedparser.parse(feeds[0])
    ours, ours_entries = _time(parse_feed, feeds, rounds)
    peer, peer_entries = _time(feedparser.parse, feeds, 1 if smoke else 2)
    kinds = Counter(kind for kind, _ in world)
    report = Report("parsing")
    report.figures = {
        "feeds": len(feeds),
        "kinds": dict(kinds),
        "ours_feeds_per_s": ours,
        "feedparser_feeds_per_s": peer,
        "ratio": ours / peer,
        "ours_entries": ours_entries,
        "feedparser_entries": peer_entries,
        "mean_feed_bytes": sum(map(len, feeds)) / len(feeds),
    }
    report.table = [
        ["parser", "feeds/s", "entries read"],
        ["WorldWire (fastfeedparser + checks)", fmt(ours, 0), str(ours_entries)],
        ["feedparser 6.0", fmt(peer, 0), str(peer_entries)],
        ["ratio", f"{ours / peer:.1f}x", ""],
    ]
    report.notes.append(
        f"{len(feeds)} feeds ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))} from a "
        f"simulated world, and the parser test cases), {report.figures['mean_feed_bytes']:,.0f} "
        "bytes on average; one process, same feeds, same run."
    )
    report.notes.append(
        "feedparser cannot read JSON Feed: it finds no entries there, which flatters its speed."
    )
    return report
