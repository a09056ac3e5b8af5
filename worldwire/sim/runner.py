"""Run a world on its own until SIGINT or SIGTERM (what `worldwire sim` does).

The OPML address list goes to `out` as soon as every site listens; it ends with
`</opml>`, so a parent process can read up to that line to know the world is up.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
import time
from pathlib import Path
from typing import TextIO

import uvloop

from worldwire.sim.config import WorldConfig
from worldwire.sim.world import World


async def serve(cfg: WorldConfig, truth_path: Path | None, out: TextIO) -> None:
    began = time.perf_counter()
    # Nobody reads the in-memory truth of a world run on its own: the file has it all.
    world = World(cfg, truth_path, keep_truth=False)
    await world.start()
    took = time.perf_counter() - began
    gc.freeze()  # the sites' long-lived objects: out of the collector's way while serving
    out.write(world.opml())
    out.flush()
    pushing = sum(1 for s in world.sites if s.hub_url)
    print(
        f"world: {len(world.sites)} sites up in {took:.2f} s, {pushing} pushing via hub "
        f"{world.hub.url}, speedup {cfg.speedup:g}, truth {truth_path or '-'}",
        file=sys.stderr,
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await world.stop()
        print(f"world: stopped after {world.requests_served} requests", file=sys.stderr)


def run(cfg: WorldConfig, truth_path: Path | None, out: TextIO = sys.stdout) -> None:
    uvloop.run(serve(cfg, truth_path, out))
