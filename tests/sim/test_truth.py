"""The ground truth matches what the world serves, on disk as in memory."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import time
from collections import defaultdict
from pathlib import Path

import aiohttp
import orjson

from tests.sim.conftest import quiet_config, served_urls
from worldwire.sim import World, truth


async def test_truth_matches_what_is_served(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    cfg = quiet_config(sites=12, speedup=900.0, autopublish=True, feed_items=50)
    async with World(cfg, truth_path=tmp_path / "truth.jsonl") as world:
        await asyncio.sleep(1.5)
        world.pause()
        live = [r for r in world.truth if not r.backfill]
        assert len(live) >= 10
        by_site = defaultdict(list)
        for record in world.truth:
            by_site[record.site_id].append(record)
        for site in world.sites:
            async with http.get(site.feed_url) as r:
                urls = served_urls(site.kind, await r.read())
            expected = [rec.url for rec in reversed(by_site[site.id])][: cfg.feed_items]
            assert urls == expected
            for record in by_site[site.id][-3:]:
                assert record.feed_url == site.feed_url and record.kind == site.kind
                async with http.get(record.url) as r:
                    page = html.unescape(await r.text())
                    assert r.status == 200
                assert record.title in page


async def test_truth_file_is_the_same_record_list(tmp_path: Path) -> None:
    path = tmp_path / "truth.jsonl"
    async with World(quiet_config(sites=5), truth_path=path) as world:
        await world.publish(0)
        await world.publish(1, title="A test headline", paragraphs=("One.", "Two."))
        on_disk = truth.read(path)  # flushed per item: readable while the world runs
        in_memory = [orjson.loads(orjson.dumps(r)) for r in world.truth]
        assert on_disk == in_memory
        assert len(on_disk) == 5 * world.cfg.initial_items + 2
        fields = {f.name for f in dataclasses.fields(world.truth[0])}
        assert all(set(r) == fields for r in on_disk)
        published: list[float] = []
        for r in on_disk:
            value = r["published"]
            assert isinstance(value, int | float)
            published.append(value)
        assert published == sorted(published)
        backfill = [r for r in on_disk if r["backfill"]]
        assert {r["published"] for r in backfill} == {world.started_at}
        custom = on_disk[-1]
        assert custom["title"] == "A test headline" and custom["relation"] == "original"
        event = custom["event"]
        assert custom["original_url"] is None and isinstance(event, str)
        assert event.startswith("custom:")


async def test_item_is_in_the_feed_when_its_publish_time_is_recorded(
    world: World, http: aiohttp.ClientSession
) -> None:
    site = world.sites[3]
    before = time.time()
    record = await world.publish(site.id)
    assert before <= record.published <= time.time()
    async with http.get(site.feed_url) as r:
        assert served_urls(site.kind, await r.read())[0] == record.url


async def test_several_sites_cover_one_event_and_languages_share_events(tmp_path: Path) -> None:
    cfg = quiet_config(sites=40, foreign_fraction=0.5, initial_items=8, syndication_rate=0.0)
    async with World(cfg) as world:
        originals = [r for r in world.truth if r.relation == "original"]
        sites_per_event = defaultdict(set)
        for r in originals:
            sites_per_event[r.event].add(r.site_id)
        assert max(len(s) for s in sites_per_event.values()) >= 3
        foreign = [r for r in world.truth if r.lang != "en"]
        assert foreign and all(r.lang == world.sites[r.site_id].lang for r in foreign)
        assert all(r.event.startswith("ecb:") for r in foreign)
        english_events = {r.event for r in world.truth if r.lang == "en"}
        assert {r.event for r in foreign} & english_events
