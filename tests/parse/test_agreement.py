"""fastfeedparser reads our feeds on the hot path, feedparser reads what it cannot.
They must agree on every field WorldWire keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from worldwire.parse import normalise
from worldwire.parse.xmlfeeds import parse_with_feedparser, parse_xml_feed

from .test_feeds import CASES, NOW, expectation

FIELDS = (
    "key",
    "url",
    "title",
    "published",
    "updated",
    "author",
    "summary",
    "content",
    "categories",
    "image",
    "language",
)
XML_CASES = [
    c
    for c in CASES
    if c.suffix == ".xml"
    and "error" not in expectation(c)
    and not c.name.startswith("sitemap")
    and not c.name.startswith("bad-")
]


@pytest.mark.parametrize("case", XML_CASES, ids=[c.name for c in XML_CASES])
def test_fast_and_fallback_agree(case: Path) -> None:
    body = case.read_bytes()
    url = "https://feeds.example/feed"
    fast = normalise(parse_xml_feed(body, url), url, NOW)
    slow = normalise(parse_with_feedparser(body, url), url, NOW)
    assert len(fast.entries) == len(slow.entries)
    for a, b in zip(fast.entries, slow.entries, strict=True):
        for field in FIELDS:
            assert getattr(a, field) == getattr(b, field), (case.name, field)
    assert fast.language == slow.language
    assert fast.hubs == slow.hubs
