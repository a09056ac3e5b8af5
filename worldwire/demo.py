"""`worldwire demo`: a simulated world of news sites on 127.0.0.1 and a WorldWire
subscribed to it, offline, with nothing else opened to the network."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import uvloop

from worldwire import service
from worldwire.settings import Settings
from worldwire.sim.config import WorldConfig
from worldwire.sim.process import WorldProcess

# Demo sites publish ten times faster than real ones, so that news arrives every few
# seconds; the demo's polling floor follows.
SPEEDUP = 10.0
DEMO_POLL_FLOOR = 5.0


def run(
    settings: Settings,
    sites: int,
    speedup: float = SPEEDUP,
    announce: Callable[[str], None] = print,
) -> None:
    home = settings.data_path / "demo"
    shutil.rmtree(home, ignore_errors=True)  # every demo starts with a fresh world
    home.mkdir(parents=True)
    world_cfg = WorldConfig(sites=sites, speedup=speedup, seed=2026, push_fraction=0.3)
    announce(f"Starting a simulated world of {sites} news sites on 127.0.0.1 …")
    with WorldProcess(world_cfg, truth_path=home / "truth.jsonl") as world:
        (home / "world.opml").write_text(world.opml)
        url = f"http://{settings.host}:{settings.port}"
        demo = settings.with_overrides(
            db=str(home / "worldwire.db"),
            sources=str(home / "world.opml"),
            allow_networks=(*settings.allow_networks, "127.0.0.1"),
            poll_floor=min(settings.poll_floor, DEMO_POLL_FLOOR),
            public_url=settings.public_url or url,
        )

        def ready(address: str) -> None:
            announce(
                f"\nWorldWire demo is running: open {address}\n"
                f"News from {sites} simulated sites arrives live. Ctrl-C stops it.\n"
            )

        uvloop.run(service.serve(demo, ready=ready))
