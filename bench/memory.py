"""Memory: the resident set of `worldwire run` polling 1,000 sources with 100,000 articles
in its store, beside the `reader` library polling the same 1,000 feeds.

    python -m bench memory [--smoke]
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._world import world_process
from bench.harness import Report, fmt
from worldwire.model import Entry, SourceSpec
from worldwire.sim.config import WorldConfig
from worldwire.sources import dump
from worldwire.store import ArticleUpdate, SQLiteStore

WORDS = [
    "minister",
    "government",
    "election",
    "storm",
    "flood",
    "market",
    "shares",
    "talks",
    "peace",
    "army",
    "court",
    "president",
    "police",
    "fire",
    "health",
    "vaccine",
    "school",
    "climate",
    "energy",
    "oil",
    "prices",
    "football",
    "final",
    "league",
    "film",
    "festival",
    "music",
    "science",
    "space",
    "rocket",
    "bank",
    "inflation",
    "trade",
]

READER_SCRIPT = """
import sys, time
from reader import make_reader
reader = make_reader(sys.argv[1])
for url in sys.argv[2:]:
    reader.add_feed(url)
reader.update_feeds(workers=20, scheduled=False)
reader.update_feeds(workers=20, scheduled=False)
print("ready", flush=True)
time.sleep(3600)
"""


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # gone
        return {}
    return dict(line.split(":", 1) for line in lines if ":" in line)


def family(pid: int) -> set[int]:
    """A process and all its descendants (the extraction pool's workers are children
    of a fork server that is a child of WorldWire)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            ppid = _status(int(entry.name)).get("PPid", "").strip()
            if ppid.isdigit():
                parents[int(entry.name)] = int(ppid)
    members = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in members and child not in members:
                members.add(child)
                grew = True
    return members


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants, in KB: pages they share (the
    workers' models, forked from one server) are counted once in each process."""
    return sum(int(_status(p).get("VmRSS", "0 kB").split()[0]) for p in family(pid))


def pss_kb(pid: int) -> int:
    """Proportional memory of a process and its descendants, in KB: a page shared by n
    processes counts 1/n in each, so the sum is what they cost the machine together."""
    total = 0
    for p in family(pid):
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:  # gone
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total


async def _fill(db: Path, specs: list[SourceSpec], per_source: int) -> int:
    """The store as months of polling would leave it: articles in stories, searchable."""
    rng = random.Random(5)
    store = SQLiteStore(str(db))
    ids = await store.add_sources(specs)
    now = time.time()
    count = 0
    for source_id in ids:
        source = await store.get_source(source_id)
        assert source is not None
        entries = []
        for k in range(per_source):
            title = " ".join(rng.choices(WORDS, k=9)).capitalize()
            summary = " ".join(rng.choices(WORDS, k=40)) + "."
            entries.append(
                Entry(
                    key=f"old-{source_id}-{k}",
                    url=f"{source.homepage}old/{k}",
                    title=title,
                    summary=summary,
                    published=now - rng.uniform(0, 90 * 86400),
                )
            )
        upserted = await store.upsert_entries(source, entries, now - 86400)
        await store.apply_updates(
            [
                ArticleUpdate(
                    u.article_id,
                    story_id=u.article_id,
                    representative=u.article_id,
                    language="en",
                    extract_status="ok:bench",
                )
                for u in upserted
            ]
        )
        count += len(upserted)
    await store.close()
    return count


def _settle(proc: subprocess.Popen[str], seconds: float) -> dict[str, int]:
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1.0)
        samples.append(pss_kb(proc.pid))
    main = int(_status(proc.pid)["VmRSS"].split()[0])
    return {
        "total_kb": samples[-1],
        "peak_total_kb": max(samples),
        "rss_sum_kb": rss_kb(proc.pid),
        "processes": len(family(proc.pid)),
        "main_kb": main,
    }


def run(smoke: bool = False) -> Report:
    sources, per_source, seconds = (50, 20, 5.0) if smoke else (1000, 100, 40.0)
    cfg = WorldConfig(sites=sources, autopublish=False, initial_items=3, seed=9).plain()
    with world_process(cfg) as (specs, _world), tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        opml = data / "sources.opml"
        opml.write_text(dump(specs, "opml"))
        stored = asyncio.run(_fill(data / "ww.db", specs, per_source))
        env = {**os.environ, "WORLDWIRE_LOG_LEVEL": "ERROR"}
        ours = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "worldwire",
                "run",
                "--db",
                str(data / "ww.db"),
                "--sources",
                str(opml),
                "--port",
                "0",
                "--allow-net",
                "127.0.0.1",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            mine = _settle(ours, seconds)
        finally:
            ours.send_signal(signal.SIGTERM)
            ours.wait(timeout=60)
        peer = subprocess.Popen(
            [
                sys.executable,
                "-c",
                READER_SCRIPT,
                str(data / "r.sqlite"),
                *(s.feed_url for s in specs),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert peer.stdout is not None
            peer.stdout.readline()
            theirs = _settle(peer, 3.0)
        finally:
            peer.kill()
            peer.wait()
            if peer.stdout is not None:
                peer.stdout.close()
    report = Report("memory")
    report.figures = {
        "sources": sources,
        "stored_articles": stored,
        "ours": mine,
        "reader": theirs,
        "run_seconds": seconds,
    }
    report.table = [
        [
            "process",
            "PSS, all processes (MB)",
            "peak (MB)",
            "RSS summed (MB)",
            "processes",
            "main process RSS (MB)",
        ],
        *(
            [
                label,
                fmt(m["total_kb"] / 1024),
                fmt(m["peak_total_kb"] / 1024),
                fmt(m["rss_sum_kb"] / 1024),
                str(m["processes"]),
                fmt(m["main_kb"] / 1024),
            ]
            for label, m in (("worldwire run", mine), ("reader (update_feeds)", theirs))
        ),
    ]
    report.notes.append(
        f"worldwire run with {sources:,} sources and {stored:,} stored articles, polling a "
        f"simulated world for {seconds:.0f} s (web server, scheduler, SQLite writer and the "
        "extraction pool included: 'all processes' counts its fork server and workers). "
        "PSS counts a page shared by n processes 1/n in each; RSS summed counts it n times."
    )
    report.notes.append(
        f"reader 3.26 polled the same {sources:,} feeds twice; its database "
        "holds only what those polls brought, not the 100,000 articles."
    )
    return report
