"""What sites publish (`Item`) and what the world remembers about it (`TruthRecord`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True)
class Item:
    id: str  # "s12-34": the 34th item of site 12
    site_id: int
    seq: int
    path: str  # request target on the site, e.g. "/2026/03/01/some-slug/"
    url: str
    guid: str
    title: str
    paragraphs: tuple[str, ...]  # never empty: a brief is one paragraph
    summary: str
    lang: str
    author: str
    event: str
    corpus_id: str | None
    relation: str  # original, syndicated or recycled
    original: Item | None  # the first publication of this text, for copies
    edits: tuple[str, ...]
    brief: bool  # built from a headline only
    page: Path | None  # a real page served instead of the site's template
    claimed: float  # the date the site shows (real epoch)
    published: float = 0.0  # when it became visible in the feed (real epoch)
    world_time: float = 0.0
    fragment: bytes = b""  # the feed entry, rendered when the feed is first served


@dataclass(frozen=True, slots=True)
class TruthRecord:
    """One line of the ground truth (JSON Lines). Times are real UTC epochs, except
    `world_time`. `original_*` name the first publication of the same text (null for
    an original); `event` names the real-world event it reports."""

    item_id: str
    site_id: int
    url: str
    guid: str
    feed_url: str
    kind: str
    title: str
    lang: str
    event: str
    corpus_id: str | None
    relation: str
    original_id: str | None
    original_url: str | None
    edits: tuple[str, ...]
    published: float
    world_time: float
    pushed: bool
    backfill: bool
