from __future__ import annotations

from worldwire.cluster.text import add_terms


def _terms(text: str, headline: bool = False) -> tuple[dict[str, float], set[str]]:
    counts: dict[str, float] = {}
    names: set[str] = set()
    add_terms(counts, names, text, stem_chars=5, name_weight=2.0, headline=headline)
    return counts, names


def test_names_weigh_more_and_sentence_openers_are_not_names() -> None:
    counts, names = _terms("Rescuers reached Eastbridge. Boats reached the farms of NATO.")
    assert names == {"eastb", "nato"}
    assert counts["eastb"] == 2.0 and counts["reach"] == 2.0 and counts["boats"] == 1.0
    assert "the" not in counts and "of" not in counts


def test_a_title_case_headline_has_no_names_from_capitals() -> None:
    _, names = _terms("Floods Force Thousands From Homes In Marrow Valley", headline=True)
    assert names == set()
    _, names = _terms("Floods force thousands from homes in Marrow valley", headline=True)
    assert names == {"marro"}


def test_numbers_have_one_spelling() -> None:
    for text in ("About 3,400 fled; a 6.0 quake.", "Etwa 3.400 flohen; ein Beben der Stärke 6,0."):
        counts, names = _terms(text)
        assert {"3400", "6.0"} <= names
    counts, names = _terms("2 people, 14 shelters")
    assert "2" in counts and "2" not in names and "14" in names


def test_words_are_kept_whole_for_the_fingerprint() -> None:
    words: list[str] = []
    add_terms({}, set(), "The Marrow River rose.", stem_chars=5, name_weight=2.0, words=words)
    assert words == ["the", "marrow", "river", "rose"]


def test_unspaced_scripts_are_cut_into_pairs() -> None:
    counts, _ = _terms("東京で地震")
    assert {"東京", "京で", "で地", "地震"} <= counts.keys()
