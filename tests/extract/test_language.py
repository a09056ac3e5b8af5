from __future__ import annotations

from worldwire.extract import detect_language
from worldwire.extract.language import normalize_code

EN = "The council approved the new ferry link after a long debate on Thursday evening."
DE = "Der Gemeinderat hat die neue Fährverbindung nach einer langen Debatte genehmigt."
FR = "Le conseil municipal a approuvé la nouvelle liaison par ferry après un long débat."


def test_detects_from_the_words() -> None:
    assert detect_language("", EN).code == "en"
    assert detect_language("", DE).code == "de"
    assert detect_language("", FR).code == "fr"


def test_compares_with_the_declaration() -> None:
    agreeing = detect_language("", DE, "de-AT")
    assert agreeing.declared == "de" and agreeing.agrees and agreeing.confidence > 0.9
    wrong = detect_language("", DE, "en-US")
    assert wrong.code == "de" and wrong.declared == "en" and not wrong.agrees


def test_too_little_text_defers_to_the_declaration() -> None:
    guess = detect_language("Ok", "", "pt-BR")
    assert guess.code == "pt" and guess.agrees and guess.confidence == 0.0
    assert detect_language("", "").code == ""


def test_declared_codes_are_normalised() -> None:
    assert normalize_code("EN_gb") == "en"
    assert normalize_code("deu") == ""
    assert normalize_code("") == ""


def test_codes_outside_iso_639_1_defer_to_the_declaration() -> None:
    """py3langid calls some short English texts Nigerian Pidgin ("pcm")."""
    title = "OneNote for Macs for free"
    assert detect_language(title, title + ".", "en").code == "en"
    assert len(detect_language(title, title + ".").code) == 2


def test_a_weak_detection_on_a_few_words_defers_to_the_declaration() -> None:
    title = "Google enhances Gmail encryption"
    assert detect_language(title, title + ".", "en").code == "en"
