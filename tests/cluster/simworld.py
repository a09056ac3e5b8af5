"""The simulated world as a labelled stream: publish items in process, read them back the
way the pipeline would (full-text feeds, article pages), and score the clusterer on the
world's own truth: which item copies which (syndication, republication) and which
event each item reports, in which language."""

from __future__ import annotations

import asyncio
import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass

import aiohttp

from worldwire.cluster import Clusterer, Doc
from worldwire.cluster.evaluate import Scores, score
from worldwire.extract import extract
from worldwire.parse import parse_feed
from worldwire.sim import World, WorldConfig
from worldwire.sim.items import TruthRecord


@dataclass(frozen=True, slots=True)
class Served:
    truth: TruthRecord
    title: str
    text: str
    lang: str


@dataclass(frozen=True, slots=True)
class WorldStream:
    feeds: list[Served]  # the full text each site's feed carried
    pages: list[Served]  # the article pages, through worldwire.extract


def config(sites: int, seed: int) -> WorldConfig:
    """Every feed carries its full text (the items must not scroll off), no sitemaps."""
    return WorldConfig(
        sites=sites,
        seed=seed,
        autopublish=False,
        initial_items=0,
        foreign_fraction=0.25,
        fulltext_fraction=1.0,
        formats={"rss2": 0.5, "atom": 0.3, "jsonfeed": 0.2},
        feed_items=1000,
    ).plain()


async def _collect(sites: int, items: int, seed: int) -> WorldStream:
    async with World(config(sites, seed)) as world:
        rng = random.Random(seed)
        wires = [site.id for site in world.sites if site.role == "wire"]
        for _ in range(items):
            # Wire stories are what other sites copy: give the wire a third of the news.
            wire = rng.random() < 0.3
            site_id = rng.choice(wires) if wire else rng.randrange(len(world.sites))
            await world.publish(site_id)
        truth = list(world.truth)
        entries = {}
        for site in world.sites:
            for entry in parse_feed(world.feed_bytes(site.id), site.feed_url).entries:
                entries[entry.url] = entry
        async with aiohttp.ClientSession() as http:

            async def page(url: str) -> bytes:
                async with http.get(url) as response:
                    return await response.read()

            html = await asyncio.gather(*(page(record.url) for record in truth))
    feeds = [
        Served(r, entries[r.url].title, entries[r.url].content, entries[r.url].language or r.lang)
        for r in truth
    ]
    pages = []
    for record, body in zip(truth, html, strict=True):
        read = extract(body, record.url)
        pages.append(Served(record, read.title or record.title, read.text, read.language))
    return WorldStream(feeds, pages)


def collect(sites: int, items: int, seed: int) -> WorldStream:
    return asyncio.run(_collect(sites, items, seed))


@dataclass(frozen=True, slots=True)
class WorldScores:
    copy_precision: float
    copy_recall: float
    copies_found: int
    copies_true: int
    events: Scores  # BCubed over event ids, all items
    multilingual: Scores  # BCubed over event ids, items of events told in 2+ languages
    pairs: dict[tuple[str, str], tuple[int, int]]  # language pair -> (joined, same-event pairs)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def exact_copy(a: str, b: str) -> bool:
    """The world's corpus holds a few texts that are copies of one another (the same
    wire story in two outlets of ECB+ or UCI): judged on exact shingle sets, so that
    the truth does not lean on the sketches under test."""
    mine, theirs = _shingles(a), _shingles(b)
    smaller = min(len(mine), len(theirs))
    return smaller > 0 and len(mine & theirs) >= 0.8 * smaller


def replay(stream: list[Served]) -> WorldScores:
    """Replay the items in publication order; score copy links and events."""
    clusterer = Clusterer()
    item_ids: dict[int, str] = {}
    story: dict[str, int] = {}
    copy_of: dict[str, str | None] = {}
    for number, served in enumerate(stream):
        record = served.truth
        item_ids[number] = record.item_id
        doc = Doc(
            number,
            served.title,
            served.text,
            record.url,
            str(record.site_id),
            record.published,
            served.lang,
        )
        placed = clusterer.add(doc)
        story[record.item_id] = placed.story_id
        original = placed.duplicate_of
        copy_of[record.item_id] = None if original is None else item_ids[original]
    truth = {served.truth.item_id: served.truth for served in stream}
    true_links = {k: r.original_id for k, r in truth.items() if r.original_id in truth}
    found = {k: v for k, v in copy_of.items() if v is not None}
    texts = {served.truth.item_id: served.text for served in stream}

    def right(item: str, link: str) -> bool:
        true = true_links.get(item)
        return link == true or exact_copy(texts[link], texts[true if true else item])

    correct = sum(1 for k, v in found.items() if right(k, v))
    recalled = sum(1 for k in true_links if (link := copy_of[k]) is not None and right(k, link))
    event = {k: r.event for k, r in truth.items()}
    languages: dict[str, set[str]] = {}
    for r in truth.values():
        languages.setdefault(r.event, set()).add(r.lang)
    several = {k: e for k, e in event.items() if len(languages[e]) > 1}
    pairs: Counter[tuple[str, str]] = Counter()
    joined: Counter[tuple[str, str]] = Counter()
    for a, b in itertools.combinations(several, 2):
        lang_a, lang_b = truth[a].lang, truth[b].lang
        if several[a] == several[b] and lang_a != lang_b:
            key = (min(lang_a, lang_b), max(lang_a, lang_b))
            pairs[key] += 1
            joined[key] += story[a] == story[b]
    return WorldScores(
        copy_precision=correct / len(found) if found else 1.0,
        copy_recall=recalled / len(true_links) if true_links else 1.0,
        copies_found=len(found),
        copies_true=len(true_links),
        events=score(story, event).bcubed,
        multilingual=score({k: story[k] for k in several}, several).bcubed,
        pairs={key: (joined[key], pairs[key]) for key in sorted(pairs)},
    )
