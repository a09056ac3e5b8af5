"""The language of an article, from its own words, compared with what the page or feed
declares. py3langid ships its model inside the wheel, so nothing is downloaded."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The identifier reads this much text; more costs time and changes nothing.
SAMPLE_CHARS = 200
# Below this confidence a short or mixed text is not trusted over the declaration: a
# four-word headline in English comes out French at 0.54.
MIN_CONFIDENCE = 0.8
_MIN_TEXT = 20

_lock = threading.Lock()
_identifier: LanguageIdentifier | None = None


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str  # ISO 639-1, "" when neither detection nor declaration says anything
    confidence: float  # of the detection, 0..1 (0 when the code is the declared one)
    declared: str  # what the page or feed declared, normalised; "" if nothing
    agrees: bool  # detection and declaration name the same language (True if either is absent)


def _get_identifier() -> LanguageIdentifier:
    global _identifier
    with _lock:
        if _identifier is None:
            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def normalize_code(declared: str) -> str:
    """ "en-US", "EN_gb", "de" → "en", "en", "de"; anything else → ""."""
    code = declared.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() else ""


def detect_language(title: str, text: str, declared: str = "") -> LanguageGuess:
    """Detect from title and text. A confident detection wins; a weak one (a few words)
    defers to the declaration when there is one."""
    declared_code = normalize_code(declared)
    sample = f"{title}\n{text}"[:SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_TEXT:
        return LanguageGuess(declared_code, 0.0, declared_code, True)
    code, confidence = _get_identifier().classify(sample)
    confidence = float(confidence)
    if len(code) != 2:
        # The model knows a few languages without an ISO 639-1 code (Nigerian Pidgin,
        # "pcm", wins some short English texts): the declaration, or the best ranked
        # language that has one, stands in.
        if declared_code:
            return LanguageGuess(declared_code, 0.0, declared_code, False)
        code, confidence = next(
            ((c, float(p)) for c, p in _get_identifier().rank(sample) if len(c) == 2), ("", 0.0)
        )
    if confidence < MIN_CONFIDENCE and declared_code:
        return LanguageGuess(declared_code, 0.0, declared_code, code == declared_code)
    agrees = not declared_code or code == declared_code
    return LanguageGuess(str(code), confidence, declared_code, agrees)
