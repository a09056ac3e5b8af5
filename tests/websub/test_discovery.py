"""Hub and topic discovery: one case per file in tests/data/websub/discovery/, each
carrying the feed, the HTTP headers and what must be found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from worldwire.parse import parse_feed
from worldwire.websub.discovery import Discovery, discover, links

CASES = sorted(
    (Path(__file__).resolve().parents[1] / "data" / "websub" / "discovery").glob("*.json")
)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_discovery_case(path: Path) -> None:
    case = json.loads(path.read_text())
    feed = parse_feed(case["body"].encode(), case["url"])
    found = discover(feed, case["headers"], case["url"])
    expected = case["expected"]
    assert found == (None if expected is None else Discovery(**expected)), case["why"]


def test_link_header_relations() -> None:
    header = '<https://a/>; rel="hub", <https://b/>;rel="self";type="x", <https://c/>; rel="hub"'
    assert links(header) == {"hub": ["https://a/", "https://c/"], "self": ["https://b/"]}
    assert links("") == {}
    assert links("garbage without angle brackets; rel=hub") == {}
