"""Fixture pages that carry their own expectation, in an opening HTML comment:

<!--expect
{"title": "...", "paragraphs": [...]}
-->
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from worldwire.extract import Extraction, extract

DATA = Path(__file__).resolve().parents[1] / "data" / "extract"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "extraction"


def load_case(path: Path) -> tuple[bytes, dict[str, Any]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    start, end = text.index("<!--expect") + len("<!--expect"), text.index("-->")
    return raw, json.loads(text[start:end])


def cases(folder: str) -> list[Path]:
    return sorted((DATA / folder).glob("*.html"))


def without_class_names(html: bytes) -> bytes:
    """The page with every class and id attribute stripped."""
    return re.sub(rb"""\s(?:class|id)=("[^"]*"|'[^']*')""", b"", html)


def check_text(html: bytes | str, url: str, expect: dict[str, Any]) -> Extraction:
    """Extract the page: exactly the expected paragraphs, and none of its furniture."""
    result = extract(html, url)
    paragraphs = result.text.split("\n\n")
    assert paragraphs == expect["paragraphs"]
    for furniture in expect["furniture"]:
        assert furniture not in result.text
    for line in expect["furniture_paragraphs"]:
        assert line not in paragraphs
    return result
