"""The article pipeline, end to end: a world whose sites all have news waiting, read by
one WorldWire process (poll, parse, store, understand, cluster, fetch every article
page, extract in the process pool, dedup, place again, store). Articles per second
from the first poll until every page is read.

The peer is what one would assemble from the usual parts: the `reader` library
updating the same feeds, then every new entry's page fetched (20 threads) and read by
`trafilatura.extract` in a process pool of the same size. It does no dedup, no
clustering and no enrichment.

    python -m bench pipeline [--smoke]
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import trafilatura
import uvloop

from bench._world import world_process
from bench.harness import Report, fmt
from worldwire import service
from worldwire.model import SourceSpec
from worldwire.settings import Settings
from worldwire.sim.config import WorldConfig
from worldwire.sources import dump


def backlog_world(sites: int, items: int) -> WorldConfig:
    """Every site opens with `items` stories in its feed and nothing more to come."""
    return WorldConfig(
        sites=sites,
        autopublish=False,
        initial_items=items,
        feed_items=items,
        cache_hint_fraction=0.0,
        seed=11,
    ).plain()


async def _ours(specs: list[SourceSpec], data: Path) -> dict[str, Any]:
    sources = data / "sources.opml"
    sources.write_text(dump(specs, "opml"))
    settings = Settings(
        data_dir=str(data), sources=str(sources), allow_networks=("127.0.0.1",), log_level="ERROR"
    )
    async with service.runtime(settings) as rt:
        await rt.desk.ready()
        started = time.perf_counter()
        await rt.scheduler.run(asyncio.Event(), once=True)
        polled = time.perf_counter() - started
        await rt.desk.idle()
        elapsed = time.perf_counter() - started
    conn = sqlite3.connect(settings.db_path)
    statuses = dict(
        conn.execute(
            "SELECT CASE WHEN extract_status LIKE 'ok:%' THEN 'ok' ELSE "
            "extract_status END, count(*) FROM articles GROUP BY 1"
        )
    )
    stories, copies = conn.execute(
        "SELECT (SELECT count(*) FROM stories), "
        "(SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL)"
    ).fetchone()
    conn.close()
    articles = sum(statuses.values())
    return {
        "articles": articles,
        "seconds": elapsed,
        "articles_per_s": articles / elapsed,
        "feeds_polled_s": polled,
        "statuses": statuses,
        "stories": stories,
        "copies": copies,
    }


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
        return body


def _peer(specs: list[SourceSpec], data: Path) -> dict[str, Any]:
    from reader import make_reader

    workers = len(os.sched_getaffinity(0))
    with ThreadPoolExecutor(20) as fetchers, ProcessPoolExecutor(workers) as extractors:
        # Warm the pool first, as WorldWire's is: start-up is not throughput.
        warm = "<html><body><article><p>" + "Warm up the extractor. " * 20 + "</p></article>"
        list(extractors.map(trafilatura.extract, [warm] * workers))
        started = time.perf_counter()
        reader = make_reader(str(data / "reader.sqlite"))
        for spec in specs:
            reader.add_feed(spec.feed_url)
        reader.update_feeds(workers=20, scheduled=False)
        links = [e.link for e in reader.get_entries() if e.link]
        reader.close()
        pages = fetchers.map(_fetch, links)
        extracted = sum(bool(t) for t in extractors.map(trafilatura.extract, pages, chunksize=4))
        elapsed = time.perf_counter() - started
    return {
        "articles": len(links),
        "extracted": extracted,
        "seconds": elapsed,
        "articles_per_s": len(links) / elapsed,
    }


def run(smoke: bool = False) -> Report:
    sites, items = (10, 3) if smoke else (200, 10)
    with (
        world_process(backlog_world(sites, items)) as (specs, _world),
        tempfile.TemporaryDirectory() as tmp,
    ):
        ours = uvloop.run(_ours(specs, Path(tmp)))
    with (
        world_process(backlog_world(sites, items)) as (specs, _world),
        tempfile.TemporaryDirectory() as tmp,
    ):
        peer = _peer(specs, Path(tmp))
    report = Report("pipeline")
    report.figures = {
        "sites": sites,
        "ours": ours,
        "peer": peer,
        "ratio": ours["articles_per_s"] / peer["articles_per_s"],
        "load_average": os.getloadavg(),
    }
    report.table = [
        ["pipeline", "articles", "seconds", "articles/s"],
        [
            "WorldWire (poll → extract → dedup → cluster → store)",
            str(ours["articles"]),
            fmt(ours["seconds"]),
            fmt(ours["articles_per_s"]),
        ],
        [
            "reader + trafilatura (no dedup, no clustering)",
            str(peer["articles"]),
            fmt(peer["seconds"]),
            fmt(peer["articles_per_s"]),
        ],
        ["ratio", "", "", f"{report.figures['ratio']:.2f}x"],
    ]
    report.notes.append(
        f"{sites} simulated sites with {items} stories waiting each; one "
        f"WorldWire process with its extraction pool on "
        f"{len(os.sched_getaffinity(0))} cores, the world in another process."
    )
    report.notes.append(
        f"WorldWire: extract statuses {ours['statuses']}, {ours['stories']} "
        f"stories, {ours['copies']} copies found."
    )
    report.notes.append("Target (issue 4): at least 100 articles/s on this 2-core machine.")
    return report
