"""The world as a whole: start-up at scale, the OPML address list, determinism,
configuration and ports."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter

import aiohttp
import pytest
from lxml import etree

from tests.sim.conftest import quiet_config
from worldwire.sim import World, WorldConfig, sites


async def test_a_thousand_site_world_starts_quickly(http: aiohttp.ClientSession) -> None:
    began = time.perf_counter()
    async with World(WorldConfig(sites=1000, seed=5, autopublish=False)) as world:
        took = time.perf_counter() - began
        # Seconds, not minutes: ~0.5 s on the development machine; the bound is
        # loose because the machine is shared.
        assert took < 15.0
        assert len({s.port for s in world.sites}) == 1000
        for site in random.Random(1).sample(world.sites, 20):
            async with http.get(site.feed_url) as r:
                assert r.status in (200, 429, 500, 503)  # some sites have troubles


async def test_opml_lists_every_site_with_country_and_language(world: World) -> None:
    root = etree.fromstring(world.opml().encode())
    outlines = root.findall("body/outline")
    assert len(outlines) == len(world.sites)
    for outline, site in zip(outlines, world.sites, strict=True):
        assert outline.get("xmlUrl") == site.feed_url and outline.get("htmlUrl") == site.url
        assert outline.get("text") == outline.get("title") == site.name
        assert outline.get("type") == "rss"
        assert outline.get("language") == site.lang and outline.get("country") == site.country
        assert outline.get("category") == f"/country/{site.country},/language/{site.lang}"
        assert outline.get("hub") == site.hub_url


def test_same_seed_same_world_and_exact_shares() -> None:
    cfg = WorldConfig(sites=200, seed=9, push_fraction=0.3)
    first, again = sites.plan(cfg), sites.plan(cfg)
    assert first == again
    assert sites.plan(WorldConfig(sites=200, seed=10)) != first
    kinds = Counter(s.kind for s in first)
    assert kinds == {"rss2": 90, "atom": 40, "jsonfeed": 20, "rdf": 20, "sitemap": 30}
    assert sum(s.push for s in first) == 60
    assert Counter(s.role for s in first)["wire"] == 2
    assert all(s.lang == "en" for s in first if s.role == "wire")
    troubled = Counter(s.http.trouble for s in first)
    assert troubled["slow"] == 6 and troubled["ratelimit"] == 4


def test_config_is_validated_and_settable_from_strings() -> None:
    with pytest.raises(ValueError, match="push_fraction"):
        WorldConfig(push_fraction=1.5)
    with pytest.raises(ValueError, match="formats"):
        WorldConfig(formats={"gopher": 1.0})
    cfg = WorldConfig().with_values(
        speedup="60", autopublish="false", slow_delay="0.1,0.2", formats="rss2:1,atom:2",
        hub_port="12345",
    )  # fmt: skip
    assert cfg.speedup == 60.0 and cfg.autopublish is False and cfg.slow_delay == (0.1, 0.2)
    assert cfg.formats == {"rss2": 1.0, "atom": 2.0} and cfg.hub_port == 12345
    with pytest.raises(ValueError, match="unknown"):
        cfg.with_values(colour="blue")
    plain = cfg.plain()
    assert plain.slow_fraction == plain.flaky_fraction == plain.ratelimit_fraction == 0.0


async def test_port_base_gives_consecutive_ports() -> None:
    for _ in range(5):
        base = random.randrange(12_000, 30_000)
        try:
            world = World(quiet_config(sites=10, port_base=base))
            await world.start()
        except OSError:
            continue  # someone holds a port in that block: try another
        try:
            assert [s.port for s in world.sites] == list(range(base, base + 10))
            assert world.hub.url == f"http://127.0.0.1:{base + 10}/"
        finally:
            await world.stop()
        return
    pytest.fail("no free block of 11 ports found")


async def test_schedule_follows_publishing_rates() -> None:
    cfg = quiet_config(sites=20, speedup=600.0, autopublish=True, initial_items=0)
    async with World(cfg) as world:
        await asyncio.sleep(2.0)
    per_role = Counter(world.sites[r.site_id].role for r in world.truth)
    # 20 world minutes: a wire site publishes about 20 items, a daily one almost never.
    assert 8 <= per_role["wire"] <= 40
    assert per_role["daily"] <= 2
