from __future__ import annotations

from pathlib import Path

import pytest

from tests.extract.cases import cases, load_case
from worldwire.extract import extract


@pytest.mark.parametrize("path", cases("walls"), ids=lambda p: p.stem)
def test_wall_case(path: Path) -> None:
    html, expect = load_case(path)
    result = extract(html, "https://paper.example/article")
    assert list(result.flags) == expect["flags"]
    if result.flags:
        # A stub is flagged and withheld, never passed off as the article.
        assert result.text == "" and any("stub" in w for w in result.warnings)
    else:
        assert len(result.text) > 200
    for field in ("text", "title"):
        if field in expect:
            assert getattr(result, field) == expect[field]


def test_short_news_with_everyday_consent_words_is_not_a_wall() -> None:
    html = (
        "<html lang='fr'><head><title>Grève à la SNCF</title></head><body><article>"
        "<h1>Grève à la SNCF</h1><p>Les syndicats ont refusé d'accepter la proposition de la "
        "direction, et la grève continue mardi sur les lignes du sud-ouest.</p></article>"
        "</body></html>"
    )
    assert extract(html, "https://journal.example/greve").flags == ()
