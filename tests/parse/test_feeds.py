"""Every parser case is one data file with its expectation beside it
(tests/data/parse/<case>.<ext> and <case>.expected.json)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from worldwire.errors import ParseError
from worldwire.parse import parse_feed
from worldwire.timefmt import iso

DATA = Path(__file__).resolve().parent.parent / "data" / "parse"
NOW = datetime(2026, 11, 26, tzinfo=UTC).timestamp()
CASES = sorted(p for p in DATA.iterdir() if not p.name.endswith(".expected.json"))


def expectation(case: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (DATA / (case.name.rsplit(".", 1)[0] + ".expected.json")).read_text()
    )
    return expected


def entry_view(entry: Any, keys: list[str]) -> dict[str, Any]:
    view = {}
    for key in keys:
        value = getattr(entry, key)
        if key in ("published", "updated"):
            value = iso(value)
        elif isinstance(value, tuple):
            value = list(value)
        view[key] = value
    return view


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path) -> None:
    expected = expectation(case)
    body = case.read_bytes()
    if "error" in expected:
        with pytest.raises(ParseError, match=expected["error"]):
            parse_feed(body, "https://feeds.example/feed", now=NOW)
        return
    feed = parse_feed(body, "https://feeds.example/feed", now=NOW)
    for key in ("kind", "title", "language", "ttl", "self_url"):
        if key in expected:
            assert getattr(feed, key) == expected[key], key
    if "hubs" in expected:
        assert list(feed.hubs) == expected["hubs"]
    assert len(feed.entries) == expected["count"]
    for want, entry in zip(expected.get("entries", []), feed.entries, strict=False):
        assert entry_view(entry, list(want)) == want
    for warning in expected.get("warnings", []):
        assert any(warning in w for w in feed.warnings), (warning, feed.warnings)


def test_huge_feed_parses_every_entry() -> None:
    items = "".join(
        f"<item><title>Story {i}</title><link>https://big.example/{i}</link>"
        f"<description>{'word ' * 200}</description></item>"
        for i in range(5000)
    )
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        f"{items}</channel></rss>"
    )
    feed = parse_feed(body.encode(), "https://big.example/feed", now=NOW)
    assert len(feed.entries) == 5000
    assert feed.entries[-1].url == "https://big.example/4999"


def test_entity_expansion_is_refused_in_utf16_too() -> None:
    body = (DATA / "bad-billion-laughs.xml").read_text().replace('<?xml version="1.0"?>', "")
    with pytest.raises(ParseError, match="entities"):
        parse_feed(b"\xff\xfe" + body.encode("utf-16-le"), now=NOW)


def test_entry_without_id_link_or_title_is_skipped_with_a_warning() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><description>x</description></item></channel></rss>"
    )
    feed = parse_feed(body, now=NOW)
    assert feed.entries == []
    assert any("no id, link or title" in w for w in feed.warnings)


def test_entry_without_guid_or_link_gets_a_stable_hash_key() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><title>Only a title</title>'
        b"<pubDate>Tue, 10 Jun 2025 04:00:00 GMT</pubDate></item></channel></rss>"
    )
    first = parse_feed(body, now=NOW).entries[0].key
    assert first.startswith("sha1:")
    assert parse_feed(body, now=NOW).entries[0].key == first
