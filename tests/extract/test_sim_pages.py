"""Pages as the simulated world serves them (worldwire/sim/templates: WordPress/Newspaper,
modern <article> with JSON-LD, old table layout), a brief and a full article of each,
saved with the text their feed carried. The page path must give that text and nothing
else: the copies of a wire story are recognised on it, in the live pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.extract.cases import cases, check_text, load_case, without_class_names


@pytest.mark.parametrize("path", cases("sim"), ids=lambda p: p.stem)
def test_sim_page(path: Path) -> None:
    html, expect = load_case(path)
    result = check_text(html, str(expect["url"]), expect)
    assert result.title == expect["title"]
    assert result.language == expect["language"]


@pytest.mark.parametrize("path", cases("sim"), ids=lambda p: p.stem)
def test_sim_page_without_class_names(path: Path) -> None:
    """The same pages with every class and id stripped: the text is found from the
    headline and the furniture recognised by its wording and structure."""
    html, expect = load_case(path)
    check_text(without_class_names(html), str(expect["url"]), expect)
