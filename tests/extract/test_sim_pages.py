"""Pages as the simulated world serves them (worldwire/sim/templates: WordPress/Newspaper,
modern <article> with JSON-LD, old table layout), a brief and a full article of each,
saved with the text their feed carried. The page path must give that text and nothing
else: the copies of a wire story are recognised on it, in the live pipeline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.extract.cases import cases, load_case
from worldwire.extract import extract


def _check(html: bytes, expect: dict[str, object]) -> None:
    result = extract(html, str(expect["url"]))
    paragraphs = result.text.split("\n\n")
    assert paragraphs == expect["paragraphs"]
    for furniture in expect["furniture"]:  # type: ignore[attr-defined]
        assert furniture not in result.text
    for line in expect["furniture_paragraphs"]:  # type: ignore[attr-defined]
        assert line not in paragraphs


@pytest.mark.parametrize("path", cases("sim"), ids=lambda p: p.stem)
def test_sim_page(path: Path) -> None:
    html, expect = load_case(path)
    _check(html, expect)
    result = extract(html, str(expect["url"]))
    assert result.title == expect["title"]
    assert result.language == expect["language"]


@pytest.mark.parametrize("path", cases("sim"), ids=lambda p: p.stem)
def test_sim_page_without_class_names(path: Path) -> None:
    """The same pages with every class and id stripped: the text is found from the
    headline and the furniture recognised by its wording and structure."""
    html, expect = load_case(path)
    _check(re.sub(rb"""\s(?:class|id)=("[^"]*"|'[^']*')""", b"", html), expect)
