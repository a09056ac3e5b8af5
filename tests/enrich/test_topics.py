"""Topic classification: one data file per case under tests/data/enrich/topics/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from worldwire.enrich import TOPICS, classify_topics, url_sections
from worldwire.enrich.topics import TOPICS_DIR, InvalidKeyword, _parse_term, classifier

CASES = Path(__file__).resolve().parents[1] / "data" / "enrich" / "topics"
SLUGS = {slug for slug, _ in TOPICS}


def _cases() -> list[Path]:
    return sorted(CASES.glob("*.json"))


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    categories = [*case["categories"], *url_sections(case["url"])]
    found = classify_topics(case["title"], case["text"], categories, case["lang"])
    assert set(found) <= SLUGS
    for slug in case["must"]:
        assert slug in found, f"{slug} missing from {found}"
    for slug in case["must_not"]:
        assert slug not in found, f"{slug} wrongly in {found}"


def test_every_topic_has_a_keyword_file_and_the_main_languages() -> None:
    assert {p.stem for p in TOPICS_DIR.glob("*.yaml")} == SLUGS
    for slug in SLUGS:
        raw = yaml.safe_load((TOPICS_DIR / f"{slug}.yaml").read_text(encoding="utf-8"))
        languages = set(raw["keywords"])
        assert {"en", "fr", "de", "es", "pt", "it", "ru", "ar", "zh", "ja"} <= languages, slug
        assert raw["categories"], slug


def test_every_keyword_is_valid() -> None:
    for path in TOPICS_DIR.glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang, groups in raw["keywords"].items():
            assert set(groups) <= {"strong", "words"}, (path.stem, lang)
            for term in [*groups.get("strong", []), *groups.get("words", [])]:
                _parse_term(str(term))  # raises InvalidKeyword


@pytest.mark.parametrize("term", ["a*", "军", "*", " "])
def test_invalid_keywords_are_refused(term: str) -> None:
    with pytest.raises(InvalidKeyword):
        _parse_term(term)


def test_phrase_with_inner_stems_matches_inflections() -> None:
    scores = classifier().scores("", "Астрономы нашли черную дыру в соседней галактике.", (), "ru")
    assert scores["science"] > 0


def test_url_sections() -> None:
    assert url_sections("https://x.test/sport/football/2024/05/goal-of-the-season") == (
        "sport",
        "football",
    )
    assert url_sections("https://x.test/a-story.html") == ()


def test_categories_match_whole_names_and_words() -> None:
    assert classifier().category_topics(["World/Europe", "Sport News"]) == {"sport"}
    assert classifier().category_topics(["Économie"]) == {"business"}


def test_topics_listing() -> None:
    assert len(TOPICS) == len(SLUGS) >= 9
    assert all(label for _, label in TOPICS)
