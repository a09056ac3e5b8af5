"""Syndicated copies are edited copies of a wire story, and the truth says so."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import trafilatura

from tests.sim.conftest import quiet_config
from worldwire.sim import World


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


async def page_text(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(url) as r:
        assert r.status == 200
        return trafilatura.extract(await r.text()) or ""


async def test_copies_are_edited_copies(http: aiohttp.ClientSession) -> None:
    cfg = quiet_config(sites=12, article_fraction=1.0, foreign_fraction=0.0, initial_items=0)
    async with World(cfg) as world:
        wire = next(s for s in world.sites if s.role == "wire")
        original = await world.publish(wire.id)
        original_text = await page_text(http, original.url)
        copies = [
            await world.publish(site.id, copy_of=original.item_id)
            for site in world.sites
            if site.id != wire.id
        ]
        seen_edits: set[str] = set()
        for copy in copies:
            assert copy.relation == "syndicated" and copy.edits
            assert (copy.original_id, copy.original_url) == (original.item_id, original.url)
            assert (copy.event, copy.corpus_id) == (original.event, original.corpus_id)
            copy_text = await page_text(http, copy.url)
            overlap = len(shingles(copy_text) & shingles(original_text))
            assert overlap / len(shingles(original_text)) >= 0.5, copy.edits
            assert copy_text != original_text or copy.title != original.title
            assert ("headline" in copy.edits) == (copy.title != original.title)
            if "intro" in copy.edits:
                assert copy_text.split("\n")[0] not in original_text
            if "drop_paragraph" in copy.edits:
                assert len(shingles(copy_text) - shingles(original_text)) < len(
                    shingles(original_text) - shingles(copy_text)
                )
            seen_edits.update(copy.edits)
        assert seen_edits == {"headline", "intro", "drop_paragraph"}


async def test_the_newsroom_syndicates_wire_stories_on_its_own() -> None:
    cfg = quiet_config(sites=30, speedup=1200.0, autopublish=True, syndication_rate=0.8,
                       foreign_fraction=0.0, wire_fraction=0.1)  # fmt: skip
    async with World(cfg) as world:
        await asyncio.sleep(1.5)
        world.pause()
        by_id = {r.item_id: r for r in world.truth}
        copies = [r for r in world.truth if r.relation == "syndicated"]
        assert len(copies) >= 5
        for copy in copies:
            root = by_id[copy.original_id or ""]
            assert root.relation == "original" and root.original_id is None
            assert world.sites[root.site_id].role == "wire" and copy.site_id != root.site_id
            assert copy.event == root.event and copy.edits
        recycled = [r for r in world.truth if r.relation == "recycled"]
        for r in recycled:
            assert by_id[r.original_id or ""].corpus_id == r.corpus_id
